/**
 * A read-only bbolt (boltdb) file reader that reads one page at a time at file offsets.
 *
 * Layout facts this relies on (bbolt file format version 2):
 * - every page starts with a 16-byte header: id u64, flags u16, count u16, overflow u32; a page
 *   with overflow N spans N+1 pages;
 * - pages 0 and 1 are meta pages; the meta struct sits right after the header and ends with an
 *   FNV-1a 64 checksum of the 56 bytes before it;
 * - branch elements are {pos u32, ksize u32, pgid u64} and leaf elements are
 *   {flags u32, pos u32, ksize u32, vsize u32}; `pos` is relative to the element itself;
 * - a bucket value is {root pgid u64, sequence u64}; root 0 means an inline bucket whose leaf
 *   page follows in the value itself;
 * - integers are in host byte order (little-endian on amd64/arm64, big-endian on s390x).
 *
 * Nothing here trusts the file: every page id, element offset and length is checked, and tree
 * walks carry a visited-page bitmap so a cycle or a shared child is reported instead of followed.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

import { errorMessage } from '../errors.js';
import { fnv1a64 } from './checksums.js';
import { EtcdSnapshotError, type EtcdSnapshotErrorCode, type ProblemLog } from './errors.js';

export const BOLT_MAGIC = 0xed0cdaed;
export const BOLT_VERSION = 2;
export const PAGE_HEADER_SIZE = 16;
const ELEMENT_SIZE = 16;
const META_CHECKSUMMED_BYTES = 56;
const META_SIZE = 64;

export const BRANCH_PAGE = 0x01;
export const LEAF_PAGE = 0x02;
export const META_PAGE = 0x04;
export const FREELIST_PAGE = 0x10;
const BUCKET_LEAF_FLAG = 0x01;

/** Page sizes bbolt can have been created with (os page size: 4 KiB usually, 64 KiB on ppc64). */
const CANDIDATE_PAGE_SIZES = [4096, 16384, 65536, 8192, 32768, 2048, 1024, 512];
/** B+tree depth far beyond anything real (bbolt rarely exceeds 5): a deeper walk is corruption. */
const MAX_DEPTH = 64;
/** A single page span (page + overflow) larger than this is treated as corruption. */
const MAX_PAGE_SPAN = 1 << 30;

export interface BoltMeta {
  /** Which meta page this came from. */
  pageId: 0 | 1;
  valid: boolean;
  /** Why the meta page was rejected (empty when valid). */
  reason: string;
  pageSize: number;
  flags: number;
  /** Root page of the root bucket (the bucket of top-level buckets). */
  root: number;
  /** Freelist page, or null when the freelist is not persisted (etcd's default on Linux). */
  freelist: number | null;
  /** High-water mark: number of pages in use; pages >= this are not part of the database. */
  highWaterMark: number;
  txid: bigint;
}

export interface BoltPage {
  id: number;
  flags: number;
  count: number;
  overflow: number;
  /** The whole span (page + overflow pages), or for an inline bucket the inline page bytes. */
  buf: Buffer;
}

/** A bucket's location: a root page, or an inline leaf page carried inside the parent's value. */
export type BucketRef = { root: number; inline: null } | { root: 0; inline: Buffer };

export interface BoltEntry {
  key: Buffer;
  /** The value; for a nested bucket, the raw bucket header (+ inline page). */
  value: Buffer;
  isBucket: boolean;
}

/** State of one pass over the tree: problems go to the shared log, pages seen go to `visited`. */
export class Walk {
  readonly visited: Uint8Array;
  /** Problems first met (or met again) during this pass. */
  problemCount = 0;
  firstProblem: { code: EtcdSnapshotErrorCode; message: string; pageId?: number } | null = null;

  constructor(
    readonly problems: ProblemLog,
    pageCount: number,
  ) {
    this.visited = new Uint8Array(Math.ceil(pageCount / 8) + 1);
  }

  report(code: EtcdSnapshotErrorCode, message: string, pageId?: number): void {
    const p = pageId === undefined ? { code, message } : { code, message, pageId };
    this.problemCount++;
    if (!this.firstProblem) this.firstProblem = p;
    this.problems.add(p);
  }

