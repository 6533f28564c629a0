/**
 * Public API of the etcd snapshot reader: open a file written by `etcdctl snapshot save` (or an
 * etcd `member/snap/db` backend file) and read it without etcd, Go or loading it into memory.
 *
 * Three levels of evidence, kept apart because they mean different things to an investigator:
 * - live:      what `etcdctl get --prefix` would return now (latest revision of each key,
 *              deleted keys excluded);
 * - history:   older, not yet compacted revisions, tombstones and the last state of deleted keys;
 * - free-page: bytes on pages nothing in the tree points to any more (left behind by
 *              copy-on-write and compaction) that still hold Kubernetes Secret objects.
 *
 * Secret values are never returned: records carry sizes, a sha256, and a plaintextSecretData flag.
 */
import { createHash } from 'node:crypto';

import { BoltFile, type BucketRef, type Walk, printable } from './bbolt.js';
import { Crc32c } from './checksums.js';
import { EtcdSnapshotError, type EtcdSnapshotProblem, ProblemLog } from './errors.js';
import { scanFreePages, type FreePageScan, type FreePageScanOptions } from './free-pages.js';
import {
  type EncryptionInfo,
  type K8sObjectIdentity,
  type ValueKind,
  classifyValue,
} from './kubernetes-value.js';
import { decodeKeyValue, parseRevisionKey } from './mvcc.js';
import { type RegistryKey, parseRegistryKey } from './registry-key.js';
import { ProtobufError } from './protobuf.js';

export interface OpenEtcdSnapshotOptions {
  /** The API server's --etcd-prefix (default `/registry`): Secrets live under `<prefix>/secrets/`. */
  keyPrefix?: string;
  /**
   * Read a snapshot that is shorter than its meta page says, salvaging the pages that are there
   * (each missing page is recorded as a problem). Default false: a cut-short file throws
   * ETCD_SNAPSHOT_TRUNCATED, because silently reading half a snapshot misleads.
   */
  allowTruncated?: boolean;
  /** Cap on distinct problems kept (further ones are only counted). Default 1000. */
  maxProblems?: number;
}

/** Exactly the fields (and values) of `etcdctl snapshot status -w json` for etcd 3.4. */
export interface EtcdSnapshotStatus {
  /** CRC-32C over every bucket name, key and value, in bbolt order. */
  hash: number;
  /** Main revision of the last entry of the `key` bucket. */
  revision: number;
  /** Entries in all buckets (not only Kubernetes keys). */
  totalKey: number;
  /** Bytes of bbolt data in use (high-water mark x page size), without the trailing hash. */
  totalSize: number;
}

export interface EtcdSnapshotIntegrity {
  /** The sha256 `etcdctl snapshot save` appends: absent on raw backend files. */
  sha256: { present: boolean; valid: boolean | null };
  /** Meta page in use (bbolt keeps two and writes them alternately). */
  metaUsed: 0 | 1;
  metaPages: { pageId: 0 | 1; valid: boolean; reason: string; txid: bigint }[];
  truncated: boolean;
  /** Every problem met so far (by open and by any read made before this call), deduplicated. */
  problems: EtcdSnapshotProblem[];
  /** Problems past maxProblems, counted only. */
  problemsSuppressed: number;
  /** No problems and the hash (when present) matched. */
  ok: boolean;
}

export interface EtcdSnapshotInfo {
  fileSize: number;
  pageSize: number;
  littleEndian: boolean;
  metaUsed: 0 | 1;
  txid: bigint;
  /** Pages in use according to the meta page. */
  highWaterMark: number;
  /** Revision up to which history was compacted (older revisions are gone from the tree). */
  compactRevision: number | null;
  scheduledCompactRevision: number | null;
  /** Raft index of the last applied entry (etcd `meta` bucket). */
  consistentIndex: bigint | null;
  keyPrefix: string;
}

export type EtcdRecordLevel = 'live' | 'history';

