import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { inIncidentWindow, windowText } from '../../src/ingest/kubernetes/window.js';

interface NodeRow {
  name: string;
  created: string | null;
  kubelet_version: string | null;
  os_image: string | null;
  kernel_version: string | null;
  container_runtime: string | null;
  architecture: string | null;
  internal_ip: string | null;
  file_id: number;
  locator: string;
}

const ATTRIBUTES: [keyof NodeRow, string][] = [
  ['kubelet_version', 'kubelet version'],
  ['os_image', 'OS image'],
  ['container_runtime', 'container runtime'],
  ['architecture', 'architecture'],
];

function version(v: string | null): number[] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function newer(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  return false;
}

export default defineRule({
  meta: {
    id: 'k8s.node.unexpected',
    title: 'Unexpected, late-joined or odd node',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1078'],
    description:
      'A node is a kubelet with credentials: an attacker who holds a bootstrap token or node credentials can join a machine of their own and have pods (and their Secrets and tokens) scheduled onto it. Reported: a node that is not in the configured expected_nodes list, a node created inside the incident window, a node whose kubelet version, OS image, container runtime or architecture differs from what the majority of nodes run, and a kubelet newer than the API server (outside the supported version skew).',
    remediation: 'Confirm the node with whoever runs the infrastructure; cordon and drain it if unknown, delete the Node object, revoke bootstrap tokens (kubeadm token list) and node certificates, and check which pods ran on it.',
    falsePositives: 'Autoscaled node pools join nodes all the time; rolling upgrades leave mixed versions for a while.',
  },
  run({ db, config }) {
    const nodes = db
      .prepare('select name, created, kubelet_version, os_image, kernel_version, container_runtime, architecture, internal_ip, file_id, locator from k8s_nodes order by name')
      .all() as NodeRow[];
    if (nodes.length === 0) return [];
    const expected = config.expected_nodes;
    const server = (db.prepare('select server_version from k8s_cluster_version where server_version is not null limit 1').get() as { server_version: string } | undefined)?.server_version ?? null;
    const api = version(server);
    const majority = new Map<keyof NodeRow, string>();
    for (const [attr] of ATTRIBUTES) {
      const counts = new Map<string, number>();
      for (const n of nodes) if (n[attr]) counts.set(String(n[attr]), (counts.get(String(n[attr])) ?? 0) + 1);
      for (const [value, count] of counts) if (count * 2 > nodes.length) majority.set(attr, value);
    }
    const out: FindingRow[] = [];
    for (const n of nodes) {
      const reasons: string[] = [];
      if (expected.length > 0 && !expected.includes(n.name)) reasons.push(`not in the expected_nodes list (${expected.length} node${expected.length === 1 ? '' : 's'} expected)`);
      if (inIncidentWindow(n.created, config)) reasons.push(`joined the cluster at ${n.created}, inside the incident window (${windowText(config)})`);
      for (const [attr, label] of ATTRIBUTES) {
        const common = majority.get(attr);
        if (common !== undefined && n[attr] && n[attr] !== common) reasons.push(`${label} ${String(n[attr])} unlike the other nodes (${common})`);
      }
      const kubelet = version(n.kubelet_version);
      if (kubelet && api && newer(kubelet, api)) reasons.push(`kubelet ${n.kubelet_version} is newer than the API server ${server} (outside the supported version skew)`);
      if (reasons.length === 0) continue;
      out.push({
        subject_kind: 'node',
        subject_name: n.name,
        reason: `node ${n.name}${n.internal_ip ? ` (${n.internal_ip})` : ''}: ${reasons.join('; ')}`,
        first_seen: n.created,
        evidence: [
          { file_id: n.file_id, locator: `${n.locator}/metadata/creationTimestamp` },
          { file_id: n.file_id, locator: `${n.locator}/status/nodeInfo` },
        ],
        details: {
          table: {
            columns: ['node', 'created', 'kubelet', 'OS image', 'kernel', 'runtime'],
            rows: nodes.map((x) => [x.name, x.created, x.kubelet_version, x.os_image, x.kernel_version, x.container_runtime]),
          },
        },
      });
    }
    return out;
  },
});
