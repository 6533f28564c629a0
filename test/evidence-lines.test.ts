import { describe, expect, it } from 'vitest';
import { random } from '../scripts/audit-log-writer.js';
import { EvidenceSource, Head } from '../src/ingest/source.js';

/** The content as `chunks` Buffers of random sizes, the first one as the head. */
function sourceOf(content: Buffer, rand: () => number, maxLineBytes: number): EvidenceSource {
  const chunks: Buffer[] = [];
  for (let at = 0; at < content.length; ) {
    const size = 1 + Math.floor(rand() * (rand() < 0.3 ? 8 : 200));
    chunks.push(content.subarray(at, at + size));
    at += size;
  }
  const [head = Buffer.alloc(0), ...rest] = chunks;
  async function* more(): AsyncGenerator<Buffer> {
    yield* rest;
  }
  return new EvidenceSource('x.log', content.length, new Head('x.log', head, rest.length === 0), more(), { maxLineBytes, maxBufferBytes: 1 << 20 });
}

/** What eachLine must report: lines split on \n, a trailing \r dropped, over-long lines skipped. */
function reference(content: Buffer, max: number): { lines: [number, string][]; oversize: number[]; invalid: number } {
  const lines: [number, string][] = [];
  const oversize: number[] = [];
  let invalid = 0;
  const parts: Buffer[] = [];
  for (let start = 0; ; ) {
    const nl = content.indexOf(10, start);
    if (nl === -1) {
      if (start < content.length) parts.push(content.subarray(start));
      break;
    }
    parts.push(content.subarray(start, nl));
    start = nl + 1;
  }
  parts.forEach((raw, i) => {
    if (raw.length > max) return void oversize.push(i + 1);
    const bytes = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
    const line = bytes.toString('utf8');
    if (line.includes('\uFFFD')) invalid++;
    lines.push([i + 1, line]);
  });
  return { lines, oversize, invalid };
}

describe('EvidenceSource.eachLine', () => {
  it('gives every line once, numbered, whatever the chunking: CRLF, empty lines, multibyte and invalid UTF-8, over-long lines', async () => {
    const pieces = ['{"a":1}', '', 'héllo wörld ✓ 𝄞', '\r', 'x'.repeat(90), 'plain\r', Buffer.from([0x66, 0xff, 0xfe, 0x67]).toString('latin1'), 'été'];
    for (let seed = 1; seed <= 300; seed++) {
      const rand = random(seed);
      const lines: Buffer[] = [];
      const n = 1 + Math.floor(rand() * 40);
      for (let i = 0; i < n; i++) {
        const piece = pieces[Math.floor(rand() * pieces.length)]!;
        lines.push(piece.includes('\u00ff') ? Buffer.from(piece, 'latin1') : Buffer.from(piece, 'utf8'));
      }
      const content = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || rand() < 0.5 ? [l, Buffer.from('\n')] : [l])));
      const max = rand() < 0.3 ? 40 : 1 << 16;
      const seen: [number, string][] = [];
      const stats = await sourceOf(content, rand, max).eachLine((line, no) => void seen.push([no, line]));
      const want = reference(content, max);
      expect(seen, `seed ${seed}`).toEqual(want.lines);
      expect(stats.oversizeLines, `seed ${seed}`).toEqual(want.oversize);
      expect(stats.invalidUtf8Lines, `seed ${seed}`).toBe(want.invalid);
    }
  });
});
