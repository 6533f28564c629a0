import type { CaseDb } from '../case-db/case-db.js';
import type { Config } from '../config.js';
import type { EvidenceSource, Head } from './source.js';

/**
 * One ingester per evidence kind. `detect` looks only at the head of a file (its content first,
 * its name as a tie-breaker) and scores how sure it is; the highest score wins.
 */
export interface Ingester {
  /** Stable evidence-kind name, stored in files.kind. */
  readonly kind: string;
  readonly description: string;
  /**
   * File name of the normalised evidence copy under .aiwg/forensics/evidence/, if any; `{time}` is
   * replaced by when the evidence was taken (its collection step, else the collection's start).
   */
  readonly evidenceCopy?: string;
  /** 0 = not this kind; ~50 = plausible from content; ~90 = certain from content. */
  detect(head: Head): number;
  ingest(source: EvidenceSource, ctx: IngestContext): Promise<void>;
}

export interface IngestContext {
  readonly db: CaseDb;
  readonly config: Config;
  readonly inputId: number;
  readonly fileId: number;
  readonly path: string;
  /**
   * Where the normalised evidence copy of this file is being written (null when copies are off).
   * Complete once the source has been read to its end: an ingester that needs random access
   * (etcd snapshots) reads it from there instead of writing a second copy.
   */
  readonly evidenceCopyPath: string | null;
  /** Records something wrong with this file (malformed line, unexpected shape); never fatal. */
  problem(problem: string, detail: string, locator?: string, count?: number): void;
  /** Counts records for the progress display. */
  progress(records: number): void;
}

/** Scores used by detectors, so that they agree on what "sure" means. */
export const Confidence = {
  NONE: 0,
  NAME_ONLY: 10,
  PLAUSIBLE: 50,
  CERTAIN: 90,
} as const;
