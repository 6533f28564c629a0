import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { bySubject, chainText, grantEvidence, isExpected, roleText, scopeText, subjectColumns, subjectText, summarise, uniqueEvidence, type Grant } from '../../src/ingest/kubernetes/rbac-chains.js';

export default defineRule({
  meta: {
    id: 'k8s.rbac.wildcard',
    title: 'Wildcard RBAC rule (* verbs or * resources) bound to a subject',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1078'],
    description:
      'A Role or ClusterRole rule with verbs ["*"] or resources ["*"] grants everything of its kind, including verbs and subresources added later (pods/exec, escalate, impersonate). Bound to a service account, user or group it is rarely least privilege and often an attacker\'s shortcut. Each finding gives the chain subject → binding → role → rule. Full cluster-wide */*/* bindings are reported by k8s.rbac.cluster-admin instead; built-in system roles bound as a normal cluster binds them are not reported.',
    remediation: 'Replace the wildcard with the explicit verbs and resources the subject needs; remove the binding if the subject is unknown.',
    falsePositives: 'Operators that manage their own CRDs often get * on their own API group.',
  },
  run({ db }) {
    const rows = db
      .prepare(
        `select subject_kind, subject_name, subject_namespace, scope, binding_kind, binding_namespace, binding_name, binding_id, binding_created,
                role_kind, role_namespace, role_name, role_id, via_role_name, via_role_id, rule_index, resource_name, builtin,
                subject_file_id, subject_locator, binding_file_id, binding_locator, rule_file_id, rule_locator,
                group_concat(distinct verb) as verbs, group_concat(distinct api_group) as api_groups, group_concat(distinct resource) as resources
           from k8s_effective_permissions
          where non_resource_url is null
          group by subject_row, role_id, via_role_id, rule_index, resource_name
         having max(verb = '*' or resource = '*') = 1
            and not (binding_kind = 'ClusterRoleBinding' and max(verb = '*' and resource = '*' and api_group = '*') = 1 and resource_name is null)
          order by subject_kind, subject_namespace, subject_name, binding_name, rule_index`,
      )
      .all() as Grant[];
    const out: FindingRow[] = [];
    for (const grants of bySubject(rows.filter((g) => !isExpected(g)))) {
      const g = grants[0]!;
      out.push({
        ...subjectColumns(g),
        reason: `${subjectText(db, g)} holds wildcard rules: ${summarise(grants.map((x) => `${scopeText(x.scope)}: ${chainText(x)}`))}`,
        evidence: uniqueEvidence(grants.flatMap(grantEvidence)),
        details: {
          table: {
            columns: ['scope', 'binding', 'role', 'rule'],
            rows: grants.map((x) => [x.scope, `${x.binding_kind} ${x.binding_name}`, roleText(x), `${x.verbs} ${x.resources}`]),
          },
        },
      });
    }
    return out;
  },
});