  /** Marks pages [id, id+overflow]; returns false if any was already marked. */
  mark(id: number, overflow: number): boolean {
    let fresh = true;
    for (let p = id; p <= id + overflow; p++) {
      const byte = p >>> 3;
      const bit = 1 << (p & 7);
      if (byte >= this.visited.length) continue;
      if (this.visited[byte]! & bit) fresh = false;
      this.visited[byte]! |= bit;
    }
    return fresh;
  }

  isMarked(id: number): boolean {
    const byte = id >>> 3;
    return byte < this.visited.length && (this.visited[byte]! & (1 << (id & 7))) !== 0;
  }
}

class PageError extends Error {
  constructor(
    readonly code: EtcdSnapshotErrorCode,
    message: string,
    readonly pageId: number,
  ) {
    super(message);
  }
}

export interface BoltOpenOptions {
  /** Read what is there when the file is shorter than its meta page says (default: throw). */
  allowTruncated?: boolean;
  problems: ProblemLog;
}

export class BoltFile {
  readonly fd: number;
  readonly fileSize: number;
  /** Bytes of bbolt data: the file minus the trailing sha256 when one is present. */
  readonly dataSize: number;
  /** True when the file size is 32 bytes over a multiple of 512 (etcdctl's appended sha256). */
  readonly hashPresent: boolean;
  readonly littleEndian: boolean;
  readonly pageSize: number;
  /** Both meta pages as parsed, valid or not. */
  readonly metas: [BoltMeta, BoltMeta];
  /** The meta page in use: the valid one with the higher txid. */
  readonly meta: BoltMeta;
  readonly truncated: boolean;
  private closed = false;

  private constructor(
    readonly path: string,
    fd: number,
    fileSize: number,
    opts: BoltOpenOptions,
  ) {
    this.fd = fd;
    this.fileSize = fileSize;
    this.hashPresent = fileSize % 512 === 32 && fileSize >= 32 + 1024;
    this.dataSize = this.hashPresent ? fileSize - 32 : fileSize;

    if (this.dataSize < 1024) {
      throw new EtcdSnapshotError(
        'ETCD_SNAPSHOT_TRUNCATED',
        `${path}: ${fileSize} bytes is too small to hold the two bbolt meta pages; the snapshot is empty or was cut short`,
      );
    }

    const head = this.readAt(0, Math.min(this.dataSize, 65536 + META_SIZE + PAGE_HEADER_SIZE));
    const found = findPageSize(head);
    if (!found) {
      const m0 = parseMeta(head, 0, 0, true);
      throw new EtcdSnapshotError(
        'ETCD_SNAPSHOT_BAD_META',
        `${path}: no valid bbolt meta page (meta 0: ${m0.reason}; meta 1: no valid meta at any page size); ` +
          'both meta pages are damaged or this is not an etcd snapshot',
      );
    }
    this.pageSize = found.pageSize;
    this.littleEndian = found.littleEndian;

    const pages = this.readAt(0, Math.min(this.dataSize, 2 * this.pageSize));
    const meta0 = parseMeta(pages, 0, 0, this.littleEndian, this.pageSize);
    const meta1 =
      pages.length >= this.pageSize + PAGE_HEADER_SIZE + META_SIZE
        ? parseMeta(pages, this.pageSize, 1, this.littleEndian, this.pageSize)
        : invalidMeta(1, 'file ends inside meta page 1');
    this.metas = [meta0, meta1];

    // bbolt's rule: prefer the higher txid, fall back to the other when it fails validation.
    const [a, b] = meta1.txid > meta0.txid ? [meta1, meta0] : [meta0, meta1];
    const chosen = a.valid ? a : b.valid ? b : null;
    if (!chosen) {
      throw new EtcdSnapshotError(
        'ETCD_SNAPSHOT_BAD_META',
        `${path}: both bbolt meta pages are invalid (meta 0: ${meta0.reason}; meta 1: ${meta1.reason})`,
      );
    }
    this.meta = chosen;
    for (const m of this.metas) {
      if (!m.valid) {
        opts.problems.add({
          code: 'ETCD_SNAPSHOT_BAD_META',
          message: `meta page ${m.pageId} is invalid (${m.reason}); using meta page ${chosen.pageId}`,
          pageId: m.pageId,
        });
      }
    }

    const needed = chosen.highWaterMark * this.pageSize;
    this.truncated = needed > this.dataSize;
    if (this.truncated) {
      const msg =
        `${path}: file holds ${this.dataSize} bytes of bbolt data but meta page ${chosen.pageId} ` +
        `says ${chosen.highWaterMark} pages of ${this.pageSize} bytes (${needed}); the snapshot was cut short`;
      if (!opts.allowTruncated) throw new EtcdSnapshotError('ETCD_SNAPSHOT_TRUNCATED', msg);
      opts.problems.add({ code: 'ETCD_SNAPSHOT_TRUNCATED', message: msg });
    }
  }

