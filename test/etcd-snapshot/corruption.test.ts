/**
 * Damaged and hostile files: every case must end in a typed error or a recorded problem, never
 * a crash, a hang or an untyped exception.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

import { configMapProtobuf, secretProtobuf } from '../../scripts/etcd-fixture.js';
import { EtcdSnapshotError, type EtcdSnapshot, openEtcdSnapshot } from '../../src/etcd-snapshot/index.js';
import { type BoltLayout, type MvccEntry, etcdSpec, resignMeta, writeBolt } from './helpers/bolt-writer.js';
import { tempDir } from './helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const KEYS = 3000;
function entries(): MvccEntry[] {
  const out: MvccEntry[] = [];
  for (let i = 0; i < KEYS; i++) {
    const key = i % 3 === 0 ? `/registry/secrets/ns/s${i}` : `/registry/configmaps/ns/c${i}`;
    const value = i % 3 === 0 ? secretProtobuf({ name: `s${i}`, namespace: 'ns' }, { k: 'v' }) : configMapProtobuf({ name: `c${i}`, namespace: 'ns' }, { k: 'v' });
    out.push({ main: i + 2, key, value });
  }
  return out;
}
const BASE = writeBolt(etcdSpec(entries()));
const PS = BASE.pageSize;

function flip(f: Buffer, at: number, mask: number): void {
  f[at] = f[at]! ^ mask;
}

function copyOf(layout: BoltLayout): Buffer {
  return Buffer.from(layout.file);
}

function expectCode(fn: () => unknown, code: string): EtcdSnapshotError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(EtcdSnapshotError);
  expect((caught as EtcdSnapshotError).code).toBe(code);
  expect((caught as Error).message.length).toBeGreaterThan(20);
  return caught as EtcdSnapshotError;
}

function readAll(snap: EtcdSnapshot): { live: number; history: number } {
  return { live: [...snap.liveKeys()].length, history: [...snap.history()].length };
}

/** Problem codes, without the hash mismatch every edit of the file also causes. */
function codes(snap: EtcdSnapshot): string[] {
  return snap.integrity().problems.map((p) => p.code).filter((c) => c !== 'ETCD_SNAPSHOT_HASH_MISMATCH');
}

function keyBucketRoot(layout: BoltLayout): number {
  const root = layout.bucketRoots['key'];
  if (typeof root !== 'number') throw new Error('key bucket should not be inline');
  return root;
}

/** The first branch page above the leaves (the writer allocates it first): many children. */
function lowBranch(layout: BoltLayout): number {
  const id = layout.branchPages[0]!;
  expect(id).not.toBe(keyBucketRoot(layout));
  expect(layout.file.readUInt16LE(id * PS + 10)).toBeGreaterThan(10);
  return id;
}

function branchChildOffset(pageId: number, element: number): number {
  return pageId * PS + 16 + element * 16 + 8;
}

