/**
 * The objects a freshly installed kubeadm (v1.29) cluster has: control-plane static pods
 * (mirror pods), the kube-proxy DaemonSet, the coredns Deployment, the API server's bootstrap
 * RBAC policy (ClusterRoles/Bindings, kube-system/kube-public Roles/Bindings) and kubeadm's own
 * RBAC objects. Rules of the built-in roles follow the bootstrap policy; roles whose rules
 * matter to no detection are abbreviated to their characteristic rules.
 */
import {
  DAEMONSET_TOLERATIONS,
  K8S_VERSION,
  clusterRole,
  clusterRoleBinding,
  configMapVolume,
  daemonSet,
  deployment,
  hostPathVolume,
  namespace,
  node,
  pod,
  role,
  roleBinding,
  serviceAccount,
  suffix,
  templateHash,
  type Obj,
  type PolicyRule,
} from './k8s-kubectl.js';

export interface ClusterObjects {
  nodes: Obj[];
  namespaces: Obj[];
  pods: Obj[];
  deployments: Obj[];
  daemonsets: Obj[];
  statefulsets: Obj[];
  jobs: Obj[];
  cronjobs: Obj[];
  serviceaccounts: Obj[];
  roles: Obj[];
  rolebindings: Obj[];
  clusterroles: Obj[];
  clusterrolebindings: Obj[];
  networkpolicies: Obj[];
  validatingwebhookconfigurations: Obj[];
  mutatingwebhookconfigurations: Obj[];
  events: Obj[];
}

export interface KubeadmOptions {
  /** Cluster creation time (kubeadm init). */
  created: string;
  controlPlane: { name: string; ip: string };
  workers: { name: string; ip: string; created?: string }[];
}

const CONTROLLERS = [
  'attachdetach-controller', 'certificate-controller', 'clusterrole-aggregation-controller', 'cronjob-controller', 'daemon-set-controller',
  'deployment-controller', 'disruption-controller', 'endpoint-controller', 'endpointslice-controller', 'endpointslicemirroring-controller',
  'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector', 'horizontal-pod-autoscaler', 'job-controller',
  'legacy-service-account-token-cleaner', 'namespace-controller', 'node-controller', 'persistent-volume-binder', 'pod-garbage-collector',
  'pv-protection-controller', 'pvc-protection-controller', 'replicaset-controller', 'replication-controller', 'resourcequota-controller',
  'root-ca-cert-publisher', 'route-controller', 'service-account-controller', 'service-controller', 'statefulset-controller',
  'ttl-after-finished-controller', 'ttl-controller', 'validatingadmissionpolicy-status-controller',
];

