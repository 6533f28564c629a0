import { defineRule, type EvidenceRef, type FindingRow } from '../../src/engine/rule.js';
import { EVENT_IDENTITY } from '../../src/ingest/runtime/event-groups.js';

const TOOLS: Record<string, string> = { falco: 'Falco', tetragon: 'Tetragon', tracee: 'Tracee' };
const EBPF_KINDS = ['falco-alerts', 'falco-rules', 'tetragon-events', 'tetragon-policies', 'tracee-events'];

interface Source {
  file_id: number;
  path: string;
  tool: string;
  events: number;
  first_event: string | null;
  last_event: string | null;
  first_activity: string | null;
  last_activity: string | null;
  host: string | null;
}

export default defineRule({
  meta: {
    id: 'runtime.no-ebpf-monitoring',
    title: 'No eBPF runtime monitoring evidence for the incident window',
    severity: 'INFO',
    group: 'runtime',
    attack: [],
    description:
      'Falco, Tetragon and Tracee are the only sources that show what processes actually did inside containers (shells, downloads, file and network access, escape syscalls). Without their events for the incident window, runtime activity can only be inferred from configuration and leftovers, and the absence of runtime findings means "not seen", not "did not happen".',
    remediation:
      'If the tools run elsewhere (SIEM, Falcosidekick, Tetragon export files), add their events for the window as inputs. Otherwise record the gap in the case notes, and deploy an eBPF runtime sensor with a retained event log so that the next incident is observable.',
  },
  run({ db }) {
    const window = db.prepare('select since, until from runtime_window').get() as { since: string | null; until: string | null };
    const windowText = window.since || window.until ? `the incident window ${window.since ?? 'open'} → ${window.until ?? 'open'}` : 'the collected evidence (no incident window set)';
    const sources = db
      .prepare('select r.*, f.path, i.host from runtime_sources r join files f on f.id = r.file_id join inputs i on i.id = f.input_id order by r.file_id')
      .all() as Source[];
    const rows: FindingRow[] = [];

    // 1. Inputs with no runtime events at all: every collect.sh bundle without them, or, for
    // loose files, when eBPF configuration was handed in without any event log.
    const withEvents = new Set((db.prepare('select distinct f.input_id from runtime_sources r join files f on f.id = r.file_id').all() as { input_id: number }[]).map((r) => r.input_id));
    const configs = db
      .prepare(`select id, input_id, path from files where kind in (${EBPF_KINDS.map(() => '?').join(',')}) order by id`)
      .all(...EBPF_KINDS) as { id: number; input_id: number; path: string }[];
    const bundles = db
      .prepare("select i.id, i.path, i.host, m.file_id, m.locator from inputs i join bundle_meta m on m.input_id = i.id and m.key = 'CF_BUNDLE_FORMAT' order by i.id")
      .all() as { id: number; path: string; host: string | null; file_id: number | null; locator: string | null }[];
    const targets = [...bundles];
    // Loose hand-picked files say nothing about what the host ran, unless they are eBPF configuration.
    for (const c of configs) {
      if (!targets.some((t) => t.id === c.input_id)) targets.push({ id: c.input_id, path: (db.prepare('select path from inputs where id = ?').get(c.input_id) as { path: string }).path, host: null, file_id: null, locator: null });
    }
    const steps = db.prepare("select file_id, locator, command, status, exit_status, bytes, output_file from collection_steps where source = 'ebpf' and input_id = ? order by id");
    const limits = db.prepare("select file_id, locator from bundle_meta where key = 'LIMITS' and value like '%eBPF%' and input_id = ?");
    for (const b of targets) {
      if (withEvents.has(b.id)) continue;
      const mine = steps.all(b.id) as { file_id: number; locator: string; command: string; status: string; exit_status: number | null; bytes: number; output_file: string | null }[];
      const myConfigs = configs.filter((c) => c.input_id === b.id);
      const evidence: EvidenceRef[] = [
        ...(limits.all(b.id) as EvidenceRef[]),
        ...mine.map((s) => ({ file_id: s.file_id, locator: s.locator })),
        ...myConfigs.map((c) => ({ file_id: c.id, locator: null })),
      ];
      if (b.file_id !== null) evidence.push({ file_id: b.file_id, locator: b.locator });
      const stepsText = mine.length > 0 ? `; collection: ${mine.map((s) => `${s.command} → ${s.status}${s.status === 'ok' ? ` (${s.bytes} bytes)` : ''}`).join(', ')}` : '';
      const configText = myConfigs.length > 0 ? `; only configuration was found (${myConfigs.map((c) => c.path).join(', ')}), no alert or event log` : '';
      rows.push({
        subject_kind: 'source',
        subject_name: 'eBPF runtime events (Falco, Tetragon, Tracee)',
        subject_host: b.host,
        key: 'no-events',
        reason: `no Falco, Tetragon or Tracee events in ${b.path} for ${windowText}${configText}${stepsText}`,
        evidence,
        details: mine.length > 0 ? { table: { columns: ['command', 'status', 'exit', 'bytes', 'output'], rows: mine.map((s) => [s.command, s.status, s.exit_status, s.bytes, s.output_file]) } } : null,
      });
    }

    // 2. Tools with events, none of them inside the incident window.
    if (!window.since && !window.until) return rows;
    const inWindow = db.prepare('select count(*) as n from runtime_events where tool = ? and (? is null or time >= ?) and (? is null or time <= ?)');
    const edge = db.prepare('select file_id, locator, time from runtime_events where tool = ? and time is not null order by time, id limit 1');
    const lastEdge = db.prepare('select file_id, locator, time from runtime_events where tool = ? and time is not null order by time desc, id desc limit 1');
    const distinctEvents = db.prepare(`select count(distinct ${EVENT_IDENTITY}) as events from runtime_events where tool = ?`);
    const bounded = db.prepare("select command, status from collection_steps where source = 'ebpf' and status = 'bounded' and ? like '%' || output_file");
    for (const tool of Object.keys(TOOLS)) {
      const mine = sources.filter((s) => s.tool === tool);
      if (mine.length === 0) continue;
      const { n } = inWindow.get(tool, window.since, window.since, window.until, window.until) as { n: number };
      if (n > 0) continue;
      const { events } = distinctEvents.get(tool) as { events: number }; // one alert in journal and file output counts once
      const first = min(mine.map((s) => s.first_event));
      const last = max(mine.map((s) => s.last_event));
      const activeFrom = min(mine.map((s) => s.first_activity));
      const activeTo = max(mine.map((s) => s.last_activity));
      const overlaps = activeFrom !== null && activeTo !== null && (!window.until || activeFrom <= window.until) && (!window.since || activeTo >= window.since);
      const evidence: EvidenceRef[] = [];
      for (const e of [edge.get(tool), lastEdge.get(tool)] as ({ file_id: number; locator: string } | undefined)[]) if (e) evidence.push({ file_id: e.file_id, locator: e.locator });
      if (evidence.length === 0) for (const s of mine) evidence.push({ file_id: s.file_id, locator: null });
      const streams = mine.flatMap((s) => bounded.all(s.path) as { command: string }[]);
      const parts = [
        events > 0 ? `${TOOLS[tool]} has ${events} event(s) from ${first} to ${last} (${mine.map((s) => s.path).join(', ')}) but none inside ${windowText}` : `${TOOLS[tool]} left no events, only its own log lines (${mine.map((s) => s.path).join(', ')}), and none inside ${windowText}`,
        overlaps
          ? `its own log shows it running from ${activeFrom} to ${activeTo}, so it was watching and raised nothing then`
          : 'nothing shows it running during the window: the window is not covered',
      ];
      if (streams.length > 0) parts.push(`${streams[0]!.command} is a live stream read only during collection: it cannot show past events; collect the export log for history`);
      rows.push({
        subject_kind: 'source',
        subject_name: TOOLS[tool]!,
        subject_host: mine[0]!.host,
        key: 'outside-window',
        reason: parts.join('; '),
        evidence,
        first_seen: first,
        last_seen: last,
      });
    }
    return rows;
  },
});

function min(values: (string | null)[]): string | null {
  return values.filter((v): v is string => v !== null).sort()[0] ?? null;
}

function max(values: (string | null)[]): string | null {
  return values.filter((v): v is string => v !== null).sort().at(-1) ?? null;
}
