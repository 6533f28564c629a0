import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, cite, citedRow, Dict, hasAuditEvents, incidentWindow, inIds, isControlPlane, selectEvents } from '../../src/ingest/audit/rule-support.js';

/** Roles that are (or nearly are) full control of their scope. */
const POWERFUL_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'system:controller:clusterrole-aggregation-controller']);
const ESCALATION_VERBS = new Set(['*', 'escalate', 'bind', 'impersonate']);
const SENSITIVE_RESOURCES = new Set(['*', 'secrets', 'pods/exec', 'pods/attach', 'nodes/proxy', 'serviceaccounts/token', 'clusterrolebindings', 'rolebindings', 'clusterroles', 'roles', 'certificatesigningrequests/approval', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations']);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What makes a binding or role powerful, from its requestObject (null: nothing found). */
function judge(resource: string, object: unknown): string | null {
  const o = obj(object);
  if (!o) return null;
  if (resource.endsWith('bindings')) {
    const roleRef = obj(o.roleRef);
    const role = typeof roleRef?.name === 'string' ? roleRef.name : null;
    const subjects = (Array.isArray(o.subjects) ? o.subjects : []).map(obj).filter((s): s is Obj => s !== null);
    const who = subjects.map((s) => `${String(s.kind ?? '?')} ${s.namespace ? `${String(s.namespace)}/` : ''}${String(s.name ?? '?')}`);
    const risky = subjects.some((s) => s.name === 'system:anonymous' || s.name === 'system:unauthenticated' || s.name === 'system:authenticated');
    if ((role && POWERFUL_ROLES.has(role)) || risky) return `binds ${roleRef?.kind ?? 'role'} ${role ?? '?'} to ${who.join(', ') || 'no subject'}`;
    return null;
  }
  const rules = (Array.isArray(o.rules) ? o.rules : []).map(obj).filter((r): r is Obj => r !== null);
  const findings: string[] = [];
  for (const r of rules) {
    const verbs = strings(r.verbs);
    const resources = strings(r.resources);
    const escalation = verbs.filter((v) => ESCALATION_VERBS.has(v));
    const sensitive = resources.filter((x) => SENSITIVE_RESOURCES.has(x));
    if (escalation.length > 0 || (sensitive.length > 0 && verbs.length > 0) || strings(r.nonResourceURLs).includes('*')) {
      findings.push(`verbs [${verbs.join(', ')}] on [${resources.join(', ') || strings(r.nonResourceURLs).join(', ')}]`);
    }
  }
  if (obj(o.aggregationRule)) findings.push('an aggregationRule (collects the rules of matching roles)');
  return findings.length > 0 ? `grants ${findings.slice(0, 4).join('; ')}` : null;
}

export default defineRule({
  meta: {
    id: 'audit.rbac-escalation',
    title: 'RBAC change that grants powerful rights',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1098.006'],
    description:
      "Creating or changing a (Cluster)RoleBinding to cluster-admin, admin or edit (or to everyone: system:authenticated, system:anonymous), or a role that grants wildcard, escalate, bind or impersonate verbs or access to secrets, exec and RBAC itself, is how a foothold becomes persistent control of the cluster. When the audit policy logs RBAC at Metadata level only, the binding's content is unknown and every binding change by a person or workload is reported.",
    remediation:
      'Review the binding or role (kubectl get -o yaml), remove it if unexpected, and audit what its subjects did since. Limit who holds the bind and escalate verbs; log rbac.authorization.k8s.io at RequestResponse level.',
    falsePositives: 'Administrators granting access through reviewed changes; Helm installs of operators that bring their own ClusterRoles. Kubernetes controllers (role aggregation) are not reported.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const window = incidentWindow(config);
    const resources = ['clusterrolebindings', 'rolebindings', 'clusterroles', 'roles'].map((r) => dict.id(r));
    const writes = ['create', 'update', 'patch'].map((v) => dict.id(v));
    const events = selectEvents(
      db,
      `e.resource ${inIds(resources)} and e.verb ${inIds(writes)} and e.subresource is null and (e.code is null or e.code < 300) and ${window.sql}`,
      Notable.RBAC,
    ).filter((e) => !isControlPlane(dict.value(e.username)));
    if (events.length === 0) return [];
    const objects = new Map<number, string>();
    const ids = events.map((e) => e.id);
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of db.prepare(`select event_id, object from audit_objects where event_id in (${ids.slice(i, i + 500).join(',')})`).all() as { event_id: number; object: string }[]) {
        objects.set(r.event_id, r.object);
      }
    }
    const rows: FindingRow[] = [];
    for (const e of events) {
      const resource = dict.value(e.resource)!;
      const raw = objects.get(e.id);
      let verdict: string | null;
      if (raw === undefined) {
        if (!resource.endsWith('bindings')) continue;
        verdict = `changed a ${resource.replace(/s$/, '')} whose content the log does not hold (level Metadata): review it`;
      } else {
        try {
          verdict = judge(resource, JSON.parse(raw));
        } catch {
          verdict = null;
        }
        if (verdict === null) continue;
      }
      const username = dict.value(e.username);
      const name = dict.value(e.name) ?? '(unnamed)';
      const namespace = dict.value(e.namespace);
      const cited = cite([e]);
      rows.push(
        citedRow(
          {
            subject_kind: resource.endsWith('bindings') ? 'binding' : 'role',
            subject_name: name,
            subject_namespace: namespace,
            key: e.audit_id,
            reason: `${username ?? '(unauthenticated)'} ${pastTense(dict.value(e.verb))} ${resource.replace(/s$/, '')} ${namespace ? `${namespace}/` : ''}${name}: ${verdict}; ${cited.text}`,
          },
          cited,
          { actor: actorSubject(username), verdict },
        ),
      );
    }
    return rows;
  },
});

function pastTense(verb: string | null): string {
  return verb === 'create' ? 'created' : verb === 'update' ? 'updated' : verb === 'patch' ? 'patched' : (verb ?? 'changed');
}
