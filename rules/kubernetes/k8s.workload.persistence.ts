import { defineRule, type EvidenceRef, type FindingRow, type Severity } from '../../src/engine/rule.js';
import { argvText } from '../../src/analysis/subjects.js';
import { hostilePatterns, patternsByIds } from '../../src/patterns/command-patterns.js';
import { inIncidentWindow } from '../../src/ingest/kubernetes/window.js';
import { groupBy } from '../../src/util/group-by.js';

interface SpecRow {
  id: number;
  source: string;
  kind: string;
  namespace: string | null;
  name: string;
  node_name: string | null;
  service_account: string;
  owner_kind: string | null;
  owner_name: string | null;
  owner_desc: string;
  system_component: string | null;
  created: string | null;
  last_schedule: string | null;
  schedule: string | null;
  annotations: string | null;
  labels: string | null;
  managers: string | null;
  object_locator: string;
  file_id: number;
}

interface ContainerRow {
  spec_id: number;
  name: string;
  image: string | null;
  command: string | null;
  args: string | null;
  file_id: number;
  locator: string;
  field_locators: string;
}

/** managedFields managers that are raw HTTP clients (the manager name is the user agent's product). */
const RAW_CLIENTS = /^(?:curl|wget|python-requests|python-urllib3?|python|go-http-client|okhttp|node-fetch|axios|postmanruntime|libwww-perl|powershell|httpie|undici)$/i;
const CONTROL_PLANE = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const SYSTEM_WORKLOADS = ['kube-proxy', 'coredns'];

