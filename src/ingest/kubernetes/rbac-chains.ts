import type Database from 'better-sqlite3';
import type { EvidenceRef, FindingRow } from '../../engine/rule.js';
import { groupBy } from '../../util/group-by.js';

/**
 * Helpers for the RBAC rules: read grants from the k8s_* views and describe each one as the
 * chain that produces it (subject → binding → role → [aggregated role] → rule).
 */

/** One row of k8s_capability_grants (or of k8s_effective_permissions, with the same names). */
export interface Grant {
  subject_kind: string;
  subject_name: string;
  subject_namespace: string | null;
  scope: string;
  binding_kind: string;
  binding_namespace: string | null;
  binding_name: string;
  binding_id: number;
  binding_created: string | null;
  role_kind: string;
  role_namespace: string | null;
  role_name: string;
  role_id: number;
  via_role_name: string;
  via_role_id: number;
  rule_index: number;
  resource_name: string | null;
  builtin: number;
  subject_file_id: number;
  subject_locator: string;
  binding_file_id: number;
  binding_locator: string;
  rule_file_id: number;
  rule_locator: string;
  verbs: string;
  api_groups: string | null;
  resources: string | null;
  capability?: string;
  capability_description?: string;
  full_wildcard?: number;
}

/** Groups every token or every request carries: a built-in binding never gives them power. */
export const BROAD_GROUPS = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);

export function isBroadSubject(g: { subject_kind: string; subject_name: string }): boolean {
  return (g.subject_kind === 'Group' && BROAD_GROUPS.has(g.subject_name)) || (g.subject_kind === 'User' && g.subject_name === 'system:anonymous');
}

/**
 * A grant a normal cluster has: the binding/subject pair is in the kubeadm / bootstrap-policy
 * baseline and the rule comes from the bound role itself (not from a role aggregated into it).
 * Broad groups never count as normal when they reach a dangerous permission.
 */
export function isExpected(g: Grant): boolean {
  return g.builtin === 1 && !isBroadSubject(g);
}

export function subjectLabel(g: { subject_kind: string; subject_name: string; subject_namespace: string | null }): string {
  return g.subject_kind === 'ServiceAccount' ? `ServiceAccount ${g.subject_namespace}/${g.subject_name}` : `${g.subject_kind} ${g.subject_name}`;
}

/** The finding subject columns for an RBAC subject. */
export function subjectColumns(g: { subject_kind: string; subject_name: string; subject_namespace: string | null }): Pick<FindingRow, 'subject_kind' | 'subject_name' | 'subject_namespace'> {
  return {
    subject_kind: g.subject_kind.toLowerCase(),
    subject_name: g.subject_name,
    subject_namespace: g.subject_kind === 'ServiceAccount' ? g.subject_namespace : null,
  };
}

export function subjectKey(g: { subject_kind: string; subject_name: string; subject_namespace: string | null }): string {
  return `${g.subject_kind}\u0000${g.subject_namespace ?? ''}\u0000${g.subject_name}`;
}

function ruleText(g: Grant): string {
  const groups = (g.api_groups ?? '').split(',').map((x) => (x === '' ? 'core' : x));
  const what = `${g.verbs} ${g.resources ?? ''}`.trim();
  const names = g.resource_name ? ` (resourceNames: ${g.resource_name})` : '';
  return `rules[${g.rule_index}]: ${what} [${groups.join(',')}]${names}`;
}

/** The bound role, and the aggregated role the rule comes from when it is another one. */
export function roleText(g: Grant): string {
  return g.via_role_id !== g.role_id ? `${g.role_name} (via ${g.via_role_name})` : g.role_name;
}

/** "ServiceAccount a/b → ClusterRoleBinding x → ClusterRole y (aggregates ClusterRole z) → rules[0]: get,list secrets [core]" */
export function chainText(g: Grant, subject?: string): string {
  const binding = g.binding_kind === 'RoleBinding' ? `RoleBinding ${g.binding_namespace}/${g.binding_name}` : `ClusterRoleBinding ${g.binding_name}`;
  const roleName = g.role_kind === 'Role' ? `Role ${g.role_namespace}/${g.role_name}` : `ClusterRole ${g.role_name}`;
  const aggregated = g.via_role_id !== g.role_id ? ` → aggregates ClusterRole ${g.via_role_name}` : '';
  return `${subject ?? subjectLabel(g)} → ${binding} → ${roleName}${aggregated} → ${ruleText(g)}`;
}

export function scopeText(scope: string): string {
  return scope === '*' ? 'cluster-wide' : `in namespace ${scope}`;
}

export function grantEvidence(g: Grant): EvidenceRef[] {
  return [
    { file_id: g.subject_file_id, locator: g.subject_locator },
    { file_id: g.binding_file_id, locator: `${g.binding_locator}/roleRef` },
    { file_id: g.rule_file_id, locator: g.rule_locator },
  ];
}

