import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { componentInstances, configFileNote, seenAs } from '../../src/ingest/control-plane/settings.js';

export default defineRule({
  meta: {
    id: 'apiserver.audit-disabled',
    title: 'kube-apiserver writes no audit log',
    severity: 'INFO',
    group: 'control-plane',
    attack: [],
    description:
      'Without --audit-log-path (or an audit webhook) kube-apiserver records nothing of who did what through the API; with a backend but no --audit-policy-file no event is logged either. Exec into pods, Secret reads, RBAC changes and anonymous requests then leave no trace, and every audit.* rule is blind for this cluster: absence of audit findings means "not recorded".',
    remediation:
      'Give kube-apiserver an audit policy (--audit-policy-file; Metadata level for Secrets, RequestResponse for RBAC and pods/exec) and a backend (--audit-log-path with rotation, or --audit-webhook-config-file) shipping off the node; collect it with collect.sh --audit-log.',
    falsePositives: 'Managed control planes (EKS, GKE, AKS) log audit events to the provider\'s log service; their flags are not visible on the nodes.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    for (const api of componentInstances(db, 'kube-apiserver')) {
      const base = { subject_kind: 'component', subject_name: 'kube-apiserver', subject_host: api.host };
      const backend = ['audit-log-path', 'audit-webhook-config-file'].map((n) => [n, api.settings.get(n)] as const).find(([, s]) => s && s.value !== '');
      const policy = api.settings.get('audit-policy-file');
      if (!backend) {
        rows.push({
          ...base,
          key: 'audit-log-path',
          reason: `${seenAs(api)}: neither --audit-log-path nor --audit-webhook-config-file is set: no audit event is written${configFileNote(api)}`,
          file_id: api.file_id,
          locator: api.locator,
        });
      } else if (!policy || policy.value === '') {
        const [name, setting] = backend;
        rows.push({
          ...base,
          key: 'audit-policy-file',
          reason: `${seenAs(api)}: --${name}=${setting!.value} but no --audit-policy-file: without a policy no event is logged${configFileNote(api)}`,
          file_id: setting!.file_id,
          locator: setting!.locator,
        });
      }
    }
    return rows;
  },
});
