import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { componentInstances, configFileNote, describeSetting, givenSettingsEvidence, isTrue, parseUrlList, seenAs } from '../../src/ingest/control-plane/settings.js';

export default defineRule({
  meta: {
    id: 'etcd.client-listener-exposed',
    title: 'etcd client port reachable from the network without client authentication',
    severity: 'SUSPICIOUS',
    group: 'control-plane',
    attack: ['T1552.007'],
    description:
      'etcd holds the whole cluster state, every Secret and service-account token included. Its client port (--listen-client-urls, 2379) on a non-loopback address lets anyone who reaches it read and rewrite that state unless TLS client certificates signed by the etcd CA are required. Over plain http:// no client can be authenticated at all: one curl is a cluster takeover. kubeadm listens on the node address too, but with TLS and --client-cert-auth, which is not reported.',
    remediation:
      'Serve clients on https:// with --client-cert-auth=true and --trusted-ca-file set to the etcd CA, or on loopback only; firewall 2379/2380 to the control-plane nodes. If the port was exposed during the incident, treat every Secret and token in etcd as disclosed and rotate them.',
    falsePositives: 'A lab or single-node cluster on an isolated network; an external etcd whose network access is restricted by a firewall this evidence does not show.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    for (const etcd of componentInstances(db, 'etcd')) {
      const certAuth = etcd.settings.get('client-cert-auth');
      const trustedCa = etcd.settings.get('trusted-ca-file');
      const autoTls = etcd.settings.get('auto-tls');
      const clientsVerified = isTrue(certAuth) && trustedCa !== undefined && trustedCa.value !== '' && !isTrue(autoTls);
      for (const name of ['listen-client-urls', 'listen-client-http-urls']) {
        const setting = etcd.settings.get(name);
        if (!setting) continue;
        for (const url of parseUrlList(setting.value)) {
          if (url.local) continue;
          const where = url.allInterfaces ? 'every interface' : url.host;
          const base = {
            subject_kind: 'component',
            subject_name: 'etcd',
            subject_host: etcd.host,
            key: url.url,
            file_id: setting.file_id,
            locator: setting.locator,
            evidence: givenSettingsEvidence([certAuth, trustedCa]),
          };
          if (url.scheme === 'http') {
            rows.push({
              ...base,
              red_flag: true,
              reason: `${seenAs(etcd)}: --${name} serves ${url.url} in plain HTTP on ${where}; no client can be authenticated, so anyone who reaches it reads every Secret (red flag: like an unauthenticated Docker socket)${configFileNote(etcd)}`,
            });
          } else if (!clientsVerified) {
            const why = isTrue(autoTls)
              ? describeSetting('auto-tls', autoTls)
              : !isTrue(certAuth)
                ? describeSetting('client-cert-auth', certAuth)
                : '--trusted-ca-file not set';
            rows.push({
              ...base,
              reason: `${seenAs(etcd)}: --${name} serves ${url.url} on ${where} with TLS but clients are not verified (${why}): any client that reaches it is served${configFileNote(etcd)}`,
            });
          }
        }
      }
    }
    return rows;
  },
});
