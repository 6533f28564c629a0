import { defineRule, type EvidenceRef, type FindingRow } from '../../src/engine/rule.js';

interface Policy {
  file_id: number;
  locator: string;
  kind: string;
  name: string;
  namespace: string | null;
  created: string | null;
  hooks: string;
  actions: string;
  selectors: string | null;
  host: string | null;
}

export default defineRule({
  meta: {
    id: 'runtime.tetragon-policies',
    title: 'Tetragon TracingPolicies in force',
    severity: 'INFO',
    group: 'runtime',
    attack: [],
    description:
      'Without a TracingPolicy, Tetragon reports only process starts and exits. File access, network connections, namespace and module syscalls are visible only where a TracingPolicy hooks them, and only for the pods its selectors match. This inventory says what Tetragon could have seen (and what it enforced), so that missing events are read correctly.',
    remediation:
      'Keep the policies with the case. If none is in force, add policies for sensitive file access (security_file_permission on /etc, service account tokens), outbound connections (tcp_connect) and escape syscalls (setns, mount, init_module), and export their events to durable storage.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const policies = db
      .prepare('select p.*, i.host from tetragon_policies p join files f on f.id = p.file_id join inputs i on i.id = f.input_id order by p.namespace, p.name, p.id')
      .all() as Policy[];
    for (const p of policies) {
      const hooks = JSON.parse(p.hooks) as string[];
      const actions = JSON.parse(p.actions) as string[];
      const enforcing = actions.filter((a) => /sigkill|override|notifyenforcer|signal/i.test(a));
      rows.push({
        subject_kind: 'tracingpolicy',
        subject_name: p.name,
        subject_namespace: p.namespace,
        subject_host: p.host,
        reason: `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} hooks ${hooks.length ? hooks.join(', ') : 'nothing'}${actions.length ? `; actions ${actions.join(', ')}` : ''}${enforcing.length ? ' (enforcing)' : ''}${p.selectors ? `; limited to ${p.selectors}` : '; all pods and host processes'}${p.created ? `; created ${p.created}` : ''}`,
        file_id: p.file_id,
        locator: p.locator,
        first_seen: p.created,
      });
    }
    // Policies named by kprobe/tracepoint events although their definition was not collected.
    const known = new Set(policies.map((p) => p.name));
    const fromEvents = db
      .prepare(
        `select policy, count(*) as n, min(time) as first, max(time) as last, group_concat(distinct hook) as hooks,
                (select file_id from runtime_events x where x.tool = 'tetragon' and x.policy = e.policy order by x.id limit 1) as file_id,
                (select locator from runtime_events x where x.tool = 'tetragon' and x.policy = e.policy order by x.id limit 1) as locator,
                (select node from runtime_events x where x.tool = 'tetragon' and x.policy = e.policy order by x.id limit 1) as node
           from runtime_events e where tool = 'tetragon' and policy is not null group by policy order by policy`,
      )
      .all() as { policy: string; n: number; first: string | null; last: string | null; hooks: string | null; file_id: number; locator: string; node: string | null }[];
    for (const p of fromEvents) {
      if (known.has(p.policy)) continue;
      rows.push({
        subject_kind: 'tracingpolicy',
        subject_name: p.policy,
        subject_host: p.node,
        reason: `TracingPolicy ${p.policy} was in force (${p.n} event(s) from ${p.first} to ${p.last}, hooks ${p.hooks ?? '?'}) but its definition was not collected`,
        file_id: p.file_id,
        locator: p.locator,
        first_seen: p.first,
        last_seen: p.last,
      });
    }
    if (rows.length > 0) return rows;

    // Tetragon is there (events or a policy listing) but nothing says a policy was in force: a gap.
    const files = db
      .prepare("select f.id, f.path, f.kind, i.host from files f join inputs i on i.id = f.input_id where f.kind in ('tetragon-events', 'tetragon-policies') order by f.id")
      .all() as { id: number; path: string; kind: string; host: string | null }[];
    if (files.length === 0) return [];
    const types = db.prepare("select event_type, count(*) as n from runtime_events where tool = 'tetragon' group by event_type order by event_type").all() as { event_type: string; n: number }[];
    const evidence: EvidenceRef[] = files.map((f) => ({ file_id: f.id, locator: f.kind === 'tetragon-policies' ? '/items' : 'line 1' }));
    const listing = files.filter((f) => f.kind === 'tetragon-policies');
    const hooked = types.filter((t) => t.event_type !== 'process_exec' && t.event_type !== 'process_exit');
    if (hooked.length > 0) {
      rows.push({
        subject_kind: 'source',
        subject_name: 'Tetragon TracingPolicies',
        subject_host: files[0]!.host,
        key: 'unnamed',
        reason: `${hooked.map((t) => `${t.event_type} (${t.n})`).join(', ')} events show a TracingPolicy was in force, but neither its name nor its definition was collected`,
        evidence,
      });
      return rows;
    }
    rows.push({
      subject_kind: 'source',
      subject_name: 'Tetragon TracingPolicies',
      subject_host: files[0]!.host,
      key: 'none',
      reason: `no TracingPolicy in force: ${listing.length > 0 ? `${listing.map((f) => f.path).join(', ')} lists none` : 'no policy listing was collected'}${types.length > 0 ? ` and the events are only ${types.map((t) => `${t.event_type} (${t.n})`).join(', ')}` : ''}; Tetragon saw process starts and exits, not file access, network connections or syscalls`,
      evidence,
    });
    return rows;
  },
});
