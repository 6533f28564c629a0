import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { chainPerCapability, grantEvidence, powerText, serviceAccountPower, summarise, uniqueEvidence } from '../../src/ingest/kubernetes/rbac-chains.js';
import { inIncidentWindow } from '../../src/ingest/kubernetes/window.js';

interface SecretRow {
  namespace: string;
  name: string;
  created: string | null;
  service_account: string | null;
  file_id: number;
  locator: string;
}

export default defineRule({
  meta: {
    id: 'k8s.sa.long-lived-token',
    title: 'Long-lived service-account token Secret',
    severity: 'INFO',
    group: 'kubernetes',
    attack: ['T1528', 'T1098'],
    description:
      'A Secret of type kubernetes.io/service-account-token holds a token that never expires and survives the pods that used it. Since Kubernetes 1.24 the control plane no longer creates them; each one was created by someone, and an attacker who wants to keep API access creates one for a powerful service account. Reported from the Secrets metadata collect.sh lists (values are never collected); SUSPICIOUS when the Secret was created inside the incident window or its service account can read secrets or escalate (computed through the RBAC graph).',
    remediation: 'Delete the Secret (the token stops working) unless a documented integration needs it; prefer TokenRequest (kubectl create token) with an expiry. Review the audit log for requests made with it.',
    falsePositives: 'Clusters upgraded from before 1.24 keep auto-created tokens until the legacy-token cleaner removes them; some CI integrations still use them.',
  },
  run({ db, config }) {
    const secrets = db
      .prepare(
        "select namespace, name, created, service_account, file_id, locator from k8s_secrets where type = 'kubernetes.io/service-account-token' order by namespace, name",
      )
      .all() as SecretRow[];
    if (secrets.length === 0) return [];
    const power = serviceAccountPower(db);
    const out: FindingRow[] = [];
    for (const s of secrets) {
      const grants = s.service_account ? (power.get(`${s.namespace}/${s.service_account}`) ?? []) : [];
      const recent = inIncidentWindow(s.created, config);
      const why = [recent ? 'created inside the incident window' : '', grants.length > 0 ? 'its service account is powerful' : ''].filter(Boolean);
      out.push({
        subject_kind: 'secret',
        subject_name: s.name,
        subject_namespace: s.namespace,
        severity: why.length > 0 ? 'SUSPICIOUS' : null,
        reason:
          `Secret ${s.namespace}/${s.name} holds a non-expiring token of ServiceAccount ${s.namespace}/${s.service_account ?? '?'}${s.created ? `, created ${s.created}` : ''}` +
          (grants.length > 0 ? `; the token can ${powerText(grants)}: ${summarise(chainPerCapability(grants), 3)}` : '') +
          (why.length > 0 ? `; SUSPICIOUS: ${why.join(' and ')}` : ''),
        first_seen: s.created,
        evidence: uniqueEvidence([{ file_id: s.file_id, locator: s.locator }, ...grants.flatMap(grantEvidence)]),
      });
    }
    return out;
  },
});
