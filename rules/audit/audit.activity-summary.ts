import { threshold } from '../../src/config.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, cite, Dict, hasAuditEvents, incidentWindow, type EventRow, EVENT_COLUMNS } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';
import { formatMicros } from '../../src/ingest/audit/time.js';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

interface Activity {
  username: string | null;
  verb: string;
  requests: number;
  first_ts: number;
  last_ts: number;
  first_event: number;
  last_event: number;
}

/** Peer classes: an identity is compared with identities of its own kind only. */
function classOf(username: string | null): string {
  if (!username || username === 'system:anonymous') return 'unauthenticated';
  if (username.startsWith('system:node:')) return 'node';
  if (username.startsWith('system:serviceaccount:kube-system:')) return 'control plane';
  if (username.startsWith('system:serviceaccount:')) return 'service account';
  if (username.startsWith('system:')) return 'control plane';
  return 'person';
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Iglewicz and Hoaglin's modified z-score, 0.6745 (x - median) / MAD, on log10(1 + requests):
 * request counts are heavy-tailed, and the median absolute deviation is not dragged by the
 * outliers it looks for. When MAD is 0 (most peers identical), the mean absolute deviation
 * scaled by 1.2533 stands in for it (as in IBM's variant); when that is 0 too, nobody stands out.
 */
export function modifiedZScores(counts: number[]): number[] {
  const x = counts.map((c) => Math.log10(1 + c));
  const med = median(x);
  const deviations = x.map((v) => Math.abs(v - med));
  const mad = median(deviations);
  if (mad > 0) return x.map((v) => (0.6745 * (v - med)) / mad);
  const meanAd = deviations.reduce((a, b) => a + b, 0) / deviations.length;
  if (meanAd === 0) return x.map(() => 0);
  return x.map((v) => (v - med) / (1.253314 * meanAd));
}

export default defineRule({
  meta: {
    id: 'audit.activity-summary',
    title: 'API activity by identity and verb',
    severity: 'INFO',
    group: 'audit',
    attack: ['T1613'],
    description:
      'Who used the API and how: requests per identity and verb over the audit log (or the incident window). Identities are compared with their peers (people, service accounts, nodes; the Kubernetes components each do a different job and are not compared) that use the same verb; one whose request count for a verb stands far above its peers is marked as an outlier by the modified z-score (median absolute deviation of log request counts), a robust statistic that the outlier itself cannot skew. Outliers are reported on their own as SUSPICIOUS: reconnaissance and harvesting make many more requests than normal use.',
    remediation: 'Review the outliers: what they requested (the cited events), from where, and whether the identity is expected to be that busy.',
    falsePositives: 'A new deployment, a backup run or an administrator doing bulk work can stand out on one day.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const window = incidentWindow(config);
    const cutoff = threshold(config, 'activity_outlier_z', 3.5);
    const minRequests = threshold(config, 'activity_min_requests', 20);
    const minPeers = threshold(config, 'activity_min_peers', 4);
    // A z-score alone over a handful of peers flags ordinary spread (85 vs 60 requests); an
    // outlier must also be several times the peers' median.
    const minRatio = threshold(config, 'activity_min_ratio', 3);
    const raw =
      window.since === null && window.until === null
        ? db.prepare(
            `select username, verb, sum(requests) as requests, min(first_ts) as first_ts, max(last_ts) as last_ts, min(first_event) as first_event, max(last_event) as last_event
               from audit_activity group by username, verb`,
          ).all()
        : db.prepare(
            `select e.username, e.verb, count(*) as requests, min(e.ts) as first_ts, max(e.ts) as last_ts, min(e.id) as first_event, max(e.id) as last_event
               from audit_events e where ${window.sql} group by e.username, e.verb`,
          ).all();
    const activity: Activity[] = (raw as (Omit<Activity, 'username' | 'verb'> & { username: number | null; verb: number | null })[]).map((r) => ({
      ...r,
      username: dict.value(r.username),
      verb: dict.value(r.verb) ?? '(none)',
    }));
    if (activity.length === 0) return [];

    const users = new Map<string, { username: string | null; total: number; verbs: Map<string, Activity> }>();
    for (const a of activity) {
      const key = a.username ?? '';
      const u = users.get(key) ?? { username: a.username, total: 0, verbs: new Map() };
      u.total += a.requests;
      u.verbs.set(a.verb, a);
      users.set(key, u);
    }
    const outliers: { username: string | null; verb: string; requests: number; z: number; median: number; peers: number; cls: string; activity: Activity }[] = [];
    // (per verb: identities of the same class that use that verb; see below)
    for (const [cls, all] of groupBy(users.values(), (u) => classOf(u.username))) {
      // Kubernetes' own components each do one job at their own rate: no peers to compare with.
      if (cls === 'control plane') continue;
      const verbs = new Set(all.flatMap((p) => [...p.verbs.keys()]));
      for (const verb of verbs) {
        // Peers are the identities of the class that use the verb at all: a watcher among
        // identities that never watch is a different kind of client, not an outlier.
        const peers = all.filter((p) => p.verbs.has(verb));
        if (peers.length < minPeers) continue;
        const counts = peers.map((p) => p.verbs.get(verb)!.requests);
        const z = modifiedZScores(counts);
        const med = median(counts);
        peers.forEach((p, i) => {
          const a = p.verbs.get(verb);
          if (a && z[i]! > cutoff && a.requests >= minRequests && a.requests >= minRatio * med) outliers.push({ username: p.username, verb, requests: a.requests, z: z[i]!, median: med, peers: peers.length, cls, activity: a });
        });
      }
    }

    const events = new Map<number, EventRow>();
    const wanted = [...new Set(outliers.flatMap((o) => [o.activity.first_event, o.activity.last_event]).concat(activity.map((a) => a.first_event)))];
    for (let i = 0; i < wanted.length; i += 500) {
      for (const e of db.prepare(`select ${EVENT_COLUMNS} from audit_events e where e.id in (${wanted.slice(i, i + 500).join(',')})`).all() as EventRow[]) events.set(e.id, e);
    }

    const total = activity.reduce((n, a) => n + a.requests, 0);
    const first = Math.min(...activity.map((a) => a.first_ts));
    const last = Math.max(...activity.map((a) => a.last_ts));
    const flagged = new Set(outliers.map((o) => o.username ?? ''));
    const ranked = [...users.values()].sort((a, b) => b.total - a.total);
    const shown = [...ranked.slice(0, 25), ...ranked.slice(25).filter((u) => flagged.has(u.username ?? ''))];
    const columns = ['identity', 'peers', 'requests', ...VERBS, 'other', 'outlier (modified z ≥ ' + cutoff + ')'];
    const tableRows = shown.map((u) => {
      const other = [...u.verbs.entries()].filter(([v]) => !VERBS.includes(v)).reduce((n, [, a]) => n + a.requests, 0);
      const marks = outliers.filter((o) => (o.username ?? '') === (u.username ?? '')).map((o) => `${o.verb} z=${o.z.toFixed(1)}`);
      return [u.username ?? '(unauthenticated)', classOf(u.username), u.total, ...VERBS.map((v) => u.verbs.get(v)?.requests ?? 0), other, marks.join(', ')];
    });
    const firstEvent = events.get(Math.min(...activity.map((a) => a.first_event)));
    const rows: FindingRow[] = [
      {
        subject_kind: 'audit-log',
        subject_name: 'API server requests',
        reason: `${total} request(s) by ${users.size} identities from ${formatMicros(first)} to ${formatMicros(last)}${window.sql !== '1' ? ' (incident window)' : ''}; ${outliers.length} outlier(s) by modified z-score on log request counts per verb among peers (median absolute deviation; cut-off ${cutoff}, at least ${minRequests} requests and ${minRatio}× the peers' median, classes with at least ${minPeers} identities)${ranked.length > 25 ? `; the table shows the 25 busiest identities and every outlier` : ''}`,
        file_id: firstEvent?.file_id ?? null,
        locator: firstEvent ? `line ${firstEvent.line}` : null,
        first_seen: formatMicros(first),
        last_seen: formatMicros(last),
        details: { statistic: 'modified z-score (MAD) of log10(1 + requests) per verb within peer class', table: { columns, rows: tableRows } },
      },
    ];
    for (const o of outliers) {
      const cited = cite([events.get(o.activity.first_event), events.get(o.activity.last_event)].filter((e): e is EventRow => e !== undefined));
      rows.push({
        ...actorSubject(o.username),
        key: o.verb,
        severity: 'SUSPICIOUS',
        reason: `${o.username ?? '(unauthenticated)'} made ${o.requests} '${o.verb}' request(s) where the ${o.peers} identities of its class (${o.cls}) using that verb have a median of ${o.median}: modified z-score ${o.z.toFixed(1)} (median absolute deviation of log counts; cut-off ${cutoff}); from ${formatMicros(o.activity.first_ts)} to ${formatMicros(o.activity.last_ts)} (first and last: ${cited.text.replace(/^\d+ requests? (from |at )/, '')})`,
        evidence: cited.evidence,
        first_seen: formatMicros(o.activity.first_ts),
        last_seen: formatMicros(o.activity.last_ts),
        details: { ...cited.details, count: o.requests, verb: o.verb, modified_z: Number(o.z.toFixed(2)), peer_median: o.median, peers: o.peers, peer_class: o.cls },
      });
    }
    return rows;
  },
});
