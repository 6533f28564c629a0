import { defineRule, type EvidenceRef, type FindingRow } from '../../src/engine/rule.js';
import { chainPerCapability, grantEvidence, powerText, serviceAccountPower, summarise, uniqueEvidence } from '../../src/ingest/kubernetes/rbac-chains.js';
import { groupBy } from '../../src/util/group-by.js';

interface PodRow {
  id: number;
  namespace: string;
  name: string;
  node_name: string | null;
  service_account: string;
  host_network: number;
  owner_desc: string;
  subject_id: string | null;
  token_file_id: number;
  token_locator: string;
  created: string | null;
  file_id: number;
  field_locators: string;
}

interface Exposure {
  spec_id: number;
  pod: string;
  namespace: string;
  node_name: string | null;
  container: string | null;
  exposure: string;
  detail: string;
  file_id: number;
  locator: string;
}

/** Exposures that let a pod read the node's files, hence every other pod's token under /var/lib/kubelet. */
function readsNode(e: Exposure): boolean {
  if (e.exposure === 'privileged' || e.exposure === 'host-pid' || e.exposure === 'runtime-socket') return true;
  if (e.exposure !== 'sensitive-mount') return false;
  const path = /^hostPath (\S+)/.exec(e.detail)?.[1]?.replace(/\/+$/, '') ?? '';
  return path === '' || '/var/lib/kubelet'.startsWith(`${path}/`) || path === '/var/lib/kubelet' || path.startsWith('/var/lib/kubelet/');
}

