import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { bySubject, chainText, grantEvidence, isExpected, powerText, subjectColumns, subjectText, summarise, uniqueEvidence, type Grant } from '../../src/ingest/kubernetes/rbac-chains.js';

export default defineRule({
  meta: {
    id: 'k8s.rbac.escalation-verb',
    title: 'Subject holds a privilege-escalation permission',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1078', 'T1098'],
    description:
      'Some permissions are worth more than they look: escalate and bind (write or bind roles beyond one\'s own rights), impersonate (act as any user, group or service account), create pods or pod controllers (run any image with any service account and host mounts), pods/exec, pods/attach and pods/portforward (run commands in or reach into other workloads), nodes/proxy (the kubelet API: exec in every pod of a node), serviceaccounts/token (mint tokens), certificatesigningrequests approval (mint client certificates) and admission webhook configuration writes (intercept or disable admission). Each finding lists the capabilities and the chain subject → binding → role → rule that grants them, computed through groups and aggregated ClusterRoles. Built-in controllers of a normal cluster are not reported; subjects holding */*/* cluster-wide are reported by k8s.rbac.cluster-admin.',
    remediation: 'Remove the permission from the role or the binding; prefer narrowly scoped roles per namespace. Review the audit log for its use (exec, token requests, role writes).',
    falsePositives: 'CI/CD deployers need create on workloads in their namespaces; namespace admins (the admin/edit roles) hold exec and create pods in their namespace.',
  },
  run({ db }) {
    const rows = (
      db
        .prepare(
          `select * from k8s_capability_grants
            where capability <> 'secrets-read' and full_wildcard = 0
            order by subject_kind, subject_namespace, subject_name, capability, scope, binding_name, rule_index`,
        )
        .all() as Grant[]
    ).filter((g) => !isExpected(g));
    const out: FindingRow[] = [];
    for (const grants of bySubject(rows)) {
      const g = grants[0]!;
      out.push({
        ...subjectColumns(g),
        reason: `${subjectText(db, g)} can ${powerText(grants)}: ${summarise(grants.map((x) => chainText(x)), 3)}`,
        evidence: uniqueEvidence(grants.flatMap(grantEvidence)),
        details: {
          table: {
            columns: ['capability', 'scope', 'verbs', 'resources', 'chain'],
            rows: grants.map((x) => [x.capability!, x.scope, x.verbs, x.resources, chainText(x)]),
          },
        },
      });
    }
    return out;
  },
});
