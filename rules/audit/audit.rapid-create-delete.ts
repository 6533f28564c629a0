import { threshold } from '../../src/config.js';
import { Notable } from '../../src/ingest/audit/notable.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { actorSubject, cite, citedRow, Dict, hasAuditEvents, incidentWindow, inIds, isControlPlane, selectEvents, type EventRow } from '../../src/ingest/audit/rule-support.js';
import { formatMicros } from '../../src/ingest/audit/time.js';

/** Objects that are created and deleted all the time by design. */
const EPHEMERAL = [
  'events',
  'leases',
  'tokenreviews',
  'subjectaccessreviews',
  'selfsubjectaccessreviews',
  'localsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'selfsubjectreviews',
  'endpoints',
  'endpointslices',
  'certificatesigningrequests',
];

export default defineRule({
  meta: {
    id: 'audit.rapid-create-delete',
    title: 'Object created and deleted again shortly after',
    severity: 'SUSPICIOUS',
    group: 'audit',
    attack: ['T1070', 'T1610'],
    description:
      'An object (a pod, a job, a role binding, a secret) created and deleted by people or workloads within minutes leaves almost no trace in the cluster: only the audit log remembers it. Attackers run a privileged pod or a temporary binding just long enough to use it, then delete it to cover their tracks.',
    remediation:
      'Read what the object was (the create request, at Request level, carries its spec) and what it did while it existed: exec sessions, secrets read, runtime events on its node. Kubernetes controllers are not reported; review the rest.',
    falsePositives: 'CI test runs and kubectl run --rm sessions by developers; Helm test hooks.',
  },
  run({ db, config }) {
    if (!hasAuditEvents(db)) return [];
    const dict = new Dict(db);
    const create = dict.id('create');
    const del = dict.id('delete');
    if (create === null || del === null) return [];
    const span = threshold(config, 'rapid_create_delete_seconds', 600) * 1_000_000;
    const window = incidentWindow(config);
    const ephemeral = EPHEMERAL.map((r) => dict.id(r));
    const events = selectEvents(
      db,
      `e.verb in (${create}, ${del}) and e.subresource is null and e.name is not null and e.resource is not null and e.resource not ${inIds(ephemeral)}
       and (e.code is null or e.code < 300) and ${window.sql}`,
      Notable.CREATE_DELETE,
    );
    const created = new Map<string, EventRow>();
    const rows: FindingRow[] = [];
    for (const e of events) {
      const key = `${e.api_group}|${e.resource}|${e.namespace}|${e.name}`;
      if (e.verb === create) {
        if (!isControlPlane(dict.value(e.username))) created.set(key, e);
        continue;
      }
      const c = created.get(key);
      if (!c) continue;
      created.delete(key);
      const lived = e.ts - c.ts;
      if (lived > span) continue;
      const creator = dict.value(c.username);
      const deleter = dict.value(e.username);
      const resource = dict.value(e.resource) ?? '?';
      const namespace = dict.value(e.namespace);
      const name = dict.value(e.name) ?? '?';
      const cited = cite([c, e]);
      rows.push(
        citedRow(
          {
            subject_kind: resource.replace(/s$/, ''),
            subject_name: name,
            subject_namespace: namespace,
            key: `${c.audit_id ?? ''}`,
            reason: `${resource} ${namespace ? `${namespace}/` : ''}${name} was created by ${creator ?? '?'} at ${formatMicros(c.ts)} and deleted ${deleter === creator ? 'by the same identity' : `by ${deleter ?? '?'}`} ${(lived / 1_000_000).toFixed(1)} s later (threshold ${span / 1_000_000} s); ${cited.text}`,
          },
          cited,
          { created_by: creator, deleted_by: deleter, lifetime_seconds: lived / 1_000_000, creator: actorSubject(creator) },
        ),
      );
    }
    return rows;
  },
});