/** One entry of etcd's `key` bucket. Never carries the value, only facts about it. */
export interface EtcdKeyRecord {
  level: EtcdRecordLevel;
  /** The user key decoded as UTF-8 (invalid bytes replaced; see keyHex). */
  key: string;
  /** Hex of the raw key, only when it is not valid UTF-8 (else null). */
  keyHex: string | null;
  /** The revision of this entry (the bbolt key). */
  revision: { main: number; sub: number };
  /** A delete marker: the key was deleted at revision.main. Always history. */
  tombstone: boolean;
  createRevision: number;
  /** For a tombstone: the deletion revision (etcd stores none; this is revision.main). */
  modRevision: number;
  version: number;
  /** Lease id (int64, exceeds 2^53): 0n when the key has no lease. */
  lease: bigint;
  valueSize: number;
  /** sha256 of the stored value (null when empty): compare values without seeing them. */
  valueSha256: string | null;
  valueKind: ValueKind;
  k8s: K8sObjectIdentity | null;
  /** Resource / namespace / name from the key path (works for encrypted values too). */
  registry: RegistryKey | null;
  encrypted: EncryptionInfo | null;
  /** Under `<prefix>/secrets/`, or a decoded kind of Secret. */
  isSecret: boolean;
  /** A Secret stored without encryption at rest that holds data (proof for etcd.secrets-unencrypted). */
  plaintextSecretData: boolean;
}

const KEY_BUCKET = 'key';
const META_BUCKET = 'meta';
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8', { fatal: false });

export function openEtcdSnapshot(path: string, options: OpenEtcdSnapshotOptions = {}): EtcdSnapshot {
  return new EtcdSnapshot(path, options);
}

export class EtcdSnapshot {
  readonly path: string;
  readonly keyPrefix: string;
  private readonly bolt: BoltFile;
  private readonly problems: ProblemLog;
  private readonly secretPrefix: Buffer;
  private hashValid: boolean | null | undefined;
  /** user key (latin1, lossless) -> ordinal*2 + tombstone of its latest entry; built on demand. */
  private latest: Map<string, number> | null = null;

  constructor(path: string, options: OpenEtcdSnapshotOptions = {}) {
    this.path = path;
    this.keyPrefix = (options.keyPrefix ?? '/registry').replace(/\/+$/, '');
    this.secretPrefix = Buffer.from(`${this.keyPrefix}/secrets/`, 'utf8');
    this.problems = new ProblemLog(options.maxProblems ?? 1000);
    this.bolt = BoltFile.open(path, { allowTruncated: options.allowTruncated ?? false, problems: this.problems });
  }

  close(): void {
    this.latest = null;
    this.bolt.close();
  }

  /**
   * Integrity report. The first call reads the whole file once to check the trailing sha256;
   * call it after reading records to also see the problems those reads met.
   */
  integrity(): EtcdSnapshotIntegrity {
    if (this.hashValid === undefined) this.hashValid = this.checkTrailingHash();
    const problems = [...this.problems.items];
    return {
      sha256: { present: this.bolt.hashPresent, valid: this.hashValid },
      metaUsed: this.bolt.meta.pageId,
      metaPages: this.bolt.metas.map((m) => ({ pageId: m.pageId, valid: m.valid, reason: m.reason, txid: m.txid })),
      truncated: this.bolt.truncated,
      problems,
      problemsSuppressed: this.problems.suppressed,
      ok: problems.length === 0 && this.problems.suppressed === 0 && this.hashValid !== false,
    };
  }

  /**
   * What `etcdctl snapshot status` prints. Like etcdctl (which runs bbolt's consistency check
   * first) it refuses a damaged tree: throws EtcdSnapshotError with the first problem's code.
   */
  status(): EtcdSnapshotStatus {
    const walk = this.bolt.newWalk(this.problems);
    const crc = new Crc32c();
    let totalKey = 0;
    let revision = 0;
    for (const bucket of this.bolt.buckets(walk)) {
      crc.update(bucket.name);
      if (!bucket.ref) continue;
      const isKeyBucket = bucket.name.length === 3 && bucket.name.toString('latin1') === KEY_BUCKET;
      for (const e of this.bolt.entries(bucket.ref, walk)) {
        crc.update(e.key);
        if (!e.isBucket) crc.update(e.value);
        if (isKeyBucket && e.key.length >= 8) revision = e.key.readUIntBE(0, 2) * 2 ** 48 + e.key.readUIntBE(2, 6);
        totalKey++;
      }
    }
    if (walk.problemCount > 0) {
      const first = walk.firstProblem!;
      throw new EtcdSnapshotError(
        first.code,
        `${this.path}: snapshot integrity check failed, ${walk.problemCount} problem(s); first: ${first.message}`,
        first.pageId === undefined ? undefined : { pageId: first.pageId },
      );
    }
    return { hash: crc.digest(), revision, totalKey, totalSize: this.bolt.meta.highWaterMark * this.bolt.pageSize };
  }

