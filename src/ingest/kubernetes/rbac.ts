import type { IngestContext } from '../types.js';
import type { Binding, LabelSelector, ObjectMeta, Role, ServiceAccount } from './schemas.js';

/** Writes a label selector (matched by the k8s_selector_matches view); returns its id. */
export function insertSelector(
  ctx: IngestContext,
  objectId: number,
  locator: string,
  purpose: 'aggregation' | 'netpol' | 'service',
  namespace: string | null,
  selector: LabelSelector,
): number {
  return ctx.db.insert('k8s_label_selectors', {
    object_id: objectId,
    file_id: ctx.fileId,
    locator,
    purpose,
    namespace,
    match_labels: selector.matchLabels ?? null,
    match_expressions: selector.matchExpressions?.length ? selector.matchExpressions : null,
  });
}

/**
 * A Role or ClusterRole: one k8s_role_rules row per verb × apiGroup × resource × resourceName
 * (or verb × nonResourceURL), so that views can match wildcards row by row; aggregationRule
 * selectors are stored for the k8s_role_closure view.
 */
export function insertRole(ctx: IngestContext, kind: string, role: Role, meta: ObjectMeta, objectId: number, p: string): void {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const roleId = ctx.db.insert('k8s_roles', {
    object_id: objectId,
    file_id: ctx.fileId,
    locator: p,
    kind,
    namespace: kind === 'Role' ? meta.namespace ?? null : null,
    name: meta.name,
    created: meta.creationTimestamp ?? null,
    aggregated: role.aggregationRule !== null && role.aggregationRule !== undefined,
  });
  selectors.forEach((s, i) => insertSelector(ctx, objectId, `${p}/aggregationRule/clusterRoleSelectors/${i}`, 'aggregation', null, s));
  (role.rules ?? []).forEach((rule, index) => {
    const base = { role_id: roleId, file_id: ctx.fileId, locator: `${p}/rules/${index}`, rule_index: index };
    for (const verb of rule.verbs) {
      for (const url of rule.nonResourceURLs ?? []) {
        ctx.db.insert('k8s_role_rules', { ...base, verb, api_group: null, resource: null, resource_name: null, non_resource_url: url });
      }
      const groups = rule.apiGroups ?? [];
      const resources = rule.resources ?? [];
      const names: (string | null)[] = rule.resourceNames?.length ? rule.resourceNames : [null];
      for (const group of groups) {
        for (const resource of resources) {
          for (const name of names) {
            ctx.db.insert('k8s_role_rules', { ...base, verb, api_group: group, resource, resource_name: name, non_resource_url: null });
          }
        }
      }
    }
  });
}

export function insertBinding(ctx: IngestContext, kind: string, binding: Binding, meta: ObjectMeta, objectId: number, p: string): void {
  const namespace = kind === 'RoleBinding' ? meta.namespace ?? null : null;
  const bindingId = ctx.db.insert('k8s_bindings', {
    object_id: objectId,
    file_id: ctx.fileId,
    locator: p,
    kind,
    namespace,
    name: meta.name,
    created: meta.creationTimestamp ?? null,
    role_kind: binding.roleRef.kind,
    role_name: binding.roleRef.name,
    role_locator: `${p}/roleRef`,
  });
  (binding.subjects ?? []).forEach((s, i) =>
    ctx.db.insert('k8s_binding_subjects', {
      binding_id: bindingId,
      file_id: ctx.fileId,
      locator: `${p}/subjects/${i}`,
      kind: s.kind,
      name: s.name,
      // A ServiceAccount subject without a namespace means the binding's own (kubectl and the API both default it).
      namespace: s.kind === 'ServiceAccount' ? s.namespace || namespace : s.namespace || null,
    }),
  );
}

export function insertServiceAccount(ctx: IngestContext, sa: ServiceAccount, meta: ObjectMeta, objectId: number, p: string): void {
  ctx.db.insert('k8s_service_accounts', {
    object_id: objectId,
    file_id: ctx.fileId,
    locator: p,
    namespace: meta.namespace ?? 'default',
    name: meta.name,
    created: meta.creationTimestamp ?? null,
    automount: sa.automountServiceAccountToken ?? null,
    automount_locator: sa.automountServiceAccountToken === null || sa.automountServiceAccountToken === undefined ? p : `${p}/automountServiceAccountToken`,
  });
}
