import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../src/analyze.js';
import { buildBundle, buildTar, META_ENV } from './support/bundle-builder.js';

// Bundles come from compromised hosts. Each hostile shape must give a clear finding, never a
// crash, a hang or a write outside the output directory, and the rest must still be analysed.
const inspect = readFileSync(join(import.meta.dirname, 'fixtures/docker/inspect-risky.json'));
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cf-hostile-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function analyseBuffer(name: string, data: Buffer, write = false): Promise<AnalysisResult> {
  const dir = mkdtempSync(join(work, `${name}-`));
  const input = join(dir, `${name}.tgz`);
  writeFileSync(input, data);
  return analyze([input], { write, outDir: join(dir, 'out'), now: new Date('2026-01-01T00:00:00Z') });
}

const rulesOf = (r: AnalysisResult) => r.document.findings.map((f) => f.rule);
const privilegedStillFound = (r: AnalysisResult) =>
  expect(r.document.findings.some((f) => f.rule === 'container.privileged' && f.subject.name === 'cf-fixture-privileged')).toBe(true);

describe('hostile bundles', () => {
  it('../ and absolute entry paths are refused, reported, and never written anywhere', async () => {
    const root = 'cf-bundle-node-1-20261203T175434Z';
    const data = await buildBundle(
      { 'meta.env': META_ENV, 'docker/inspect.json': inspect },
      {
        extra: [
          { name: `${root}/../../escaped.txt`, content: 'pwned' },
          { name: '/tmp/cf-absolute-escape.txt', content: 'pwned' },
        ],
      },
    );
    const r = await analyseBuffer('dotdot', data, true);
    const unsafe = r.document.findings.filter((f) => f.rule === 'evidence.unsafe-entry');
    expect(unsafe.map((f) => f.reasons[0]).sort()).toEqual([
      'absolute-path: unsafe entry path (absolute-path) not analysed',
      'parent-reference: unsafe entry path (parent-reference) not analysed',
    ]);
    expect(r.document.inputs[0]!.integrity).toBe('failed');
    privilegedStillFound(r);
    // Nothing named after the entries exists in, beside, or above the work directory.
    const all = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String);
    expect(all(work).filter((p) => p.includes('escaped') || p.includes('cf-absolute'))).toEqual([]);
    expect(readdirSync(tmpdir()).filter((p) => p.includes('cf-absolute-escape'))).toEqual([]);
  });

  it('symlinks and hardlinks are not followed', async () => {
    const root = 'cf-bundle-node-1-20261203T175434Z';
    const data = await buildBundle(
      { 'meta.env': META_ENV, 'docker/inspect.json': inspect },
      {
        extra: [
          { name: `${root}/host/shadow`, type: 'symlink', linkname: '/etc/shadow' },
          { name: `${root}/host/passwd`, type: 'link', linkname: '/etc/passwd' },
          { name: `${root}/host/null`, type: 'character-device' },
        ],
      },
    );
    const r = await analyseBuffer('links', data);
    const reasons = r.document.findings.filter((f) => f.rule === 'evidence.unsafe-entry').map((f) => f.reasons[0]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'symlink: symbolic link to /etc/shadow not followed',
        'hardlink: hard link to /etc/passwd not followed',
        'special-file: character-device entry ignored',
      ]),
    );
    privilegedStillFound(r);
  });

  it('a duplicate entry is refused; the first copy is analysed and verified', async () => {
    const root = 'cf-bundle-node-1-20261203T175434Z';
    const data = await buildBundle({ 'meta.env': META_ENV, 'docker/inspect.json': inspect }, { extra: [{ name: `${root}/docker/inspect.json`, content: '[]' }] });
    const r = await analyseBuffer('duplicate', data);
    expect(r.document.findings.filter((f) => f.rule === 'evidence.unsafe-entry').map((f) => f.reasons[0])).toEqual([
      'duplicate: a second entry with the same path was ignored; the first one is analysed',
    ]);
    expect(rulesOf(r)).not.toContain('evidence.hash-mismatch');
    privilegedStillFound(r);
  });

  it('a 100 MB single line is skipped in bounded memory and reported', async () => {
    const header = 'source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote\n';
    const huge = Buffer.alloc(100 * 1024 * 1024, 0x41);
    const steps = Buffer.concat([Buffer.from(header), huge, Buffer.from('\nk8s\tkubectl get pods -A -o json\ttimeout\t124\t-\t-\t0\t-\t\n')]);
    const data = await buildBundle({ 'meta.env': META_ENV, 'commands.tsv': steps, 'docker/inspect.json': inspect });
    const before = process.memoryUsage().rss;
    const r = await analyseBuffer('longline', data);
    const grown = process.memoryUsage().rss - before;
    const parse = r.document.findings.find((f) => f.rule === 'evidence.parse-error');
    expect(parse?.reasons[0]).toMatch(/^line-too-long: line\(s\) longer than \d+ bytes skipped/);
    expect(parse?.evidence[0]?.locator).toBe('line 2');
    // The line after the giant one is still read.
    expect(r.document.findings.some((f) => f.rule === 'evidence.collection-error' && f.reasons[0]!.includes('timeout'))).toBe(true);
    expect(grown).toBeLessThan(90 * 1024 * 1024);
    privilegedStillFound(r);
  });

  it('invalid UTF-8 is reported and the file still analysed', async () => {
    const meta = Buffer.concat([Buffer.from(META_ENV), Buffer.from([0x48, 0x4f, 0x53, 0x54, 0x5f, 0x4e, 0x4f, 0x54, 0x45, 0x3d, 0xff, 0xfe, 0xc3, 0x28, 0x0a])]);
    const r = await analyseBuffer('utf8', await buildBundle({ 'meta.env': meta, 'docker/inspect.json': inspect }));
    const parse = r.document.findings.find((f) => f.rule === 'evidence.parse-error');
    expect(parse?.reasons[0]).toMatch(/^invalid-utf8/);
    expect(r.document.inputs[0]!.host).toBe('node-1');
    privilegedStillFound(r);
  });

  it('a gzip stream that ends early: what came before is analysed, the cut is a finding', async () => {
    const padding = Buffer.alloc(256 * 1024);
    for (let i = 0; i < padding.length; i++) padding[i] = (i * 7919) % 251; // incompressible-ish
    const full = await buildBundle({ 'meta.env': META_ENV, 'docker/inspect.json': inspect, 'host/zz-padding.bin': padding });
    const r = await analyseBuffer('truncated', full.subarray(0, Math.floor(full.length * 0.7)));
    const truncated = r.document.findings.filter((f) => f.rule === 'evidence.truncated');
    expect(truncated.length).toBeGreaterThan(0);
    expect(truncated.some((f) => /could not be read to its end/.test(f.reasons[0]!))).toBe(true);
    expect(r.document.inputs[0]!.integrity).toBe('failed');
    privilegedStillFound(r);
  });

  it.each([
    ['claims more bytes than the archive holds', 1 << 20],
    ['claims fewer bytes than it holds', 10],
  ])('a tar header that lies about its size (%s)', async (_label, claimed) => {
    const root = 'cf-bundle-node-1-20261203T175434Z';
    const tarball = await buildTar([
      { name: `${root}/meta.env`, content: META_ENV },
      { name: `${root}/docker/inspect.json`, content: inspect },
      { name: `${root}/host/uname.txt`, content: 'Linux node-1 6.1.0 x86_64 GNU/Linux\n'.repeat(40) },
    ]);
    const lying = lieAboutSize(tarball, `${root}/host/uname.txt`, claimed);
    const r = await analyseBuffer('lying', gzipSync(lying));
    expect(r.document.findings.some((f) => f.rule === 'evidence.truncated')).toBe(true);
    privilegedStillFound(r);
  });

  it('garbage that is not an archive is analysed as a loose file, not a crash', async () => {
    const r = await analyseBuffer('garbage', Buffer.from('\x1f\x8b\x08\x00this is not gzip at all'));
    expect(r.document.inputs[0]!.integrity).toBe('unverifiable');
    expect(r.unreadable).toEqual([]);
  });

  it('an input that does not exist is reported as unreadable, the others still analysed', async () => {
    const good = join(work, 'good.json');
    writeFileSync(good, inspect);
    const r = await analyze([join(work, 'does-not-exist.tgz'), good], { write: false });
    expect(r.unreadable.map((u) => u.path)).toEqual([join(work, 'does-not-exist.tgz')]);
    privilegedStillFound(r);
  });
});

/** Rewrites the size field (and checksum) of one entry's ustar header. */
function lieAboutSize(tarball: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(tarball);
  for (let offset = 0; offset + 512 <= out.length; ) {
    const header = out.subarray(offset, offset + 512);
    const entryName = header.toString('latin1', 0, 100).replace(/\0.*$/s, '');
    const prefix = header.toString('latin1', 345, 500).replace(/\0.*$/s, '');
    const full = prefix ? `${prefix}/${entryName}` : entryName;
    const realSize = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
    if (full === name) {
      header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'latin1');
      header.fill(0x20, 148, 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += header[i]!;
      header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
      return out;
    }
    if (!entryName) break;
    offset += 512 + Math.ceil(realSize / 512) * 512;
  }
  throw new Error(`entry ${name} not found`);
}

