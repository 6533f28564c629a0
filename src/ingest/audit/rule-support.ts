import type Database from 'better-sqlite3';
import type { Config } from '../../config.js';
import type { EvidenceRef, FindingRow } from '../../engine/rule.js';
import { configMicros, formatMicros } from './time.js';

/**
 * Shared by the audit.* rules: audit_events holds integers (dictionary ids, microseconds), so
 * rules look ids up once, filter on integers over millions of rows, and decode only the rows
 * they report. Every finding cites its events the same way: first and last audit ID and time,
 * the count, `line N` locators, and the row ids (details.audit_rows) the timeline follows.
 */

/** A request as rules read it (ids decoded by `Dict`). */
export interface EventRow {
  id: number;
  file_id: number;
  line: number;
  audit_id: string | null;
  ts: number;
  level: number;
  verb: number | null;
  username: number | null;
  groups: number | null;
  impersonated: number | null;
  source_ips: number | null;
  user_agent: number | null;
  namespace: number | null;
  resource: number | null;
  subresource: number | null;
  api_group: number | null;
  /** objectRef.name (null for non-resource requests) */
  name: number | null;
  /** path of a non-resource request */
  uri: number | null;
  code: number | null;
  /** 'decision\nreason' of the authorization annotations */
  authz: number | null;
}

export const EVENT_COLUMNS =
  'e.id, e.file_id, e.line, e.audit_id, e.ts, e.level_stage / 4 as level, e.verb, e.username, e.groups, e.impersonated, e.source_ips, e.user_agent, e.namespace, e.resource, e.subresource, e.api_group, ' +
  'case when e.resource is not null then e.name end as name, case when e.resource is null then e.name end as uri, e.code, e.authz';

/** The audit dictionary, read lazily: ids of known strings, and strings of ids. */
export class Dict {
  private readonly values = new Map<number, string>();
  private readonly byValue = new Map<string, number | null>();
  private readonly lookup: Database.Statement;
  private readonly reverse: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.lookup = db.prepare('select id from audit_dict where value = ?').pluck();
    this.reverse = db.prepare('select value from audit_dict where id = ?').pluck();
  }

  /** The id of a string, or null when no event has it. */
  id(value: string): number | null {
    if (!this.byValue.has(value)) this.byValue.set(value, (this.lookup.get(value) as number | undefined) ?? null);
    return this.byValue.get(value)!;
  }

  /** Ids of every dictionary string matching a SQL LIKE / GLOB pattern. */
  idsWhere(condition: string, ...params: unknown[]): number[] {
    return this.db.prepare(`select id from audit_dict where ${condition}`).pluck().all(...params) as number[];
  }

  value(id: number | null): string | null {
    if (id === null) return null;
    let v = this.values.get(id);
    if (v === undefined) {
      v = (this.reverse.get(id) as string | undefined) ?? '';
      this.values.set(id, v);
    }
    return v;
  }
}

/** True when the case database has audit events at all (rules return early otherwise). */
export function hasAuditEvents(db: Database.Database): boolean {
  return db.prepare('select 1 from audit_events limit 1').get() !== undefined;
}

/** The incident window as microseconds, and a SQL condition on e.ts that applies it. */
export function incidentWindow(config: Config): { since: number | null; until: number | null; sql: string } {
  const since = configMicros(config.incident_window.since);
  const until = configMicros(config.incident_window.until);
  const parts: string[] = [];
  if (since !== null) parts.push(`e.ts >= ${since}`);
  if (until !== null) parts.push(`e.ts <= ${until}`);
  return { since, until, sql: parts.length > 0 ? parts.join(' and ') : '1' };
}

/** `in (...)` over integer ids (ours, never evidence text); an empty list matches nothing. */
export function inIds(ids: readonly (number | null)[]): string {
  const clean = ids.filter((id): id is number => typeof id === 'number' && Number.isInteger(id));
  return clean.length > 0 ? `in (${clean.join(',')})` : 'in (-1)';
}

/** Is this identity in `operators` (usernames, or groups written as-is or as `group:NAME`)? */
export function isOperator(config: Config, username: string | null, groups: string | null): boolean {
  if (config.operators.length === 0) return false;
  const groupList = groups ? groups.split(',') : [];
  return config.operators.some((op) => op === username || groupList.includes(op) || (op.startsWith('group:') && groupList.includes(op.slice(6))));
}

/** Kubernetes' own components, whose broad access is by design. */
export function isControlPlane(username: string | null): boolean {
  if (!username) return false;
  return (
    username.startsWith('system:node:') ||
    username === 'system:kube-controller-manager' ||
    username === 'system:kube-scheduler' ||
    username === 'system:apiserver' ||
    username === 'system:kube-proxy' ||
    username.startsWith('system:serviceaccount:kube-system:')
  );
}

