import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { CaseDb } from '../case-db/case-db.js';
import type { Config } from '../config.js';
import { errorMessage } from '../errors.js';
import { baseName, dirName } from '../bundle/entry-path.js';
import { normaliseManifestPath, parseManifest, type Manifest } from '../bundle/manifest.js';
import { DEFAULT_LIMITS, GUNZIP_OPTIONS, isTruncationError, openInput, type InputEvent, type InputKind } from '../bundle/read-input.js';
import type { EvidenceCopies, EvidenceCopyWriter } from './evidence-copies.js';
import { INGESTERS } from './registry.js';
import { EvidenceSource, Head, HEAD_BYTES } from './source.js';
import type { IngestContext, Ingester } from './types.js';

export interface IngestLimits {
  /** Entries larger than this are reported and not analysed. */
  maxEntryBytes: number;
  /** JSON-lines records longer than this are skipped and reported. */
  maxLineBytes: number;
  /** Documents up to this size are parsed whole; larger ones are streamed. */
  maxBufferBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxEntryBytes: DEFAULT_LIMITS.maxEntryBytes,
  maxLineBytes: 16 * 1024 * 1024,
  maxBufferBytes: 64 * 1024 * 1024,
};

export interface IngestProgress {
  input: string;
  file: string;
  bytes: number;
  records: number;
}

export interface IngestOptions {
  config: Config;
  limits?: Partial<IngestLimits>;
  copies?: EvidenceCopies | undefined;
  ingesters?: readonly Ingester[];
  onProgress?: ((progress: IngestProgress) => void) | undefined;
}

export interface IngestedInput {
  inputId: number;
  path: string;
  kind: InputKind;
}

interface FileState {
  id: number;
  path: string;
  sha256: string | null;
}

const MANIFEST_NAME = 'SHA256SUMS';
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Streams one input into the case database: every entry hashed as it passes, recognised by its
 * content, handed to its ingester, then checked against the bundle's SHA256SUMS. A bad entry
 * becomes a recorded problem; it never stops the rest of the bundle from being analysed.
 */
export async function ingestInput(path: string, db: CaseDb, options: IngestOptions): Promise<IngestedInput> {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
  const reader = openInput(path, { maxEntryBytes: limits.maxEntryBytes });
  const inputId = db.insert('inputs', { path, kind: reader.kind });
  const run = new InputRun(path, inputId, db, options, limits);
  for await (const event of reader.events) await run.handle(event);
  const digest = reader.digest();
  run.finish(digest);
  return { inputId, path, kind: reader.kind };
}

class InputRun {
  private readonly files = new Map<string, FileState>();
  private readonly rejected = new Set<string>();
  private readonly manifests: { fileId: number; dir: string; manifest: Manifest }[] = [];
  private broken = false;
  private records = 0;
  private bytes = 0;
  private readonly recordDigest: Database.Statement;

  constructor(
    private readonly input: string,
    private readonly inputId: number,
    private readonly db: CaseDb,
    private readonly options: IngestOptions,
    private readonly limits: IngestLimits,
  ) {
    this.recordDigest = db.sql.prepare('update files set bytes = ?, sha256 = ? where id = ?');
  }

  async handle(event: InputEvent): Promise<void> {
    switch (event.type) {
      case 'rejected':
        this.rejected.add(event.path);
        this.problem(
          this.db.insert('files', { input_id: this.inputId, path: event.path, kind: 'rejected', status: 'rejected' }),
          event.path,
          event.reason,
          event.detail,
        );
        return;
      case 'broken':
        this.broken = true;
        this.problem(null, null, event.reason, `the archive could not be read to its end (${event.detail}); everything before that point was analysed`);
        return;
      case 'entry':
        await this.entry(event.path, event.size, event.chunks);
    }
  }

