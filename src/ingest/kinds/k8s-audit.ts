import { Confidence, type IngestContext, type Ingester } from '../types.js';
import type { Head } from '../source.js';
import { normalise, type AuditFields } from '../audit/event.js';
import { AuditStore, FileStats } from '../audit/store.js';
import { isControlPlane as isKubernetesComponent } from '../audit/rule-support.js';

/** kube-apiserver writes every v1 event with these fields first, in this order. */
const V1_PREFIX = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"';
const RECEIVED_KEY = '"requestReceivedTimestamp":"';
const RECEIVED_FIELD = `,${RECEIVED_KEY}`;
/** A RequestReceived event whose request never completes is written after this many lines. */
const MAX_PENDING_LINES = 1 << 20;
const SWEEP_EVERY = 1 << 16;

const REQUEST_OBJECT_KEY = ',"requestObject":';

/**
 * A line without its requestObject (and responseObject), when no rule reads the body: updates and
 * patches by Kubernetes' own components (controllers rewriting ReplicaSets, the role aggregation
 * controller) are most of the bodies of a Request-level log, and every rule leaves those identities
 * out. The verb and username are read with string searches: kube-apiserver writes them before any
 * object, in a fixed order, and quotes inside strings are escaped, so the first matches are
 * theirs. Returns undefined when the body may be needed (or anything looks unusual).
 */
function withoutObjects(line: string): unknown {
  const start = line.indexOf(REQUEST_OBJECT_KEY);
  if (start === -1) return undefined;
  const v = line.indexOf('","verb":"');
  if (v === -1 || v > start) return undefined;
  const verbEnd = line.indexOf('"', v + 10);
  const verb = line.slice(v + 10, verbEnd);
  if (verb !== 'update' && verb !== 'patch') return undefined;
  if (!line.startsWith('","user":{"username":"', verbEnd)) return undefined;
  const u = verbEnd + 22;
  const username = line.slice(u, line.indexOf('"', u));
  if (username.includes('\\') || !isKubernetesComponent(username)) return undefined;
  const value = parseCut(line, start);
  return value?.verb === verb && value.user?.username === username ? value : undefined;
}

/**
 * The line parsed with what lies between `start` and its requestReceivedTimestamp (the objects)
 * cut out; undefined when there is nothing to cut or the cut does not parse (see below).
 */
function parseCut(line: string, start: number): { requestReceivedTimestamp: string; verb?: unknown; user?: { username?: unknown } } | undefined {
  const end = line.lastIndexOf(RECEIVED_FIELD);
  if (end <= start) return undefined;
  try {
    const value = JSON.parse(line.slice(0, start) + line.slice(end)) as { requestReceivedTimestamp?: unknown } | null;
    return typeof value?.requestReceivedTimestamp === 'string' ? (value as { requestReceivedTimestamp: string }) : undefined;
  } catch {
    return undefined;
  }
}

interface Pending {
  /** requestReceivedTimestamp as written: with the auditID, the request's identity. */
  received: string;
  /** The raw RequestReceived line (native fast path), parsed only if the request never completes. */
  line: string;
  lineNo: number;
  fields?: AuditFields;
}

interface Started {
  received: string;
  lineNo: number;
}

/**
 * Requests by auditID and requestReceivedTimestamp. The usual case (one request per auditID)
 * costs one Map lookup on the auditID; a request that reuses another's auditID (clients may set
 * Audit-ID) moves the earlier one to a second map keyed by both.
 */
class RequestTable<V extends { received: string; lineNo: number }> {
  private readonly byId = new Map<string, V>();
  private readonly byKey = new Map<string, V>();

  get(id: string, received: string): V | undefined {
    const v = this.byId.get(id);
    if (v !== undefined && v.received === received) return v;
    return this.byKey.size > 0 ? this.byKey.get(`${id} ${received}`) : undefined;
  }

  has(id: string, received: string): boolean {
    return this.get(id, received) !== undefined;
  }

  set(id: string, value: V): void {
    const old = this.byId.get(id);
    if (old !== undefined && old.received !== value.received) this.byKey.set(`${id} ${old.received}`, old);
    this.byId.set(id, value);
  }

  delete(id: string, received: string): boolean {
    const v = this.byId.get(id);
    if (v !== undefined && v.received === received) return this.byId.delete(id);
    return this.byKey.size > 0 && this.byKey.delete(`${id} ${received}`);
  }

  /** Removes and returns the entries older than `line` (oldest first), or all. */
  *takeOlderThan(line = Infinity): Generator<[string, V]> {
    for (const [id, v] of this.byId) {
      if (v.lineNo >= line) break;
      this.byId.delete(id);
      yield [id, v];
    }
    for (const [key, v] of this.byKey) {
      if (v.lineNo >= line) continue;
      this.byKey.delete(key);
      yield [key.slice(0, key.length - v.received.length - 1), v];
    }
  }
}

