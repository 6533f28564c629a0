import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { componentInstances, type Setting } from '../../src/ingest/control-plane/settings.js';
import { pkiPath } from '../../src/ingest/kinds/x509-certificate.js';
import { groupBy } from '../../src/util/group-by.js';

function settingValue(setting: Setting | undefined): string | null {
  return setting && !setting.isDefault && setting.value !== '' ? setting.value : null;
}

/** Common names kubeadm gives the etcd certificates (besides the node name for server and peer). */
const KUBEADM_ETCD_CNS = ['kube-etcd-healthcheck-client', 'kube-apiserver-etcd-client'];

interface Cert {
  id: number;
  input_id: number;
  file_id: number;
  locator: string;
  path: string;
  pki_path: string | null;
  subject: string | null;
  issuer: string | null;
  common_name: string | null;
  dns_names: string | null;
  not_before: string | null;
  sha256: string;
  is_ca: number;
  ext_key_usage: string | null;
  host: string | null;
}

export default defineRule({
  meta: {
    id: 'etcd.unexpected-client-cert',
    title: 'Unexpected certificate in the etcd PKI',
    severity: 'SUSPICIOUS',
    group: 'control-plane',
    attack: ['T1552.004'],
    description:
      'Whoever holds a client certificate signed by the etcd CA reads and writes all of etcd, Secrets included, without the API server, its authorisation or its audit log (with client-cert-auth the CN is also the etcd user: CN root is etcd\'s root). kubeadm issues exactly four etcd certificates: server and peer (CN = node name), kube-etcd-healthcheck-client and kube-apiserver-etcd-client. A certificate with another CN, one that the etcd CA in the same bundle did not sign, or one issued inside the incident window points at a minted credential (the CA key was used) or a swapped file. Issued by the real CA, with an unknown CN, inside the window: MALICIOUS.',
    remediation:
      'Find who created the certificate (file times in pki-listing.txt, shell history, audit of the node); if the etcd CA key may be compromised, rotate the etcd CA and every etcd certificate, and treat every Secret as disclosed. Remove certificates that nothing should use.',
    falsePositives: 'Certificates renewed during the incident window (kubeadm certs renew), or extra client certificates issued on purpose for backup or monitoring tools: confirm with their owner.',
  },
  run({ db, config }) {
    const certs = db
      .prepare(
        `select c.id, c.input_id, c.file_id, c.locator, c.path, c.pki_path, c.subject, c.issuer, c.common_name, c.dns_names, c.not_before, c.sha256,
                c.is_ca, c.ext_key_usage, i.host
           from certificates c join inputs i on i.id = c.input_id order by c.input_id, c.path, c.id`,
      )
      .all() as Cert[];
    if (certs.length === 0) return [];
    const issuers = groupBy(db.prepare('select subject_row, issuer_row from certificate_issuers').all() as { subject_row: number; issuer_row: number }[], (l) => l.subject_row);
    // Where etcd (and the API server's etcd client) say the etcd CA is, and which names the node has.
    const caFiles = new Map<number, Set<string>>();
    const nodeNames = new Map<number, Set<string>>();
    const add = (map: Map<number, Set<string>>, input: number, value: string | null) => {
      if (!value) return;
      if (!map.has(input)) map.set(input, new Set());
      map.get(input)!.add(value);
    };
    for (const etcd of componentInstances(db, 'etcd')) {
      add(nodeNames, etcd.inputId, settingValue(etcd.settings.get('name')));
      add(nodeNames, etcd.inputId, etcd.source === 'pod' ? etcd.host : null);
      for (const name of ['trusted-ca-file', 'peer-trusted-ca-file']) add(caFiles, etcd.inputId, pkiPath(settingValue(etcd.settings.get(name)) ?? ''));
    }
    for (const api of componentInstances(db, 'kube-apiserver')) add(caFiles, api.inputId, pkiPath(settingValue(api.settings.get('etcd-cafile')) ?? ''));
    for (const i of db.prepare("select id as input_id, host from inputs union select input_id, value from bundle_meta where key = 'HOST'").all() as { input_id: number; host: string | null }[]) {
      add(nodeNames, i.input_id, i.host);
    }

    const since = config.incident_window.since ? Date.parse(config.incident_window.since) : null;
    const until = config.incident_window.until ? Date.parse(config.incident_window.until) : null;
    const rows: FindingRow[] = [];
    for (const [input, mine] of groupBy(certs, (c) => c.input_id)) {
      const caPaths = new Set(['etcd/ca.crt', ...(caFiles.get(input) ?? [])]);
      const etcdCas = mine.filter((c) => c.is_ca === 1 && c.pki_path !== null && caPaths.has(c.pki_path));
      const caIds = new Set(etcdCas.map((c) => c.id));
      const names = nodeNames.get(input) ?? new Set<string>();
      for (const c of mine) {
        if (caIds.has(c.id)) continue;
        const signedByCa = (issuers.get(c.id) ?? []).some((l) => caIds.has(l.issuer_row));
        const inEtcdDir = c.pki_path !== null && (c.pki_path.startsWith('etcd/') || c.pki_path === 'apiserver-etcd-client.crt');
        if (!inEtcdDir && !signedByCa) continue;

        const reasons: string[] = [];
        const cn = c.common_name ?? '';
        const ownNames: string[] = c.dns_names ? (JSON.parse(c.dns_names) as string[]) : [];
        const serverOrPeer = c.pki_path === 'etcd/server.crt' || c.pki_path === 'etcd/peer.crt';
        const expectedCn =
          KUBEADM_ETCD_CNS.includes(cn) || names.has(cn) || (serverOrPeer && ownNames.includes(cn)) || (c.is_ca === 1 && cn === 'etcd-ca');
        if (!expectedCn) {
          const known = [...KUBEADM_ETCD_CNS, ...[...names].map((n) => `node name ${n}`)].join(', ');
          reasons.push(`CN ${cn === '' ? '(none)' : `"${cn}"`} is none of the names kubeadm gives etcd certificates (${known})`);
        }
        if (inEtcdDir && etcdCas.length > 0 && !signedByCa) {
          reasons.push(`not signed by the etcd CA of this bundle (${etcdCas.map((a) => `${a.path}, sha256 ${a.sha256.slice(0, 16)}…`).join('; ')}) although it names ${c.issuer ?? 'no issuer'} as issuer`);
        }
        const issuedAt = c.not_before ? Date.parse(c.not_before) : null;
        const inWindow = issuedAt !== null && (since !== null || until !== null) && (since === null || issuedAt >= since) && (until === null || issuedAt <= until);
        if (inWindow) reasons.push(`issued ${c.not_before}, inside the incident window`);
        if (reasons.length === 0) continue;

        const clientUse = c.ext_key_usage === null || (JSON.parse(c.ext_key_usage) as string[]).some((u) => u === 'clientAuth' || u === 'anyExtendedKeyUsage');
        const minted = signedByCa && !expectedCn && inWindow && clientUse;
        const where = `${c.path} (${c.locator})`;
        rows.push({
          subject_kind: 'certificate',
          subject_name: cn || c.subject || c.sha256,
          subject_id: c.sha256,
          subject_host: c.host,
          severity: minted ? 'MALICIOUS' : 'SUSPICIOUS',
          reason: `${where}: ${reasons.join('; ')}${signedByCa ? '; it IS signed by the etcd CA, so it is a working etcd credential' : ''}${minted ? ' — a new etcd client credential minted with the real CA key during the incident (MALICIOUS)' : ''}`,
          file_id: c.file_id,
          locator: c.locator,
          evidence: etcdCas.map((a) => ({ file_id: a.file_id, locator: a.locator })),
          first_seen: c.not_before,
        });
      }
    }
    return rows;
  },
});
