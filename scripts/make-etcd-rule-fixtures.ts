/**
 * Regenerates test/fixtures/etcd/*.db: real `etcdctl snapshot save` files from a real etcd 3.4
 * (etcd-server from Debian) started on loopback, holding Kubernetes-shaped values written the way
 * kube-apiserver writes them (protobuf envelopes, k8s:enc: encrypted values).
 *   npm run build && node dist/scripts/make-etcd-rule-fixtures.js
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { EtcdServer, encryptedValue, podProtobuf, secretProtobuf, k8sProtobuf, objectMeta } from './etcd-fixture.js';

const out = join(PACKAGE_ROOT, 'test', 'fixtures', 'etcd');
const created = Date.parse('2026-11-20T08:00:00Z') / 1000;

function clusterRoleBinding(name: string): Buffer {
  // ClusterRoleBinding{metadata=1, subjects=2, roleRef=3}: the metadata is what the reader decodes.
  return k8sProtobuf('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', objectMeta({ name, created }).finish());
}

async function snapshot(name: string, fill: (etcd: EtcdServer) => Promise<void>): Promise<void> {
  const etcd = await EtcdServer.start({ quotaBytes: 64 * 1024 * 1024 });
  try {
    await fill(etcd);
    etcd.snapshot(join(out, name));
  } finally {
    await etcd.stop();
  }
}

async function common(etcd: EtcdServer): Promise<void> {
  await etcd.put('/registry/pods/default/web-7d4b9c8f6-x2x9q', podProtobuf({ name: 'web-7d4b9c8f6-x2x9q', namespace: 'default', created }, 'nginx:1.25'));
  await etcd.put('/registry/pods/kube-system/etcd-cp-1', podProtobuf({ name: 'etcd-cp-1', namespace: 'kube-system', created }, 'registry.k8s.io/etcd:3.5.9-0'));
  await etcd.put('/registry/clusterrolebindings/kubeadm:cluster-admins', clusterRoleBinding('kubeadm:cluster-admins'));
}

mkdirSync(out, { recursive: true });
await snapshot('snapshot-plaintext.db', async (etcd) => {
  await common(etcd);
  // Stored before encryption at rest was configured: plaintext, still live.
  await etcd.put('/registry/secrets/kube-system/bootstrap-token-abcdef', secretProtobuf({ name: 'bootstrap-token-abcdef', namespace: 'kube-system', created }, { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef' }, 'bootstrap.kubernetes.io/token'));
  // Written in plaintext, then rewritten after encryption was turned on: history keeps the plaintext.
  await etcd.put('/registry/secrets/default/db-credentials', secretProtobuf({ name: 'db-credentials', namespace: 'default', created }, { password: 'hunter2' }));
  await etcd.put('/registry/secrets/default/db-credentials', encryptedValue('aescbc', 'key1'));
  // A binding that the API dump of the same bundle does not show.
  await etcd.put('/registry/clusterrolebindings/system:node-debugger', clusterRoleBinding('system:node-debugger'));
});
await snapshot('snapshot-encrypted.db', async (etcd) => {
  await common(etcd);
  await etcd.put('/registry/secrets/kube-system/bootstrap-token-abcdef', encryptedValue('aescbc', 'key1'));
  await etcd.put('/registry/secrets/default/db-credentials', encryptedValue('aescbc', 'key1'));
});
process.stderr.write(`wrote ${out}/snapshot-plaintext.db and snapshot-encrypted.db\n`);
