import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { allowed, cite, citedRow, Dict, hasAuditEvents, incidentWindow, inIds, selectEvents, targetText } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

/** What the default system:public-info-viewer and service-account-issuer-discovery roles expose. */
const PUBLIC_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$|^\/version\/?$|^\/\.well-known\/openid-configuration\/?$|^\/openid\/v1\/jwks\/?$/;

export default defineRule({
  meta: {
    id: 'audit.anonymous-request',
    title: 'Unauthenticated request to the API server',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1078.001'],
    description:
      'Requests made as system:anonymous (group system:unauthenticated), and requests that failed authentication, to anything but the public health, version and service-account-issuer endpoints. A denied one is someone probing the API server without credentials; an allowed one means RBAC grants something to anonymous users, which anyone who can reach the API server can use.',
    remediation:
      'Find the bindings that grant system:anonymous or system:unauthenticated more than the public-info roles (kubectl get clusterrolebindings,rolebindings -A -o wide | grep -E "anonymous|unauthenticated") and remove them; consider --anonymous-auth=false. Block the source addresses at the network edge and review what an allowed request returned.',
    falsePositives: 'Load balancer health checks of other paths; scanners run by your own security team.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const users = [dict.id('system:anonymous')];
    const groups = dict.idsWhere("(',' || value || ',') like '%,system:unauthenticated,%'");
    const window = incidentWindow(config);
    const publicPaths = dict.idsWhere("value like '/%'").filter((id) => PUBLIC_PATHS.test(dict.value(id) ?? ''));
    const events = selectEvents(
      db,
      `(e.username ${inIds(users)} or e.groups ${inIds(groups)} or (e.username is null and e.code = 401)) and ${window.sql}
       and not (e.resource is null and e.name ${inIds(publicPaths)})`,
      Notable.ANONYMOUS,
    ).filter((e) => !(e.resource === null && PUBLIC_PATHS.test(dict.value(e.uri) ?? '')));
    const rows: FindingRow[] = [];
    for (const group of groupBy(events, (e) => `${e.source_ips}|${allowed(e)}`).values()) {
      const e = group[0]!;
      const ok = allowed(e);
      const ip = dict.value(e.source_ips) ?? '(no source IP)';
      const targets = [...new Set(group.map((x) => `${dict.value(x.verb) ?? '?'} ${targetText(dict, x)}`))];
      const failedAuth = group.every((x) => x.code === 401);
      const cited = cite(group);
      rows.push(
        citedRow(
          {
            subject_kind: 'host',
            subject_name: ip,
            key: ok ? 'allowed' : 'denied',
            severity: ok ? 'MALICIOUS' : 'SUSPICIOUS',
            reason: ok
              ? `unauthenticated requests from ${ip} were ALLOWED (MALICIOUS: RBAC grants anonymous access): ${targets.slice(0, 5).join(', ')}${targets.length > 5 ? `, and ${targets.length - 5} more` : ''}; ${cited.text}`
              : `${failedAuth ? 'requests that failed authentication (401)' : 'anonymous requests'} from ${ip} were denied: ${targets.slice(0, 5).join(', ')}${targets.length > 5 ? `, and ${targets.length - 5} more` : ''}; ${cited.text}`,
          },
          cited,
          { source_ip: ip, user_agents: [...new Set(group.map((x) => dict.value(x.user_agent)).filter(Boolean))].slice(0, 5), targets: targets.slice(0, 20) },
        ),
      );
    }
    return rows;
  },
});