  static open(path: string, opts: BoltOpenOptions): BoltFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (cause) {
      throw new EtcdSnapshotError('ETCD_SNAPSHOT_IO', `${path}: cannot open (${errorMessage(cause)})`, { cause });
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new EtcdSnapshotError('ETCD_SNAPSHOT_IO', `${path}: not a regular file`);
      return new BoltFile(path, fd, st.size, opts);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Pages that belong to the database according to the meta page (capped by what the file holds). */
  get pageCount(): number {
    return Math.min(this.meta.highWaterMark, Math.floor(this.dataSize / this.pageSize));
  }

  /** Whole pages present in the file, including any beyond the high-water mark. */
  get filePageCount(): number {
    return Math.floor(this.dataSize / this.pageSize);
  }

  /** Pages past the end of the file can never be read, so the bitmap only covers the file. */
  newWalk(problems: ProblemLog): Walk {
    return new Walk(problems, this.filePageCount);
  }

  /**
   * Reads `length` bytes at `offset` (short only at end of file), into `into` when given (and
   * large enough) so hot loops can reuse one buffer instead of allocating per page.
   */
  readAt(offset: number, length: number, into?: Buffer): Buffer {
    if (this.closed) throw new EtcdSnapshotError('ETCD_SNAPSHOT_CLOSED', `${this.path}: snapshot is closed`);
    const buf = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(this.fd, buf, done, length - done, offset + done);
      } catch (cause) {
        throw new EtcdSnapshotError('ETCD_SNAPSHOT_IO', `${this.path}: read failed at offset ${offset + done} (${errorMessage(cause)})`, {
          cause,
        });
      }
      if (n === 0) break;
      done += n;
    }
    return done === buf.length ? buf : buf.subarray(0, done);
  }

  u16(buf: Uint8Array, off: number): number {
    return this.littleEndian ? buf[off]! | (buf[off + 1]! << 8) : (buf[off]! << 8) | buf[off + 1]!;
  }

  u32(buf: Uint8Array, off: number): number {
    return u32(buf, off, this.littleEndian);
  }

  /** u64 as a number, or -1 when it exceeds 2^53 (never a valid page id or size here). */
  u64(buf: Uint8Array, off: number): number {
    return u64num(buf, off, this.littleEndian);
  }

  /**
   * Reads and checks one page (with its overflow pages). Throws PageError. With `scratch`, a
   * single-page leaf is read into it (valid until the scratch is reused); other pages get their
   * own buffer because branch pages stay on the walk stack while leaves are read.
   */
  readPage(pgid: number, scratch?: Buffer): BoltPage {
    if (!Number.isSafeInteger(pgid) || pgid < 2 || pgid >= this.meta.highWaterMark) {
      throw new PageError(
        'ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE',
        `page id ${pgid < 0 ? 'beyond 2^53' : pgid} is outside the database (pages 2..${this.meta.highWaterMark - 1})`,
        pgid,
      );
    }
    const offset = pgid * this.pageSize;
    if (offset + this.pageSize > this.dataSize) {
      throw new PageError('ETCD_SNAPSHOT_TRUNCATED', `page ${pgid} lies beyond the end of the file`, pgid);
    }
    let first = this.readAt(offset, this.pageSize, scratch);
    const id = this.u64(first, 0);
    const flags = this.u16(first, 8);
    const count = this.u16(first, 10);
    const overflow = this.u32(first, 12);
    if (id !== pgid) {
      throw new PageError('ETCD_SNAPSHOT_BAD_PAGE', `page ${pgid} carries id ${id < 0 ? '>2^53' : id} in its header`, pgid);
    }
    if (overflow === 0) {
      if (first === scratch && flags !== LEAF_PAGE) first = Buffer.from(first);
      return { id, flags, count, overflow, buf: first };
    }
    if (pgid + overflow >= this.meta.highWaterMark) {
      throw new PageError(
        'ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE',
        `page ${pgid} claims ${overflow} overflow pages, past the end of the database`,
        pgid,
      );
    }
    const span = (overflow + 1) * this.pageSize;
    if (span > MAX_PAGE_SPAN) {
      throw new PageError('ETCD_SNAPSHOT_BAD_PAGE', `page ${pgid} claims an implausible ${overflow} overflow pages`, pgid);
    }
    if (offset + span > this.dataSize) {
      throw new PageError('ETCD_SNAPSHOT_TRUNCATED', `overflow pages of page ${pgid} lie beyond the end of the file`, pgid);
    }
    const whole = Buffer.allocUnsafe(span);
    first.copy(whole, 0);
    const rest = this.readAt(offset + this.pageSize, span - this.pageSize);
    rest.copy(whole, this.pageSize);
    return { id, flags, count, overflow, buf: whole };
  }

  rootBucket(): BucketRef {
    return { root: this.meta.root, inline: null };
  }

  /** Decodes a bucket header value into a BucketRef; null (and a problem) when malformed. */
  bucketRef(value: Buffer, walk: Walk, where: string): BucketRef | null {
    if (value.length < 16) {
      walk.report('ETCD_SNAPSHOT_BAD_PAGE', `${where}: bucket header is ${value.length} bytes, expected at least 16`);
      return null;
    }
    const root = this.u64(value, 0);
    if (root === 0) {
      // Copied: the parent's page buffer may be a reused scratch buffer.
      const inline = Buffer.from(value.subarray(16));
      if (inline.length < PAGE_HEADER_SIZE) {
        walk.report('ETCD_SNAPSHOT_BAD_PAGE', `${where}: inline bucket page is ${inline.length} bytes`);
        return null;
      }
      return { root: 0, inline };
    }
    if (root < 0) {
      walk.report('ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE', `${where}: bucket root page id beyond 2^53`);
      return null;
    }
    return { root, inline: null };
  }

  /**
   * All entries of one bucket in key order. Damaged subtrees are reported on `walk` and skipped;
   * pages already visited in this walk are never entered again (cycle protection).
   * An entry's key and value are views valid only until the generator is resumed (leaf pages are
   * read into one reused buffer): copy what you keep.
   */
  *entries(ref: BucketRef, walk: Walk): Generator<BoltEntry> {
    if (ref.inline) {
      const buf = ref.inline;
      const page: BoltPage = { id: 0, flags: this.u16(buf, 8), count: this.u16(buf, 10), overflow: 0, buf };
      if (page.flags !== LEAF_PAGE) {
        walk.report('ETCD_SNAPSHOT_BAD_PAGE', `inline bucket page has flags 0x${page.flags.toString(16)}, expected a leaf`);
        return;
      }
      yield* this.leafEntries(page, walk, 'inline bucket');
      return;
    }

    const scratch = Buffer.allocUnsafe(this.pageSize);
    const root = this.enter(ref.root, walk, 'bucket root', scratch);
    if (!root) return;
    const stack: { page: BoltPage; next: number; count: number }[] = [];
    if (root.flags & LEAF_PAGE) {
      yield* this.leafEntries(root, walk, `page ${root.id}`);
      return;
    }
    stack.push({ page: root, next: 0, count: this.elementCount(root, walk) });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.count) {
        stack.pop();
        continue;
      }
      const e = PAGE_HEADER_SIZE + top.next * ELEMENT_SIZE;
      top.next++;
      const child = this.u64(top.page.buf, e + 8);
      if (stack.length >= MAX_DEPTH) {
        walk.report('ETCD_SNAPSHOT_PAGE_CYCLE', `tree deeper than ${MAX_DEPTH} levels below page ${top.page.id}`, top.page.id);
        stack.length = 0;
        break;
      }
      const page = this.enter(child, walk, `branch page ${top.page.id}`, scratch);
      if (!page) continue;
      if (page.flags & LEAF_PAGE) yield* this.leafEntries(page, walk, `page ${page.id}`);
      else stack.push({ page, next: 0, count: this.elementCount(page, walk) });
    }
  }

  /** Reads a tree page, marks it visited and checks it is a branch or leaf; null when not usable. */
  private enter(pgid: number, walk: Walk, from: string, scratch: Buffer): BoltPage | null {
    if (pgid >= 0 && pgid < this.meta.highWaterMark && walk.isMarked(pgid)) {
      walk.report('ETCD_SNAPSHOT_PAGE_CYCLE', `${from} points to page ${pgid}, which this walk already visited (cycle or shared page)`, pgid);
      return null;
    }
    let page: BoltPage;
    try {
      page = this.readPage(pgid, scratch);
    } catch (err) {
      if (err instanceof PageError) {
        walk.report(err.code, `${from}: ${err.message}`, err.pageId);
        if (pgid >= 0 && pgid < this.meta.highWaterMark) walk.mark(pgid, 0);
        return null;
      }
      throw err;
    }
    if (!walk.mark(pgid, page.overflow)) {
      walk.report('ETCD_SNAPSHOT_PAGE_CYCLE', `${from}: overflow pages of page ${pgid} overlap pages already visited`, pgid);
      return null;
    }
    if (page.flags !== BRANCH_PAGE && page.flags !== LEAF_PAGE) {
      walk.report('ETCD_SNAPSHOT_BAD_PAGE', `${from}: page ${pgid} has flags 0x${page.flags.toString(16)}, expected a branch or leaf page`, pgid);
      return null;
    }
    return page;
  }

  /** Element count, reduced to what fits in the page (and reported) when the header lies. */
  private elementCount(page: BoltPage, walk: Walk): number {
    const fits = Math.floor((page.buf.length - PAGE_HEADER_SIZE) / ELEMENT_SIZE);
    if (page.count > fits) {
      walk.report('ETCD_SNAPSHOT_BAD_PAGE', `page ${page.id} claims ${page.count} elements but only ${fits} fit`, page.id || undefined);
      return fits;
    }
    return page.count;
  }

  private *leafEntries(page: BoltPage, walk: Walk, where: string): Generator<BoltEntry> {
    const n = this.elementCount(page, walk);
    const buf = page.buf;
    for (let i = 0; i < n; i++) {
      const e = PAGE_HEADER_SIZE + i * ELEMENT_SIZE;
      const flags = this.u32(buf, e);
      const pos = this.u32(buf, e + 4);
      const ksize = this.u32(buf, e + 8);
      const vsize = this.u32(buf, e + 12);
      const kStart = e + pos;
      const kEnd = kStart + ksize;
      const vEnd = kEnd + vsize;
      if (vEnd > buf.length) {
        walk.report('ETCD_SNAPSHOT_BAD_PAGE', `${where}: element ${i} points outside the page`, page.id || undefined);
        continue;
      }
      yield { key: buf.subarray(kStart, kEnd), value: buf.subarray(kEnd, vEnd), isBucket: (flags & BUCKET_LEAF_FLAG) !== 0 };
    }
  }

  /** Top-level buckets (name + location) in key order. */
  *buckets(walk: Walk): Generator<{ name: Buffer; ref: BucketRef | null }> {
    for (const entry of this.entries(this.rootBucket(), walk)) {
      if (!entry.isBucket) {
        walk.report('ETCD_SNAPSHOT_BAD_PAGE', `root bucket holds a plain key "${printable(entry.key)}" instead of a bucket`);
        continue;
      }
      yield { name: entry.key, ref: this.bucketRef(entry.value, walk, `bucket "${printable(entry.key)}"`) };
    }
  }

  findBucket(name: string, walk: Walk): BucketRef | null {
    const want = Buffer.from(name, 'utf8');
    for (const b of this.buckets(walk)) {
      const c = Buffer.compare(b.name, want);
      if (c === 0) return b.ref;
      if (c > 0) break;
    }
    return null;
  }

  /**
   * Marks every page reachable from the meta page (tree pages, overflow pages, nested buckets,
   * a persisted freelist). Whatever stays unmarked below the high-water mark is free.
   */
  markReachable(walk: Walk): void {
    walk.mark(0, 0);
    walk.mark(1, 0);
    const fl = this.meta.freelist;
    if (fl !== null) {
      try {
        const page = this.readPage(fl);
        walk.mark(fl, page.overflow);
      } catch (err) {
        if (!(err instanceof PageError)) throw err;
        walk.report(err.code, `freelist: ${err.message}`, err.pageId);
      }
    }
    const pending: BucketRef[] = [this.rootBucket()];
    while (pending.length > 0) {
      const ref = pending.pop()!;
      for (const entry of this.entries(ref, walk)) {
        if (!entry.isBucket) continue;
        const child = this.bucketRef(entry.value, walk, `bucket "${printable(entry.key)}"`);
        if (child) pending.push(child);
      }
    }
  }
}

