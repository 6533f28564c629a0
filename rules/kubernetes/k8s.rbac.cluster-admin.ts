import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { bySubject, chainText, grantEvidence, isExpected, roleText, subjectColumns, subjectText, summarise, uniqueEvidence, type Grant } from '../../src/ingest/kubernetes/rbac-chains.js';
import { inIncidentWindow } from '../../src/ingest/kubernetes/window.js';

export default defineRule({
  meta: {
    id: 'k8s.rbac.cluster-admin',
    title: 'Subject bound to cluster-admin (or an equivalent */*/* role) cluster-wide',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1078', 'T1098.006'],
    description:
      'A ClusterRoleBinding gives the subject every verb on every resource of every API group in every namespace: it can read all Secrets, create privileged pods on any node and rewrite RBAC. Attackers bind their foothold service account or user to cluster-admin (or to a look-alike role with */*/*) to keep full control. The built-in bindings of a kubeadm cluster (system:masters, kubeadm:cluster-admins) are not reported; everything else is, with the chain that grants it.',
    remediation:
      'Confirm who owns the subject and why it needs cluster-wide administration; delete the binding (or bind a narrower role). For a service account, rotate its tokens and review what it did in the audit log.',
    falsePositives: 'Cluster operators and GitOps controllers (Argo CD, Flux) are often bound to cluster-admin by design.',
  },
  run({ db, config }) {
    const rows = db
      .prepare(
        `select subject_kind, subject_name, subject_namespace, scope, binding_kind, binding_namespace, binding_name, binding_id, binding_created,
                role_kind, role_namespace, role_name, role_id, via_role_name, via_role_id, rule_index, resource_name, builtin,
                subject_file_id, subject_locator, binding_file_id, binding_locator, rule_file_id, rule_locator,
                verb as verbs, api_group as api_groups, resource as resources
           from k8s_effective_permissions
          where binding_kind = 'ClusterRoleBinding' and verb = '*' and api_group = '*' and resource = '*' and resource_name is null
          order by subject_kind, subject_namespace, subject_name, binding_name`,
      )
      .all() as Grant[];
    const out: FindingRow[] = [];
    for (const grants of bySubject(rows.filter((g) => !isExpected(g)))) {
      const g = grants[0]!;
      const recent = grants.filter((x) => inIncidentWindow(x.binding_created, config)).map((x) => x.binding_name);
      const chains = grants.map((x) => chainText(x));
      out.push({
        ...subjectColumns(g),
        reason:
          `${subjectText(db, g)} has full cluster-admin rights: ${summarise(chains)}` +
          (recent.length > 0 ? `; binding ${[...new Set(recent)].join(', ')} created inside the incident window` : ''),
        evidence: uniqueEvidence(grants.flatMap(grantEvidence)),
        first_seen: grants.map((x) => x.binding_created).filter(Boolean).sort()[0] ?? null,
        details: { table: { columns: ['binding', 'role', 'created'], rows: grants.map((x) => [x.binding_name, roleText(x), x.binding_created]) } },
      });
    }
    return out;
  },
});
