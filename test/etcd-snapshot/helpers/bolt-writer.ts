/**
 * Writes small bbolt files from scratch so the reader can be tested (and broken on purpose)
 * without etcd. Independent of the reader's code on purpose: a shared bug would hide itself.
 *
 * Layout produced: meta pages 0 and 1, then each non-inline bucket's leaves and branches, then
 * the root bucket's leaf page; no persisted freelist (like etcd on Linux); optionally the
 * trailing sha256 that `etcdctl snapshot save` appends.
 */
import { createHash } from 'node:crypto';

import { ProtoWriter } from '../../../scripts/etcd-fixture.js';

export interface BoltSpec {
  pageSize?: number;
  littleEndian?: boolean;
  /** Bucket name -> entries (must be sorted by key; the writer sorts to be safe). */
  buckets: Record<string, [Buffer, Buffer][]>;
  /** Buckets at or below this byte size are stored inline (bbolt: pageSize / 4). */
  inlineLimit?: number;
  appendHash?: boolean;
  /** Extra unreachable pages filled with these bytes (simulates freed pages). */
  freePages?: Buffer[];
  txid?: number;
}

export interface BoltLayout {
  file: Buffer;
  pageSize: number;
  /** Page ids by role, so tests can corrupt precise spots. */
  rootPage: number;
  bucketRoots: Record<string, number | 'inline'>;
  branchPages: number[];
  leafPages: number[];
  freePageIds: number[];
  highWaterMark: number;
}

class Ints {
  constructor(readonly le: boolean) {}
  u16(b: Buffer, off: number, v: number): void {
    if (this.le) b.writeUInt16LE(v, off);
    else b.writeUInt16BE(v, off);
  }
  u32(b: Buffer, off: number, v: number): void {
    if (this.le) b.writeUInt32LE(v >>> 0, off);
    else b.writeUInt32BE(v >>> 0, off);
  }
  u64(b: Buffer, off: number, v: bigint | number): void {
    if (this.le) b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), off);
    else b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(v)), off);
  }
}