/** Characteristic rules of the controller roles (the ones with powerful grants are exact). */
const CONTROLLER_RULES: Record<string, PolicyRule[]> = {
  'expand-controller': [
    { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims/status'], verbs: ['patch', 'update'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['get'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  ],
  'persistent-volume-binder': [
    { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['create', 'delete', 'get'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update', 'watch'] },
  ],
  'namespace-controller': [
    { apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['namespaces/finalize', 'namespaces/status'], verbs: ['update'] },
    { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'deletecollection', 'get', 'list'] },
  ],
  'generic-garbage-collector': [{ apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'] }],
  'resourcequota-controller': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['resourcequotas/status'], verbs: ['update'] },
  ],
  'daemon-set-controller': [
    { apiGroups: ['apps', 'extensions'], resources: ['daemonsets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
    { apiGroups: [''], resources: ['pods/binding'], verbs: ['create'] },
  ],
  'replicaset-controller': [
    { apiGroups: ['apps', 'extensions'], resources: ['replicasets'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
  ],
  'job-controller': [
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
  ],
  'cronjob-controller': [
    { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'list'] },
  ],
  'deployment-controller': [
    { apiGroups: ['apps', 'extensions'], resources: ['deployments'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroups: ['apps', 'extensions'], resources: ['replicasets'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'update', 'watch'] },
  ],
  'statefulset-controller': [
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch'] },
  ],
  'replication-controller': [
    { apiGroups: [''], resources: ['replicationcontrollers'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'list', 'patch', 'watch'] },
  ],
  'service-account-controller': [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create'] }],
  'legacy-service-account-token-cleaner': [
    { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-apiserver-legacy-service-account-token-tracking'], verbs: ['get'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['delete', 'patch'] },
  ],
  'certificate-controller': [
    { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['delete', 'get', 'list', 'watch'] },
    { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], verbs: ['update'] },
    { apiGroups: ['certificates.k8s.io'], resourceNames: ['kubernetes.io/kube-apiserver-client-kubelet'], resources: ['signers'], verbs: ['approve'] },
    { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  ],
  'clusterrole-aggregation-controller': [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'get', 'list', 'patch', 'update', 'watch'] }],
};

function controllerRules(name: string): PolicyRule[] {
  return [
    ...(CONTROLLER_RULES[name] ?? [{ apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] }]),
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  ];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** system:aggregate-to-{view,edit,admin}: what view/edit/admin aggregate (abbreviated to the resources that matter). */
const AGGREGATE_TO_VIEW: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'serviceaccounts', 'services'], verbs: READ },
  { apiGroups: [''], resources: ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'resourcequotas'], verbs: READ },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
];
const AGGREGATE_TO_EDIT: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
];
const AGGREGATE_TO_ADMIN: PolicyRule[] = [
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
];

export function kubeadmCluster(o: KubeadmOptions): ClusterObjects {
  const t = o.created;
  const cp = o.controlPlane.name;
  const at = (seconds: number) => new Date(Date.parse(t) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const boot = { created: t, bootstrap: true };
  const kubeadm = { created: at(20) };
  const allNodes = [{ ...o.controlPlane, created: t }, ...o.workers.map((w) => ({ ...w, created: w.created ?? at(600) }))];

  // ---- nodes and namespaces
  const nodes = allNodes.map((n, i) => node({ name: n.name, created: n.created, ip: n.ip, controlPlane: n.name === cp, podCIDR: `10.244.${i}.0/24` }));
  const namespaces = ['default', 'kube-node-lease', 'kube-public', 'kube-system'].map((n) => namespace(n, t));

  // ---- control plane static pods (mirror pods)
  const mirror = (component: string, command: string[], volumes: [string, string, string][], created: number) => {
    const name = `${component}-${cp}`;
    return pod({
      namespace: 'kube-system',
      name,
      node: cp,
      hostIP: o.controlPlane.ip,
      created: at(created),
      mirror: true,
      owner: { apiVersion: 'v1', kind: 'Node', name: cp },
      labels: { component, tier: 'control-plane' },
      annotations: {
        ...(component === 'kube-apiserver' ? { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${o.controlPlane.ip}:6443` } : {}),
        ...(component === 'etcd' ? { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${o.controlPlane.ip}:2379` } : {}),
        'kubernetes.io/config.hash': suffix(`hash:${component}`, 32).toLowerCase(),
        'kubernetes.io/config.mirror': suffix(`hash:${component}`, 32).toLowerCase(),
        'kubernetes.io/config.seen': `${at(created - 5).slice(0, -1)}.118466829Z`,
        'kubernetes.io/config.source': 'file',
      },
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      containers: [
        {
          name: component,
          image: `registry.k8s.io/${component}:${component === 'etcd' ? '3.5.12-0' : K8S_VERSION}`,
          command,
          resources: { requests: { cpu: component === 'kube-scheduler' ? '100m' : component === 'etcd' ? '100m' : '250m', ...(component === 'etcd' ? { memory: '100Mi' } : {}) } },
          volumeMounts: volumes.map(([name, path, ro]) => ({ name, mountPath: path, ...(ro === 'ro' ? { readOnly: true } : {}) })),
        },
      ],
      volumes: volumes.map(([name, path]) => hostPathVolume(name, path, path.endsWith('.conf') ? 'FileOrCreate' : 'DirectoryOrCreate')),
    });
  };
  const certs: [string, string, string][] = [
    ['ca-certs', '/etc/ssl/certs', 'ro'],
    ['etc-ca-certificates', '/etc/ca-certificates', 'ro'],
    ['k8s-certs', '/etc/kubernetes/pki', 'ro'],
    ['usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'ro'],
    ['usr-share-ca-certificates', '/usr/share/ca-certificates', 'ro'],
  ];
  const ip = o.controlPlane.ip;
  const pods: Obj[] = [
    mirror('etcd', ['etcd', `--advertise-client-urls=https://${ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--data-dir=/var/lib/etcd', `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--peer-client-cert-auth=true', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'], [['etcd-certs', '/etc/kubernetes/pki/etcd', 'rw'], ['etcd-data', '/var/lib/etcd', 'rw']], 30),
    mirror('kube-apiserver', ['kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction', '--etcd-servers=https://127.0.0.1:2379', '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-cluster-ip-range=10.96.0.0/12'], certs, 32),
    mirror('kube-controller-manager', ['kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', '--cluster-cidr=10.244.0.0/16', '--use-service-account-credentials=true'], [...certs, ['flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'rw'], ['kubeconfig', '/etc/kubernetes/controller-manager.conf', 'ro']], 31),
    mirror('kube-scheduler', ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'], [['kubeconfig', '/etc/kubernetes/scheduler.conf', 'ro']], 31),
  ];

  // ---- kube-proxy DaemonSet and its pods
  const proxySpec = {
    serviceAccount: 'kube-proxy',
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    containers: [
      {
        name: 'kube-proxy',
        image: `registry.k8s.io/kube-proxy:${K8S_VERSION}`,
        command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
        securityContext: { privileged: true },
        volumeMounts: [
          { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' },
          { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
          { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
        ],
      },
    ],
    volumes: [configMapVolume('kube-proxy', 'kube-proxy'), hostPathVolume('xtables-lock', '/run/xtables.lock', 'FileOrCreate'), hostPathVolume('lib-modules', '/lib/modules')],
  };
  const daemonsets = [
    daemonSet({ namespace: 'kube-system', name: 'kube-proxy', created: at(40), labels: { 'k8s-app': 'kube-proxy' }, podLabels: { 'k8s-app': 'kube-proxy' }, nodes: allNodes.length, tolerations: [{ operator: 'Exists' }], ...proxySpec }),
  ];
  for (const n of allNodes) {
    pods.push(
      pod({
        namespace: 'kube-system',
        name: `kube-proxy-${suffix(`kube-proxy/${n.name}`)}`,
        generateName: 'kube-proxy-',
        node: n.name,
        hostIP: n.ip,
        created: n.created === t ? at(45) : n.created,
        owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy' },
        labels: { 'controller-revision-hash': '7d8b9f6c5d', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
        tolerations: [{ operator: 'Exists' }, ...DAEMONSET_TOLERATIONS],
        priority: 2000001000,
        ...proxySpec,
      }),
    );
  }

  // ---- coredns Deployment and its pods
  const dnsHash = templateHash('kube-system/coredns');
  const dnsSpec = {
    serviceAccount: 'coredns',
    dnsPolicy: 'Default',
    priorityClassName: 'system-cluster-critical',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
    ] as Obj[],
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.11.1',
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
          { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
        ],
        resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
        volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
      },
    ],
    volumes: [configMapVolume('config-volume', 'coredns', [{ key: 'Corefile', path: 'Corefile' }])],
  };
  const deployments = [
    deployment({ namespace: 'kube-system', name: 'coredns', created: at(40), replicas: 2, labels: { 'k8s-app': 'kube-dns' }, podLabels: { 'k8s-app': 'kube-dns' }, ...dnsSpec }),
  ];
  for (let i = 0; i < 2; i++) {
    pods.push(
      pod({
        namespace: 'kube-system',
        name: `coredns-${dnsHash}-${suffix(`coredns/${i}`)}`,
        generateName: `coredns-${dnsHash}-`,
        node: cp,
        hostIP: o.controlPlane.ip,
        podIP: `10.244.0.${2 + i}`,
        created: at(50),
        owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `coredns-${dnsHash}` },
        labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': dnsHash },
        priority: 2000000000,
        ...dnsSpec,
      }),
    );
  }

  // ---- service accounts: one 'default' per namespace, the addons', the controllers'
  const serviceaccounts = [
    ...['default', 'kube-node-lease', 'kube-public', 'kube-system'].map((n) => serviceAccount(n, 'default', t)),
    serviceAccount('kube-system', 'kube-proxy', at(40)),
    serviceAccount('kube-system', 'coredns', at(40)),
    ...CONTROLLERS.map((c) => serviceAccount('kube-system', c, at(35))),
    serviceAccount('kube-system', 'bootstrap-signer', at(35)),
    serviceAccount('kube-system', 'token-cleaner', at(35)),
  ];

  // ---- bootstrap policy ClusterRoles
  const clusterroles: Obj[] = [
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }], boot),
    clusterRole('admin', [...AGGREGATE_TO_VIEW, ...AGGREGATE_TO_EDIT, ...AGGREGATE_TO_ADMIN], { ...boot, aggregationLabels: [{ 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }] }),
    clusterRole('edit', [...AGGREGATE_TO_VIEW, ...AGGREGATE_TO_EDIT], { ...boot, labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, aggregationLabels: [{ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }] }),
    clusterRole('view', AGGREGATE_TO_VIEW, { ...boot, labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, aggregationLabels: [{ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }] }),
    clusterRole('system:aggregate-to-admin', AGGREGATE_TO_ADMIN, { ...boot, labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }),
    clusterRole('system:aggregate-to-edit', AGGREGATE_TO_EDIT, { ...boot, labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }),
    clusterRole('system:aggregate-to-view', AGGREGATE_TO_VIEW, { ...boot, labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
    clusterRole('system:auth-delegator', [{ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }, { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] }], boot),
    clusterRole('system:basic-user', [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }, { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] }], boot),
    clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }], boot),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }], boot),
    clusterRole('system:service-account-issuer-discovery', [{ nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], verbs: ['get'] }], boot),
    clusterRole('system:monitoring', [{ nonResourceURLs: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], verbs: ['get'] }], boot),
    clusterRole('system:kube-controller-manager', [
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resourceNames: ['kube-controller-manager'], resources: ['leases'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['secrets', 'serviceaccounts'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['delete'] },
      { apiGroups: [''], resources: ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets', 'serviceaccounts'], verbs: ['update'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    ], boot),
    clusterRole('system:kube-scheduler', [
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['bindings', 'pods/binding'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
      { apiGroups: [''], resources: ['nodes', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'services'], verbs: READ },
      { apiGroups: ['apps'], resources: ['replicasets', 'statefulsets'], verbs: READ },
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    ], boot),
    clusterRole('system:volume-scheduler', [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'patch', 'update', 'watch'] }, { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ }], boot),
    clusterRole('system:node', [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: [''], resources: ['services'], verbs: READ },
      { apiGroups: [''], resources: ['nodes'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
      { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    ], boot),
    clusterRole('system:node-proxier', [
      { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: READ },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ], boot),
    clusterRole('system:node-bootstrapper', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] }], boot),
    clusterRole('system:kube-dns', [{ apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] }], boot),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/nodeclient'], verbs: ['create'] }], boot),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/selfnodeclient'], verbs: ['create'] }], boot),
    clusterRole('system:kubelet-api-admin', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['*'] }, { apiGroups: [''], resources: ['nodes/log', 'nodes/metrics', 'nodes/spec', 'nodes/stats'], verbs: ['*'] }], boot),
    ...CONTROLLERS.map((c) => clusterRole(`system:controller:${c}`, controllerRules(c), boot)),
    clusterRole('system:coredns', [{ apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] }, { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] }], { created: at(40) }),
    clusterRole('kubeadm:get-nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }], kubeadm),
  ];

  const group = (name: string) => ({ kind: 'Group' as const, name });
  const user = (name: string) => ({ kind: 'User' as const, name });
  const sa = (ns: string, name: string) => ({ kind: 'ServiceAccount' as const, name, namespace: ns });
  const bootstrapToken = group('system:bootstrappers:kubeadm:default-node-token');
  const clusterrolebindings: Obj[] = [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')], boot),
    clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')], kubeadm),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')], boot),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')], boot),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')], boot),
    clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')], boot),
    clusterRoleBinding('system:monitoring', 'system:monitoring', [group('system:monitoring')], boot),
    clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')], boot),
    clusterRoleBinding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')], boot),
    clusterRoleBinding('system:volume-scheduler', 'system:volume-scheduler', [user('system:kube-scheduler')], boot),
    clusterRoleBinding('system:node', 'system:node', [], boot),
    clusterRoleBinding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')], boot),
    clusterRoleBinding('system:kube-dns', 'system:kube-dns', [sa('kube-system', 'kube-dns')], boot),
    ...CONTROLLERS.map((c) => clusterRoleBinding(`system:controller:${c}`, `system:controller:${c}`, [sa('kube-system', c)], boot)),
    clusterRoleBinding('system:coredns', 'system:coredns', [sa('kube-system', 'coredns')], { created: at(40) }),
    clusterRoleBinding('kubeadm:get-nodes', 'kubeadm:get-nodes', [bootstrapToken], kubeadm),
    clusterRoleBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [bootstrapToken], kubeadm),
    clusterRoleBinding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [bootstrapToken], kubeadm),
    clusterRoleBinding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group('system:nodes')], kubeadm),
    clusterRoleBinding('kubeadm:node-proxier', 'system:node-proxier', [sa('kube-system', 'kube-proxy')], kubeadm),
  ];

  const roles: Obj[] = [
    role('kube-system', 'extension-apiserver-authentication-reader', [{ apiGroups: [''], resourceNames: ['extension-apiserver-authentication'], resources: ['configmaps'], verbs: READ }], boot),
    role('kube-system', 'system::leader-locking-kube-controller-manager', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['watch'] }, { apiGroups: [''], resourceNames: ['kube-controller-manager'], resources: ['configmaps'], verbs: ['get', 'update'] }], boot),
    role('kube-system', 'system::leader-locking-kube-scheduler', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['watch'] }, { apiGroups: [''], resourceNames: ['kube-scheduler'], resources: ['configmaps'], verbs: ['get', 'update'] }], boot),
    role('kube-system', 'system:controller:bootstrap-signer', [{ apiGroups: [''], resources: ['secrets'], verbs: READ }], boot),
    role('kube-system', 'system:controller:cloud-provider', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list', 'watch'] }], boot),
    role('kube-system', 'system:controller:token-cleaner', [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete', 'get', 'list', 'watch'] }, { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] }], boot),
    role('kube-public', 'system:controller:bootstrap-signer', [{ apiGroups: [''], resourceNames: ['cluster-info'], resources: ['configmaps'], verbs: ['update'] }, { apiGroups: [''], resources: ['configmaps'], verbs: READ }], boot),
    role('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', [{ apiGroups: [''], resourceNames: ['cluster-info'], resources: ['configmaps'], verbs: ['get'] }], kubeadm),
    role('kube-system', 'kube-proxy', [{ apiGroups: [''], resourceNames: ['kube-proxy'], resources: ['configmaps'], verbs: ['get'] }], kubeadm),
    role('kube-system', 'kubeadm:kubelet-config', [{ apiGroups: [''], resourceNames: ['kubelet-config'], resources: ['configmaps'], verbs: ['get'] }], kubeadm),
    role('kube-system', 'kubeadm:nodes-kubeadm-config', [{ apiGroups: [''], resourceNames: ['kubeadm-config'], resources: ['configmaps'], verbs: ['get'] }], kubeadm),
  ];
  const rolebindings: Obj[] = [
    roleBinding('kube-system', 'system::extension-apiserver-authentication-reader', { kind: 'Role', name: 'extension-apiserver-authentication-reader' }, [user('system:kube-controller-manager'), user('system:kube-scheduler')], boot),
    roleBinding('kube-system', 'system::leader-locking-kube-controller-manager', { kind: 'Role', name: 'system::leader-locking-kube-controller-manager' }, [user('system:kube-controller-manager'), sa('kube-system', 'kube-controller-manager'), sa('kube-system', 'leader-election-controller')], boot),
    roleBinding('kube-system', 'system::leader-locking-kube-scheduler', { kind: 'Role', name: 'system::leader-locking-kube-scheduler' }, [user('system:kube-scheduler'), sa('kube-system', 'kube-scheduler')], boot),
    roleBinding('kube-system', 'system:controller:bootstrap-signer', { kind: 'Role', name: 'system:controller:bootstrap-signer' }, [sa('kube-system', 'bootstrap-signer')], boot),
    roleBinding('kube-system', 'system:controller:cloud-provider', { kind: 'Role', name: 'system:controller:cloud-provider' }, [sa('kube-system', 'cloud-provider')], boot),
    roleBinding('kube-system', 'system:controller:token-cleaner', { kind: 'Role', name: 'system:controller:token-cleaner' }, [sa('kube-system', 'token-cleaner')], boot),
    roleBinding('kube-public', 'system:controller:bootstrap-signer', { kind: 'Role', name: 'system:controller:bootstrap-signer' }, [sa('kube-system', 'bootstrap-signer')], boot),
    roleBinding('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', { kind: 'Role', name: 'kubeadm:bootstrap-signer-clusterinfo' }, [user('system:anonymous')], kubeadm),
    roleBinding('kube-system', 'kube-proxy', { kind: 'Role', name: 'kube-proxy' }, [bootstrapToken], kubeadm),
    roleBinding('kube-system', 'kubeadm:kubelet-config', { kind: 'Role', name: 'kubeadm:kubelet-config' }, [group('system:nodes'), bootstrapToken], kubeadm),
    roleBinding('kube-system', 'kubeadm:nodes-kubeadm-config', { kind: 'Role', name: 'kubeadm:nodes-kubeadm-config' }, [bootstrapToken, group('system:nodes')], kubeadm),
  ];

  return {
    nodes,
    namespaces,
    pods,
    deployments,
    daemonsets,
    statefulsets: [],
    jobs: [],
    cronjobs: [],
    serviceaccounts,
    roles,
    rolebindings,
    clusterroles,
    clusterrolebindings,
    networkpolicies: [],
    validatingwebhookconfigurations: [],
    mutatingwebhookconfigurations: [],
    events: [],
  };
}