  private async entry(path: string, size: number | null, chunks: AsyncIterable<Buffer>): Promise<void> {
    const raw = new TappedStream(chunks[Symbol.asyncIterator](), (n) => this.advance(path, n));
    const isManifest = baseName(path) === MANIFEST_NAME;
    let contentSize = size;
    let peeked = await peek(raw);
    if (peeked.bytes[0] === 0x1f && peeked.bytes[1] === 0x8b && !isManifest) {
      // Rotated logs arrive gzip'd: analyse the content, hash the bytes as stored.
      contentSize = null;
      peeked = await peek(gunzipIterator(peeked, raw));
    }
    const head = new Head(path, peeked.bytes, peeked.ended && !peeked.failed);
    const ingester = isManifest ? undefined : this.detect(head);
    const kind = isManifest ? 'sha256sums' : (ingester?.kind ?? 'unknown');
    const fileId = this.db.insert('files', { input_id: this.inputId, path, kind, bytes: size, status: 'unverifiable' });
    const file: FileState = { id: fileId, path, sha256: null };
    this.files.set(path, file);

    const copy = ingester?.evidenceCopy ? this.options.copies?.open(ingester.evidenceCopy, this.input, path) : undefined;
    copy?.write(peeked.bytes);
    const rest = copy ? teeIterator(peeked.rest, copy) : peeked.rest;
    const ctx = this.context(fileId, path, copy?.path ?? null);
    const source = new EvidenceSource(path, contentSize, head, rest, this.limits, ctx.problem);

    try {
      if (isManifest) await this.readManifest(source, fileId, path);
      else await ingester?.ingest(source, ctx);
    } catch (error) {
      ctx.problem(isTruncationError(error) ? 'truncated' : 'parse-error', `${kind}: ${errorMessage(error)}`);
    }
    // Whatever the ingester did not read still has to be hashed (and copied).
    try {
      await drainIterator(rest);
    } catch (error) {
      if (!raw.failed) ctx.problem('truncated', `${kind}: content ends early (${errorMessage(error)})`);
    }
    try {
      await raw.drain();
    } catch {
      /* reported by the archive reader as a broken input */
    }
    if (raw.failed) ctx.problem('truncated', 'the entry ends before its declared size (archive truncated or corrupt)');
    file.sha256 = raw.sha256();
    this.recordDigest.run(raw.bytes, file.sha256, fileId);
    copy?.close(file.sha256);
  }

  private detect(head: Head): Ingester | undefined {
    if (head.bytes.length === 0) return undefined;
    let best: Ingester | undefined;
    let bestScore = 0;
    for (const ingester of this.options.ingesters ?? INGESTERS) {
      const score = ingester.detect(head);
      if (score > bestScore) {
        best = ingester;
        bestScore = score;
      }
    }
    return best;
  }

  private async readManifest(source: EvidenceSource, fileId: number, path: string): Promise<void> {
    const text = await source.text(MAX_MANIFEST_BYTES);
    if (text === undefined) {
      this.problem(fileId, path, 'oversize', `manifest larger than ${MAX_MANIFEST_BYTES} bytes ignored`);
      return;
    }
    const manifest = parseManifest(text);
    if (manifest.badLines.length > 0) {
      this.problem(fileId, path, 'parse-error', `${manifest.badLines.length} line(s) not in sha256sum format`, `line ${manifest.badLines[0]}`, manifest.badLines.length);
    }
    this.manifests.push({ fileId, dir: dirName(path), manifest });
  }

  private context(fileId: number, path: string, evidenceCopyPath: string | null): IngestContext {
    return {
      db: this.db,
      config: this.options.config,
      inputId: this.inputId,
      fileId,
      path,
      evidenceCopyPath,
      problem: (problem, detail, locator, count) => this.problem(fileId, path, problem, detail, locator, count),
      progress: (records) => {
        this.records += records;
      },
    };
  }

  private problem(fileId: number | null, path: string | null, problem: string, detail: string, locator?: string, count = 1): void {
    this.db.insert('input_problems', { input_id: this.inputId, file_id: fileId, path, problem, detail, locator: locator ?? null, count });
  }

  private advance(path: string, n: number): void {
    const before = this.bytes;
    this.bytes += n;
    // Report every 8 MiB: often enough for a live display, rare enough to cost nothing.
    if (this.options.onProgress && before >> 23 !== this.bytes >> 23) {
      this.options.onProgress({ input: this.input, file: path, bytes: this.bytes, records: this.records });
    }
  }

