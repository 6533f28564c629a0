import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { execEventsCondition, exposedPods } from '../../src/ingest/audit/exposed-pods.js';
import { actorSubject, allowed, cite, citedRow, Dict, hasAuditEvents, incidentWindow, isOperator, selectEvents } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'audit.exec-non-operator',
    title: 'Exec, attach or port-forward into a pod by a non-operator',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1609'],
    description:
      'pods/exec, pods/attach, pods/portforward and nodes/proxy give a shell or a socket inside a running workload, with its service-account token, secrets and network position. Outside break-glass debugging by the people listed as operators, it is how attackers move from API access to code execution. Into a privileged or host-namespace pod it is one step from the node.',
    remediation:
      'Confirm with the user whether the session was theirs and what it was for. Restrict pods/exec and pods/attach in RBAC to an operators group, and list that group in the `operators` configuration. If the pod is privileged, treat its node as compromised until shown otherwise.',
    falsePositives: 'Developers debugging their own namespaces; list them (or their group) in `operators` to silence this.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const window = incidentWindow(config);
    const events = selectEvents(db, `${execEventsCondition(dict)} and ${window.sql}`, Notable.EXEC);
    if (events.length === 0) return [];
    const commands = new Map<number, { command: string | null; container: string | null; ports: string | null }>();
    const ids = events.map((e) => e.id);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const row of db.prepare(`select event_id, command, container, ports from audit_exec where event_id in (${chunk.join(',')})`).all() as {
        event_id: number;
        command: string | null;
        container: string | null;
        ports: string | null;
      }[]) {
        commands.set(row.event_id, row);
      }
    }
    const exposures = exposedPods(db, config, dict);
    const rows: FindingRow[] = [];
    const mine = events.filter((e) => !isOperator(config, dict.value(e.username), dict.value(e.groups)));
    for (const group of groupBy(mine, (e) => `${e.username}|${e.resource}|${e.subresource}|${e.namespace}|${e.name}`).values()) {
      const e = group[0]!;
      const username = dict.value(e.username);
      const resource = dict.value(e.resource);
      const sub = dict.value(e.subresource) ?? '';
      const namespace = dict.value(e.namespace);
      const target = dict.value(e.name) ?? '?';
      const ok = group.filter(allowed);
      const denied = group.length - ok.length;
      const cited = cite(ok.length > 0 ? ok : group);
      const ran = [...new Set(ok.map((x) => commands.get(x.id)).filter((c) => c !== undefined).map((c) => describeSession(sub, c)))].slice(0, 3);
      const exposed = resource === 'pods' ? (exposures.get(`${namespace ?? ''}/${target}`) ?? []) : [];
      const malicious = ok.length > 0 && exposed.length > 0;
      const actor = actorSubject(username);
      rows.push(
        citedRow(
          {
            subject_kind: resource === 'nodes' ? 'node' : 'pod',
            subject_name: target,
            subject_namespace: resource === 'nodes' ? null : namespace,
            key: `${username ?? ''} ${sub}`,
            severity: malicious ? 'MALICIOUS' : 'SUSPICIOUS',
            reason:
              `${actor.subject_kind} ${username ?? '(unauthenticated)'} (not an operator) used ${resource}/${sub} on ${namespace ? `${namespace}/` : ''}${target}` +
              (ran.length > 0 ? `: ${ran.join('; ')}` : '') +
              (ok.length === 0 ? ` — denied (${denied} attempt(s))` : denied > 0 ? ` (${denied} more attempt(s) denied)` : '') +
              `; ${cited.text}` +
              (malicious ? `; MALICIOUS because the pod is exposed: ${exposed.map((x) => x.detail).slice(0, 3).join('; ')}` : ''),
          },
          cited,
          { user: username, commands: ran, exposures: exposed.map((x) => ({ exposure: x.exposure, detail: x.detail, source: x.source })) },
        ),
      );
      if (malicious) {
        const last = rows[rows.length - 1]!;
        last.evidence = [...(last.evidence as { file_id: number; locator: string }[]), ...exposed.slice(0, 3).map((x) => ({ file_id: x.file_id, locator: x.locator }))];
      }
    }
    return rows;
  },
});

function describeSession(sub: string, c: { command: string | null; container: string | null; ports: string | null }): string {
  if (sub === 'portforward') return `port-forward${c.ports ? ` to port(s) ${c.ports}` : ''}`;
  const argv = c.command ? (JSON.parse(c.command) as string[]).join(' ') : sub === 'attach' ? '(attached to the main process)' : '(no command)';
  return `\`${argv}\`${c.container ? ` in container ${c.container}` : ''}`;
}
