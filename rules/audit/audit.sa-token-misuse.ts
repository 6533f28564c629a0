import type Database from 'better-sqlite3';
import { Notable } from '../../src/ingest/audit/notable.js';
import { parseMicros } from '../../src/ingest/audit/time.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, allowed, cite, citedRow, Dict, hasAuditEvents, incidentWindow, inIds, selectEvents, serviceAccountOf, targetText, type EventRow } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

/** Clients people use by hand; in-cluster workloads use client libraries (client-go, Go-http-client, ...). */
const HUMAN_AGENTS = /^(kubectl|curl|wget|python-requests|python-urllib|httpie|postmanruntime|insomnia|k9s|lens|powershell|mozilla)\b/i;
/** Resources whose use outside a service account's namespace matters even for reads. */
const SENSITIVE = new Set(['secrets', 'serviceaccounts', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token']);
/** Creating these in another namespace runs code there. */
const WORKLOADS = new Set(['pods', 'deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'cronjobs']);

/** RFC 1918, loopback, link-local, CGNAT, IPv6 ULA / link-local / loopback. */
function isPrivateIp(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b] = [+v4[1]!, +v4[2]!];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || /^f[cd]/.test(lower) || lower.startsWith('fe80:') || lower.startsWith('::ffff:10.') || lower.startsWith('::ffff:192.168.');
}

interface ClusterGrant {
  verb: string;
  resource: string;
  /** microseconds; null when the binding's creation time is unknown */
  since: number | null;
}

/**
 * What the bundle's RBAC grants a service account cluster-wide (ClusterRoleBindings to the
 * account, its User name, or the service-account groups): an operator such as Argo CD or
 * cert-manager working in other namespaces with such a grant is doing its job. Grants through
 * system:authenticated do not count (that binding is the problem, and RBAC rules report it).
 */
function clusterGrants(db: Database.Database, namespace: string, name: string): ClusterGrant[] {
  return (
    db
      .prepare(
        `select distinct verb, resource, binding_created from k8s_effective_permissions
          where scope = '*' and non_resource_url is null and resource_name is null
            and ((subject_kind = 'ServiceAccount' and subject_namespace = @namespace and subject_name = @name)
                 or (subject_kind = 'Group' and subject_name in ('system:serviceaccounts', 'system:serviceaccounts:' || @namespace))
                 or (subject_kind = 'User' and subject_name = 'system:serviceaccount:' || @namespace || ':' || @name))`,
      )
      .all({ namespace, name }) as { verb: string; resource: string; binding_created: string | null }[]
  ).map((g) => ({ verb: g.verb, resource: g.resource, since: parseMicros(g.binding_created) }));
}

/** Whether a grant that existed at the time covers the request (wildcards honoured). */
function covered(grants: ClusterGrant[], verb: string, resource: string, ts: number): boolean {
  const slash = resource.indexOf('/');
  return grants.some(
    (g) =>
      (g.verb === verb || g.verb === '*') &&
      (g.resource === resource || g.resource === '*' || (slash > 0 && g.resource === `*${resource.slice(slash)}`)) &&
      (g.since === null || g.since <= ts),
  );
}

export default defineRule({
  meta: {
    id: 'audit.sa-token-misuse',
    title: 'Service-account token used like a stolen credential',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1528', 'T1550.001'],
    description:
      "A service account's token is meant for the pods of its namespace, used by their client libraries from pod addresses. Requests by a service account on secrets, RBAC, tokens or exec, or creating workloads, in another namespace, with a hand-held tool's user agent (kubectl, curl, python-requests), or from a public address outside the cluster's networks are how a token read from a compromised pod, a leaked kubeconfig or a node disk is replayed.",
    remediation:
      "Find where the token came from (the pod-name in the token's claims, logs of the pods using the account), rotate it by deleting the token secret or recreating the service account, restrict the account's RBAC to its namespace, and set automountServiceAccountToken: false where pods do not need it.",
    falsePositives: 'Cluster-wide operators (ingress controllers, Argo CD, cert-manager) act in many namespaces: when the bundle holds the RBAC that grants them that cluster-wide (a ClusterRoleBinding older than the request), their work in other namespaces is not reported; without it, it is. CI jobs may run kubectl with a service account. kube-system controllers are not reported.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const accounts = dict.idsWhere("value like 'system:serviceaccount:%:%' and value not like 'system:serviceaccount:kube-system:%'");
    if (accounts.length === 0) return [];
    const window = incidentWindow(config);
    // Narrow in SQL to the requests any of the three checks can select, then check exactly.
    const humanAgents: number[] = [];
    const publicAddresses: number[] = [];
    for (const [id, value] of db.prepare('select id, value from audit_dict').raw().iterate() as Iterable<[number, string]>) {
      if (HUMAN_AGENTS.test(value)) humanAgents.push(id);
      else if (/^[0-9a-fA-F:.,]+$/.test(value) && /[.:]/.test(value) && !isPrivateIp(value.split(',')[0]!)) publicAddresses.push(id);
    }
    const sensitive = ['secrets', 'serviceaccounts', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].map((r) => dict.id(r));
    const subresources = ['exec', 'attach', 'portforward', 'token'].map((r) => dict.id(r));
    const workloads = [...WORKLOADS].map((r) => dict.id(r));
    const events = selectEvents(
      db,
      `e.username ${inIds(accounts)} and ${window.sql} and (e.user_agent ${inIds(humanAgents)} or e.source_ips ${inIds(publicAddresses)}
         or (e.namespace is not null and (e.resource ${inIds(sensitive)} or e.subresource ${inIds(subresources)} or (e.verb = ${dict.id('create') ?? -1} and e.resource ${inIds(workloads)}))))`,
      Notable.SERVICE_ACCOUNT,
    );
    const rows: FindingRow[] = [];
    for (const group of groupBy(events, (e) => String(e.username)).values()) {
      const username = dict.value(group[0]!.username);
      const sa = serviceAccountOf(username);
      if (!sa) continue;
      const grants = clusterGrants(db, sa.namespace, sa.name);
      const outside: EventRow[] = [];
      const human: EventRow[] = [];
      const external: EventRow[] = [];
      for (const e of group) {
        const ns = dict.value(e.namespace);
        const resource = `${dict.value(e.resource) ?? ''}${e.subresource !== null ? `/${dict.value(e.subresource)}` : ''}`;
        const verb = dict.value(e.verb) ?? '';
        if (ns !== null && ns !== sa.namespace && (SENSITIVE.has(resource) || (verb === 'create' && WORKLOADS.has(resource))) && !covered(grants, verb, resource, e.ts)) {
          outside.push(e);
        }
        if (HUMAN_AGENTS.test(dict.value(e.user_agent) ?? '')) human.push(e);
        const ip = (dict.value(e.source_ips) ?? '').split(',')[0]!;
        if (ip && !isPrivateIp(ip)) external.push(e);
      }
      const add = (key: string, list: EventRow[], what: string) => {
        if (list.length === 0) return;
        const cited = cite(list);
        const ok = list.filter(allowed).length;
        const targets = [...new Set(list.map((e) => `${dict.value(e.verb) ?? '?'} ${targetText(dict, e)}`))];
        rows.push(
          citedRow(
            {
              ...actorSubject(username),
              key,
              reason: `service account ${sa.namespace}/${sa.name} ${what} (${ok} of ${list.length} allowed): ${targets.slice(0, 5).join(', ')}${targets.length > 5 ? `, and ${targets.length - 5} more` : ''}; ${cited.text}`,
            },
            cited,
            {
              source_ips: [...new Set(list.map((e) => dict.value(e.source_ips)))].slice(0, 10),
              user_agents: [...new Set(list.map((e) => dict.value(e.user_agent)))].slice(0, 10),
              targets: targets.slice(0, 20),
            },
          ),
        );
      };
      add('outside-namespace', outside, `acted outside its namespace ${sa.namespace}`);
      add('human-user-agent', human, `was used with a hand-held client (${[...new Set(human.map((e) => (dict.value(e.user_agent) ?? '').split(' ')[0]))].slice(0, 3).join(', ')})`);
      add('external-source', external, `was used from public address(es) ${[...new Set(external.map((e) => dict.value(e.source_ips)))].slice(0, 3).join(', ')}, outside the cluster's private networks`);
    }
    return rows;
  },
});