/** `system:serviceaccount:NS:NAME` → { namespace, name }. */
export function serviceAccountOf(username: string | null): { namespace: string; name: string } | null {
  if (!username?.startsWith('system:serviceaccount:')) return null;
  const rest = username.slice('system:serviceaccount:'.length);
  const colon = rest.indexOf(':');
  return colon <= 0 ? null : { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

export interface Citation {
  evidence: EvidenceRef[];
  first_seen: string;
  last_seen: string;
  count: number;
  /** "N request(s) from <first> (audit ID a, line n) to <last> (audit ID b, line m)". */
  text: string;
  details: Record<string, unknown>;
}

/** How many rows of one finding the timeline may follow. */
const MAX_CITED_ROWS = 50;

/**
 * Cites a finding's events (sorted here by time): the first and last as evidence pointers (and
 * up to `pointers` in all), their audit IDs and times, and the row ids for the timeline.
 */
export function cite(events: readonly EventRow[], pointers = 2): Citation {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || a.id - b.id);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const chosen = sorted.length <= pointers ? sorted : [...sorted.slice(0, pointers - 1), last];
  const evidence = chosen.map((e) => ({ file_id: e.file_id, locator: `line ${e.line}` }));
  const describe = (e: EventRow) => `${formatMicros(e.ts)} (audit ID ${e.audit_id ?? '?'}, line ${e.line})`;
  const text =
    sorted.length === 1
      ? `1 request at ${describe(first)}`
      : `${sorted.length} requests from ${describe(first)} to ${describe(last)}`;
  const rows = sorted.length <= MAX_CITED_ROWS ? sorted : [...sorted.slice(0, MAX_CITED_ROWS - 1), last];
  return {
    evidence,
    first_seen: formatMicros(first.ts),
    last_seen: formatMicros(last.ts),
    count: sorted.length,
    text,
    details: {
      count: sorted.length,
      first: { audit_id: first.audit_id, time: formatMicros(first.ts), locator: `line ${first.line}` },
      last: { audit_id: last.audit_id, time: formatMicros(last.ts), locator: `line ${last.line}` },
      audit_rows: rows.map((e) => e.id),
    },
  };
}

/** A finding row with its citation folded in. */
export function citedRow(row: Omit<FindingRow, 'evidence' | 'first_seen' | 'last_seen'>, citation: Citation, details: Record<string, unknown> = {}): FindingRow {
  return {
    ...row,
    evidence: citation.evidence,
    first_seen: citation.first_seen,
    last_seen: citation.last_seen,
    details: { ...citation.details, ...details },
  };
}

/**
 * The requests matching a SQL condition on `e` (audit_events), in time order. With `notable`
 * (Notable flags, any of which must be set), only the flagged requests are read: the condition
 * must then imply one of those flags.
 */
export function selectEvents(db: Database.Database, condition: string, notable?: number): EventRow[] {
  const from = notable === undefined ? 'audit_events e' : `audit_notable n join audit_events e on e.id = n.event_id and (n.flags & ${notable | 0}) <> 0`;
  return db.prepare(`select ${EVENT_COLUMNS} from ${from} where ${condition} order by e.ts, e.id`).all() as EventRow[];
}

/** Human-readable target of a request: `secrets kube-system/db-password`, `pods/exec shop/web`. */
export function targetText(dict: Dict, e: EventRow): string {
  const resource = dict.value(e.resource);
  if (resource === null) return dict.value(e.uri) ?? '(no resource)';
  const sub = dict.value(e.subresource);
  const ns = dict.value(e.namespace);
  const name = dict.value(e.name);
  const what = `${resource}${sub ? `/${sub}` : ''}`;
  const where = name ? `${ns ? `${ns}/` : ''}${name}` : ns ? `in namespace ${ns}` : 'cluster-wide';
  return `${what} ${where}`;
}

/** Finding subject columns for an identity: a ServiceAccount is reported as one, with its namespace. */
export function actorSubject(username: string | null): Pick<FindingRow, 'subject_kind' | 'subject_name' | 'subject_namespace'> {
  const sa = serviceAccountOf(username);
  if (sa) return { subject_kind: 'serviceaccount', subject_name: sa.name, subject_namespace: sa.namespace };
  return { subject_kind: 'user', subject_name: username || '(unauthenticated)', subject_namespace: null };
}

/** Allowed: authorised and not failed (exec / attach answer 101 Switching Protocols). */
export function allowed(e: EventRow): boolean {
  return e.code === null ? true : e.code < 400;
}
