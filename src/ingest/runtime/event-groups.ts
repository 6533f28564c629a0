import type Database from 'better-sqlite3';
import type { SubjectFields } from '../../analysis/subjects.js';
import type { EvidenceRef, FindingRow, Severity } from '../../engine/rule.js';
import { groupBy } from '../../util/group-by.js';

/** How many events of a group are shown (and pointed at) in its finding. */
export const SAMPLE_EVENTS = 10;

export interface SampleEvent {
  id: number;
  /** EVENT_IDENTITY: copies of one event in several files share it. */
  sig: string;
  file_id: number;
  locator: string;
  time: string | null;
  tool: string;
  event_type: string | null;
  priority: string | null;
  severity: Severity;
  indicator: string | null;
  hook: string | null;
  process: string | null;
  parent: string | null;
  arguments: string | null;
  user: string | null;
  container_id: string | null;
  file_path: string | null;
  remote: string | null;
  signature_id: string | null;
  policy: string | null;
  action: string | null;
  output: string | null;
}

/** Runtime events of one subject sharing one key (a Falco rule, a Tracee signature, ...). */
export interface EventGroup {
  subject: SubjectFields;
  key: string;
  count: number;
  first: string | null;
  last: string | null;
  severity: Severity;
  /** ATT&CK technique ids over the whole group (tactic ids dropped). */
  attack: string[];
  /** The first SAMPLE_EVENTS distinct events by time (one row each). */
  samples: SampleEvent[];
  /** Where those events are: every copy of each. */
  refs: EvidenceRef[];
}

const SUBJECT = ['subject_kind', 'subject_name', 'subject_namespace', 'subject_id', 'subject_container', 'subject_image', 'subject_host'] as const;
const SEVERITY_RANK = `case severity when 'MALICIOUS' then 2 when 'SUSPICIOUS' then 1 else 0 end`;
const SEVERITY_BY_RANK: Severity[] = ['INFO', 'SUSPICIOUS', 'MALICIOUS'];

/**
 * What makes two runtime_events rows the same event: collect.sh gathers Falco's file output and
 * its journal, Tetragon's export file and its pod log, so one alert is often in two files. Such
 * copies count once; their evidence pointers are all kept.
 */
export const EVENT_IDENTITY = `coalesce(time, '') || char(1) || tool || char(1) || coalesce(event_type, '') || char(1) || coalesce(container_id, '') || char(1) ||
  coalesce(pid, '') || char(1) || coalesce(process, '') || char(1) || coalesce(arguments, '') || char(1) || coalesce(hook, '') || char(1) || coalesce(file_path, '')`;

/**
 * Groups runtime events (view runtime_event_subjects, filtered by `where` on runtime_events
 * columns) per subject and `keySql`, in two passes over the filtered rows: aggregates, then the
 * first events of each group. Millions of matching events give as many groups as subjects × keys.
 */
export function groupRuntimeEvents(db: Database.Database, where: string, keySql: string, params: unknown[] = []): EventGroup[] {
  const partition = [...SUBJECT.map((c) => `coalesce(${c}, '')`), 'k'].join(', ');
  const base = `select s.*, ${keySql} as k, ${EVENT_IDENTITY} as sig from runtime_event_subjects s where ${where}`;
  const aggregates = db
    .prepare(
      `select ${SUBJECT.join(', ')}, k, count(distinct sig) as n, min(time) as first, max(time) as last,
              max(${SEVERITY_RANK}) as rank, json_group_array(distinct attack) as attacks
         from (${base}) group by ${partition}`,
    )
    .all(...params) as (Record<(typeof SUBJECT)[number], string | null> & { k: string; n: number; first: string | null; last: string | null; rank: number; attacks: string })[];
  const samples = db
    .prepare(
      `select * from (select b.*, dense_rank() over (partition by ${partition} order by time, sig) as rn from (${base}) b) where rn <= ${SAMPLE_EVENTS}
        order by time, sig, id`,
    )
    .all(...params) as (SampleEvent & Record<(typeof SUBJECT)[number], string | null> & { k: string; sig: string })[];
  const groupKey = (r: Record<(typeof SUBJECT)[number], string | null> & { k: string }) => JSON.stringify([...SUBJECT.map((c) => r[c] ?? ''), r.k]);
  const byKey = groupBy(samples, groupKey);
  return aggregates.map((a) => {
    const events = byKey.get(groupKey(a)) ?? [];
    return {
      subject: subjectFields(a as unknown as Required<SubjectFields>),
      key: a.k,
      count: a.n,
      first: a.first,
      last: a.last,
      severity: SEVERITY_BY_RANK[a.rank] ?? 'INFO',
      attack: techniqueIds(a.attacks),
      samples: distinct(events),
      refs: events.map((e) => ({ file_id: e.file_id, locator: e.locator })),
    };
  });
}

function distinct(events: SampleEvent[]): SampleEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.sig) && seen.add(e.sig));
}

/** The finding subject columns of a row that has them (views runtime_event_subjects, container_subjects). */
export function subjectFields(row: Required<SubjectFields>): SubjectFields {
  return Object.fromEntries(SUBJECT.map((c) => [c, row[c]])) as SubjectFields;
}

/** ATT&CK technique ids (not tactics) from json_group_array(distinct attack) of JSON arrays. */
function techniqueIds(attacks: string): string[] {
  const ids = new Set<string>();
  for (const text of JSON.parse(attacks) as (string | null)[]) {
    if (!text) continue;
    for (const id of JSON.parse(text) as string[]) if (/^T\d{4}(\.\d{3})?$/.test(id)) ids.add(id);
  }
  return [...ids].sort();
}

/** "3 times between A and B" / "at A". */
export function whenText(g: EventGroup): string {
  if (g.count === 1) return g.first ? `at ${g.first}` : 'once (no time recorded)';
  return g.first ? `${g.count} times between ${g.first} and ${g.last}` : `${g.count} times`;
}

/** The finding row common to all runtime event rules; `reason` and `details` columns are the rule's. */
export function groupFinding(g: EventGroup, reason: string, columns: string[], row: (s: SampleEvent) => unknown[]): FindingRow {
  return {
    ...g.subject,
    key: g.key,
    reason,
    severity: g.severity,
    evidence: g.refs,
    first_seen: g.first,
    last_seen: g.last,
    attack: g.attack,
    details: {
      events: g.count,
      ...(g.count > g.samples.length ? { shown: `first ${g.samples.length} of ${g.count} events` } : {}),
      table: { columns, rows: g.samples.map(row) },
    },
  };
}

/**
 * A condition on runtime_events that leaves out the kubelet's own execs (exec probes and
 * lifecycle hooks of the pod spec, see the runtime_kubelet_execs view) unless the command itself
 * looks hostile; always true when the bundle holds no such spec, so large runtime-only bundles
 * pay nothing for it.
 */
export function notKubeletExec(db: Database.Database): string {
  return hasKubeletExecs(db) ? 'id not in (select event_id from runtime_kubelet_execs where hostile_patterns is null)' : '1';
}

/** Whether any pod spec of the bundle has an exec probe or hook (else runtime_kubelet_execs is empty). */
export function hasKubeletExecs(db: Database.Database): boolean {
  return db.prepare('select 1 from k8s_container_execs limit 1').get() !== undefined;
}
