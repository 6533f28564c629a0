import { defineRule, type EvidenceRef, type FindingRow } from '../../src/engine/rule.js';
import { chainPerCapability, grantEvidence, powerText, serviceAccountPower, summarise, uniqueEvidence } from '../../src/ingest/kubernetes/rbac-chains.js';
import { groupBy } from '../../src/util/group-by.js';

interface Row {
  spec_id: number;
  source: string;
  namespace: string;
  service_account: string;
  how: string;
  token_file_id: number;
  token_locator: string;
  sa_automount: number | null;
  sa_file_id: number | null;
  sa_locator: string | null;
  owner_desc: string;
  system_component: string | null;
  created: string | null;
}

export default defineRule({
  meta: {
    id: 'k8s.sa.automount-token',
    title: 'Service-account token mounted into pods',
    severity: 'INFO',
    group: 'kubernetes',
    attack: ['T1528'],
    description:
      'Unless automountServiceAccountToken is false on the pod or its service account, every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount. Anyone who runs code in the pod (an exploited application, an exec) can use it against the API with all the rights of the service account. One finding per service account whose token is mounted, listing the pods and templates that mount it; the namespace\'s default service account is called out (every pod that names none gets it). When the token can read secrets or escalate (computed through the RBAC graph, groups included), the finding is SUSPICIOUS.',
    remediation: 'Set automountServiceAccountToken: false on service accounts and pods that do not call the API; give the ones that do a dedicated service account with a narrow role.',
    falsePositives: 'Controllers and operators need their token; they should still have narrow rights.',
  },
  run({ db }) {
    const rows = db
      .prepare(
        `select t.spec_id, t.source, t.namespace, t.service_account, t.how, t.token_file_id, t.token_locator, t.sa_automount, t.sa_file_id, t.sa_locator,
                s.owner_desc, s.system_component, s.created
           from k8s_spec_tokens t join k8s_spec_subjects s on s.id = t.spec_id
          where t.mounted = 1 and s.reportable = 1 and t.namespace is not null
          order by t.namespace, t.service_account, s.source, s.name`,
      )
      .all() as Row[];
    const power = serviceAccountPower(db);
    const bySa = groupBy(rows, (r) => `${r.namespace}/${r.service_account}`);
    const out: FindingRow[] = [];
    for (const [key, specs] of bySa) {
      const first = specs[0]!;
      const grants = power.get(key) ?? [];
      if (grants.length === 0 && specs.every((s) => s.system_component !== null)) continue;
      const isDefault = first.service_account === 'default';
      const saSetting =
        first.sa_automount === 1 ? 'automountServiceAccountToken: true on the service account' : first.sa_automount === 0 ? 'automountServiceAccountToken: false on the service account, overridden by the pod' : 'automountServiceAccountToken not set on the service account';
      const evidence: EvidenceRef[] = specs.map((s) => ({ file_id: s.token_file_id, locator: s.token_locator }));
      if (first.sa_file_id !== null) evidence.unshift({ file_id: first.sa_file_id, locator: first.sa_locator });
      out.push({
        subject_kind: 'serviceaccount',
        subject_name: first.service_account,
        subject_namespace: first.namespace,
        severity: grants.length > 0 ? 'SUSPICIOUS' : null,
        reason:
          `token of ServiceAccount ${key} is mounted in ${specs.length} pod${specs.length === 1 ? '' : 's'}/template${specs.length === 1 ? '' : 's'}: ${summarise(specs.map((s) => s.owner_desc), 5)}` +
          (isDefault ? `; it is namespace ${first.namespace}'s default service account, which every pod naming none gets` : '') +
          `; ${saSetting}` +
          (grants.length > 0 ? `; the token can ${powerText(grants)}, so SUSPICIOUS: ${summarise(chainPerCapability(grants), 3)}` : ''),
        evidence: uniqueEvidence([...evidence, ...grants.flatMap(grantEvidence)]),
        first_seen: specs.map((s) => s.created).filter(Boolean).sort()[0] ?? null,
        details: { table: { columns: ['mounted in', 'why'], rows: specs.map((s) => [s.owner_desc, s.how]) } },
      });
    }
    return out;
  },
});