describe('corrupted and truncated snapshots', () => {
  it('falls back to meta page 1 when meta page 0 is broken, and still reads everything', () => {
    const f = copyOf(BASE);
    flip(f, 16 + 20, 0xff); // inside meta 0's root field: checksum no longer matches
    const snap = openEtcdSnapshot(tmp.file('meta0.db', f));
    expect(readAll(snap)).toEqual({ live: KEYS, history: 0 });
    expect(snap.status().totalKey).toBe(KEYS + 2);
    const integ = snap.integrity();
    expect(integ.metaUsed).toBe(1);
    expect(integ.metaPages[0]).toMatchObject({ valid: false, reason: 'checksum mismatch' });
    expect(integ.problems[0]).toMatchObject({ code: 'ETCD_SNAPSHOT_BAD_META', pageId: 0 });
    expect(integ.sha256.valid).toBe(false); // the trailing hash also exposes the edit
    expect(integ.ok).toBe(false);
    snap.close();
  });

  it('finds meta page 1 by probing page sizes when page 0 is wiped', () => {
    const f = copyOf(BASE);
    f.fill(0, 0, PS);
    const snap = openEtcdSnapshot(tmp.file('page0-wiped.db', f));
    expect(snap.integrity().metaUsed).toBe(1);
    expect(readAll(snap).live).toBe(KEYS);
    snap.close();
  });

  it('uses meta page 0 when meta page 1 is broken', () => {
    const f = copyOf(BASE);
    f.writeUInt32LE(0xdeadbeef, PS + 16); // magic
    const snap = openEtcdSnapshot(tmp.file('meta1.db', f));
    expect(snap.integrity().metaUsed).toBe(0);
    expect(snap.integrity().metaPages[1]?.reason).toMatch(/bad magic/);
    expect(readAll(snap).live).toBe(KEYS);
    snap.close();
  });

  it('throws ETCD_SNAPSHOT_BAD_META when both meta pages are broken', () => {
    const f = copyOf(BASE);
    flip(f, 16 + 20, 0xff);
    flip(f, PS + 16 + 20, 0xff);
    const err = expectCode(() => openEtcdSnapshot(tmp.file('meta-both.db', f)), 'ETCD_SNAPSHOT_BAD_META');
    expect(err.message).toMatch(/meta/);
  });

  it('throws ETCD_SNAPSHOT_BAD_META for a file that is not bbolt at all', () => {
    expectCode(() => openEtcdSnapshot(tmp.file('random.db', randomBytes(70000))), 'ETCD_SNAPSHOT_BAD_META');
  });

  it('throws ETCD_SNAPSHOT_TRUNCATED when the snapshot is cut short', () => {
    const cut = BASE.file.subarray(0, Math.floor(BASE.file.length / 2));
    const err = expectCode(() => openEtcdSnapshot(tmp.file('cut.db', cut)), 'ETCD_SNAPSHOT_TRUNCATED');
    expect(err.message).toMatch(/cut short/);
  });

  it('salvages a cut-short snapshot on request, recording what is missing', () => {
    const cut = BASE.file.subarray(0, Math.floor(BASE.file.length / 2));
    const snap = openEtcdSnapshot(tmp.file('cut-salvage.db', cut), { allowTruncated: true });
    const n = readAll(snap);
    expect(n.live).toBeGreaterThan(0);
    expect(n.live).toBeLessThan(KEYS);
    expect(codes(snap)).toContain('ETCD_SNAPSHOT_TRUNCATED');
    expectCode(() => snap.status(), 'ETCD_SNAPSHOT_TRUNCATED');
    snap.close();
  });

  it('throws ETCD_SNAPSHOT_TRUNCATED for empty and tiny files', () => {
    expectCode(() => openEtcdSnapshot(tmp.file('empty.db', Buffer.alloc(0))), 'ETCD_SNAPSHOT_TRUNCATED');
    expectCode(() => openEtcdSnapshot(tmp.file('tiny.db', BASE.file.subarray(0, 600))), 'ETCD_SNAPSHOT_TRUNCATED');
  });

  it('throws ETCD_SNAPSHOT_IO for a missing file', () => {
    expectCode(() => openEtcdSnapshot(`${tmp.dir}/does-not-exist.db`), 'ETCD_SNAPSHOT_IO');
    expectCode(() => openEtcdSnapshot(tmp.dir), 'ETCD_SNAPSHOT_IO');
  });

  it('reports a page pointer cycle instead of looping', () => {
    const f = copyOf(BASE);
    const root = keyBucketRoot(BASE);
    const low = lowBranch(BASE);
    f.writeBigUInt64LE(BigInt(root), branchChildOffset(low, 1)); // child 1 -> the bucket's root (an ancestor)
    f.writeBigUInt64LE(BigInt(low), branchChildOffset(low, 3)); // child 3 -> the page itself
    const snap = openEtcdSnapshot(tmp.file('cycle.db', f));
    const n = readAll(snap);
    expect(n.live).toBeGreaterThan(0);
    expect(n.live).toBeLessThan(KEYS);
    expect(codes(snap)).toContain('ETCD_SNAPSHOT_PAGE_CYCLE');
    expectCode(() => snap.status(), 'ETCD_SNAPSHOT_PAGE_CYCLE');
    expect(snap.scanFreePages().treeComplete).toBe(false);
    snap.close();
  });

  it('reports two parents sharing a child (a cycle across siblings)', () => {
    const f = copyOf(BASE);
    const low = lowBranch(BASE);
    const child0 = f.readBigUInt64LE(branchChildOffset(low, 0));
    f.writeBigUInt64LE(child0, branchChildOffset(low, 2));
    const snap = openEtcdSnapshot(tmp.file('shared.db', f));
    readAll(snap);
    expect(codes(snap)).toContain('ETCD_SNAPSHOT_PAGE_CYCLE');
    snap.close();
  });

  it('reports out-of-range page ids and still reads the rest of the tree', () => {
    const f = copyOf(BASE);
    const low = lowBranch(BASE);
    f.writeBigUInt64LE(999_999n, branchChildOffset(low, 0));
    f.writeBigUInt64LE(0xffffffffffffff00n, branchChildOffset(low, 1));
    f.writeBigUInt64LE(1n, branchChildOffset(low, 2)); // a meta page
    const snap = openEtcdSnapshot(tmp.file('range.db', f));
    const n = readAll(snap);
    expect(n.live).toBeGreaterThan(KEYS / 2);
    expect(n.live).toBeLessThan(KEYS);
    const c = codes(snap);
    expect(c.filter((x) => x === 'ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE').length).toBe(3);
    expectCode(() => snap.status(), 'ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE');
    snap.close();
  });

  it('reports an overflow count that runs past the file', () => {
    const f = copyOf(BASE);
    const leaf = BASE.leafPages[3]!;
    f.writeUInt32LE(0xfffffff0, leaf * PS + 12);
    const snap = openEtcdSnapshot(tmp.file('overflow.db', f));
    readAll(snap);
    expect(codes(snap)).toContain('ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE');
    snap.close();
  });

  it('reports a page with a wrong id or wrong flags', () => {
    const f = copyOf(BASE);
    f.writeBigUInt64LE(BigInt(BASE.leafPages[5]!), BASE.leafPages[1]! * PS); // another page's id
    f.writeUInt16LE(0x10, BASE.leafPages[2]! * PS + 8);
    const snap = openEtcdSnapshot(tmp.file('flags.db', f));
    readAll(snap);
    const problems = snap.integrity().problems;
    expect(problems.filter((p) => p.code === 'ETCD_SNAPSHOT_BAD_PAGE').map((p) => p.pageId)).toEqual([BASE.leafPages[1], BASE.leafPages[2]]);
    snap.close();
  });

  it('skips a leaf element pointing outside its page and keeps its neighbours', () => {
    const f = copyOf(BASE);
    const leaf = BASE.leafPages[0]!;
    f.writeUInt32LE(0x7fffffff, leaf * PS + 16 + 16 * 1 + 4); // element 1 pos
    const snap = openEtcdSnapshot(tmp.file('elem.db', f));
    expect(readAll(snap).live).toBe(KEYS - 1);
    expect(codes(snap)).toEqual(['ETCD_SNAPSHOT_BAD_PAGE']);
    snap.close();
  });

  it('clamps an element count larger than the page', () => {
    const f = copyOf(BASE);
    f.writeUInt16LE(0xffff, BASE.leafPages[0]! * PS + 10);
    const snap = openEtcdSnapshot(tmp.file('count.db', f));
    readAll(snap);
    expect(codes(snap)).toContain('ETCD_SNAPSHOT_BAD_PAGE');
    snap.close();
  });

  it('reports undecodable mvcc records and reads the others', () => {
    const list = entries().slice(0, 10);
    const l = writeBolt(etcdSpec(list, { buckets: {} }));
    const f = Buffer.from(l.file);
    // corrupt the first KeyValue's key length varint into an over-long length
    const firstValue = f.indexOf(Buffer.from('/registry/secrets/ns/s0'));
    f[firstValue - 1] = 0x7f;
    // and make one revision key malformed
    const rev = f.indexOf(Buffer.from([0, 0, 0, 0, 0, 0, 0, 5, 0x5f]));
    f[rev + 8] = 0x2d;
    const snap = openEtcdSnapshot(tmp.file('mvcc.db', f));
    expect(readAll(snap).live).toBe(8);
    expect(codes(snap).filter((c) => c === 'ETCD_SNAPSHOT_BAD_RECORD')).toHaveLength(2);
    snap.close();
  });

  it('flags a trailing sha256 that does not match', () => {
    const f = copyOf(BASE);
    flip(f, 200, 1); // unused bytes of meta page 0: bbolt does not notice, the hash does
    const snap = openEtcdSnapshot(tmp.file('hash.db', f));
    expect(readAll(snap).live).toBe(KEYS);
    const integ = snap.integrity();
    expect(integ.sha256).toEqual({ present: true, valid: false });
    expect(integ.problems.map((p) => p.code)).toEqual(['ETCD_SNAPSHOT_HASH_MISMATCH']);
    expect(snap.status().totalKey).toBe(KEYS + 2); // the tree itself is fine
    snap.close();
  });

  it('keeps the free-page scan linear on hostile free pages', () => {
    const page = (unit: Buffer): Buffer => Buffer.concat(Array.from({ length: Math.ceil(PS / unit.length) }, () => unit)).subarray(0, PS);
    const envelope = page(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x0a, 0x0a, 0x02]), Buffer.from('v1'), Buffer.from([0x12, 0x06]), Buffer.from('Secret')]));
    const records = page(Buffer.concat([Buffer.from([0x0a, 0x1c]), Buffer.from('/registry/secrets/ns/aaaaaaa'), Buffer.from([0x2a, 0xff, 0xff, 0x3f, 0x7b])]));
    const json = page(Buffer.from('"kind":"Secret",'));
    const free = [...Array(128).fill(envelope), ...Array(128).fill(records), ...Array(128).fill(json)] as Buffer[];
    const l = writeBolt(etcdSpec(entries().slice(0, 10), { freePages: free }));
    const snap = openEtcdSnapshot(tmp.file('hostile-free.db', l.file));
    const t0 = Date.now();
    const scan = snap.scanFreePages({ maxFindings: 2000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(scan.freePages).toBe(384);
    expect(scan.findings).toHaveLength(2000);
    expect(scan.findingsTruncated).toBe(true);
    snap.close();
  });

  it('does not allocate for a meta page claiming an absurd high-water mark', () => {
    const f = copyOf(BASE);
    for (const id of [0, 1] as const) {
      f.writeBigUInt64LE(1n << 50n, id * PS + 16 + 40);
      resignMeta(f, id, PS);
    }
    expectCode(() => openEtcdSnapshot(tmp.file('hwm.db', f)), 'ETCD_SNAPSHOT_TRUNCATED');
    const snap = openEtcdSnapshot(tmp.file('hwm.db', f), { allowTruncated: true });
    expect(readAll(snap).live).toBe(KEYS);
    expect(snap.scanFreePages().freePages).toBe(0);
    snap.close();
  });

  it('survives random damage: typed errors or recorded problems only', () => {
    const small = writeBolt(etcdSpec(entries().slice(0, 600)));
    const path = `${tmp.dir}/fuzz.db`;
    let seed = 12345;
    const rand = (n: number): number => {
      // xorshift32: deterministic, so a failure can be replayed
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const started = Date.now();
    let typedErrors = 0;
    for (let round = 0; round < 300; round++) {
      const f = Buffer.from(small.file);
      const flips = 1 + rand(24);
      for (let i = 0; i < flips; i++) {
        // bias towards headers and element tables, where damage matters most
        const page = 2 + rand(small.highWaterMark - 2);
        const off = rand(4) === 0 ? rand(f.length) : page * PS + rand(96);
        f[off] = rand(256);
      }
      const file = round % 10 === 0 ? f.subarray(0, rand(f.length)) : f;
      writeFileSync(path, file);
      try {
        const snap = openEtcdSnapshot(path, { allowTruncated: round % 2 === 0 });
        try {
          readAll(snap);
          snap.scanFreePages();
          snap.info();
          snap.integrity();
          snap.status();
        } finally {
          snap.close();
        }
      } catch (err) {
        if (!(err instanceof EtcdSnapshotError)) throw err;
        typedErrors++;
      }
    }
    expect(typedErrors).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(30000);
  });
});
