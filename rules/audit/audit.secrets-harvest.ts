import { threshold } from '../../src/config.js';
import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, allowed, cite, citedRow, Dict, hasAuditEvents, incidentWindow, isControlPlane, inIds, selectEvents, type EventRow } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'audit.secrets-harvest',
    title: 'Secrets harvested through the API',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1552.007'],
    description:
      "Listing or watching Secrets returns every value in the namespace (or the cluster) at once; reading many distinct Secrets one by one in a short time does the same. Applications read the few Secrets they mount; harvesting many is how an attacker collects credentials for the next step. Reported as MALICIOUS for people's accounts and SUSPICIOUS for service accounts (which some operators legitimately use this way). Kubernetes' own components are not reported.",
    remediation:
      'Rotate every Secret the identity could read (list the namespaces in this finding), revoke the identity, and narrow RBAC so that nothing but controllers can list or watch secrets. Enable encryption at rest and an external secret store for high-value credentials.',
    falsePositives: 'Backup tools (Velero), secret-sync operators and GitOps controllers list secrets by design.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const secrets = dict.id('secrets');
    if (secrets === null) return [];
    const distinct = threshold(config, 'secrets_harvest_distinct', 10);
    const seconds = threshold(config, 'secrets_harvest_window_seconds', 600);
    const window = incidentWindow(config);
    const reads = dict.idsWhere("value in ('get', 'list', 'watch')");
    const system = dict.idsWhere("value like 'system:node:%' or value like 'system:serviceaccount:kube-system:%' or value in ('system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver', 'system:kube-proxy')");
    const events = selectEvents(
      db,
      `e.resource = ${secrets} and e.subresource is null and e.verb ${inIds(reads)} and (e.username is null or e.username not ${inIds(system)}) and ${window.sql}`,
      Notable.SECRETS,
    ).filter(
      (e) => allowed(e) && !isControlPlane(dict.value(e.username)),
    );
    const rows: FindingRow[] = [];
    for (const group of groupBy(events, (e) => String(e.username)).values()) {
      const username = dict.value(group[0]!.username);
      const person = !(username ?? '').startsWith('system:');
      const severity = person ? 'MALICIOUS' : 'SUSPICIOUS';
      const why = person ? 'MALICIOUS: a person\'s account' : 'a service account or system identity';
      const bulk = group.filter((e) => dict.value(e.verb) !== 'get');
      if (bulk.length > 0) {
        const cited = cite(bulk);
        const scopes = [...new Set(bulk.map((e) => `${dict.value(e.verb)} ${dict.value(e.namespace) ? `in ${dict.value(e.namespace)}` : 'cluster-wide'}`))];
        rows.push(
          citedRow(
            { ...actorSubject(username), key: 'list', severity, reason: `${username ?? '(unauthenticated)'} read secrets in bulk (${scopes.slice(0, 6).join(', ')}) — ${why}; ${cited.text}` },
            cited,
            { scopes },
          ),
        );
      }
      const burst = densestDistinctBurst(
        group.filter((e) => dict.value(e.verb) === 'get' && e.name !== null),
        seconds * 1_000_000,
      );
      if (burst.names >= distinct) {
        const cited = cite(burst.events);
        const names = [...new Set(burst.events.map((e) => `${dict.value(e.namespace) ?? ''}/${dict.value(e.name) ?? ''}`))];
        rows.push(
          citedRow(
            {
              ...actorSubject(username),
              key: 'get-burst',
              severity,
              reason: `${username ?? '(unauthenticated)'} read ${burst.names} distinct secrets within ${seconds} s (threshold ${distinct}): ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''} — ${why}; ${cited.text}`,
            },
            cited,
            { secrets: names.slice(0, 100), threshold: distinct, window_seconds: seconds },
          ),
        );
      }
    }
    return rows;
  },
});

/** The window of `span` microseconds holding the most distinct secret names (sliding, two pointers). */
function densestDistinctBurst(events: EventRow[], span: number): { names: number; events: EventRow[] } {
  const counts = new Map<string, number>();
  let best = { names: 0, from: 0, to: -1 };
  let start = 0;
  for (let end = 0; end < events.length; end++) {
    const key = `${events[end]!.namespace}/${events[end]!.name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    while (events[end]!.ts - events[start]!.ts > span) {
      const old = `${events[start]!.namespace}/${events[start]!.name}`;
      const n = counts.get(old)! - 1;
      if (n === 0) counts.delete(old);
      else counts.set(old, n);
      start++;
    }
    if (counts.size > best.names) best = { names: counts.size, from: start, to: end };
  }
  return { names: best.names, events: events.slice(best.from, best.to + 1) };
}
