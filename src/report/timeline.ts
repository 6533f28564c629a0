import type Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Finding } from '../engine/finding.js';
import { severityRank, type Severity } from '../engine/rule.js';
import { formatMicros, parseMicros } from '../ingest/audit/time.js';
import { EVENT_IDENTITY } from '../ingest/runtime/event-groups.js';
import { md, visible } from './escape.js';
import { renderTable, type Appendix } from './markdown.js';

/**
 * The incident timeline: the events that matter, from every source, in time order: the audit
 * requests behind findings, container created / started / finished times, pod creation and
 * deletion, and runtime (eBPF) alerts. Bounded: at most MAX_EVENTS rows (the most severe kept
 * when there are more), so that a gigabyte of evidence still gives a readable timeline.
 */
export interface TimelineEvent {
  /** ISO 8601 UTC with microseconds. */
  time: string;
  source: 'audit' | 'container' | 'pod' | 'runtime';
  event: string;
  /** Audit: the most severe finding citing the request; lifecycle: the most severe finding about
   * that container or pod; runtime: the event's own severity. */
  severity: Severity | null;
  /** Rules whose findings cite this event. */
  rules: string[];
  subject: string;
  detail: string;
  path: string | null;
  locator: string | null;
}

export const MAX_EVENTS = 2000;
/** Rows shown in the findings document (the CSV has them all). */
const MAX_SHOWN = 300;

const cache = new WeakMap<readonly Finding[], TimelineEvent[]>();

function iso(value: unknown): string | null {
  const micros = parseMicros(value);
  return micros === null ? null : formatMicros(micros);
}

function maxSeverity(a: Severity | null, b: Severity): Severity {
  return a === null || severityRank(b) > severityRank(a) ? b : a;
}

export function buildTimeline(db: Database.Database, findings: readonly Finding[]): TimelineEvent[] {
  const cached = cache.get(findings);
  if (cached) return cached;
  const events: TimelineEvent[] = [];
  const paths = new Map<number, string>();
  for (const r of db.prepare('select id, path from files').all() as { id: number; path: string }[]) paths.set(r.id, r.path);

  // Audit requests cited by findings (their row ids are in details.audit_rows).
  const cited = new Map<number, { rules: Set<string>; severity: Severity | null }>();
  for (const f of findings) {
    const ids = (f.details as { audit_rows?: unknown } | null)?.audit_rows;
    if (!Array.isArray(ids)) continue;
    for (const id of ids) {
      if (typeof id !== 'number') continue;
      const c = cited.get(id) ?? { rules: new Set<string>(), severity: null };
      c.rules.add(f.rule);
      c.severity = maxSeverity(c.severity, f.severity);
      cited.set(id, c);
    }
  }
  const ids = [...cited.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = db
      .prepare(`select id, file_id, locator, time, verb, username, impersonated, source_ips, user_agent, namespace, resource, subresource, name, uri, code from audit_requests where id in (${ids.slice(i, i + 500).join(',')})`)
      .all() as Record<string, string | number | null>[];
    for (const r of rows) {
      const c = cited.get(r.id as number)!;
      const where = r.name ? `${r.namespace ? `${r.namespace}/` : ''}${r.name}` : r.namespace ? `in ${r.namespace}` : 'cluster-wide';
      const target = r.resource ? `${r.resource}${r.subresource ? `/${r.subresource}` : ''} ${where}` : String(r.uri ?? '');
      events.push({
        time: String(r.time),
        source: 'audit',
        event: `${r.verb ?? '?'} ${target}`,
        severity: c.severity,
        rules: [...c.rules].sort(),
        subject: String(r.username ?? '(unauthenticated)') + (r.impersonated ? ` as ${r.impersonated}` : ''),
        detail: `HTTP ${r.code ?? '?'} from ${r.source_ips ?? '?'} (${r.user_agent ?? 'no user agent'})`,
        path: paths.get(r.file_id as number) ?? null,
        locator: r.locator as string,
      });
    }
  }

  // Exposures and findings about containers and pods give their lifecycle events a severity.
  const subjectSeverity = new Map<string, { severity: Severity; rules: Set<string> }>();
  for (const f of findings) {
    if (f.subject.kind !== 'container' && f.subject.kind !== 'pod') continue;
    for (const key of [`${f.subject.kind}:${f.subject.namespace ?? ''}/${f.subject.name}`, `id:${f.subject.id ?? ''}`]) {
      const s = subjectSeverity.get(key) ?? { severity: f.severity, rules: new Set<string>() };
      s.severity = maxSeverity(s.severity, f.severity);
      s.rules.add(f.rule);
      subjectSeverity.set(key, s);
    }
  }

  // Each container once: ctr lists docker's and the CRI's containers again (configured_containers).
  const containers = db
    .prepare('select container_id, name, image, pod_name, pod_namespace, runtime, created_at, started_at, finished_at, state, file_id, locator from configured_containers limit 20000')
    .all() as Record<string, string | null>[];
  for (const c of containers) {
    const subject = c.pod_name ? `pod ${c.pod_namespace ? `${c.pod_namespace}/` : ''}${c.pod_name}, container ${c.name ?? '?'}` : `container ${c.name ?? String(c.container_id).slice(0, 12)}`;
    const known = subjectSeverity.get(`id:${c.container_id}`) ?? subjectSeverity.get(c.pod_name ? `pod:${c.pod_namespace ?? ''}/${c.pod_name}` : `container:/${c.name ?? ''}`);
    for (const [field, what] of [
      ['created_at', 'created'],
      ['started_at', 'started'],
      ['finished_at', 'finished'],
    ] as const) {
      const time = iso(c[field]);
      if (!time) continue;
      events.push({
        time,
        source: 'container',
        event: `container ${what}`,
        severity: known?.severity ?? null,
        rules: known ? [...known.rules].sort() : [],
        subject,
        detail: `${c.runtime} ${String(c.container_id).slice(0, 12)} image ${c.image ?? '?'}${what === 'finished' ? ` (state ${c.state ?? '?'})` : ''}`,
        path: paths.get(Number(c.file_id)) ?? null,
        locator: c.locator ?? null,
      });
    }
  }

  const pods = db
    .prepare("select namespace, name, created, deleted, owner_kind, owner_name, file_id, locator from k8s_objects where kind = 'Pod' limit 20000")
    .all() as Record<string, string | null>[];
  for (const p of pods) {
    const known = subjectSeverity.get(`pod:${p.namespace ?? ''}/${p.name}`);
    for (const [field, what] of [
      ['created', 'pod created'],
      ['deleted', 'pod deletion requested'],
    ] as const) {
      const time = iso(p[field]);
      if (!time) continue;
      events.push({
        time,
        source: 'pod',
        event: what,
        severity: known?.severity ?? null,
        rules: known ? [...known.rules].sort() : [],
        subject: `pod ${p.namespace ? `${p.namespace}/` : ''}${p.name}`,
        detail: p.owner_kind ? `owned by ${p.owner_kind} ${p.owner_name ?? ''}`.trim() : 'no owner (a bare pod)',
        path: paths.get(Number(p.file_id)) ?? null,
        locator: p.locator ?? null,
      });
    }
  }

  // Millions are possible (Tetragon logs every exec): only what was judged worth a look, and an
  // alert that sits in two files (Falco's output file and its journal) once. With min(id),
  // SQLite takes the other columns from that same row, so file and locator stay together.
  const alerts = db
    .prepare(
      `select min(id) as first_id, time, tool, event_type, priority, severity, process, arguments, container_id, container_name, pod,
              namespace, output, file_id, locator
         from runtime_events where time is not null and severity <> 'INFO'
        group by ${EVENT_IDENTITY}
        order by time limit ${MAX_EVENTS}`,
    )
    .all() as Record<string, string | null>[];
  for (const r of alerts) {
    const time = iso(r.time);
    if (!time) continue;
    const where = r.pod ? `pod ${r.namespace ? `${r.namespace}/` : ''}${r.pod}` : r.container_name ? `container ${r.container_name}` : r.container_id ? `container ${r.container_id.slice(0, 12)}` : 'host';
    events.push({
      time,
      source: 'runtime',
      event: `${r.tool} ${r.event_type ?? 'event'}${r.priority ? ` (${r.priority})` : ''}`,
      severity: (r.severity as Severity | null) ?? null,
      rules: [],
      subject: where,
      detail: r.output ?? [r.process, r.arguments].filter(Boolean).join(' '),
      path: paths.get(Number(r.file_id)) ?? null,
      locator: r.locator ?? null,
    });
  }

  // Keep the most severe when over the bound, then order by time.
  const rank = (e: TimelineEvent) => (e.severity ? severityRank(e.severity) + 1 : 0) * 2 + (e.rules.length > 0 ? 1 : 0);
  let kept = events;
  if (events.length > MAX_EVENTS) kept = [...events].sort((a, b) => rank(b) - rank(a) || (a.time < b.time ? -1 : 1)).slice(0, MAX_EVENTS);
  kept.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.source.localeCompare(b.source) || a.event.localeCompare(b.event)));
  cache.set(findings, kept);
  return kept;
}

