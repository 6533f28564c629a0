import { defineRule, type FindingRow } from '../../src/engine/rule.js';

interface Candidate {
  file_id: number;
  locator: string;
  resource: string;
  namespace: string | null;
  name: string;
  kind: string | null;
  path: string;
  host: string | null;
  input_id: number;
  key: string;
}

/** Kubernetes kind → its API resource name (Pod → pods, NetworkPolicy → networkpolicies, Endpoints → endpoints). */
function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (k.endsWith('s') || k.endsWith('x')) return `${k}es`;
  return `${k}s`;
}

/** etcd storage names that are not the API resource's name (kube-apiserver's historical prefixes). */
const STORAGE_NAMES: Readonly<Record<string, string>> = {
  minions: 'nodes',
  'services/specs': 'services',
  'services/endpoints': 'endpoints',
  ingress: 'ingresses',
  podsecuritypolicy: 'podsecuritypolicies',
};

/** The API resource of an etcd key's resource part: storage names mapped, `<group>/` prefixes dropped. */
function apiResource(storage: string): string {
  return STORAGE_NAMES[storage] ?? storage.slice(storage.lastIndexOf('/') + 1);
}

export default defineRule({
  meta: {
    id: 'etcd.hidden-object',
    title: 'Object in etcd but absent from the API dump',
    severity: 'SUSPICIOUS',
    group: 'control-plane',
    attack: [],
    description:
      'The etcd snapshot holds a live object that the same bundle\'s kubectl dump of that resource does not list. Either it was created between the dump and the snapshot, or something between the API server and kubectl hid it (a malicious aggregated API, an altered kubectl, a tampered dump). A ClusterRoleBinding or a pod seen only in etcd deserves a close look. Only resources and namespaces that the dump covers are compared.',
    remediation:
      'Compare the object\'s creation time with the collection times. Read it from etcd (etcdctl get the key, or decode it from the snapshot) and, if it grants access or runs code, remove it and find who created it in the audit log.',
  },
  run({ db }) {
    // What the dumps cover: per input, which resources (and for namespaced ones, which namespaces).
    const dumped = new Set<string>();
    const covered = new Set<string>();
    const coveredNamespaces = new Set<string>();
    for (const o of db
      .prepare('select f.input_id, o.kind, o.namespace, o.name from k8s_objects o join files f on f.id = o.file_id')
      .iterate() as Iterable<{ input_id: number; kind: string; namespace: string | null; name: string }>) {
      const resource = resourceOf(o.kind);
      covered.add(`${o.input_id}\u0000${resource}`);
      if (o.namespace) coveredNamespaces.add(`${o.input_id}\u0000${resource}\u0000${o.namespace}`);
      dumped.add(`${o.input_id}\u0000${resource}\u0000${o.namespace ?? ''}\u0000${o.name}`);
    }
    if (covered.size === 0) return [];
    const rows: FindingRow[] = [];
    const candidates = db
      .prepare(
        `select v.file_id, v.locator, v.key, v.resource, v.namespace, v.name, v.kind, f.path, i.host, f.input_id
           from etcd_values v join files f on f.id = v.file_id join inputs i on i.id = f.input_id
          where v.level = 'live' and v.resource is not null and v.name is not null and v.value_kind <> 'tombstone'`,
      )
      .iterate() as Iterable<Candidate>;
    for (const v of candidates) {
      const resource = apiResource(v.resource);
      if (!covered.has(`${v.input_id}\u0000${resource}`)) continue;
      if (v.namespace && !coveredNamespaces.has(`${v.input_id}\u0000${resource}\u0000${v.namespace}`)) continue;
      if (dumped.has(`${v.input_id}\u0000${resource}\u0000${v.namespace ?? ''}\u0000${v.name}`)) continue;
      rows.push({
        subject_kind: (v.kind ?? resource).toLowerCase(),
        subject_name: v.name,
        subject_namespace: v.namespace,
        subject_host: v.host,
        reason: `${v.key} is live in etcd snapshot ${v.path} (${v.locator}) but absent from the kubectl dump of ${resource}`,
        file_id: v.file_id,
        locator: v.locator,
      });
    }
    return rows;
  },
});
