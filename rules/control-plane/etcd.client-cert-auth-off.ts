import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { componentInstances, configFileNote, describeSetting, givenSettingsEvidence, isTrue, parseUrlList, seenAs, type Setting } from '../../src/ingest/control-plane/settings.js';

export default defineRule({
  meta: {
    id: 'etcd.client-cert-auth-off',
    title: 'etcd does not authenticate its clients or peers with certificates',
    severity: 'SUSPICIOUS',
    group: 'control-plane',
    attack: ['T1552.007'],
    description:
      'With --client-cert-auth off (its default), or clients served over plain http://, etcd answers any client that can connect: every Secret and token can be read and any object rewritten, bypassing the API server, its authorisation and its audit log. --peer-client-cert-auth off lets any host reaching the peer port (2380) join or eavesdrop on the cluster; --auto-tls / --peer-auto-tls use self-signed certificates that authenticate nobody. On loopback only, the exposure is limited to processes of the node (including host-network pods), reported as INFO.',
    remediation:
      'Set --client-cert-auth=true and --trusted-ca-file (clients), --peer-client-cert-auth=true and --peer-trusted-ca-file (peers), with certificates from the etcd CA instead of --auto-tls / --peer-auto-tls, as kubeadm does. Review who could reach etcd meanwhile and rotate Secrets if it was reachable.',
    falsePositives: 'A single-node development etcd on loopback.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    for (const etcd of componentInstances(db, 'etcd')) {
      const subject = { subject_kind: 'component', subject_name: 'etcd', subject_host: etcd.host };
      const note = configFileNote(etcd);
      const push = (key: string, setting: Setting, reason: string, local: boolean, extra: (Setting | undefined)[] = []) =>
        rows.push({
          ...subject,
          key,
          severity: local ? 'INFO' : 'SUSPICIOUS',
          reason: `${seenAs(etcd)}: ${reason}${local ? '; reachable from this node only (loopback), hence INFO' : ''}${note}`,
          file_id: setting.file_id,
          locator: setting.locator,
          evidence: givenSettingsEvidence(extra),
        });

      // Clients.
      const clientUrls = etcd.settings.get('listen-client-urls')!;
      const clients = parseUrlList(clientUrls.value);
      const clientCertAuth = etcd.settings.get('client-cert-auth')!;
      const clientsLocal = clients.every((u) => u.local);
      const plain = clients.filter((u) => u.scheme === 'http');
      if (plain.length > 0) {
        push(
          'client-cert-auth',
          clientUrls,
          `clients are served over plain HTTP (${plain.map((u) => u.url).join(', ')}): no client certificate can be required`,
          plain.every((u) => u.local),
        );
      } else if (clients.some((u) => u.scheme === 'https') && !isTrue(clientCertAuth)) {
        push('client-cert-auth', clientCertAuth, `${describeSetting('client-cert-auth', clientCertAuth)} on ${clientUrls.value}: any client that connects is served`, clientsLocal, [clientUrls]);
      }

      // Peers: only a concern when the peer port listens beyond loopback.
      const peerUrls = etcd.settings.get('listen-peer-urls')!;
      const peers = parseUrlList(peerUrls.value).filter((u) => !u.local);
      const peerCertAuth = etcd.settings.get('peer-client-cert-auth')!;
      if (peers.some((u) => u.scheme === 'http')) {
        push('peer-client-cert-auth', peerUrls, `peers are served over plain HTTP (${peers.map((u) => u.url).join(', ')}): any host can join or read raft traffic`, false);
      } else if (peers.length > 0 && !isTrue(peerCertAuth)) {
        push('peer-client-cert-auth', peerCertAuth, `${describeSetting('peer-client-cert-auth', peerCertAuth)} with peers on ${peerUrls.value}: any host that reaches the peer port is accepted`, false, [peerUrls]);
      }

      // Self-signed certificates generated at start authenticate nobody.
      const autoTls = etcd.settings.get('auto-tls')!;
      if (isTrue(autoTls)) push('auto-tls', autoTls, `${describeSetting('auto-tls', autoTls)}: clients get a self-signed certificate and are checked against no CA`, clientsLocal);
      const peerAutoTls = etcd.settings.get('peer-auto-tls')!;
      if (isTrue(peerAutoTls)) {
        push('peer-auto-tls', peerAutoTls, `${describeSetting('peer-auto-tls', peerAutoTls)}: peers use self-signed certificates checked against no CA`, peers.length === 0);
      }
    }
    return rows;
  },
});