/**
 * Kubernetes API server audit log: audit.k8s.io/v1 (and v1beta1) Event JSON lines, plain or
 * gzip-rotated, also inside AKS diagnostic records (`properties.log`) and GKE Cloud Audit Logs
 * entries (`protoPayload`). One row per request: its stages are joined on auditID +
 * requestReceivedTimestamp (the client may choose the auditID, so the ID alone is not an
 * identity) and repeated lines are dropped. RequestReceived lines are only parsed when their
 * request never completes: the later stage repeats all their fields.
 */
export const k8sAudit: Ingester = {
  kind: 'k8s-audit',
  description: 'Kubernetes API server audit log (audit.k8s.io Event JSON lines; AKS and GKE wrappers)',
  evidenceCopy: 'k8s-audit.log',
  detect(head) {
    return detectAudit(head);
  },
  async ingest(source, ctx) {
    const run = new AuditFileRun(ctx);
    await source.eachLine((line, lineNo) => run.line(line, lineNo));
    run.finish();
  },
};

function detectAudit(head: Head): number {
  const first = head.firstValue as Record<string, unknown> | undefined;
  if (first && typeof first === 'object') {
    if (typeof first.apiVersion === 'string' && /^audit\.k8s\.io\/v1(beta1)?$/.test(first.apiVersion) && first.kind === 'Event') return Confidence.CERTAIN;
    const properties = first.properties as Record<string, unknown> | undefined;
    const log = properties?.log;
    if (first.category === 'kube-audit' || first.category === 'kube-audit-admin') return Confidence.CERTAIN;
    if (typeof log === 'string' && log.includes('"audit.k8s.io/v1')) return Confidence.CERTAIN;
    if (typeof log === 'object' && log !== null && (log as { kind?: unknown }).kind === 'Event') return Confidence.CERTAIN;
    const proto = first.protoPayload as Record<string, unknown> | undefined;
    if (proto && proto.serviceName === 'k8s.io' && typeof proto.methodName === 'string') return Confidence.CERTAIN;
    return Confidence.NONE;
  }
  // A first line longer than the head (a huge requestObject): recognise the field layout.
  const text = head.trimmed;
  if (text.startsWith('{') && /"apiVersion":"audit\.k8s\.io\/v1(beta1)?"/.test(text) && text.includes('"auditID":')) return Confidence.PLAUSIBLE;
  return /(^|[-_.])audit[^/]*\.log(\.\d+)?(\.gz)?$/i.test(head.name) ? Confidence.NAME_ONLY : Confidence.NONE;
}

const RESPONSE_OBJECT_KEY = ',"responseObject":';

/**
 * Parses a kube-apiserver line without its responseObject, which no rule reads and which is most
 * of the bytes of a RequestResponse-level line (a list response can be megabytes).
 * kube-apiserver writes it just before requestReceivedTimestamp, so the cut is one slice. Inside
 * JSON strings every quote is escaped, so the keys searched for can only be keys; if the first
 * match is a nested key (a user.extra or requestObject entry named responseObject), the cut
 * leaves unbalanced braces and JSON.parse throws: then the caller parses the whole line.
 * Returns undefined when there is nothing to cut.
 */
function withoutResponseObject(line: string): unknown {
  const start = line.indexOf(RESPONSE_OBJECT_KEY);
  return start === -1 ? undefined : parseCut(line, start);
}

class AuditFileRun {
  private readonly store: AuditStore;
  private readonly stats = new FileStats();
  /** RequestReceived seen, completion not yet. */
  private readonly pending = new RequestTable<Pending>();
  /** Requests written at ResponseStarted (exec, watch) whose ResponseComplete is still to come. */
  private readonly started = new RequestTable<Started>();
  private readonly problems = new Map<string, { detail: string; first: number; count: number }>();

  constructor(private readonly ctx: IngestContext) {
    this.store = AuditStore.of(ctx.db);
  }