export default defineRule({
  meta: {
    id: 'correlate.token-to-power',
    title: 'Powerful service-account token reachable from an exposed or externally reachable pod',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1528', 'T1552.007'],
    description:
      'Joins three things no single source shows together: a pod that mounts its service-account token, what that token can do through the RBAC graph (read secrets, exec, create pods, bind or escalate roles, impersonate, ...), and how an attacker gets to the pod: it is externally reachable (hostNetwork, a hostPort, a NodePort or LoadBalancer Service or external IP selecting it), it is itself exposed (privileged, host namespaces, sensitive hostPath), or it runs on a node where another pod is exposed enough to read the node\'s files, and with them every token under /var/lib/kubelet. That is the path from one foothold to the cluster.',
    remediation:
      'Cut one link: set automountServiceAccountToken: false where the API is not needed, narrow the service account\'s role, remove the exposure of the neighbouring pod, or stop publishing the pod outside the cluster. Rotate the token (delete the pod) if the pod may have been compromised.',
  },
  run({ db }) {
    const power = serviceAccountPower(db);
    if (power.size === 0) return [];
    const pods = db
      .prepare(
        `select s.id, s.namespace, s.name, s.node_name, s.service_account, s.host_network, s.owner_desc, s.subject_id, t.token_file_id, t.token_locator,
                s.created, s.file_id, s.field_locators
           from k8s_spec_subjects s join k8s_spec_tokens t on t.spec_id = s.id
          where s.source = 'pod' and t.mounted = 1 and coalesce(s.phase, 'Running') not in ('Succeeded', 'Failed')
          order by s.namespace, s.name`,
      )
      .all() as PodRow[];
    const exposures = db
      .prepare('select spec_id, pod, namespace, node_name, container, exposure, detail, file_id, locator from pod_exposures where expected = 0 order by namespace, pod')
      .all() as Exposure[];
    const hostPorts = db
      .prepare(`select spec_id, name, host_ports, file_id, locator from k8s_containers where host_ports is not null`)
      .all() as { spec_id: number; name: string; host_ports: string; file_id: number; locator: string }[];
    const services = db
      .prepare(
        `select m.object_id as pod_object, p.id as spec_id, v.namespace, v.name, v.type, v.node_ports, v.external_ips, v.lb_ingress, v.file_id, v.locator
           from k8s_services v
           join k8s_selector_matches m on m.selector_id = v.selector_id
           join k8s_pod_specs p on p.object_id = m.object_id
          where v.type in ('NodePort', 'LoadBalancer') or v.external_ips is not null`,
      )
      .all() as { spec_id: number; namespace: string; name: string; type: string; node_ports: string | null; external_ips: string | null; file_id: number; locator: string }[];
    // Looked up per pod: grouped once (by pod spec, and by node for the node-reading neighbours).
    const exposuresBySpec = groupBy(exposures, (e) => e.spec_id);
    const nodeReadersByNode = groupBy(exposures.filter(readsNode), (e) => e.node_name);
    const hostPortsBySpec = groupBy(hostPorts, (h) => h.spec_id);
    const servicesBySpec = groupBy(services, (v) => v.spec_id);

    const out: FindingRow[] = [];
    for (const pod of pods) {
      const grants = power.get(`${pod.namespace}/${pod.service_account}`);
      if (!grants || grants.length === 0) continue;
      const paths: string[] = [];
      const evidence: EvidenceRef[] = [{ file_id: pod.token_file_id, locator: pod.token_locator }];
      if (pod.host_network === 1) {
        paths.push('it uses the host network (reachable on the node\'s addresses)');
        evidence.push({ file_id: pod.file_id, locator: (JSON.parse(pod.field_locators) as Record<string, string>).host_network ?? null });
      }
      for (const hp of hostPortsBySpec.get(pod.id) ?? []) {
        const ports = (JSON.parse(hp.host_ports) as { hostPort: number | null }[]).map((p) => p.hostPort).filter((p) => p !== null);
        if (ports.length > 0 && pod.host_network !== 1) {
          paths.push(`container ${hp.name} publishes hostPort ${ports.join(', ')}`);
          evidence.push({ file_id: hp.file_id, locator: `${hp.locator}/ports` });
        }
      }
      for (const svc of servicesBySpec.get(pod.id) ?? []) {
        const ports = svc.node_ports ? (JSON.parse(svc.node_ports) as number[]) : [];
        paths.push(`Service ${svc.namespace}/${svc.name} of type ${svc.type}${ports.length ? ` (nodePort ${ports.join(', ')})` : ''}${svc.external_ips ? ` with external IPs ${(JSON.parse(svc.external_ips) as string[]).join(', ')}` : ''} selects it`);
        evidence.push({ file_id: svc.file_id, locator: `${svc.locator}/spec` });
      }
      const own = exposuresBySpec.get(pod.id) ?? [];
      if (own.length > 0) {
        paths.push(`it is itself exposed: ${[...new Set(own.map((e) => e.detail))].join(', ')}`);
        evidence.push(...own.map((e) => ({ file_id: e.file_id, locator: e.locator })));
      }
      const neighbours = pod.node_name ? (nodeReadersByNode.get(pod.node_name) ?? []).filter((e) => e.spec_id !== pod.id) : [];
      for (const [key, list] of groupBy(neighbours, (e) => `${e.namespace}/${e.pod}`)) {
        paths.push(`pod ${key} on the same node ${pod.node_name} can read the node's files and so this token (${[...new Set(list.map((e) => e.detail))].join(', ')})`);
        evidence.push(...list.slice(0, 2).map((e) => ({ file_id: e.file_id, locator: e.locator })));
      }
      if (paths.length === 0) continue;
      out.push({
        subject_kind: 'pod',
        subject_name: pod.name,
        subject_namespace: pod.namespace,
        subject_id: pod.subject_id,
        reason:
          `${pod.owner_desc} mounts the token of ServiceAccount ${pod.namespace}/${pod.service_account}, which can ${powerText(grants)}; ` +
          `reachable because ${summarise(paths, 4)}; grants: ${summarise(chainPerCapability(grants), 3)}`,
        evidence: uniqueEvidence([...evidence, ...grants.flatMap(grantEvidence)]),
        first_seen: pod.created,
        details: { table: { columns: ['path to the token'], rows: paths.map((p) => [p]) } },
      });
    }
    return out;
  },
});
