import type Database from 'better-sqlite3';
import { md } from '../../report/escape.js';
import { renderTable, type Appendix } from '../../report/markdown.js';
import { hasKubeletExecs } from './event-groups.js';

/**
 * Runtime evidence for the findings document: per Falco / Tetragon / Tracee file, how many events
 * it held, over which span, how many were raised above INFO, and how many exec events were left
 * out of the runtime rules as the kubelet running the pod's own exec probes and hooks, so that
 * what the rules did not look at is said, not silently dropped.
 */
export function runtimeInventory(db: Database.Database): Appendix | null {
  const sources = db
    .prepare(
      `select s.file_id, s.tool, f.path, s.events, s.unparsable, s.first_event, s.last_event
         from runtime_sources s join files f on f.id = s.file_id order by s.tool, f.path`,
    )
    .all() as { file_id: number; tool: string; path: string; events: number; unparsable: number; first_event: string | null; last_event: string | null }[];
  if (sources.length === 0) return null;
  // One pass each over the events (millions are normal), counted per file.
  const perFile = (sql: string) => new Map((db.prepare(sql).raw().all() as [number, number][]).map(([file, n]) => [file, n]));
  const raised = perFile("select file_id, count(*) from runtime_events where severity <> 'INFO' group by file_id");
  const probeRuns = hasKubeletExecs(db)
    ? perFile(
        `select e.file_id, count(distinct k.event_id) from runtime_kubelet_execs k join runtime_events e on e.id = k.event_id
          where k.hostile_patterns is null group by e.file_id`,
      )
    : new Map<number, number>();
  const rows = sources.map((s) => [
    s.tool,
    s.path,
    s.events,
    s.first_event && s.last_event ? `${s.first_event} – ${s.last_event}` : '',
    raised.get(s.file_id) ?? 0,
    probeRuns.get(s.file_id) ?? 0,
    s.unparsable,
  ]);
  return {
    title: 'Runtime events',
    markdown: [
      `The eBPF sensors' files (${md('runtime_events')} of the case database). "Probe runs" are exec events matching the pod's own exec probe or lifecycle hook in that container (view ${md('runtime_kubelet_execs')}), left out of the runtime rules.`,
      '',
      ...renderTable(['tool', 'file', 'events', 'span', 'above INFO', 'probe runs left out', 'unparsable lines'], rows),
    ].join('\n'),
  };
}