  info(): EtcdSnapshotInfo {
    const walk = this.bolt.newWalk(this.problems);
    let compactRevision: number | null = null;
    let scheduledCompactRevision: number | null = null;
    let consistentIndex: bigint | null = null;
    const meta = this.bolt.findBucket(META_BUCKET, walk);
    if (meta) {
      for (const e of this.bolt.entries(meta, walk)) {
        const name = e.key.toString('latin1');
        if (name === 'finishedCompactRev') compactRevision = parseRevisionKey(e.value)?.main ?? null;
        else if (name === 'scheduledCompactRev') scheduledCompactRevision = parseRevisionKey(e.value)?.main ?? null;
        else if (name === 'consistent_index' && e.value.length === 8) consistentIndex = e.value.readBigUInt64BE(0);
      }
    }
    return {
      fileSize: this.bolt.fileSize,
      pageSize: this.bolt.pageSize,
      littleEndian: this.bolt.littleEndian,
      metaUsed: this.bolt.meta.pageId,
      txid: this.bolt.meta.txid,
      highWaterMark: this.bolt.meta.highWaterMark,
      compactRevision,
      scheduledCompactRevision,
      consistentIndex,
      keyPrefix: this.keyPrefix,
    };
  }

  /** Latest revision of every key that is not deleted; in revision order (sort if you need key order). */
  *liveKeys(): Generator<EtcdKeyRecord> {
    for (const r of this.records()) if (r.level === 'live') yield r;
  }

  /** Every entry that is not live: superseded revisions, tombstones, deleted keys' last values. */
  *history(): Generator<EtcdKeyRecord> {
    for (const r of this.records()) if (r.level === 'history') yield r;
  }

  /** All entries of the `key` bucket in revision order, each tagged live or history (one pass). */
  *records(): Generator<EtcdKeyRecord> {
    const latest = this.latestByKey();
    const walk = this.bolt.newWalk(this.problems);
    let ordinal = -1;
    for (const e of this.keyBucketEntries(walk)) {
      ordinal++;
      const rev = parseRevisionKey(e.key);
      if (!rev) continue; // reported by latestByKey
      let kv;
      try {
        kv = decodeKeyValue(e.value);
      } catch (err) {
        if (!(err instanceof ProtobufError)) throw err;
        continue; // reported by latestByKey
      }
      const mark = latest.get(Buffer.from(kv.key).toString('latin1'));
      const level: EtcdRecordLevel = mark === ordinal * 2 ? 'live' : 'history';
      yield this.toRecord(level, rev, kv);
    }
  }

  /** Free and slack pages searched for leftover Secret objects; see free-pages.ts. */
  scanFreePages(options: FreePageScanOptions = {}): FreePageScan {
    const walk = this.bolt.newWalk(this.problems);
    this.bolt.markReachable(walk);
    const inTree = new Set<string>();
    const keyWalk = this.bolt.newWalk(this.problems);
    for (const e of this.keyBucketEntries(keyWalk)) {
      if (!bufferIncludesAt(e.value, this.secretPrefix)) continue;
      try {
        const kv = decodeKeyValue(e.value);
        inTree.add(`${Buffer.from(kv.key).toString('latin1')}\0${kv.modRevision}`);
      } catch {
        // undecodable entries are reported by the record passes
      }
    }
    return scanFreePages(this.bolt, walk, {
      ...options,
      secretPrefix: this.secretPrefix,
      treeComplete: walk.problemCount === 0,
      inTree: (key, modRevision) => inTree.has(`${Buffer.from(key).toString('latin1')}\0${modRevision}`),
    });
  }

  private checkTrailingHash(): boolean | null {
    if (!this.bolt.hashPresent) return null;
    const h = createHash('sha256');
    const chunk = 1 << 20;
    const buf = Buffer.allocUnsafe(chunk);
    for (let off = 0; off < this.bolt.dataSize; off += chunk) {
      const n = Math.min(chunk, this.bolt.dataSize - off);
      h.update(this.bolt.readAt(off, n, buf.subarray(0, n)));
    }
    const stored = this.bolt.readAt(this.bolt.dataSize, 32);
    const valid = h.digest().equals(stored);
    if (!valid) {
      this.problems.add({
        code: 'ETCD_SNAPSHOT_HASH_MISMATCH',
        message: 'the sha256 appended by etcdctl snapshot save does not match the file: it was modified or damaged after it was saved',
      });
    }
    return valid;
  }

