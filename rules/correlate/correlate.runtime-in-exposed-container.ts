import type { SubjectFields } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { EVENT_IDENTITY, notKubeletExec, subjectFields } from '../../src/ingest/runtime/event-groups.js';
import { groupBy } from '../../src/util/group-by.js';

type Alert = Required<SubjectFields> & {
  container_row: number | null;
  tool: string;
  event_type: string | null;
  priority: string | null;
  severity: string;
  indicator: string | null;
  container_name: string | null;
  pod: string | null;
  namespace: string | null;
  n: number;
  first: string | null;
  last: string | null;
  refs: string;
  attacks: string;
};

interface Exposure {
  exposure: string;
  detail: string;
  file_id: number;
  locator: string;
  /** A baseline system workload needs it (pod_exposures.expected): still real, said in the reason. */
  expected?: number;
}

const TOOL_NAMES: Record<string, string> = { falco: 'Falco', tetragon: 'Tetragon', tracee: 'Tracee' };
/** How many alert lines of one kind are pointed at. */
const REFS = 5;

export default defineRule({
  meta: {
    id: 'correlate.runtime-in-exposed-container',
    title: 'Runtime alert in a container that can reach the host',
    severity: 'MALICIOUS',
    group: 'runtime',
    attack: ['T1611'],
    redFlag: true,
    description:
      'An eBPF sensor (Falco, Tetragon or Tracee) saw attacker-like activity inside a container whose configuration hands over the host: privileged, sharing the host PID/network/IPC namespace, holding the container runtime socket, or mounting sensitive host paths. Each is harmless-looking alone; together they mean someone was active in the one place from which taking the node takes a single command. Treat the node as compromised until shown otherwise.',
    remediation:
      'Isolate the node (cordon and drain, or stop new scheduling), preserve the container and host state, and examine the host for what the exposure allows: containers started through the runtime socket, host files written through the mount, processes in host namespaces, kernel modules. Remove the exposure from the workload before it runs again.',
    falsePositives: 'Privileged node agents (CNI, CSI, monitoring) exec tools by design; confirm the image and the commands in the alerts.',
  },
  run({ db }) {
    // Runtime alerts: every Falco alert of priority Notice or higher, every Tracee signature, and
    // Tetragon/Tracee events raised for a shell, tool, sensitive file or syscall.
    const alerts = db
      .prepare(
        `select container_row, tool, event_type, max(priority) as priority, max(severity) as severity, max(indicator) as indicator,
                container_name, pod, namespace, subject_kind, subject_name, subject_namespace, subject_id, subject_container,
                subject_image, subject_host, count(distinct ${EVENT_IDENTITY}) as n, min(time) as first, max(time) as last,
                json_group_array(json_object('file_id', file_id, 'locator', locator)) as refs,
                json_group_array(distinct attack) as attacks
           from (select * from runtime_event_subjects
                  where (severity <> 'INFO' or indicator = 'signature' or (tool = 'falco' and lower(priority) = 'notice'))
                    and (tool = 'falco' or indicator = 'signature' or ${notKubeletExec(db)})
                    and (container_id is not null or pod is not null)
                  order by time, id)
          group by coalesce(container_row, -1), coalesce(container_id, ''), coalesce(pod, ''), coalesce(namespace, ''), tool, coalesce(event_type, ''), coalesce(indicator, '')`,
      )
      .all() as Alert[];
    if (alerts.length === 0) return [];

    const byContainer = groupBy(
      db.prepare('select container_row, exposure, detail, file_id, locator from container_exposures').all() as (Exposure & { container_row: number })[],
      (e) => e.container_row,
    );
    // The Kubernetes pod specs (src/case-db/schema/30-kubernetes.sql).
    const podExposures = db
      .prepare('select namespace, pod, container, exposure, detail, file_id, locator, expected from pod_exposures')
      .all() as (Exposure & { namespace: string | null; pod: string; container: string | null })[];

    const rows: FindingRow[] = [];
    for (const a of alerts) {
      const exposures: Exposure[] = [...(a.container_row !== null ? (byContainer.get(a.container_row) ?? []) : [])];
      if (a.pod) {
        const container = a.subject_container ?? a.container_name;
        for (const p of podExposures) {
          if (p.pod !== a.pod || (p.namespace ?? null) !== (a.subject_namespace ?? a.namespace ?? null)) continue;
          if (p.container && container && p.container !== container) continue;
          exposures.push(p);
        }
      }
      if (exposures.length === 0) continue;
      const refs = (JSON.parse(a.refs) as { file_id: number; locator: string }[]).slice(0, REFS);
      const attack = new Set<string>();
      for (const text of JSON.parse(a.attacks) as (string | null)[]) for (const id of text ? (JSON.parse(text) as string[]) : []) attack.add(id);
      const what = a.tool === 'falco' ? `rule "${a.event_type}" (${a.priority})` : a.indicator === 'signature' ? `signature "${a.event_type}"` : `${a.event_type} (${a.indicator})`;
      const when = a.n === 1 ? `at ${a.first}` : `${a.n} times from ${a.first} to ${a.last}`;
      const seen = new Set<string>();
      for (const x of exposures) {
        if (seen.has(`${x.exposure}\u0000${x.detail}`)) continue;
        seen.add(`${x.exposure}\u0000${x.detail}`);
        rows.push({
          ...subjectFields(a),
          reason: `${TOOL_NAMES[a.tool] ?? a.tool} ${what} ${when} in a container with ${x.exposure}: ${x.detail}${x.expected ? ' (expected for this system workload, yet the activity is not)' : ''}`,
          evidence: [...refs, { file_id: x.file_id, locator: x.locator }],
          first_seen: a.first,
          last_seen: a.last,
          attack: [...attack],
          details: { exposures: exposures.map((e) => `${e.exposure}: ${e.detail}`) },
        });
      }
    }
    return rows;
  },
});
