import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { specExposures } from '../../src/ingest/audit/pod-spec.js';
import { cite, citedRow, Dict, hasAuditEvents, incidentWindow, inIds, isControlPlane, type EventRow, EVENT_COLUMNS } from '../../src/ingest/audit/rule-support.js';

const KINDS: Record<string, string> = {
  pods: 'pod',
  deployments: 'deployment',
  daemonsets: 'daemonset',
  statefulsets: 'statefulset',
  replicasets: 'replicaset',
  replicationcontrollers: 'replicationcontroller',
  jobs: 'job',
  cronjobs: 'cronjob',
};

export default defineRule({
  meta: {
    id: 'audit.privileged-workload-created',
    title: 'Privileged or host-exposed workload created through the API',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1610', 'T1611'],
    description:
      "A create, update or patch whose request body (requestObject) asks for a privileged container, the host's PID, network or IPC namespace, a dangerous capability, or a hostPath mount of a sensitive path (the host root, /etc, runtime sockets, kubelet state). Such a pod is root on its node; creating one is the classic escape from API access to the host. Only visible when the audit policy logs pods and workloads at Request level or above (see audit.metadata-only).",
    remediation:
      'Confirm the workload and its author; delete it if unexpected and investigate the node it ran on. Enforce Pod Security Admission (baseline or restricted) on namespaces that do not need host access.',
    falsePositives: 'CNI, CSI, logging and monitoring agents are privileged by design; their installation by an administrator is expected. Controllers creating pods from an existing template are not reported (the template change is).',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const window = incidentWindow(config);
    // Filter in SQL (resource, verb, not a Kubernetes component) so that only the candidate
    // bodies are read and parsed, one at a time: a RequestResponse log holds gigabytes of them.
    const resources = Object.keys(KINDS).map((r) => dict.id(r));
    const verbs = ['create', 'update', 'patch'].map((v) => dict.id(v));
    const system = dict.idsWhere("value like 'system:node:%' or value like 'system:serviceaccount:kube-system:%' or value in ('system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver', 'system:kube-proxy')");
    const rows = db
      .prepare(
        `select ${EVENT_COLUMNS}, o.object from audit_objects o join audit_events e on e.id = o.event_id
          where e.subresource is null and e.resource ${inIds(resources)} and e.verb ${inIds(verbs)}
            and (e.username is null or e.username not ${inIds(system)}) and ${window.sql} order by e.ts`,
      )
      .iterate() as Iterable<EventRow & { object: string }>;
    const out: FindingRow[] = [];
    for (const e of rows) {
      const resource = dict.value(e.resource) ?? '';
      const kind = KINDS[resource];
      const verb = dict.value(e.verb) ?? '';
      if (!kind || !['create', 'update', 'patch'].includes(verb)) continue;
      const username = dict.value(e.username);
      if (isControlPlane(username)) continue;
      let object: unknown;
      try {
        object = JSON.parse(e.object);
      } catch {
        continue;
      }
      const found = specExposures(object, config);
      if (found.length === 0) continue;
      const meta = (object as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
      const name = dict.value(e.name) ?? (typeof meta?.name === 'string' ? meta.name : '(unnamed)');
      const namespace = dict.value(e.namespace) ?? (typeof meta?.namespace === 'string' ? meta.namespace : null);
      const denied = e.code !== null && e.code >= 400;
      const cited = cite([e]);
      out.push(
        citedRow(
          {
            subject_kind: kind,
            subject_name: name,
            subject_namespace: namespace,
            key: e.audit_id,
            reason: `${username ?? '(unauthenticated)'} ${verb === 'create' ? 'created' : verb === 'patch' ? 'patched' : 'updated'} ${kind} ${namespace ? `${namespace}/` : ''}${name} with ${found
              .map((x) => x.detail)
              .join('; ')}${denied ? ` — the request was rejected (HTTP ${e.code}), so this was an attempt` : ''}; ${cited.text}`,
          },
          cited,
          { user: username, verb, exposures: found.map((x) => ({ exposure: x.exposure, detail: x.detail, pointer: `requestObject${x.pointer}` })), rejected: denied },
        ),
      );
    }
    return out;
  },
});
