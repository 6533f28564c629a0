/**
 * Searches pages that nothing in the bbolt tree points to for Kubernetes Secret objects.
 *
 * Why: bbolt never overwrites a page in place. Every update writes new pages and frees the old
 * ones, and etcd on Linux does not even persist the freelist, so a snapshot carries old copies
 * of leaf pages until they happen to be reused. A Secret created before encryption at rest was
 * enabled, or deleted and compacted away, can still be read from those pages.
 *
 * Findings give a location (page id, file offset) and what was recognised, never the bytes.
 */
import { type BoltFile, type Walk } from './bbolt.js';
import { K8S_PROTOBUF_PREFIX, classifyProtobuf, classifyValue } from './kubernetes-value.js';
import { ProtoReader, WIRE_LEN, WIRE_VARINT } from './protobuf.js';

export type FreePageMatch =
  /** An mvccpb.KeyValue under <prefix>/secrets/ whose value is not encrypted. */
  | 'secret-record'
  /** A `k8s\0` protobuf envelope of kind Secret (no KeyValue around it could be decoded). */
  | 'protobuf-secret'
  /** JSON with "kind":"Secret". */
  | 'json-secret'
  /** CBOR with kind: Secret. */
  | 'cbor-secret';

export interface FreePageFinding {
  level: 'free-page';
  /** The page the match starts on. */
  pageId: number;
  /** Byte offset of the match in the snapshot file. */
  fileOffset: number;
  match: FreePageMatch;
  /** The fragment visibly holds data/stringData entries (false: none seen, possibly cut off). */
  plaintextSecretData: boolean;
  /**
   * For secret-record: whether the same key at the same mod revision is still in the tree (live or
   * history). false is the interesting case: the value survives only in free space.
   * null when it cannot be told (no KeyValue decoded).
   */
  alsoInTree: boolean | null;
}

export interface FreePageScan {
  /** Pages below the high-water mark that no tree page points to. */
  freePages: number;
  /** Pages in the file beyond the high-water mark (raw backend files only). */
  slackPages: number;
  /** False when the tree walk met damage: unreachable pages may then include lost live pages. */
  treeComplete: boolean;
  findings: FreePageFinding[];
  /** More findings existed than maxFindings. */
  findingsTruncated: boolean;
}

export interface FreePageScanOptions {
  /** Stop collecting after this many findings (default 10000). */
  maxFindings?: number;
}

interface InternalOptions extends FreePageScanOptions {
  secretPrefix: Buffer;
  treeComplete: boolean;
  inTree: (key: Uint8Array, modRevision: number) => boolean;
}

/** Pages read per chunk: large enough for few syscalls, small enough to keep memory flat. */
const CHUNK_PAGES = 256;
const JSON_KIND_SECRET = Buffer.from('"kind":"Secret"', 'latin1');
const JSON_DATA = [Buffer.from('"data":{"', 'latin1'), Buffer.from('"stringData":{"', 'latin1')];
const JSON_NEXT_OBJECT = Buffer.from('{"kind":', 'latin1');
// CBOR map key "kind" -> "Secret", as text strings and as byte strings (Kubernetes uses the latter).
const CBOR_KIND_SECRET = [
  Buffer.from([0x64, 0x6b, 0x69, 0x6e, 0x64, 0x66, 0x53, 0x65, 0x63, 0x72, 0x65, 0x74]),
  Buffer.from([0x44, 0x6b, 0x69, 0x6e, 0x64, 0x46, 0x53, 0x65, 0x63, 0x72, 0x65, 0x74]),
];
const CBOR_DATA_KEYS = [Buffer.from([0x64, 0x64, 0x61, 0x74, 0x61]), Buffer.from([0x44, 0x64, 0x61, 0x74, 0x61])];
const WINDOW = 64 * 1024;