export default defineRule({
  meta: {
    id: 'k8s.workload.persistence',
    title: 'Persistence through workloads, static pods or admission webhooks',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1053.007', 'T1610'],
    description:
      'The objects attackers use to come back: a DaemonSet (a pod on every node, new nodes included), a CronJob (code that runs again on schedule, even after the pods are cleaned up — one that has not run yet has left no pod to find), a static pod (a manifest file on a node that the API cannot delete), and a mutating admission webhook (rewrites every new pod, e.g. to inject a sidecar or a hostPath). Reported when such an object was created inside the incident window, was written by a raw HTTP client (managedFields manager curl, python-requests, ...), carries a download-and-run, reverse-shell, miner, decode-and-run or SSH-key-planting command in a container or in an exec probe or lifecycle hook the kubelet runs (MALICIOUS), looks like a static pod without being one of the control-plane components, or is named like a kubeadm system workload without being it (wrong namespace, owner, image or service account).',
    remediation:
      'Identify who created the object (audit log: create of daemonsets/cronjobs/mutatingwebhookconfigurations), delete it, and for static pods remove the manifest from the node\'s /etc/kubernetes/manifests. Check what its pods did (runtime events, node file systems).',
    falsePositives: 'Deployments of legitimate DaemonSets, CronJobs or webhooks during the window (an upgrade, a new monitoring agent) match on time alone: confirm with the change log.',
  },
  run({ db, config }) {
    const specs = db
      .prepare(
        `select s.id, s.source, s.kind, s.namespace, s.name, s.node_name, s.service_account, s.owner_kind, s.owner_name, s.owner_desc, s.system_component,
                s.created, s.last_schedule, s.schedule, o.annotations, o.labels, o.managers, o.locator as object_locator, s.file_id
           from k8s_spec_subjects s join k8s_objects o on o.id = s.object_id
          where s.kind in ('DaemonSet', 'CronJob')
             or (s.source = 'pod' and (s.owner_kind in ('Node', 'DaemonSet') or s.namespace = 'kube-system'
                 or json_extract(o.annotations, '$."kubernetes.io/config.mirror"') is not null))
          order by s.namespace, s.kind, s.name`,
      )
      .all() as SpecRow[];
    const containers = db
      .prepare('select c.spec_id, c.name, c.image, c.command, c.args, c.file_id, c.locator, c.field_locators from k8s_containers c order by c.spec_id, c.id')
      .all() as ContainerRow[];
    const containersBySpec = groupBy(containers, (c) => c.spec_id);
    // Exec probes and lifecycle hooks run by the kubelet itself: a download-and-run liveness probe
    // comes back every period, with no command in the container's own spec to give it away.
    const hostileExecs = groupBy(
      db
        .prepare(
          `select c.spec_id, c.name as container, x.purpose, x.command, x.hostile_patterns, c.file_id, x.locator
             from k8s_container_execs x join k8s_containers c on c.id = x.container_id
            where x.hostile_patterns is not null`,
        )
        .all() as { spec_id: number; container: string; purpose: string; command: string; hostile_patterns: string; file_id: number; locator: string }[],
      (x) => x.spec_id,
    );
    const daemonSets = new Set(specs.filter((s) => s.source === 'template' && s.kind === 'DaemonSet').map((s) => `${s.namespace}/${s.name}`));
    const byKey = new Map<string, { subject: FindingRow; reasons: string[]; evidence: EvidenceRef[]; severity: Severity }>();

    // One finding per object: "<what it is>: fact; fact; fact".
    const add = (key: string, subject: Omit<FindingRow, 'reason'>, what: string, fact: string, evidence: EvidenceRef[], severity: Severity) => {
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { subject: { ...subject, reason: what }, reasons: [], evidence: [], severity: 'SUSPICIOUS' }));
      if (!entry.reasons.includes(fact)) entry.reasons.push(fact);
      entry.evidence.push(...evidence);
      if (severity === 'MALICIOUS') entry.severity = 'MALICIOUS';
    };

    for (const s of specs) {
      const annotations = s.annotations ? (JSON.parse(s.annotations) as Record<string, string>) : {};
      const labels = s.labels ? (JSON.parse(s.labels) as Record<string, string>) : {};
      const mirror = s.source === 'pod' && (s.owner_kind === 'Node' || annotations['kubernetes.io/config.mirror'] !== undefined);
      const staticLooking =
        s.source === 'pod' &&
        s.namespace === 'kube-system' &&
        !mirror &&
        (labels.tier === 'control-plane' || CONTROL_PLANE.some((c) => s.name.startsWith(`${c}-`)));
      // DaemonSet pods only stand in for their DaemonSet when it is not in the evidence.
      const orphanDaemonPod = s.source === 'pod' && s.owner_kind === 'DaemonSet' && !daemonSets.has(`${s.namespace}/${s.owner_name}`);
      const isTemplate = s.source === 'template';
      if (!isTemplate && !mirror && !staticLooking && !orphanDaemonPod) continue;

      const subject: Omit<FindingRow, 'reason'> = orphanDaemonPod
        ? { subject_kind: 'daemonset', subject_name: s.owner_name!, subject_namespace: s.namespace }
        : { subject_kind: isTemplate ? s.kind.toLowerCase() : 'pod', subject_name: s.name, subject_namespace: s.namespace };
      const key = `${subject.subject_kind}/${subject.subject_namespace ?? ''}/${subject.subject_name}`;
      const what = orphanDaemonPod ? `DaemonSet ${s.owner_name} (seen through its ${s.owner_desc})` : mirror ? `static pod ${s.name} (from a manifest file on node ${s.owner_name ?? s.node_name})` : s.owner_desc;
      const created: EvidenceRef = { file_id: s.file_id, locator: `${s.object_locator}/metadata/creationTimestamp` };

      if (inIncidentWindow(s.created, config)) {
        const never = s.kind === 'CronJob' && isTemplate && !s.last_schedule ? `; it has not run yet (no lastScheduleTime), so no pod of it exists to inspect` : '';
        add(key, subject, what, `created at ${s.created}, inside the incident window${s.schedule ? ` (schedule "${s.schedule}")` : ''}${never}`, [created], 'SUSPICIOUS');
      }
      const managers = s.managers ? (JSON.parse(s.managers) as { manager: string | null; time: string | null }[]) : [];
      for (const m of managers) {
        if (m.manager && RAW_CLIENTS.test(m.manager)) {
          add(key, subject, what, `written by a raw HTTP client (managedFields manager "${m.manager}"${m.time ? ` at ${m.time}` : ''}), not by kubectl, Helm or a controller`, [{ file_id: s.file_id, locator: `${s.object_locator}/metadata/managedFields` }], 'SUSPICIOUS');
        }
      }
      const specContainers = containersBySpec.get(s.id) ?? [];
      for (const c of specContainers) {
        const command = argvText(c.command, c.args);
        const hostile = command ? hostilePatterns(command) : [];
        if (hostile.length > 0) {
          add(key, subject, what, `container ${c.name} runs "${command}" (${hostile.map((p) => p.description).join('; ')}), so MALICIOUS`, [{ file_id: c.file_id, locator: (JSON.parse(c.field_locators) as Record<string, string>).command ?? c.locator }], 'MALICIOUS');
        }
      }
      for (const x of hostileExecs.get(s.id) ?? []) {
        const why = patternsByIds(x.hostile_patterns).map((p) => p.description);
        add(key, subject, what, `container ${x.container}'s ${x.purpose} makes the kubelet run "${argvText(x.command)}" (${why.join('; ')}), so MALICIOUS`, [{ file_id: x.file_id, locator: x.locator }], 'MALICIOUS');
      }
      if (mirror && s.system_component === null) {
        add(key, subject, what, `not one of the control-plane components a kubeadm node runs (${CONTROL_PLANE.join(', ')}): a manifest dropped into the kubelet's static pod directory survives deletion through the API`, [created], 'SUSPICIOUS');
      }
      if (staticLooking) {
        add(key, subject, what, `named like a control-plane static pod but is not one (no Node owner, no kubernetes.io/config.mirror annotation)`, [created], 'SUSPICIOUS');
      }
      const lookalike = SYSTEM_WORKLOADS.find((w) => (isTemplate ? s.name === w : s.owner_name === w || s.name.startsWith(`${w}-`)));
      if (lookalike && s.system_component === null && (isTemplate || orphanDaemonPod)) {
        const image = specContainers[0]?.image;
        add(key, subject, what, `named like the kube-system workload ${lookalike} but is not it (namespace ${s.namespace}, service account ${s.service_account}${image ? `, image ${image}` : ''})`, [created], 'SUSPICIOUS');
      }
    }

    const hooks = db
      .prepare(
        `select w.config_name, w.name, w.client_url, w.service_namespace, w.service_name, w.failure_policy, w.rules, w.file_id, w.locator,
                o.created, o.managers, o.locator as object_locator
           from k8s_webhooks w join k8s_objects o on o.id = w.object_id
          where w.config_kind = 'MutatingWebhookConfiguration' order by w.config_name, w.locator`,
      )
      .all() as { config_name: string; name: string | null; client_url: string | null; service_namespace: string | null; service_name: string | null; failure_policy: string | null; rules: string | null; file_id: number; locator: string; created: string | null; managers: string | null; object_locator: string }[];
    for (const h of hooks) {
      const subject = { subject_kind: 'mutatingwebhookconfiguration', subject_name: h.config_name, subject_namespace: null };
      const key = `mwc/${h.config_name}`;
      const rules = h.rules ? (JSON.parse(h.rules) as { operations?: string[]; resources?: string[] }[]) : [];
      const scope = rules.map((r) => `${(r.operations ?? []).join('/')} ${(r.resources ?? []).join(',')}`).join('; ');
      const target = h.client_url ? `URL ${h.client_url}` : `Service ${h.service_namespace}/${h.service_name}`;
      const what = `mutating webhook ${h.name ?? '?'} of ${h.config_name} (${target}, intercepts ${scope || 'nothing listed'}, failurePolicy ${h.failure_policy ?? 'Fail'})`;
      if (inIncidentWindow(h.created, config)) add(key, subject, what, `created at ${h.created}, inside the incident window`, [{ file_id: h.file_id, locator: `${h.object_locator}/metadata/creationTimestamp` }, { file_id: h.file_id, locator: h.locator }], 'SUSPICIOUS');
      if (h.client_url) add(key, subject, what, `sends every matching object to a URL instead of an in-cluster Service: whoever runs that endpoint can rewrite the pods it sees`, [{ file_id: h.file_id, locator: `${h.locator}/clientConfig/url` }], 'SUSPICIOUS');
      const managers = h.managers ? (JSON.parse(h.managers) as { manager: string | null }[]) : [];
      for (const m of managers) {
        if (m.manager && RAW_CLIENTS.test(m.manager)) add(key, subject, what, `written by a raw HTTP client (managedFields manager "${m.manager}")`, [{ file_id: h.file_id, locator: `${h.object_locator}/metadata/managedFields` }], 'SUSPICIOUS');
      }
    }

    return [...byKey.values()].map((e) => ({ ...e.subject, severity: e.severity, reason: `${e.subject.reason}: ${e.reasons.join('; ')}`, evidence: e.evidence.slice(0, 20) }));
  },
});
