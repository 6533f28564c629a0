import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { execEventsCondition, exposedPods } from '../../src/ingest/audit/exposed-pods.js';
import { allowed, cite, citedRow, Dict, hasAuditEvents, isOperator, selectEvents } from '../../src/ingest/audit/rule-support.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'correlate.exec-into-exposed-pod',
    title: 'Exec or attach into a privileged or host-exposed pod',
    severity: 'MALICIOUS',
    group: 'kubernetes',
    attack: ['T1609', 'T1611'],
    description:
      'The audit log shows an interactive session (pods/exec or pods/attach) opened into a pod that the same bundle shows privileged, in a host namespace, with a dangerous capability or mounting a sensitive host path. Neither fact alone is an escape; together they are the usual path from API access to root on the node: the session runs with the pod\'s host access.',
    remediation:
      'Treat the node as compromised: isolate it, preserve its disk and memory, and check for escape artefacts (host files written, new host processes, kubelet credentials used). Revoke the credentials of the user who opened the session, and remove the exposure from the pod spec.',
    falsePositives: 'A listed operator debugging a node agent (CNI, CSI, monitoring) is not reported; anyone else is.',
    redFlag: true,
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const events = selectEvents(db, execEventsCondition(dict, ['exec', 'attach']), Notable.EXEC).filter(
      (e) => allowed(e) && !isOperator(config, dict.value(e.username), dict.value(e.groups)),
    );
    if (events.length === 0) return [];
    const exposures = exposedPods(db, config, dict);
    const rows: FindingRow[] = [];
    for (const group of groupBy(events, (e) => `${e.namespace}|${e.name}`).values()) {
      const namespace = dict.value(group[0]!.namespace);
      const pod = dict.value(group[0]!.name);
      const exposed = exposures.get(`${namespace ?? ''}/${pod ?? ''}`);
      if (!pod || !exposed || exposed.length === 0) continue;
      const cited = cite(group);
      const users = [...new Set(group.map((e) => dict.value(e.username) ?? '(unauthenticated)'))];
      const sources = [...new Set(exposed.map((x) => x.source))];
      const row = citedRow(
        {
          subject_kind: 'pod',
          subject_name: pod,
          subject_namespace: namespace,
          reason: `${users.join(', ')} opened ${group.length} exec/attach session(s) into ${namespace}/${pod}, which is exposed: ${exposed
            .map((x) => x.detail)
            .slice(0, 4)
            .join('; ')} (shown by ${sources.join(' and ')} evidence); ${cited.text}`,
        },
        cited,
        { users, exposures: exposed.map((x) => ({ exposure: x.exposure, detail: x.detail, source: x.source })) },
      );
      row.evidence = [...(row.evidence as { file_id: number; locator: string }[]), ...exposed.slice(0, 4).map((x) => ({ file_id: x.file_id, locator: x.locator }))];
      rows.push(row);
    }
    return rows;
  },
});
