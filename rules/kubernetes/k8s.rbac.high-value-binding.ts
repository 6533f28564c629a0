import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { subjectLabel, uniqueEvidence } from '../../src/ingest/kubernetes/rbac-chains.js';
import { inIncidentWindow } from '../../src/ingest/kubernetes/window.js';
import { groupBy } from '../../src/util/group-by.js';

interface Row {
  subject_kind: string;
  subject_name: string;
  subject_namespace: string | null;
  subject_file_id: number;
  subject_locator: string;
  binding_id: number;
  binding_kind: string;
  binding_namespace: string | null;
  binding_name: string;
  binding_created: string | null;
  binding_file_id: number;
  binding_locator: string;
  role_kind: string;
  role_name: string;
  builtin: number;
}

export default defineRule({
  meta: {
    id: 'k8s.rbac.high-value-binding',
    title: 'Binding that reaches a high-value namespace',
    severity: 'INFO',
    group: 'kubernetes',
    attack: [],
    description:
      'Inventory of who was given rights in the namespaces that matter most (high_value_namespaces: kube-system, kube-public and default by default): RoleBindings in those namespaces, ClusterRoleBindings (cluster-wide, so there too), and bindings of their service accounts. A binding created inside the incident window deserves a look even when its role seems harmless. Subjects a normal cluster binds (bootstrap policy, kubeadm) are left out.',
    remediation: 'Check that each listed subject is known and needs the role; remove stale or unknown bindings.',
  },
  run({ db, config }) {
    const highValue = new Set(config.high_value_namespaces);
    const rows = db
      .prepare(
        `select subject_kind, subject_name, subject_namespace, subject_file_id, subject_locator, binding_id, binding_kind, binding_namespace,
                binding_name, binding_created, binding_file_id, binding_locator, role_kind, role_name, builtin
           from k8s_subject_bindings order by binding_kind, binding_namespace, binding_name, subject_row`,
      )
      .all() as Row[];
    const touching = rows.filter(
      (r) =>
        r.builtin !== 1 &&
        (r.binding_kind === 'ClusterRoleBinding' ||
          (r.binding_namespace !== null && highValue.has(r.binding_namespace)) ||
          (r.subject_kind === 'ServiceAccount' && r.subject_namespace !== null && highValue.has(r.subject_namespace))),
    );
    const bindings = groupBy(touching, (r) => r.binding_id);
    const out: FindingRow[] = [];
    for (const subjects of bindings.values()) {
      const b = subjects[0]!;
      const where = b.binding_kind === 'ClusterRoleBinding' ? 'cluster-wide (every namespace, the high-value ones included)' : `in namespace ${b.binding_namespace}`;
      out.push({
        subject_kind: 'binding',
        subject_name: b.binding_name,
        subject_namespace: b.binding_namespace,
        reason:
          `${b.binding_kind} ${b.binding_namespace ? `${b.binding_namespace}/` : ''}${b.binding_name} grants ${b.role_kind} ${b.role_name} ${where} to ${subjects.map((s) => subjectLabel(s)).join(', ')}` +
          (inIncidentWindow(b.binding_created, config) ? `; created ${b.binding_created}, inside the incident window` : ''),
        first_seen: b.binding_created,
        evidence: uniqueEvidence([{ file_id: b.binding_file_id, locator: `${b.binding_locator}/roleRef` }, ...subjects.map((s) => ({ file_id: s.subject_file_id, locator: s.subject_locator }))]),
      });
    }
    return out;
  },
});