  line(line: string, lineNo: number): void {
    this.stats.lines = lineNo;
    if ((lineNo & (SWEEP_EVERY - 1)) === 0) this.sweep(lineNo);
    if (line.length === 0) return;
    if (line.startsWith(V1_PREFIX)) {
      // Native kube-apiserver line: read auditID and stage without parsing the whole line.
      const a = line.indexOf('","auditID":"', V1_PREFIX.length);
      const s = a === -1 ? -1 : line.indexOf('","stage":"', a + 13);
      if (a !== -1 && a < V1_PREFIX.length + 16 && s !== -1 && line.startsWith('RequestReceived"', s + 11)) {
        const auditId = line.slice(a + 13, s);
        const r = line.lastIndexOf(RECEIVED_KEY);
        if (r > s && auditId.indexOf('\\') === -1) {
          const received = line.slice(r + RECEIVED_KEY.length, line.indexOf('"', r + RECEIVED_KEY.length));
          this.stats.events++;
          this.stats.formats.add('k8s');
          if (this.pending.has(auditId, received) || this.started.has(auditId, received)) this.stats.duplicates++;
          else this.pending.set(auditId, { received, line, lineNo });
          return;
        }
      }
    }
    this.parsed(line, lineNo);
  }

  private parsed(line: string, lineNo: number): void {
    let value: unknown;
    let dropped = false;
    try {
      // Only Request and RequestResponse-level events carry objects: no search in the others.
      if (line.startsWith(V1_PREFIX) && line.startsWith('Request', V1_PREFIX.length)) {
        value = withoutObjects(line);
        if (value !== undefined) dropped = true;
        else if (line.startsWith('RequestResponse"', V1_PREFIX.length)) value = withoutResponseObject(line);
      }
      if (value === undefined) value = JSON.parse(line);
    } catch {
      this.problem('parse-error', 'line is not valid JSON', lineNo);
      return;
    }
    const n = normalise(value);
    if (!n.ok) {
      this.problem(n.problem, n.detail, lineNo);
      return;
    }
    if (dropped) n.fields.requestObjectDropped = true;
    this.event(n.fields, lineNo);
  }

  private event(f: AuditFields, lineNo: number): void {
    const stats = this.stats;
    stats.events++;
    stats.formats.add(f.format);
    const id = f.auditId;
    const receivedText = f.receivedText;
    if (f.stage === 0) {
      if (this.pending.has(id, receivedText) || this.started.has(id, receivedText)) stats.duplicates++;
      else this.pending.set(id, { received: receivedText, line: '', lineNo, fields: f });
      return;
    }
    if (this.started.has(id, receivedText)) {
      // The ResponseComplete of an exec or watch already written at ResponseStarted.
      if (f.stage !== 1) this.started.delete(id, receivedText);
      else stats.duplicates++;
      return;
    }
    const received = this.pending.delete(id, receivedText);
    // `written` is only consulted when a request is written: a RequestReceived line of a request
    // already written (a repeated file) waits in `pending` and is dropped with its completion.
    if (!this.store.written.add(id, receivedText)) {
      stats.duplicates += received ? 2 : 1;
      return;
    }
    if (f.stage === 1) this.started.set(id, { received: receivedText, lineNo });
    stats.levels[f.level]!++;
    this.store.add(this.ctx.fileId, lineNo, f, stats);
  }

  /** Writes requests whose completion is too far back to still come (rotated away, crash). */
  private sweep(lineNo: number): void {
    for (const [id, p] of this.pending.takeOlderThan(lineNo - MAX_PENDING_LINES + 1)) this.incomplete(id, p);
    for (const _ of this.started.takeOlderThan(lineNo - MAX_PENDING_LINES + 1)) {
      /* their rows are written; a completion this late is a duplicate */
    }
    this.ctx.progress(SWEEP_EVERY);
  }

  private incomplete(id: string, p: Pending): void {
    if (!this.store.written.add(id, p.received)) {
      this.stats.duplicates++;
      return;
    }
    let f = p.fields;
    if (!f) {
      let value: unknown;
      try {
        value = JSON.parse(p.line);
      } catch {
        this.problem('parse-error', 'line is not valid JSON', p.lineNo);
        return;
      }
      const n = normalise(value);
      if (!n.ok) {
        this.problem(n.problem, n.detail, p.lineNo);
        return;
      }
      f = n.fields;
    }
    this.stats.levels[f.level]!++;
    this.store.add(this.ctx.fileId, p.lineNo, f, this.stats);
  }

  private problem(problem: string, detail: string, lineNo: number): void {
    this.stats.unparsable++;
    const known = this.problems.get(problem);
    if (known) known.count++;
    else this.problems.set(problem, { detail, first: lineNo, count: 1 });
  }

  finish(): void {
    for (const [id, p] of this.pending.takeOlderThan()) this.incomplete(id, p);
    for (const _ of this.started.takeOlderThan()) {
      /* done with this file */
    }
    for (const [problem, p] of this.problems) {
      this.ctx.problem(problem, `k8s-audit: ${p.count} line(s) skipped; first: ${p.detail}`, `line ${p.first}`, p.count);
    }
    this.store.writeFileStats(this.ctx.fileId, this.stats);
  }
}
