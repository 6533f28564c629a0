import { defineRule, type EvidenceRef, type FindingRow } from '../../src/engine/rule.js';
import { summarise } from '../../src/ingest/kubernetes/rbac-chains.js';
import { groupBy } from '../../src/util/group-by.js';

interface PodRow {
  object_id: number;
  namespace: string;
  name: string;
  owner_desc: string;
  system_component: string | null;
  file_id: number;
  locator: string;
}

export default defineRule({
  meta: {
    id: 'k8s.netpol.missing',
    title: 'Pods selected by no NetworkPolicy',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1046'],
    description:
      'Without a NetworkPolicy selecting a pod, every other pod of the cluster can reach it and it can reach everything (the cluster network is flat by default): one compromised pod can scan and attack the rest, reach the API server and cloud metadata endpoints, and exfiltrate freely. Reported per namespace with the pods no policy selects (label selectors evaluated as the API does), and whether the namespace has a default-deny policy. hostNetwork pods are left out: NetworkPolicies do not apply to them. Only judged when the network policies were collected (an empty list counts).',
    remediation: 'Add a default-deny policy (podSelector: {}, policyTypes: [Ingress, Egress]) in every application namespace, then allow the flows each workload needs.',
    falsePositives: 'A CNI without NetworkPolicy support, or one enforcing its own policy objects (Cilium, Calico), makes this rule blind: check those objects.',
  },
  run({ db }) {
    const collected =
      db.prepare("select 1 from k8s_lists where resource = 'NetworkPolicy' union select 1 from k8s_objects where kind = 'NetworkPolicy' limit 1").get() !== undefined;
    if (!collected) return [];
    const pods = db
      .prepare(
        `select s.object_id, s.namespace, s.name, s.owner_desc, s.system_component, s.file_id, s.locator
           from k8s_spec_subjects s
          where s.source = 'pod' and s.host_network = 0 and coalesce(s.phase, 'Running') not in ('Succeeded', 'Failed')
          order by s.namespace, s.name`,
      )
      .all() as PodRow[];
    const selected = new Set(
      (
        db
          .prepare(
            `select distinct m.object_id from k8s_selector_matches m join k8s_network_policies n on n.selector_id = m.selector_id where m.purpose = 'netpol'`,
          )
          .all() as { object_id: number }[]
      ).map((r) => r.object_id),
    );
    const policies = db
      .prepare(
        `select n.namespace, n.name, n.policy_types, n.ingress_rules, n.egress_rules, n.file_id, n.locator,
                (s.match_labels is null or s.match_labels = '{}') and s.match_expressions is null as selects_all
           from k8s_network_policies n join k8s_label_selectors s on s.id = n.selector_id`,
      )
      .all() as { namespace: string; name: string; policy_types: string; ingress_rules: number; egress_rules: number; file_id: number; locator: string; selects_all: number }[];
    const list = db.prepare("select file_id, locator from k8s_lists where resource = 'NetworkPolicy' limit 1").get() as EvidenceRef | undefined;

    const byNamespace = groupBy(pods, (p) => p.namespace);
    const out: FindingRow[] = [];
    for (const [namespace, nsPods] of byNamespace) {
      const uncovered = nsPods.filter((p) => !selected.has(p.object_id));
      if (uncovered.length === 0) continue;
      const nsPolicies = policies.filter((p) => p.namespace === namespace);
      const denyIngress = nsPolicies.some((p) => p.selects_all && JSON.parse(p.policy_types).includes('Ingress') && p.ingress_rules === 0);
      const denyEgress = nsPolicies.some((p) => p.selects_all && JSON.parse(p.policy_types).includes('Egress') && p.egress_rules === 0);
      const systemOnly = uncovered.every((p) => p.system_component !== null);
      out.push({
        subject_kind: 'namespace',
        subject_name: namespace,
        severity: systemOnly ? 'INFO' : null,
        reason:
          `${uncovered.length} of ${nsPods.length} pod${nsPods.length === 1 ? '' : 's'} in namespace ${namespace} ${uncovered.length === 1 ? 'is' : 'are'} selected by no NetworkPolicy (ingress and egress unrestricted): ` +
          summarise(uncovered.map((p) => p.owner_desc), 5) +
          (nsPolicies.length === 0 ? '; the namespace has no NetworkPolicy at all' : `; its ${nsPolicies.length} polic${nsPolicies.length === 1 ? 'y selects' : 'ies select'} other pods only`) +
          `; default-deny: ${denyIngress || denyEgress ? [denyIngress ? 'ingress' : '', denyEgress ? 'egress' : ''].filter(Boolean).join(' and ') : 'none'}` +
          (systemOnly ? ' (only baseline system pods, so INFO)' : ''),
        evidence: [...(list ? [list] : []), ...nsPolicies.map((p) => ({ file_id: p.file_id, locator: `${p.locator}/spec/podSelector` })), ...uncovered.slice(0, 10).map((p) => ({ file_id: p.file_id, locator: p.locator.replace(/\/spec$/, '/metadata/labels') }))],
        details: { table: { columns: ['pod not selected by any policy'], rows: uncovered.map((p) => [p.owner_desc]) } },
      });
    }
    return out;
  },
});