export function scanFreePages(bolt: BoltFile, reach: Walk, opts: InternalOptions): FreePageScan {
  const maxFindings = opts.maxFindings ?? 10000;
  const hwm = bolt.meta.highWaterMark;
  const filePages = bolt.filePageCount;
  const out: FreePageScan = { freePages: 0, slackPages: 0, treeComplete: opts.treeComplete, findings: [], findingsTruncated: false };
  const seen = new Set<number>();

  const add = (f: Omit<FreePageFinding, 'level' | 'pageId'>): void => {
    if (seen.has(f.fileOffset)) return;
    seen.add(f.fileOffset);
    if (out.findings.length >= maxFindings) {
      out.findingsTruncated = true;
      return;
    }
    out.findings.push({ level: 'free-page', pageId: Math.floor(f.fileOffset / bolt.pageSize), ...f });
  };

  const isFree = (p: number): boolean => p >= 2 && p < filePages && !reach.isMarked(p);
  for (let p = 2; p < filePages; p++) {
    if (!reach.isMarked(p)) {
      if (p < hwm) out.freePages++;
      else out.slackPages++;
    }
  }

  const chunk = Buffer.allocUnsafe((CHUNK_PAGES + 1) * bolt.pageSize);
  let p = 2;
  while (p < filePages) {
    if (!isFree(p)) {
      p++;
      continue;
    }
    // A chunk of consecutive free pages, plus the next free page as overlap so that a record
    // crossing the chunk boundary is still seen whole; duplicates are dropped by offset.
    let end = p;
    while (end < filePages && end - p < CHUNK_PAGES && isFree(end)) end++;
    const readEnd = end < filePages && isFree(end) ? end + 1 : end;
    const base = p * bolt.pageSize;
    const buf = bolt.readAt(base, (readEnd - p) * bolt.pageSize, chunk.subarray(0, (readEnd - p) * bolt.pageSize));
    // One past the cap, so that findingsTruncated is set when there were more.
    scanBuffer(buf, base, { ...opts, maxFindingsLeft: maxFindings + 1 }, add, () => out.findings.length + (out.findingsTruncated ? 1 : 0));
    if (out.findingsTruncated) break;
    p = end;
  }
  out.findings.sort((a, b) => a.fileOffset - b.fileOffset);
  return out;
}

