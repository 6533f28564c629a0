import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { bySubject, chainText, grantEvidence, isExpected, scopeText, subjectColumns, subjectText, summarise, uniqueEvidence, type Grant } from '../../src/ingest/kubernetes/rbac-chains.js';

export default defineRule({
  meta: {
    id: 'k8s.rbac.secrets-access',
    title: 'Subject can read Secrets cluster-wide or in a high-value namespace',
    severity: 'SUSPICIOUS',
    group: 'kubernetes',
    attack: ['T1552.007'],
    description:
      'get, list or watch on secrets returns their values: service-account tokens of powerful accounts, TLS keys, registry and cloud credentials. The grant is computed through the whole RBAC graph: group bindings (system:serviceaccounts:<ns>, system:authenticated), RoleBindings to ClusterRoles, and aggregated ClusterRoles whose rules come from other roles selected by label. Each finding shows every chain that grants it. Subjects holding */*/* cluster-wide are reported by k8s.rbac.cluster-admin; the built-in controllers of a normal cluster are not reported.',
    remediation: 'Remove secrets from the role (or restrict it with resourceNames), or remove the binding; rotate the Secrets the subject could read if it is not trusted.',
    falsePositives: 'Ingress controllers, cert-manager and secret operators read Secrets by design; a grant restricted by resourceNames is lowered to INFO.',
  },
  run({ db, config }) {
    const highValue = new Set(config.high_value_namespaces);
    const rows = (
      db
        .prepare(
          `select * from k8s_capability_grants
            where capability = 'secrets-read' and full_wildcard = 0
            order by subject_kind, subject_namespace, subject_name, scope, binding_name, rule_index`,
        )
        .all() as Grant[]
    ).filter((g) => !isExpected(g) && (g.scope === '*' || highValue.has(g.scope)));
    const out: FindingRow[] = [];
    for (const grants of bySubject(rows)) {
      const g = grants[0]!;
      const restricted = grants.every((x) => x.resource_name !== null);
      const scopes = [...new Set(grants.map((x) => scopeText(x.scope)))];
      out.push({
        ...subjectColumns(g),
        severity: restricted ? 'INFO' : null,
        reason:
          `${subjectText(db, g)} can read secrets ${scopes.join(', ')}` +
          (restricted ? ' (only the Secrets named in resourceNames, so INFO)' : '') +
          `: ${summarise(grants.map((x) => chainText(x)))}`,
        evidence: uniqueEvidence(grants.flatMap(grantEvidence)),
        details: {
          table: {
            columns: ['scope', 'verbs', 'resourceNames', 'chain'],
            rows: grants.map((x) => [x.scope, x.verbs, x.resource_name, chainText(x)]),
          },
        },
      });
    }
    return out;
  },
});
