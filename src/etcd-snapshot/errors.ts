/**
 * Typed errors and recorded problems for the etcd snapshot reader.
 *
 * Codes are stable strings: callers (ingesters, rules, tests) switch on them, so never rename one.
 * A thrown EtcdSnapshotError means "this file cannot be read at all"; damage that only spoils part
 * of the file is recorded as a Problem and reading goes on, because a forensic reader should
 * salvage what it can from a damaged snapshot.
 */

export type EtcdSnapshotErrorCode =
  /** The file could not be opened or read (ENOENT, EACCES, EIO...). */
  | 'ETCD_SNAPSHOT_IO'
  /** The file ends before the data its meta page says it holds. */
  | 'ETCD_SNAPSHOT_TRUNCATED'
  /** A meta page failed validation (both broken: thrown; one broken: recorded, the other is used). */
  | 'ETCD_SNAPSHOT_BAD_META'
  /** A page is malformed: wrong flags, element table or key/value outside the page, wrong id. */
  | 'ETCD_SNAPSHOT_BAD_PAGE'
  /** A page id points outside the file or at a meta page. */
  | 'ETCD_SNAPSHOT_PAGE_OUT_OF_RANGE'
  /** A page is reached twice in one tree walk (a cycle, or two parents sharing a child). */
  | 'ETCD_SNAPSHOT_PAGE_CYCLE'
  /** An mvcc key or mvccpb.KeyValue value in the `key` bucket cannot be decoded. */
  | 'ETCD_SNAPSHOT_BAD_RECORD'
  /** The trailing sha256 written by `etcdctl snapshot save` does not match the file. */
  | 'ETCD_SNAPSHOT_HASH_MISMATCH'
  /** The bbolt file has no `key` bucket: not an etcd v3 backend. */
  | 'ETCD_SNAPSHOT_NOT_ETCD'
  /** The snapshot was used after close(). */
  | 'ETCD_SNAPSHOT_CLOSED';

export class EtcdSnapshotError extends Error {
  readonly code: EtcdSnapshotErrorCode;
  /** Page the problem was found on, when there is one. */
  readonly pageId: number | undefined;

  constructor(code: EtcdSnapshotErrorCode, message: string, options?: { pageId?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EtcdSnapshotError';
    this.code = code;
    this.pageId = options?.pageId;
  }
}

/** Damage found while reading, kept instead of thrown so the rest of the file is still read. */
export interface EtcdSnapshotProblem {
  code: EtcdSnapshotErrorCode;
  message: string;
  pageId?: number;
}

export function isEtcdSnapshotError(err: unknown): err is EtcdSnapshotError {
  return err instanceof EtcdSnapshotError;
}

/**
 * Deduplicating, bounded problem list: the same damaged page is met by every pass over the tree,
 * and a hostile file could otherwise make us accumulate millions of entries.
 */
export class ProblemLog {
  private readonly seen = new Set<string>();
  readonly items: EtcdSnapshotProblem[] = [];
  suppressed = 0;

  constructor(private readonly limit = 1000) {}

  /** Returns true when the problem is new (first time seen). */
  add(problem: EtcdSnapshotProblem): boolean {
    const id = `${problem.code}|${problem.pageId ?? ''}|${problem.message}`;
    if (this.seen.has(id)) return false;
    if (this.items.length >= this.limit) {
      this.suppressed++;
      return true;
    }
    this.seen.add(id);
    this.items.push(problem);
    return true;
  }
}