function scanBuffer(
  buf: Buffer,
  base: number,
  opts: InternalOptions & { maxFindingsLeft: number },
  add: (f: Omit<FreePageFinding, 'level' | 'pageId'>) => void,
  findings: () => number,
): void {
  // Byte ranges already explained by a decoded record, kept merged and sorted so lookups are
  // logarithmic: hostile pages can hold hundreds of thousands of candidate offsets.
  const covered: [number, number][] = [];
  const cover = (s: number, e: number): void => {
    const last = covered[covered.length - 1];
    if (last && s <= last[1]) {
      last[0] = Math.min(last[0], s);
      last[1] = Math.max(last[1], e);
    } else covered.push([s, e]);
  };
  const isCovered = (i: number): boolean => {
    let lo = 0;
    let hi = covered.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = covered[mid]!;
      if (i < s) hi = mid - 1;
      else if (i >= e) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const full = (): boolean => findings() >= opts.maxFindingsLeft;

  // 1. KeyValue records under <prefix>/secrets/ (old leaf page contents).
  for (let i = buf.indexOf(opts.secretPrefix); i >= 0 && !full(); i = buf.indexOf(opts.secretPrefix, i + 1)) {
    if (isCovered(i)) continue;
    const kv = decodeKeyValueAt(buf, i);
    if (!kv) continue;
    cover(kv.start, kv.end);
    if (!kv.value) continue;
    const head = kv.value;
    const c = classifyValue(head, true);
    if (c.valueKind === 'encrypted' || c.valueKind === 'empty') continue;
    add({
      fileOffset: base + kv.start,
      match: 'secret-record',
      plaintextSecretData: c.secretData === true || (c.secretData === null && c.valueKind === 'unknown'),
      alsoInTree: kv.complete ? opts.inTree(kv.key, kv.modRevision) : null,
    });
  }

  // 2. Protobuf envelopes of kind Secret not inside a record found above.
  for (let i = buf.indexOf(K8S_PROTOBUF_PREFIX); i >= 0 && !full(); i = buf.indexOf(K8S_PROTOBUF_PREFIX, i + 1)) {
    if (isCovered(i)) continue;
    const c = classifyProtobuf(buf.subarray(i, Math.min(buf.length, i + WINDOW * 16)), K8S_PROTOBUF_PREFIX.length, false);
    if (c.k8s?.kind !== 'Secret') continue;
    add({ fileOffset: base + i, match: 'protobuf-secret', plaintextSecretData: c.secretData === true, alsoInTree: null });
  }

  // 3. JSON Secrets.
  for (let i = buf.indexOf(JSON_KIND_SECRET); i >= 0 && !full(); i = buf.indexOf(JSON_KIND_SECRET, i + 1)) {
    if (isCovered(i)) continue;
    let window = buf.subarray(i, Math.min(buf.length, i + WINDOW));
    const next = window.indexOf(JSON_NEXT_OBJECT, JSON_KIND_SECRET.length);
    if (next >= 0) window = window.subarray(0, next);
    add({
      fileOffset: base + i,
      match: 'json-secret',
      plaintextSecretData: JSON_DATA.some((d) => window.includes(d)),
      alsoInTree: null,
    });
  }

  // 4. CBOR Secrets.
  for (const pattern of CBOR_KIND_SECRET) {
    for (let i = buf.indexOf(pattern); i >= 0 && !full(); i = buf.indexOf(pattern, i + 1)) {
      if (isCovered(i)) continue;
      const window = buf.subarray(Math.max(0, i - WINDOW), Math.min(buf.length, i + WINDOW));
      let data = false;
      for (const k of CBOR_DATA_KEYS) {
        for (let j = window.indexOf(k); j >= 0 && !data; j = window.indexOf(k, j + 1)) {
          const h = window[j + k.length];
          // a non-empty map header: 0xa1-0xb7 (1-23 entries), 0xb8-0xbb (longer), 0xbf (indefinite)
          data = h !== undefined && h >= 0xa1 && (h <= 0xbb || h === 0xbf);
        }
      }
      add({ fileOffset: base + i, match: 'cbor-secret', plaintextSecretData: data, alsoInTree: null });
    }
  }
}

interface FoundKeyValue {
  start: number;
  end: number;
  key: Uint8Array;
  modRevision: number;
  /** The value bytes, possibly cut short at the buffer end (then complete is false). */
  value: Uint8Array | null;
  complete: boolean;
}

/**
 * Tries to decode an mvccpb.KeyValue whose key starts at `keyAt`: the key field's tag (0x0a) and
 * length varint must sit right before it. Reads fields in order until one does not belong.
 */
function decodeKeyValueAt(buf: Buffer, keyAt: number): FoundKeyValue | null {
  for (let lenBytes = 1; lenBytes <= 3; lenBytes++) {
    const start = keyAt - lenBytes - 1;
    if (start < 0 || buf[start] !== 0x0a) continue;
    const r = new ProtoReader(buf, start + 1);
    let keyLen: number;
    try {
      keyLen = r.varint();
    } catch {
      continue;
    }
    if (r.pos !== keyAt || keyLen < 1 || keyAt + keyLen > buf.length) continue;
    r.pos = keyAt + keyLen;
    const found: FoundKeyValue = { start, end: r.pos, key: buf.subarray(keyAt, keyAt + keyLen), modRevision: 0, value: null, complete: false };
    try {
      // A KeyValue has at most 6 fields; more means we are reading past it.
      for (let n = 0; !r.done() && n < 6; n++) {
        const at = r.pos;
        const { field, wire } = r.tag();
        if (field === 3 && wire === WIRE_VARINT) found.modRevision = r.varint();
        else if ((field === 2 || field === 4 || field === 6) && wire === WIRE_VARINT) r.varint();
        else if (field === 5 && wire === WIRE_LEN) {
          const len = r.varint();
          const vStart = r.pos;
          const vEnd = vStart + len;
          found.value = buf.subarray(vStart, Math.min(vEnd, buf.length));
          found.complete = vEnd <= buf.length;
          found.end = Math.min(vEnd, buf.length);
          r.pos = found.end;
          if (!found.complete) break;
          continue;
        } else {
          r.pos = at;
          break;
        }
        found.end = r.pos;
      }
    } catch {
      // the record is cut off; keep what was decoded
    }
    return found;
  }
  return null;
}