/** The timeline section of the findings document. */
export function timelineAppendix(db: Database.Database, _config: Config, findings: readonly Finding[]): Appendix | null {
  const events = buildTimeline(db, findings);
  if (events.length === 0) return null;
  const shown = events.length > MAX_SHOWN ? events.filter((e) => e.severity !== null && e.severity !== 'INFO').slice(0, MAX_SHOWN) : events;
  const table = renderTable(
    ['time (UTC)', 'source', 'event', 'severity', 'subject', 'detail', 'evidence'],
    shown.map((e) => [e.time, e.source, e.event, e.severity ?? '', e.subject, `${e.detail}${e.rules.length ? ` [${e.rules.join(', ')}]` : ''}`, e.path ? `${e.path}${e.locator ? ` at ${e.locator}` : ''}` : '']),
  );
  const intro =
    shown.length < events.length
      ? `${events.length} events (bounded at ${MAX_EVENTS}); the ${shown.length} with SUSPICIOUS or MALICIOUS findings behind them are shown. All are in ${md('findings/timeline.csv')}.`
      : `${events.length} events in time order: audit requests behind findings, container and pod lifecycle, runtime alerts. Also in ${md('findings/timeline.csv')}.`;
  return { title: 'Incident timeline', markdown: [intro, '', ...table].join('\n') };
}

function csvCell(value: string): string {
  // Quote every cell; a leading = + - @ is prefixed so a spreadsheet does not evaluate
  // attacker-controlled text as a formula.
  const text = visible(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Writes the timeline as CSV (RFC 4180, one header line). */
export function writeTimelineCsv(db: Database.Database, findings: readonly Finding[], path: string): number {
  const events = buildTimeline(db, findings);
  const header = ['time', 'source', 'event', 'severity', 'rules', 'subject', 'detail', 'path', 'locator'];
  const lines = [header.join(',')];
  for (const e of events) lines.push([e.time, e.source, e.event, e.severity ?? '', e.rules.join(' '), e.subject, e.detail, e.path ?? '', e.locator ?? ''].map(csvCell).join(','));
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return events.length;
}