function invalidMeta(pageId: 0 | 1, reason: string): BoltMeta {
  return { pageId, valid: false, reason, pageSize: 0, flags: 0, root: 0, freelist: null, highWaterMark: 0, txid: -1n };
}

function u32(buf: Uint8Array, off: number, le: boolean): number {
  return le
    ? (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0
    : ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
}

function u64num(buf: Uint8Array, off: number, le: boolean): number {
  const lo = le ? u32(buf, off, true) : u32(buf, off + 4, false);
  const hi = le ? u32(buf, off + 4, true) : u32(buf, off, false);
  if (hi > 0x1fffff) return -1;
  return hi * 4294967296 + lo;
}

function u64big(buf: Uint8Array, off: number, le: boolean): bigint {
  const b = Buffer.from(buf.buffer, buf.byteOffset + off, 8);
  return le ? b.readBigUInt64LE(0) : b.readBigUInt64BE(0);
}

function isPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/**
 * Parses the meta page starting at `at`. `expectedPageSize` (when known) must match the meta's
 * own page size, and the root must lie below the high-water mark, or the meta is unusable.
 */
function parseMeta(buf: Uint8Array, at: number, pageId: 0 | 1, le: boolean, expectedPageSize?: number): BoltMeta {
  const m = at + PAGE_HEADER_SIZE;
  if (buf.length < m + META_SIZE) return invalidMeta(pageId, 'file ends inside the meta page');
  const magic = u32(buf, m, le);
  const version = u32(buf, m + 4, le);
  const pageSize = u32(buf, m + 8, le);
  const flags = u32(buf, m + 12, le);
  const root = u64num(buf, m + 16, le);
  const freelistRaw = u64big(buf, m + 32, le);
  const hwm = u64num(buf, m + 40, le);
  const txid = u64big(buf, m + 48, le);
  const checksum = u64big(buf, m + 56, le);
  const base = { pageId, pageSize, flags, root, highWaterMark: hwm, txid };
  const freelist = freelistRaw === 0xffffffffffffffffn ? null : freelistRaw > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(freelistRaw);
  const bad = (reason: string): BoltMeta => ({ ...base, freelist, valid: false, reason });

  if (magic !== BOLT_MAGIC) return bad(`bad magic 0x${magic.toString(16).padStart(8, '0')}`);
  if (version !== BOLT_VERSION) return bad(`unsupported version ${version}`);
  const sum = fnv1a64(buf.subarray(m, m + META_CHECKSUMMED_BYTES));
  if (sum !== checksum) return bad('checksum mismatch');
  if (!isPageSize(pageSize)) return bad(`implausible page size ${pageSize}`);
  if (expectedPageSize !== undefined && pageSize !== expectedPageSize) {
    return bad(`page size ${pageSize} differs from the file's page size ${expectedPageSize}`);
  }
  if (hwm < 3) return bad(`implausible high-water mark ${hwm}`);
  if (root < 2 || root >= hwm) return bad(`root page ${root} outside the database (high-water mark ${hwm})`);
  if (freelist !== null && (freelist < 2 || freelist >= hwm)) return bad(`freelist page ${freelist} outside the database`);
  return { ...base, freelist, valid: true, reason: '' };
}

/** bbolt's own approach: page size from meta 0, else probe for meta 1 at each plausible size. */
function findPageSize(head: Uint8Array): { pageSize: number; littleEndian: boolean } | null {
  for (const le of [true, false]) {
    const m0 = parseMeta(head, 0, 0, le);
    if (m0.valid) return { pageSize: m0.pageSize, littleEndian: le };
  }
  for (const le of [true, false]) {
    for (const ps of CANDIDATE_PAGE_SIZES) {
      const m1 = parseMeta(head, ps, 1, le, ps);
      if (m1.valid) return { pageSize: ps, littleEndian: le };
    }
  }
  return null;
}

/** A short, safe rendering of a bucket name for messages. */
export function printable(b: Uint8Array): string {
  const s = Buffer.from(b.subarray(0, 64)).toString('latin1');
  return s.replace(/[^\x20-\x7e]/g, '?') + (b.length > 64 ? '…' : '');
}
