import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, allowed, cite, citedRow, Dict, hasAuditEvents, incidentWindow, isControlPlane, selectEvents } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'audit.impersonation',
    title: 'Impersonation or service-account token request',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1078'],
    description:
      'Requests made while impersonating another user (Impersonate-User headers: impersonatedUser in the audit event), and requests for new service-account tokens (serviceaccounts/token). Both turn one identity into another: an attacker with the impersonate verb, or with create on serviceaccounts/token, can act as any identity they can name, and a minted token outlives the session that created it.',
    remediation:
      'Check that the impersonating user is expected to (kubectl --as by administrators, some proxies); otherwise remove the impersonate verb from its roles. For token requests, list what the token was used for (requests by the service account after the token was created) and revoke it by deleting and recreating the service account or rotating the signing key.',
    falsePositives: 'The kubelet requests tokens for pods (not reported); authenticating proxies and CI systems impersonate by design.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const window = incidentWindow(config);
    const rows: FindingRow[] = [];
    const impersonating = selectEvents(db, `e.impersonated is not null and ${window.sql}`, Notable.IMPERSONATION);
    for (const group of groupBy(impersonating, (e) => `${e.username}|${e.impersonated}`).values()) {
      const e = group[0]!;
      const user = dict.value(e.username);
      const as = dict.value(e.impersonated);
      const ok = group.filter(allowed);
      const cited = cite(group);
      rows.push(
        citedRow(
          {
            ...actorSubject(user),
            key: `impersonate ${as}`,
            reason: `${user ?? '(unauthenticated)'} acted as ${as}: ${ok.length} of ${group.length} request(s) allowed; ${cited.text}`,
          },
          cited,
          { impersonated_user: as },
        ),
      );
    }
    const serviceaccounts = dict.id('serviceaccounts');
    const token = dict.id('token');
    const create = dict.id('create');
    if (serviceaccounts !== null && token !== null && create !== null) {
      const requests = selectEvents(db, `e.resource = ${serviceaccounts} and e.subresource = ${token} and e.verb = ${create} and ${window.sql}`, Notable.IMPERSONATION).filter(
        (e) => !isControlPlane(dict.value(e.username)),
      );
      for (const group of groupBy(requests, (e) => `${e.username}|${e.namespace}|${e.name}`).values()) {
        const e = group[0]!;
        const user = dict.value(e.username);
        const target = `${dict.value(e.namespace) ?? '?'}/${dict.value(e.name) ?? '?'}`;
        const ok = group.filter(allowed);
        const cited = cite(group);
        rows.push(
          citedRow(
            {
              ...actorSubject(user),
              key: `token ${target}`,
              reason: `${user ?? '(unauthenticated)'} requested ${group.length} token(s) for service account ${target} (${ok.length} issued); ${cited.text}`,
            },
            cited,
            { service_account: target },
          ),
        );
      }
    }
    return rows;
  },
});