  private *keyBucketEntries(walk: Walk): Generator<{ key: Buffer; value: Buffer }> {
    let ref: BucketRef | null = null;
    let found = false;
    for (const b of this.bolt.buckets(walk)) {
      if (b.name.length === 3 && b.name.toString('latin1') === KEY_BUCKET) {
        ref = b.ref;
        found = true;
        break;
      }
    }
    if (!found) {
      if (walk.problemCount > 0) return; // the root is damaged; the problem is already recorded
      throw new EtcdSnapshotError('ETCD_SNAPSHOT_NOT_ETCD', `${this.path}: bbolt file without a "key" bucket is not an etcd v3 backend`);
    }
    if (!ref) return;
    for (const e of this.bolt.entries(ref, walk)) {
      if (e.isBucket) {
        walk.report('ETCD_SNAPSHOT_BAD_RECORD', `"key" bucket holds a nested bucket "${printable(e.key)}"`);
        continue;
      }
      yield e;
    }
  }

  /** Pass 1: for each user key, the ordinal of its last entry in the `key` bucket. */
  private latestByKey(): Map<string, number> {
    if (this.latest) return this.latest;
    const latest = new Map<string, number>();
    const walk = this.bolt.newWalk(this.problems);
    let ordinal = -1;
    for (const e of this.keyBucketEntries(walk)) {
      ordinal++;
      const rev = parseRevisionKey(e.key);
      if (!rev) {
        walk.report('ETCD_SNAPSHOT_BAD_RECORD', `"key" bucket entry ${ordinal} has a malformed revision key (${e.key.length} bytes)`);
        continue;
      }
      let userKey: Uint8Array;
      try {
        // Full decode (not just the key field) so that records() accepts exactly the same entries.
        userKey = decodeKeyValue(e.value).key;
      } catch (err) {
        if (!(err instanceof ProtobufError)) throw err;
        walk.report('ETCD_SNAPSHOT_BAD_RECORD', `revision ${rev.main}_${rev.sub}: value is not an mvccpb.KeyValue (${err.message})`);
        continue;
      }
      latest.set(Buffer.from(userKey).toString('latin1'), ordinal * 2 + (rev.tombstone ? 1 : 0));
    }
    this.latest = latest;
    return latest;
  }

  private toRecord(
    level: EtcdRecordLevel,
    rev: { main: number; sub: number; tombstone: boolean },
    kv: ReturnType<typeof decodeKeyValue>,
  ): EtcdKeyRecord {
    let key: string;
    let keyHex: string | null = null;
    try {
      key = fatalUtf8.decode(kv.key);
    } catch {
      key = lossyUtf8.decode(kv.key);
      keyHex = Buffer.from(kv.key).toString('hex');
    }
    const underSecrets = bufferStartsWith(kv.key, this.secretPrefix);
    const c = rev.tombstone ? null : classifyValue(kv.value, underSecrets);
    const isSecret = underSecrets || c?.k8s?.kind === 'Secret';
    const plaintextSecretData =
      isSecret &&
      c !== null &&
      c.valueKind !== 'encrypted' &&
      c.valueKind !== 'empty' &&
      // Undecodable plaintext counts as data: only a decoded, data-less Secret is cleared.
      c.secretData !== false;
    return {
      level,
      key,
      keyHex,
      revision: { main: rev.main, sub: rev.sub },
      tombstone: rev.tombstone,
      createRevision: kv.createRevision,
      modRevision: rev.tombstone ? rev.main : kv.modRevision,
      version: kv.version,
      lease: kv.lease,
      valueSize: kv.value.length,
      valueSha256: kv.value.length ? createHash('sha256').update(kv.value).digest('hex') : null,
      valueKind: c?.valueKind ?? 'empty',
      k8s: c?.k8s ?? null,
      registry: parseRegistryKey(key, this.keyPrefix),
      encrypted: c?.encrypted ?? null,
      isSecret,
      plaintextSecretData,
    };
  }
}

function bufferStartsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

/** Cheap pre-filter: the KeyValue key starts 2-4 bytes into the value. */
function bufferIncludesAt(value: Buffer, prefix: Buffer): boolean {
  const i = value.indexOf(prefix);
  return i >= 0 && i <= 8;
}
