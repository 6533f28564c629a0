import { closeSync, openSync, writeSync } from 'node:fs';
import { baseName } from '../bundle/entry-path.js';
import { scanJsonItems } from './json-items.js';

/** How much of each file evidence-kind detection looks at. */
export const HEAD_BYTES = 64 * 1024;

/**
 * The first bytes of an evidence file, which is all that kind detection sees. Parsing is lazy
 * and memoised because a dozen detectors look at the same head.
 */
export class Head {
  readonly name: string;
  private textCache: string | undefined;
  private firstValueCache: { value: unknown } | undefined;
  private wholeValueCache: { value: unknown } | undefined;

  constructor(
    readonly path: string,
    readonly bytes: Buffer,
    /** True when the whole file fits in the head. */
    readonly complete: boolean,
  ) {
    this.name = baseName(path);
  }

  get text(): string {
    return (this.textCache ??= this.bytes.toString('utf8'));
  }

  /** Text without leading whitespace or a UTF-8 byte-order mark. */
  get trimmed(): string {
    return this.text.replace(/^\uFEFF?\s*/, '');
  }

  get firstLine(): string {
    const text = this.trimmed;
    const end = text.indexOf('\n');
    return end === -1 ? text : text.slice(0, end);
  }

  /** The first line parsed as JSON, if it is a complete JSON value (JSON-lines evidence). */
  get firstValue(): unknown {
    if (!this.firstValueCache) {
      const text = this.trimmed;
      const end = text.indexOf('\n');
      const line = end === -1 ? (this.complete ? text : '') : text.slice(0, end);
      this.firstValueCache = { value: tryParse(line) };
    }
    return this.firstValueCache.value;
  }

  /** The whole file parsed as JSON, when it fits in the head. */
  get wholeValue(): unknown {
    this.wholeValueCache ??= { value: this.complete ? tryParse(this.text) : undefined };
    return this.wholeValueCache.value;
  }

  get isBinary(): boolean {
    return this.bytes.subarray(0, 8192).includes(0);
  }
}

