import { describe, expect, it } from 'vitest';
import { JsonItemsError, scanJsonItems } from '../src/ingest/json-items.js';

// The streaming item scanner behind EvidenceSource.jsonItems (large kubectl Lists, docker inspect
// arrays): it must agree with JSON.parse on every document, however the bytes are chunked.

async function* chunked(text: string | Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  let pos = 0;
  let k = 0;
  while (pos < bytes.length) {
    const size = Math.max(1, sizes[k++ % sizes.length]!);
    // A fresh buffer each time, then scribbled over: the scanner must copy what it keeps.
    const chunk = Buffer.from(bytes.subarray(pos, pos + size));
    yield chunk;
    chunk.fill(0x21);
    pos += size;
  }
}

async function scan(text: string | Buffer, sizes = [1 << 16], max = 1 << 20): Promise<{ value: unknown; pointer: string }[]> {
  const out: { value: unknown; pointer: string }[] = [];
  for await (const item of scanJsonItems(chunked(text, sizes), max)) out.push({ value: item.value, pointer: item.pointer });
  return out;
}

function expected(doc: unknown): { value: unknown; pointer: string }[] {
  if (Array.isArray(doc)) return doc.map((value, i) => ({ value, pointer: `/${i}` }));
  const items = (doc as { items?: unknown }).items;
  return Array.isArray(items) ? items.map((value, i) => ({ value, pointer: `/items/${i}` })) : [];
}

const TRICKY = {
  metadata: { note: 'a "quoted" ]} string with \\ backslashes \\" and braces {[', nested: { items: [1, 2, 3] } },
  apiVersion: 'v1',
  items: [
    { kind: 'Pod', metadata: { name: 'p1', annotations: { 'x/y': '{"json":"in a string"}', u: 'ünïcødé ✓ 漢字 🚀' } }, spec: { containers: [{ args: ['-c', 'echo "]" && echo \\\\'] }] } },
    [],
    {},
    'a string item with , and ] inside',
    12.5e3,
    -7,
    true,
    false,
    null,
    [[[{ deep: [{}] }]]],
  ],
  kind: 'List',
  trailing: { items: ['not these'] },
};

describe('scanJsonItems', () => {
  it('agrees with JSON.parse on a Kubernetes List, a top-level array and awkward values, whatever the chunking', async () => {
    const docs = [TRICKY, TRICKY.items, { apiVersion: 'v1', items: [], kind: 'List' }, [], { kind: 'Pod', metadata: { name: 'single' } }];
    for (const doc of docs) {
      for (const indent of [0, 4]) {
        const text = JSON.stringify(doc, null, indent);
        for (const sizes of [[1], [2, 3, 5, 7], [13], [4096]]) {
          expect(await scan(text, sizes), `${indent} ${sizes.join(',')}`).toEqual(expected(doc));
        }
      }
    }
  });

  it('skips a UTF-8 byte-order mark and a multi-byte character split across chunks', async () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ items: [{ name: '漢字🚀' }] }))]);
    expect(await scan(text, [1])).toEqual([{ value: { name: '漢字🚀' }, pointer: '/items/0' }]);
  });

  it('only picks the top-level "items" key (nested items and later members are not items)', async () => {
    const doc = { metadata: { items: [{ no: 1 }] }, items: [{ yes: 1 }], other: { items: [{ no: 2 }] } };
    expect(await scan(JSON.stringify(doc), [3])).toEqual([{ value: { yes: 1 }, pointer: '/items/0' }]);
  });

  it('reports a truncated document instead of pretending it ended', async () => {
    const text = JSON.stringify(TRICKY, null, 4);
    for (const cut of [text.indexOf('"p1"'), text.indexOf('12500'), text.length - 5]) {
      await expect(scan(text.slice(0, cut), [7])).rejects.toThrow(/unexpected end/);
    }
  });

  it('refuses what is not an array or an object, and an item over the limit', async () => {
    await expect(scan('"just a string"')).rejects.toBeInstanceOf(JsonItemsError);
    await expect(scan(JSON.stringify({ items: [{ big: 'x'.repeat(5000) }] }), [100], 1000)).rejects.toThrow(/larger than 1000 bytes/);
  });
});