/** Pointers, deduplicated and capped so that a finding stays readable. */
export function uniqueEvidence(refs: EvidenceRef[], max = 30): EvidenceRef[] {
  const seen = new Set<string>();
  const out: EvidenceRef[] = [];
  for (const r of refs) {
    const key = `${r.file_id}\u0000${r.locator ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
    if (out.length >= max) break;
  }
  return out;
}

/** subjectLabel, followed by who is behind a group subject. */
export function subjectText(db: Database.Database, g: { subject_kind: string; subject_name: string; subject_namespace: string | null }): string {
  const members = groupMembers(db, g);
  return `${subjectLabel(g)}${members ? ` (${members})` : ''}`;
}

/** Who is behind a group subject, in words and (for namespace SA groups) by name. */
function groupMembers(db: Database.Database, g: { subject_kind: string; subject_name: string }): string | null {
  if (g.subject_kind !== 'Group') return null;
  if (g.subject_name === 'system:authenticated') return 'every authenticated user and service account';
  if (g.subject_name === 'system:unauthenticated') return 'anonymous requests';
  if (g.subject_name === 'system:serviceaccounts') return 'every service account of every namespace';
  const prefix = 'system:serviceaccounts:';
  if (g.subject_name.startsWith(prefix)) {
    const ns = g.subject_name.slice(prefix.length);
    const names = (db.prepare('select name from k8s_service_account_names where namespace = ? order by name').all(ns) as { name: string }[]).map((r) => r.name);
    return `every service account of namespace ${ns}${names.length > 0 ? ` (${names.join(', ')})` : ''}`;
  }
  return null;
}

const CAPABILITY_WORDS: Record<string, string> = {
  'secrets-read': 'read secrets',
  escalate: 'escalate (write roles beyond its own rights)',
  bind: 'bind any role',
  impersonate: 'impersonate other identities',
  'create-pods': 'create pods',
  'pods-exec': 'exec into pods',
  'pods-attach': 'attach to pods',
  'pods-portforward': 'port-forward into pods',
  'nodes-proxy': 'reach kubelets through nodes/proxy',
  'serviceaccount-token': 'mint service-account tokens',
  'csr-approve': 'approve certificate signing requests',
  'webhook-write': 'write admission webhook configurations',
};

/** Groups rows by subject, keeping first-seen order. */
export function bySubject<T extends { subject_kind: string; subject_name: string; subject_namespace: string | null }>(rows: T[]): T[][] {
  return [...groupBy(rows, subjectKey).values()];
}

/** Joins reasons, keeping the text bounded: the rest is in details. */
export function summarise(parts: string[], max = 4): string {
  const shown = parts.slice(0, max).join('; ');
  return parts.length > max ? `${shown}; and ${parts.length - max} more (see details)` : shown;
}

/** A capability grant reaching a service account's token, and through which group if any. */
export interface TokenGrant extends Grant {
  sa_namespace: string;
  sa_name: string;
  via_group: string | null;
}

/** What each service account's token can do (dangerous capabilities only), keyed "ns/name". */
export function serviceAccountPower(db: Database.Database): Map<string, TokenGrant[]> {
  const rows = db
    .prepare('select * from k8s_service_account_capabilities order by sa_namespace, sa_name, capability, scope, binding_name, rule_index')
    .all() as TokenGrant[];
  return groupBy(rows, (r) => `${r.sa_namespace}/${r.sa_name}`);
}

/** "read secrets (cluster-wide), exec into pods (in namespace shop)". */
export function powerText(grants: Grant[]): string {
  const caps = new Map<string, Set<string>>();
  for (const g of grants) {
    const cap = g.full_wildcard ? 'everything' : g.capability!;
    let scopes = caps.get(cap);
    if (!scopes) caps.set(cap, (scopes = new Set()));
    scopes.add(scopeText(g.scope));
  }
  return [...caps].map(([cap, scopes]) => `${cap === 'everything' ? 'do everything (*/*/*)' : (CAPABILITY_WORDS[cap] ?? cap)} (${[...scopes].join(', ')})`).join(', ');
}

/** One chain per capability (the most direct one first), for reasons that stay readable. */
export function chainPerCapability(grants: TokenGrant[] | Grant[]): string[] {
  const seen = new Set<string>();
  const sorted = [...grants].sort((a, b) => Number(a.via_role_id !== a.role_id) - Number(b.via_role_id !== b.role_id));
  const out: string[] = [];
  for (const g of sorted) {
    const cap = g.full_wildcard ? 'everything' : g.capability!;
    if (seen.has(cap)) continue;
    seen.add(cap);
    const t = g as Partial<TokenGrant>;
    const subject = t.sa_name !== undefined && t.subject_kind !== 'ServiceAccount'
      ? `ServiceAccount ${t.sa_namespace}/${t.sa_name} (as ${subjectLabel(g)})`
      : undefined;
    out.push(chainText(g, subject));
  }
  return out;
}
