import { threshold } from '../../src/config.js';
import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, cite, citedRow, Dict, hasAuditEvents, incidentWindow, selectEvents, targetText, type EventRow } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'audit.forbidden-burst',
    title: 'Burst of denied requests (permission probing)',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1613', 'T1069'],
    description:
      'Many 401/403 answers to one identity in a short time: someone with a new credential discovering what it may do (kubectl auth can-i --list, enumeration tools, or plain trial and error). Normal clients are configured for what they are allowed and rarely see a denial.',
    remediation:
      'Identify the credential (user, service account, source address) and where it is used from; if it is not a misconfigured deployment, revoke it and review the requests that were allowed around the burst.',
    falsePositives: 'A deployment rolled out with missing RBAC retries in a loop; it shows one repeated request rather than many different ones.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const count = threshold(config, 'forbidden_burst_count', 10);
    const seconds = threshold(config, 'forbidden_burst_seconds', 60);
    const window = incidentWindow(config);
    const denied = selectEvents(db, `e.code in (401, 403) and ${window.sql}`, Notable.DENIED);
    const rows: FindingRow[] = [];
    for (const group of groupBy(denied, (e) => (e.username !== null ? `u${e.username}` : `ip${e.source_ips}`)).values()) {
      const burst = inBursts(group, count, seconds * 1_000_000);
      if (burst.length === 0) continue;
      const username = dict.value(group[0]!.username);
      const ip = dict.value(group[0]!.source_ips);
      const cited = cite(burst);
      const targets = [...new Set(burst.map((e) => `${dict.value(e.verb) ?? '?'} ${targetText(dict, e)}`))];
      rows.push(
        citedRow(
          {
            ...(username !== null ? actorSubject(username) : { subject_kind: 'host', subject_name: ip ?? '(no source IP)' }),
            reason: `${burst.length} denied request(s) (401/403) for ${username ?? `unauthenticated clients at ${ip ?? '?'}`} with at least ${count} within ${seconds} s, on ${targets.length} distinct target(s): ${targets.slice(0, 6).join(', ')}${targets.length > 6 ? ', ...' : ''}; ${cited.text}`,
          },
          cited,
          { threshold: count, window_seconds: seconds, targets: targets.slice(0, 30), source_ips: [...new Set(burst.map((e) => dict.value(e.source_ips)))].slice(0, 10) },
        ),
      );
    }
    return rows;
  },
});

/** Every event that lies in some window of `span` µs holding at least `min` events. */
function inBursts(events: EventRow[], min: number, span: number): EventRow[] {
  const marked = new Uint8Array(events.length);
  let start = 0;
  for (let end = 0; end < events.length; end++) {
    while (events[end]!.ts - events[start]!.ts > span) start++;
    if (end - start + 1 >= min) marked.fill(1, start, end + 1);
  }
  return events.filter((_, i) => marked[i] === 1);
}