function fnv1a64(b: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const x of b) h = ((h ^ BigInt(x)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

interface LeafItem {
  key: Buffer;
  value: Buffer;
  flags: number;
}

/** Serialises one leaf page (header + elements + data) without a page id, any length. */
function leafBytes(ints: Ints, items: LeafItem[], id: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  ints.u64(b, 0, id);
  ints.u16(b, 8, 0x02);
  ints.u16(b, 10, items.length);
  ints.u32(b, 12, 0);
  let data = 16 + items.length * 16;
  items.forEach((it, i) => {
    const e = 16 + i * 16;
    ints.u32(b, e, it.flags);
    ints.u32(b, e + 4, data - e);
    ints.u32(b, e + 8, it.key.length);
    ints.u32(b, e + 12, it.value.length);
    it.key.copy(b, data);
    it.value.copy(b, data + it.key.length);
    data += it.key.length + it.value.length;
  });
  return b;
}

function leafSize(items: LeafItem[]): number {
  return 16 + items.reduce((n, it) => n + 16 + it.key.length + it.value.length, 0);
}

export function writeBolt(spec: BoltSpec): BoltLayout {
  const pageSize = spec.pageSize ?? 4096;
  const ints = new Ints(spec.littleEndian ?? true);
  const inlineLimit = spec.inlineLimit ?? pageSize / 4;
  const pages = new Map<number, Buffer>();
  let next = 2;
  const layout: BoltLayout = {
    file: Buffer.alloc(0),
    pageSize,
    rootPage: 0,
    bucketRoots: {},
    branchPages: [],
    leafPages: [],
    freePageIds: [],
    highWaterMark: 0,
  };

  const alloc = (count: number): number => {
    const id = next;
    next += count;
    return id;
  };

  /**
   * Writes a B+tree of leaf items; returns the root page id. Branch pages get the lower page ids
   * (allocated before the leaves) so that cutting the file short loses leaves, not whole trees.
   */
  const writeTree = (items: LeafItem[]): number => {
    const groups: LeafItem[][] = [];
    let cur: LeafItem[] = [];
    for (const it of items) {
      const trial = [...cur, it];
      if (cur.length > 0 && leafSize(trial) > pageSize) {
        groups.push(cur);
        cur = [it];
      } else cur = trial;
    }
    if (cur.length > 0 || groups.length === 0) groups.push(cur);

    const perPage = Math.max(2, Math.floor((pageSize - 16) / (16 + 40)));
    const levelSizes: number[] = [];
    for (let n = groups.length; n > 1; ) {
      n = Math.ceil(n / perPage);
      levelSizes.push(n);
    }
    // allocate top level first, then downwards
    const levelIds: number[][] = levelSizes.map(() => []);
    for (let l = levelSizes.length - 1; l >= 0; l--) {
      for (let i = 0; i < levelSizes[l]!; i++) levelIds[l]!.push(alloc(1));
    }

    let level: { key: Buffer; id: number }[] = groups.map((g) => {
      const size = leafSize(g);
      const span = Math.max(1, Math.ceil(size / pageSize));
      const id = alloc(span);
      const b = leafBytes(ints, g, id, span * pageSize);
      ints.u32(b, 12, span - 1);
      pages.set(id, b);
      layout.leafPages.push(id);
      return { key: g[0]?.key ?? Buffer.alloc(0), id };
    });
    for (let l = 0; l < levelSizes.length; l++) {
      const up: { key: Buffer; id: number }[] = [];
      for (let i = 0, k = 0; i < level.length; i += perPage, k++) {
        const kids = level.slice(i, i + perPage);
        const id = levelIds[l]![k]!;
        const b = Buffer.alloc(pageSize);
        ints.u64(b, 0, id);
        ints.u16(b, 8, 0x01);
        ints.u16(b, 10, kids.length);
        let data = 16 + kids.length * 16;
        kids.forEach((kid, j) => {
          const e = 16 + j * 16;
          ints.u32(b, e, data - e);
          ints.u32(b, e + 4, kid.key.length);
          ints.u64(b, e + 8, kid.id);
          kid.key.copy(b, data);
          data += kid.key.length;
        });
        if (data > pageSize) throw new Error('branch page overflow in test writer');
        pages.set(id, b);
        layout.branchPages.push(id);
        up.push({ key: kids[0]!.key, id });
      }
      level = up;
    }
    return level[0]!.id;
  };

  // The root bucket's leaf goes first (page 2) so that cutting the file short loses bucket
  // pages but keeps the root, which is what salvage tests need.
  const rootReserved = alloc(1);
  const rootItems: LeafItem[] = [];
  for (const name of Object.keys(spec.buckets).sort()) {
    const entries = [...spec.buckets[name]!].sort((a, b) => Buffer.compare(a[0], b[0]));
    const items = entries.map(([key, value]) => ({ key, value, flags: 0 }));
    const inlineSize = leafSize(items) + 16;
    let header: Buffer;
    if (inlineSize <= inlineLimit) {
      header = Buffer.alloc(16);
      ints.u64(header, 0, 0);
      header = Buffer.concat([header, leafBytes(ints, items, 0, leafSize(items))]);
      layout.bucketRoots[name] = 'inline';
    } else {
      const root = writeTree(items);
      header = Buffer.alloc(16);
      ints.u64(header, 0, root);
      layout.bucketRoots[name] = root;
    }
    rootItems.push({ key: Buffer.from(name, 'utf8'), value: header, flags: 0x01 });
  }
  const rootLeaf = leafBytes(ints, rootItems, rootReserved, pageSize);
  if (leafSize(rootItems) > pageSize) throw new Error('test writer: root bucket must fit one page');
  pages.set(rootReserved, rootLeaf);
  layout.leafPages.push(rootReserved);
  layout.rootPage = rootReserved;

  for (const content of spec.freePages ?? []) {
    const id = alloc(1);
    const b = Buffer.alloc(pageSize);
    content.copy(b, 0, 0, Math.min(content.length, pageSize));
    pages.set(id, b);
    layout.freePageIds.push(id);
  }

  layout.highWaterMark = next;
  const file = Buffer.alloc(next * pageSize);
  for (const [id, b] of pages) b.copy(file, id * pageSize);
  const txid = BigInt(spec.txid ?? 10);
  for (const id of [0, 1]) {
    const off = id * pageSize;
    ints.u64(file, off, id);
    ints.u16(file, off + 8, 0x04);
    const m = off + 16;
    ints.u32(file, m, 0xed0cdaed);
    ints.u32(file, m + 4, 2);
    ints.u32(file, m + 8, pageSize);
    ints.u32(file, m + 12, 0);
    ints.u64(file, m + 16, layout.rootPage);
    ints.u64(file, m + 24, 0);
    ints.u64(file, m + 32, 0xffffffffffffffffn);
    ints.u64(file, m + 40, next);
    ints.u64(file, m + 48, id === 0 ? txid : txid - 1n);
    ints.u64(file, m + 56, fnv1a64(file.subarray(m, m + 56)));
  }
  layout.file = spec.appendHash === false ? file : Buffer.concat([file, createHash('sha256').update(file).digest()]);
  return layout;
}

/** Re-signs a meta page after a test edited it (so only the intended damage remains). */
export function resignMeta(file: Buffer, pageId: 0 | 1, pageSize: number, littleEndian = true): void {
  const m = pageId * pageSize + 16;
  const sum = fnv1a64(file.subarray(m, m + 56));
  if (littleEndian) file.writeBigUInt64LE(sum, m + 56);
  else file.writeBigUInt64BE(sum, m + 56);
}

// ---------------------------------------------------------------- etcd-shaped content

export interface MvccEntry {
  main: number;
  sub?: number;
  key: string;
  value?: Buffer;
  create?: number;
  version?: number;
  lease?: bigint;
  tombstone?: boolean;
}

export function revisionKey(main: number, sub = 0, tombstone = false): Buffer {
  const b = Buffer.alloc(tombstone ? 18 : 17);
  b.writeBigUInt64BE(BigInt(main), 0);
  b[8] = 0x5f;
  b.writeBigUInt64BE(BigInt(sub), 9);
  if (tombstone) b[17] = 0x74;
  return b;
}

/** mvccpb.KeyValue bytes (proto3: zero fields omitted, as etcd writes them). */
export function keyValue(e: MvccEntry): Buffer {
  const w = new ProtoWriter().bytes(1, e.key);
  if (e.tombstone) return w.finish();
  w.int(2, e.create ?? e.main).int(3, e.main).int(4, e.version ?? 1);
  if (e.value?.length) w.bytes(5, e.value);
  return w.int(6, e.lease).finish();
}

/** An etcd-shaped bbolt spec: `key` bucket from entries, plus small `meta` and `members` buckets. */
export function etcdSpec(entries: MvccEntry[], extra: Partial<BoltSpec> = {}): BoltSpec {
  const consistent = Buffer.alloc(8);
  consistent.writeBigUInt64BE(42n);
  return {
    ...extra,
    buckets: {
      key: entries.map((e) => [revisionKey(e.main, e.sub ?? 0, e.tombstone ?? false), keyValue(e)]),
      meta: [
        [Buffer.from('consistent_index'), consistent],
        [Buffer.from('finishedCompactRev'), revisionKey(1)],
      ],
      members: [],
      ...(extra.buckets ?? {}),
    },
  };
}