  /** Checks every file against the manifest(s) and records the input's integrity verdict. */
  finish(digest: { sha256: string; bytes: number } | null): void {
    const update = this.db.sql.prepare('update files set expected_sha256 = ?, status = ?, manifest_file_id = ? where id = ?');
    const listed = new Set<string>();
    let failed = this.broken;
    this.db.transaction(() => {
      for (const { fileId, dir, manifest } of this.manifests) {
        for (const [relative, expected] of manifest.entries) {
          const full = dir ? `${dir}/${normaliseManifestPath(relative)}` : normaliseManifestPath(relative);
          listed.add(full);
          const file = this.files.get(full);
          if (file) {
            const ok = file.sha256 === expected;
            failed ||= !ok;
            update.run(expected, ok ? 'verified' : 'mismatch', fileId, file.id);
          } else if (!this.rejected.has(full)) {
            failed = true;
            this.db.insert('files', { input_id: this.inputId, path: full, kind: 'missing', status: 'missing', expected_sha256: expected, manifest_file_id: fileId });
          }
        }
      }
      for (const file of this.files.values()) {
        if (listed.has(file.path) || baseName(file.path) === MANIFEST_NAME) continue;
        const scope = this.manifests.find((m) => m.dir === '' || file.path.startsWith(`${m.dir}/`));
        if (scope) {
          failed = true;
          update.run(null, 'unlisted', scope.fileId, file.id);
        }
      }
    });
    if (this.rejected.size > 0) failed = true;
    const integrity = failed ? 'failed' : this.manifests.length > 0 ? 'verified' : 'unverifiable';
    const meta = (key: string) =>
      (this.db.sql.prepare('select value from bundle_meta where input_id = ? and key = ? limit 1').get(this.inputId, key) as { value: string } | undefined)?.value ?? null;
    this.db.sql
      .prepare('update inputs set sha256 = ?, bytes = ?, integrity = ?, host = ?, collected_at = ? where id = ?')
      .run(digest?.sha256 ?? null, digest?.bytes ?? null, integrity, meta('HOST'), meta('START_UTC'), this.inputId);
    // A copy named by time (etcd-snapshot-<time>.db) takes the time its collection step started,
    // else the collection's start.
    const stepStart = this.db.sql.prepare(
      "select started_at from collection_steps where input_id = @input and substr(@path, -length(output_file) - 1) = '/' || output_file limit 1",
    );
    this.options.copies?.nameByTime(this.input, (sourcePath) => {
      const step = stepStart.get({ input: this.inputId, path: sourcePath }) as { started_at: string | null } | undefined;
      return step?.started_at ?? meta('START_UTC');
    });
  }
}

/** Hashes and counts raw entry bytes. No `return()` on purpose: an early exit by a consumer must not stop the hashing. */
class TappedStream implements AsyncIterator<Buffer> {
  private readonly hash = createHash('sha256');
  private digest: string | null = null;
  bytes = 0;
  failed = false;
  private ended = false;

  constructor(
    private readonly source: AsyncIterator<Buffer>,
    private readonly onBytes: (n: number) => void,
  ) {}

  async next(): Promise<IteratorResult<Buffer>> {
    if (this.ended) return { done: true, value: undefined };
    let result: IteratorResult<Buffer>;
    try {
      result = await this.source.next();
    } catch (error) {
      this.failed = true;
      this.ended = true;
      throw error;
    }
    if (result.done) {
      this.ended = true;
      return result;
    }
    this.hash.update(result.value);
    this.bytes += result.value.length;
    this.onBytes(result.value.length);
    return result;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return { next: () => this.next() };
  }

  async drain(): Promise<void> {
    while (!(await this.next()).done) {
      /* hash the rest */
    }
  }

  sha256(): string {
    return (this.digest ??= this.hash.digest('hex'));
  }
}

interface Peeked {
  bytes: Buffer;
  ended: boolean;
  /** The stream failed while peeking (then `rest` rethrows the failure). */
  failed: boolean;
  /** The content after the peeked bytes. */
  rest: AsyncIterator<Buffer>;
}

/**
 * Reads at least HEAD_BYTES (or everything) so that detection sees a meaningful head. A stream
 * that fails this early (a cut archive, a broken gzip) yields what arrived before the failure.
 */
async function peek(source: AsyncIterator<Buffer>): Promise<Peeked> {
  const parts: Buffer[] = [];
  let length = 0;
  let ended = false;
  let error: unknown;
  while (length < HEAD_BYTES) {
    let next: IteratorResult<Buffer>;
    try {
      next = await source.next();
    } catch (e) {
      error = e;
      ended = true;
      break;
    }
    if (next.done) {
      ended = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  // After a failure the rest is the failure itself, so that the reader reports it as usual.
  const rest: AsyncIterator<Buffer> = error === undefined ? source : { next: () => Promise.reject(error) };
  return { bytes, ended, failed: error !== undefined, rest };
}

function gunzipIterator(peeked: Peeked, raw: TappedStream): AsyncIterator<Buffer> {
  const replay = (async function* () {
    yield peeked.bytes;
    if (!peeked.ended) yield* { [Symbol.asyncIterator]: () => raw };
  })();
  const gunzip = createGunzip(GUNZIP_OPTIONS);
  const input = Readable.from(replay);
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  return (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
}

function teeIterator(source: AsyncIterator<Buffer>, copy: EvidenceCopyWriter): AsyncIterator<Buffer> {
  return {
    async next() {
      const result = await source.next();
      if (!result.done) copy.write(result.value);
      return result;
    },
  };
}

async function drainIterator(source: AsyncIterator<Buffer>): Promise<void> {
  while (!(await source.next()).done) {
    /* discard */
  }
}
