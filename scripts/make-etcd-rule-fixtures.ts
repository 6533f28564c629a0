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

function node(name: string): Buffer {
  // Node{metadata=1, spec=2, status=3}: stored under the historical resource name "minions".
  return k8sProtobuf('v1', 'Node', objectMeta({ name, created }).finish());
}

function service(name: string, namespace: string): Buffer {
  return k8sProtobuf('v1', 'Service', objectMeta({ name, namespace, created }).finish());
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
// Resources whose etcd storage name is not their API name: nodes as minions, services under
// services/specs. The kubeadm dump fixture lists nodes cp-1, worker-1 and worker-2.
async function kubeadmNodes(etcd: EtcdServer): Promise<void> {
  for (const name of ['cp-1', 'worker-1', 'worker-2']) await etcd.put(`/registry/minions/${name}`, node(name));
  await etcd.put('/registry/services/specs/default/kubernetes', service('kubernetes', 'default'));
  await etcd.put('/registry/services/endpoints/default/kubernetes', k8sProtobuf('v1', 'Endpoints', objectMeta({ name: 'kubernetes', namespace: 'default', created }).finish()));
}
await snapshot('snapshot-nodes.db', kubeadmNodes);
await snapshot('snapshot-hidden-node.db', async (etcd) => {
  await kubeadmNodes(etcd);
  await etcd.put('/registry/minions/worker-9', node('worker-9'));
});
process.stderr.write(`wrote ${out}/snapshot-{plaintext,encrypted,nodes,hidden-node}.db\n`);