function tryParse(text: string): unknown {
  if (text === '' || (text[0] !== '{' && text[0] !== '[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface LineLimits {
  /** Longer lines are skipped (and reported), never buffered whole. */
  readonly maxLineBytes: number;
}

export interface LineStats {
  lines: number;
  oversizeLines: number[];
  invalidUtf8Lines: number;
}

export interface JsonItem {
  readonly value: unknown;
  /** JSON pointer of the item inside the document. */
  readonly pointer: string;
}

/**
 * One evidence file's content, readable once: as a buffer, as text, line by line, or as the
 * items of a JSON document. Large inputs are never held whole.
 */
export class EvidenceSource {
  private consumed = false;

  constructor(
    readonly path: string,
    /** Size in bytes from the archive header (before any content-level gunzip), if known. */
    readonly size: number | null,
    readonly head: Head,
    private readonly rest: AsyncIterator<Buffer>,
    readonly limits: LineLimits & { readonly maxBufferBytes: number },
    /** Where eachLine reports skipped lines (the ingest context's problem()). */
    private readonly report: (problem: string, detail: string, locator?: string, count?: number) => void = () => undefined,
  ) {}

  /** Every chunk, head first. */
  async *chunks(): AsyncGenerator<Buffer> {
    if (this.consumed) throw new Error(`evidence ${this.path} was already read`);
    this.consumed = true;
    if (this.head.bytes.length > 0) yield this.head.bytes;
    for (;;) {
      const next = await this.rest.next();
      if (next.done) return;
      yield next.value;
    }
  }

  /** The whole content, or undefined when it is larger than `limit` (the rest is then left unread). */
  async buffer(limit = this.limits.maxBufferBytes): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.chunks()) {
      total += chunk.length;
      if (total > limit) return undefined;
      parts.push(chunk);
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
  }

  /** Writes the whole content to `path` (created, mode 0600), chunk by chunk. */
  async saveTo(path: string): Promise<number> {
    const fd = openSync(path, 'wx', 0o600);
    let bytes = 0;
    try {
      for await (const chunk of this.chunks()) {
        for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset);
        bytes += chunk.length;
      }
    } finally {
      closeSync(fd);
    }
    return bytes;
  }

  /** Reads to the end without keeping anything (the content still reaches hashes and copies). */
  async consume(): Promise<number> {
    let bytes = 0;
    for await (const chunk of this.chunks()) bytes += chunk.length;
    return bytes;
  }

  async text(limit?: number): Promise<string | undefined> {
    return (await this.buffer(limit))?.toString('utf8');
  }

  /**
   * Calls `onLine` for each line (1-based numbers, without the newline). Synchronous per line on
   * purpose: audit logs have millions of lines and an await per line costs more than parsing.
   */
  async eachLine(onLine: (line: string, lineNo: number) => void): Promise<LineStats> {
    const max = this.limits.maxLineBytes;
    const stats: LineStats = { lines: 0, oversizeLines: [], invalidUtf8Lines: 0 };
    let carry: Buffer | undefined;
    let skipping = false; // inside a line that is already over the limit
    let lineNo = 0;
    const emit = (buf: Buffer, start: number, end: number) => {
      lineNo++;
      if (end > start && buf[end - 1] === 0x0d) end--;
      const line = buf.toString('utf8', start, end);
      if (line.includes('\uFFFD')) stats.invalidUtf8Lines++;
      onLine(line, lineNo);
    };
    for await (const chunk of this.chunks()) {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl === -1) break;
        if (skipping) {
          skipping = false;
        } else if (carry) {
          const joined = Buffer.concat([carry, chunk.subarray(pos, nl)]);
          carry = undefined;
          if (joined.length > max) {
            lineNo++;
            stats.oversizeLines.push(lineNo);
          } else emit(joined, 0, joined.length);
        } else if (nl - pos > max) {
          lineNo++;
          stats.oversizeLines.push(lineNo);
        } else emit(chunk, pos, nl);
        pos = nl + 1;
      }
      if (pos < chunk.length && !skipping) {
        const tail = chunk.subarray(pos);
        const pending = (carry?.length ?? 0) + tail.length;
        if (pending > max) {
          carry = undefined;
          skipping = true;
          lineNo++;
          stats.oversizeLines.push(lineNo);
        } else {
          // Copy: the chunk buffer may be reused by the producer.
          carry = carry ? Buffer.concat([carry, tail]) : Buffer.from(tail);
        }
      }
    }
    if (carry && carry.length > 0) emit(carry, 0, carry.length);
    stats.lines = lineNo;
    if (stats.oversizeLines.length > 0) {
      this.report('line-too-long', `line(s) longer than ${max} bytes skipped`, `line ${stats.oversizeLines[0]}`, stats.oversizeLines.length);
    }
    if (stats.invalidUtf8Lines > 0) {
      this.report('invalid-utf8', 'line(s) with invalid UTF-8 (bytes replaced by U+FFFD when parsed)', undefined, stats.invalidUtf8Lines);
    }
    return stats;
  }

  /**
   * The items of a JSON document: elements of a top-level array, the array under `field` of an
   * object (`items` of a Kubernetes `List`, `containers` of a crictl listing), or the document itself. Small documents are parsed at once (faster); large ones are
   * streamed so that a 50,000-pod `kubectl get pods -A -o json` stays in bounded memory.
   */
  async *jsonItems(field = 'items'): AsyncGenerator<JsonItem> {
    // size is null when the content was gunzipped on the fly: then its real size is unknown.
    const bufferable = this.size !== null && this.size <= this.limits.maxBufferBytes;
    if (bufferable || this.head.complete) {
      const text = await this.text();
      if (text === undefined) throw new Error('document larger than the buffer limit');
      yield* itemsOf(JSON.parse(text), field);
      return;
    }
    // Item boundaries found by a byte scanner, each item JSON.parse'd (json-items.ts): bounded by
    // the largest item, and ~15× faster than a token-level streaming parser.
    yield* scanJsonItems(this.chunks(), this.limits.maxBufferBytes, field);
  }
}

function* itemsOf(document: unknown, field: string): Generator<JsonItem> {
  const list = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>)[field] : undefined;
  if (Array.isArray(document)) {
    for (let i = 0; i < document.length; i++) yield { value: document[i], pointer: `/${i}` };
  } else if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) yield { value: list[i], pointer: `/${pointerToken(field)}/${i}` };
  } else {
    yield { value: document, pointer: '' };
  }
}

export function isKubernetesList(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { items?: unknown }).items);
}

/** Escapes one JSON pointer reference token (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}
