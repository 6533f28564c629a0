/**
 * Writes the CRI fixtures in test/fixtures/cri/: what `crictl` v1.26 prints against the CRI plugin
 * of containerd v1.6.20 for a kubelet v1.26 node running two pods. No CRI runtime can run on the
 * build machine (no crictl, no kubelet), so the documents are written here, following the real
 * output field for field (see test/fixtures/cri/README.md for the rules):
 *   - `inspect` / `inspectp` / `inspecti`: `{"status": ..., "info": ...}`, status first;
 *     `status` is protobuf JSON (camelCase, enum names, int64 as strings, defaults emitted) in
 *     the proto's field order with every nested object's keys sorted (crictl re-marshals it
 *     through a Go map), createdAt/startedAt/finishedAt as RFC 3339; `info` is containerd's own
 *     encoding/json of its ContainerInfo / SandboxInfo / image info struct: Go field order, the
 *     CRI config in snake_case with zero values omitted and enums as numbers;
 *   - `ps` / `pods` / `images -o json`: protobuf JSON of the list response, proto field order;
 *   - strings escaped as Go does (<, >, & as \u003c, \u003e, \u0026).
 * What is real: the containerd 1.6.20 default seccomp profile, the full capability list of a
 * privileged container and the default masked/readonly paths come from the real ctr fixtures
 * of this machine (test/fixtures/containerd/). Ids, pids and times are invented but consistent
 * across the files (a pod's sandbox id in ps.json, pods.json, inspect and inspectp).
 *
 *   npm run build && node dist/scripts/make-cri-fixtures.js
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const OUT = join(PACKAGE_ROOT, 'test', 'fixtures', 'cri');

/** The parts of a real `ctr containers info` Spec this script copies. */
interface RealSpec {
  process: { capabilities: { bounding: string[] } };
  linux: { seccomp: unknown; maskedPaths: string[]; readonlyPaths: string[] };
}
const REAL = (name: string): RealSpec =>
  (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'containerd', name), 'utf8')) as { Spec: RealSpec }).Spec;

const hex = (label: string): string => createHash('sha256').update(label).digest('hex');
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sorted(o[k])]));
  }
  return v;
}
/** Go's json.Indent with two spaces, and Go's HTML-safe string escaping. */
const goJson = (v: unknown): string => JSON.stringify(v, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const write = (name: string, v: unknown): void => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), `${goJson(v)}\n`);
  process.stdout.write(`wrote test/fixtures/cri/${name}\n`);
};
const nanos = (iso: string): string => String(BigInt(Date.parse(iso)) * 1_000_000n + BigInt(Number((/\.(\d+)Z$/.exec(iso)?.[1] ?? '0').padEnd(9, '0').slice(3))));

const hardened = REAL('info-cf-hardened.json');
const privileged = REAL('info-cf-privileged.json');
const SECCOMP = hardened.linux.seccomp;
const MASKED = hardened.linux.maskedPaths;
const READONLY = hardened.linux.readonlyPaths;
const ALL_CAPS = privileged.process.capabilities.bounding;
const DEFAULT_CAPS = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SVC_ENV: [string, string][] = [
  ['KUBERNETES_SERVICE_PORT', '443'], ['KUBERNETES_SERVICE_PORT_HTTPS', '443'], ['KUBERNETES_PORT', 'tcp://10.96.0.1:443'],
  ['KUBERNETES_PORT_443_TCP', 'tcp://10.96.0.1:443'], ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'], ['KUBERNETES_PORT_443_TCP_PORT', '443'],
  ['KUBERNETES_PORT_443_TCP_ADDR', '10.96.0.1'], ['KUBERNETES_SERVICE_HOST', '10.96.0.1'],
];
const PAUSE = { ref: 'registry.k8s.io/pause:3.6', id: `sha256:${hex('cf-cri pause image')}`, digest: `registry.k8s.io/pause@sha256:${hex('cf-cri pause manifest')}` };

// ---------------------------------------------------------------- the two pods
interface Image { ref: string; id: string; digest: string; size: string; uid: string | null }
interface Volume { name: string; path: string; host: (uid: string) => string; ro: boolean }
interface ContainerSpec {
  name: string;
  pid: number;
  image: Image;
  command: string[] | null;
  args: string[] | null;
  processArgs: string[];
  env: string[];
  created: string;
  started: string;
  hash: string;
  ports: string | null;
  volumes: Volume[];
  token: string;
  securityContext: { runAsUser: number; readOnlyRootfs: boolean; noNewPrivs: boolean; dropAll: boolean; seccomp: 'RuntimeDefault' | 'Unconfined'; add: string[] };
  /** The CRI LinuxContainerResources, in its field order. */
  resources: { cpu_period: number; cpu_shares: number; memory_limit_in_bytes?: number; oom_score_adj: number };
}
interface PodSpec {
  key: string;
  name: string;
  namespace: string;
  uid: string;
  qos: string;
  labels: Record<string, string>;
  hostNetwork: boolean;
  hostPid: boolean;
  privileged: boolean;
  pid: number;
  ip: string;
  created: string;
  container: ContainerSpec;
}
/** A pod with the ids and paths containerd and kubelet derive for it. */
interface Pod extends PodSpec {
  container: ContainerSpec & { id: string };
  sandboxId: string;
  cgroupParent: string;
  logDir: string;
  netns: string;
}

function withIds(p: PodSpec): Pod {
  const netns = hex(`cf-cri netns ${p.key}`);
  return {
    ...p,
    container: { ...p.container, id: hex(`cf-cri container ${p.key}`) },
    sandboxId: hex(`cf-cri sandbox ${p.key}`),
    cgroupParent: `kubepods-${p.qos}-pod${p.uid.replace(/-/g, '_')}.slice`,
    logDir: `/var/log/pods/${p.namespace}_${p.name}_${p.uid}`,
    netns: `/var/run/netns/cni-${netns.slice(0, 8)}-${netns.slice(8, 12)}-${netns.slice(12, 16)}-${netns.slice(16, 20)}-${netns.slice(20, 32)}`,
  };
}

const web = withIds({
  key: 'web',
  name: 'web-6d4cf56db6-2xk9m',
  namespace: 'shop',
  uid: '7c1f9e52-4a0b-4e3e-9b6a-2f1d8c3e5a71',
  qos: 'burstable',
  labels: { app: 'web', 'pod-template-hash': '6d4cf56db6' },
  hostNetwork: false,
  hostPid: false,
  privileged: false,
  pid: 4101,
  ip: '10.244.1.23',
  created: '2026-11-28T09:14:02.318562211Z',
  container: {
    name: 'web',
    pid: 4163,
    image: { ref: 'docker.io/nginxinc/nginx-unprivileged:1.25.3', id: `sha256:${hex('cf-cri nginx-unprivileged image')}`, digest: `docker.io/nginxinc/nginx-unprivileged@sha256:${hex('cf-cri nginx-unprivileged manifest')}`, size: '70544373', uid: '101' },
    command: null,
    args: null,
    processArgs: ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'],
    env: ['NGINX_VERSION=1.25.3', 'PKG_RELEASE=1~bookworm'],
    created: '2026-11-28T09:14:05.904117365Z',
    started: '2026-11-28T09:14:06.112904587Z',
    hash: '6f3b9d21',
    ports: '[{"name":"http","containerPort":8080,"protocol":"TCP"}]',
    volumes: [
      { name: 'cache', path: '/var/cache/nginx', host: (uid) => `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~empty-dir/cache`, ro: false },
      { name: 'tmp', path: '/tmp', host: (uid) => `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~empty-dir/tmp`, ro: false },
    ],
    token: 'kube-api-access-q8x2v',
    securityContext: { runAsUser: 101, readOnlyRootfs: true, noNewPrivs: true, dropAll: true, seccomp: 'RuntimeDefault', add: [] },
    resources: { cpu_period: 100000, cpu_shares: 102, memory_limit_in_bytes: 134217728, oom_score_adj: 993 },
  },
});
const nodeShell = withIds({
  key: 'node-shell',
  name: 'node-shell-8fj2k',
  namespace: 'kube-system',
  uid: '0d2e7b4a-93c5-4f8e-a1d6-5b7c3e9f2a04',
  qos: 'besteffort',
  labels: { run: 'node-shell' },
  hostNetwork: true,
  hostPid: true,
  privileged: true,
  pid: 5210,
  ip: '',
  created: '2026-11-28T10:02:41.550130902Z',
  container: {
    name: 'shell',
    pid: 5277,
    image: { ref: 'docker.io/library/alpine:3.19', id: `sha256:${hex('cf-cri alpine image')}`, digest: `docker.io/library/alpine@sha256:${hex('cf-cri alpine manifest')}`, size: '3408729', uid: null },
    command: ['/bin/sh', '-c'],
    args: ['while true; do sleep 3600; done'],
    processArgs: ['/bin/sh', '-c', 'while true; do sleep 3600; done'],
    env: [],
    created: '2026-11-28T10:02:44.019385177Z',
    started: '2026-11-28T10:02:44.208871630Z',
    hash: 'a91c07e5',
    ports: null,
    volumes: [
      { name: 'docker-sock', path: '/var/run/docker.sock', host: () => '/var/run/docker.sock', ro: false },
      { name: 'containerd-sock', path: '/run/containerd/containerd.sock', host: () => '/run/containerd/containerd.sock', ro: false },
    ],
    token: 'kube-api-access-7bn4d',
    securityContext: { runAsUser: 0, readOnlyRootfs: false, noNewPrivs: false, dropAll: false, seccomp: 'Unconfined', add: ['SYS_ADMIN'] },
    resources: { cpu_period: 100000, cpu_shares: 2, oom_score_adj: 1000 },
  },
});
const pods = [web, nodeShell];

const podLabels = (p: Pod) => ({ ...p.labels, 'io.kubernetes.pod.name': p.name, 'io.kubernetes.pod.namespace': p.namespace, 'io.kubernetes.pod.uid': p.uid });
const podAnnotations = (p: Pod) => ({ 'kubernetes.io/config.seen': p.created.replace(/\.\d+Z$/, '.000000000Z'), 'kubernetes.io/config.source': 'api' });
const containerLabels = (p: Pod) => ({ 'io.kubernetes.container.name': p.container.name, 'io.kubernetes.pod.name': p.name, 'io.kubernetes.pod.namespace': p.namespace, 'io.kubernetes.pod.uid': p.uid });
const containerAnnotations = (p: Pod) => ({
  'io.kubernetes.container.hash': p.container.hash,
  ...(p.container.ports ? { 'io.kubernetes.container.ports': p.container.ports } : {}),
  'io.kubernetes.container.restartCount': '0',
  'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
  'io.kubernetes.container.terminationMessagePolicy': 'File',
  'io.kubernetes.pod.terminationGracePeriod': '30',
});
/** kubelet's mounts for a container: its volume mounts, the SA token, /etc/hosts, the termination log. */
const criMounts = (p: Pod): { containerPath: string; hostPath: string; readonly: boolean }[] => [
  ...p.container.volumes.map((v) => ({ containerPath: v.path, hostPath: v.host(p.uid), readonly: v.ro })),
  { containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', hostPath: `/var/lib/kubelet/pods/${p.uid}/volumes/kubernetes.io~projected/${p.container.token}`, readonly: true },
  { containerPath: '/etc/hosts', hostPath: `/var/lib/kubelet/pods/${p.uid}/etc-hosts`, readonly: false },
  { containerPath: '/dev/termination-log', hostPath: `/var/lib/kubelet/pods/${p.uid}/containers/${p.container.name}/${hex(`cf-cri termlog ${p.key}`).slice(0, 8)}`, readonly: false },
];

// ---------------------------------------------------------------- crictl inspect
function inspect(p: Pod) {
  const c = p.container;
  const sc = c.securityContext;
  const mounts = criMounts(p);
  const status = {
    id: c.id,
    metadata: sorted({ name: c.name, attempt: 0 }),
    state: 'CONTAINER_RUNNING',
    createdAt: c.created,
    startedAt: c.started,
    finishedAt: '1970-01-01T00:00:00Z',
    exitCode: 0,
    image: sorted({ image: c.image.ref, annotations: {} }),
    imageRef: c.image.digest,
    reason: '',
    message: '',
    labels: sorted(containerLabels(p)),
    annotations: sorted(containerAnnotations(p)),
    mounts: mounts.map((m) => sorted({ ...m, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE' })),
    logPath: `${p.logDir}/${c.name}/0.log`,
    resources: null,
  };
  // containerd's ContainerInfo, encoding/json of the CRI ContainerConfig (omitempty everywhere)
  const securityContext = {
    ...(sc.dropAll || sc.add.length ? { capabilities: { ...(sc.add.length ? { add_capabilities: sc.add } : {}), ...(sc.dropAll ? { drop_capabilities: ['ALL'] } : {}) } } : {}),
    ...(p.privileged ? { privileged: true } : {}),
    namespace_options: { ...(p.hostNetwork ? { network: 2 } : {}), pid: p.hostPid ? 2 : 1 },
    run_as_user: sc.runAsUser ? { value: sc.runAsUser } : {},
    ...(sc.readOnlyRootfs ? { readonly_rootfs: true } : {}),
    ...(sc.noNewPrivs ? { no_new_privs: true } : {}),
    masked_paths: MASKED,
    readonly_paths: READONLY,
    seccomp: sc.seccomp === 'Unconfined' ? { profile_type: 1 } : {},
  };
  const config = {
    metadata: { name: c.name },
    image: { image: c.image.id },
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    envs: SVC_ENV.map(([key, value]) => ({ key, value })),
    mounts: mounts.map((m) => ({ container_path: m.containerPath, host_path: m.hostPath, ...(m.readonly ? { readonly: true } : {}) })),
    labels: containerLabels(p),
    annotations: containerAnnotations(p),
    log_path: `${c.name}/0.log`,
    linux: {
      resources: { ...c.resources, hugepage_limits: [{ page_size: '2MB' }, { page_size: '1GB' }] },
      security_context: securityContext,
    },
  };
  const caps: string[] | null = p.privileged ? ALL_CAPS : sc.dropAll ? null : [...DEFAULT_CAPS, ...sc.add.map((x) => `CAP_${x}`)];
  const specMounts = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', p.privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', p.privileged ? 'rw' : 'ro'] },
    // containerd's own mounts and kubelet's, ordered by path depth (containerd sorts them)
    ...[
      ...mounts.map((m) => ({ destination: m.containerPath, source: m.hostPath, ro: m.readonly })),
      { destination: '/etc/hostname', source: `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${p.sandboxId}/hostname`, ro: false },
      { destination: '/etc/resolv.conf', source: `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${p.sandboxId}/resolv.conf`, ro: false },
      { destination: '/dev/shm', source: `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${p.sandboxId}/shm`, ro: false },
    ]
      .map((m, i) => ({ ...m, i }))
      .sort((a, b) => a.destination.split('/').length - b.destination.split('/').length || a.i - b.i)
      .map((m) => ({ destination: m.destination, type: 'bind', source: m.source, options: ['rbind', 'rprivate', m.ro ? 'ro' : 'rw'] })),
  ];
  const namespaces = [
    ...(p.hostPid ? [] : [{ type: 'pid' }]),
    { type: 'ipc', path: `/proc/${p.pid}/ns/ipc` },
    ...(p.hostNetwork ? [] : [{ type: 'uts', path: `/proc/${p.pid}/ns/uts` }]),
    { type: 'mount' },
    ...(p.hostNetwork ? [] : [{ type: 'network', path: `/proc/${p.pid}/ns/net` }]),
  ];
  const runtimeSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      user: { uid: sc.runAsUser, gid: sc.runAsUser, ...(sc.runAsUser === 0 ? { additionalGids: [0, 1, 2, 3, 4, 6, 10, 11, 20, 26, 27] } : { additionalGids: [101] }) },
      args: c.processArgs,
      env: [PATH_ENV, `HOSTNAME=${p.hostNetwork ? 'worker-1' : p.name}`, ...c.env, ...SVC_ENV.map(([k, v]) => `${k}=${v}`)],
      cwd: '/',
      capabilities: caps ? { bounding: caps, effective: caps, permitted: caps } : {},
      ...(sc.noNewPrivs ? { noNewPrivileges: true } : {}),
      ...(p.privileged ? {} : { apparmorProfile: 'cri-containerd.apparmor.d' }),
      oomScoreAdj: c.resources.oom_score_adj,
    },
    root: { path: 'rootfs', ...(sc.readOnlyRootfs ? { readonly: true } : {}) },
    mounts: specMounts,
    annotations: {
      'io.kubernetes.cri.container-name': c.name,
      'io.kubernetes.cri.container-type': 'container',
      'io.kubernetes.cri.image-name': c.image.ref,
      'io.kubernetes.cri.sandbox-id': p.sandboxId,
      'io.kubernetes.cri.sandbox-name': p.name,
      'io.kubernetes.cri.sandbox-namespace': p.namespace,
      'io.kubernetes.cri.sandbox-uid': p.uid,
    },
    linux: {
      resources: {
        devices: [{ allow: p.privileged, access: 'rwm' }],
        ...(c.resources.memory_limit_in_bytes ? { memory: { limit: c.resources.memory_limit_in_bytes } } : {}),
        cpu: { shares: c.resources.cpu_shares, period: c.resources.cpu_period },
        hugepageLimits: [{ pageSize: '2MB', limit: 0 }, { pageSize: '1GB', limit: 0 }],
      },
      cgroupsPath: `${p.cgroupParent}:cri-containerd:${c.id}`,
      namespaces,
      ...(sc.seccomp === 'RuntimeDefault' ? { seccomp: SECCOMP } : {}),
      ...(p.privileged ? {} : { maskedPaths: MASKED, readonlyPaths: READONLY }),
    },
  };
  const info = {
    sandboxID: p.sandboxId,
    pid: c.pid,
    removing: false,
    snapshotKey: c.id,
    snapshotter: 'overlayfs',
    runtimeType: 'io.containerd.runc.v2',
    runtimeOptions: { systemd_cgroup: true },
    config,
    runtimeSpec,
  };
  return { status, info };
}

// ---------------------------------------------------------------- crictl inspectp
function inspectp(p: Pod) {
  const ns = { ipc: 'POD', network: p.hostNetwork ? 'NODE' : 'POD', pid: p.hostPid ? 'NODE' : 'CONTAINER', targetId: '', usernsOptions: null };
  const status = {
    id: p.sandboxId,
    metadata: sorted({ name: p.name, uid: p.uid, namespace: p.namespace, attempt: 0 }),
    state: 'SANDBOX_READY',
    createdAt: p.created,
    network: sorted({ ip: p.ip, additionalIps: [] }),
    linux: sorted({ namespaces: { options: ns } }),
    labels: sorted(podLabels(p)),
    annotations: sorted(podAnnotations(p)),
    runtimeHandler: '',
    containersStatuses: [],
    timestamp: '0',
  };
  const config = {
    metadata: { name: p.name, uid: p.uid, namespace: p.namespace },
    ...(p.hostNetwork ? {} : { hostname: p.name }),
    log_directory: p.logDir,
    dns_config: p.hostNetwork
      ? { servers: ['192.168.122.1'], searches: ['lan'] }
      : { servers: ['10.96.0.10'], searches: [`${p.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local', 'lan'], options: ['ndots:5'] },
    ...(p.container.ports ? { port_mappings: [{ container_port: 8080 }] } : {}),
    labels: podLabels(p),
    annotations: podAnnotations(p),
    linux: {
      cgroup_parent: p.cgroupParent,
      security_context: {
        namespace_options: { ...(p.hostNetwork ? { network: 2 } : {}), pid: p.hostPid ? 2 : 1 },
        ...(p.container.securityContext.runAsUser ? { run_as_user: { value: p.container.securityContext.runAsUser } } : {}),
        ...(p.privileged ? { privileged: true } : {}),
        seccomp: p.container.securityContext.seccomp === 'Unconfined' ? { profile_type: 1 } : {},
      },
    },
  };
  const runtimeSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      user: { uid: 65535, gid: 65535, additionalGids: [65535] },
      args: ['/pause'],
      env: [PATH_ENV],
      cwd: '/',
      capabilities: p.privileged ? { bounding: ALL_CAPS, effective: ALL_CAPS, permitted: ALL_CAPS } : {},
      noNewPrivileges: true,
      oomScoreAdj: -998,
    },
    root: { path: 'rootfs', readonly: true },
    ...(p.hostNetwork ? {} : { hostname: p.name }),
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/dev/shm', type: 'bind', source: `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${p.sandboxId}/shm`, options: ['rbind', 'ro'] },
      { destination: '/etc/resolv.conf', type: 'bind', source: `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${p.sandboxId}/resolv.conf`, options: ['rbind', 'ro'] },
    ],
    annotations: {
      'io.kubernetes.cri.container-type': 'sandbox',
      'io.kubernetes.cri.sandbox-id': p.sandboxId,
      'io.kubernetes.cri.sandbox-log-directory': p.logDir,
      'io.kubernetes.cri.sandbox-name': p.name,
      'io.kubernetes.cri.sandbox-namespace': p.namespace,
      'io.kubernetes.cri.sandbox-uid': p.uid,
    },
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }], cpu: { shares: 2 } },
      cgroupsPath: `${p.cgroupParent}:cri-containerd:${p.sandboxId}`,
      namespaces: [
        ...(p.hostPid ? [] : [{ type: 'pid' }]),
        { type: 'ipc' },
        ...(p.hostNetwork ? [] : [{ type: 'uts' }]),
        { type: 'mount' },
        ...(p.hostNetwork ? [] : [{ type: 'network', path: p.netns }]),
      ],
      ...(p.privileged ? {} : { seccomp: SECCOMP, maskedPaths: MASKED, readonlyPaths: READONLY }),
    },
  };
  const info = {
    pid: p.pid,
    processStatus: 'running',
    netNamespaceClosed: false,
    image: PAUSE.ref,
    snapshotKey: p.sandboxId,
    snapshotter: 'overlayfs',
    runtimeHandler: '',
    runtimeType: 'io.containerd.runc.v2',
    runtimeOptions: { systemd_cgroup: true },
    config,
    runtimeSpec,
    cniResult: p.hostNetwork
      ? null
      : {
          Interfaces: {
            eth0: { IPConfigs: [{ IP: p.ip, Gateway: '10.244.1.1' }], Mac: '6e:1f:2a:0b:9c:41', Sandbox: p.netns },
            lo: { IPConfigs: [{ IP: '127.0.0.1', Gateway: '' }, { IP: '::1', Gateway: '' }], Mac: '00:00:00:00:00:00', Sandbox: p.netns },
            [`veth${hex(`cf-cri veth ${p.key}`).slice(0, 8)}`]: { IPConfigs: null, Mac: 'f2:9a:61:3d:c8:07', Sandbox: '' },
          },
          DNS: [{}, {}],
          Routes: [{ dst: '0.0.0.0/0' }],
        },
  };
  return { status, info };
}

// ---------------------------------------------------------------- listings
const ps = {
  containers: pods.map((p) => ({
    id: p.container.id,
    podSandboxId: p.sandboxId,
    metadata: { name: p.container.name, attempt: 0 },
    image: { image: p.container.image.id, annotations: {} },
    imageRef: p.container.image.id,
    state: 'CONTAINER_RUNNING',
    createdAt: nanos(p.container.created),
    labels: sorted(containerLabels(p)),
    annotations: sorted(containerAnnotations(p)),
  })),
};
const podList = {
  items: pods.map((p) => ({
    id: p.sandboxId,
    metadata: { name: p.name, uid: p.uid, namespace: p.namespace, attempt: 0 },
    state: 'SANDBOX_READY',
    createdAt: nanos(p.created),
    labels: sorted(podLabels(p)),
    annotations: sorted(podAnnotations(p)),
    runtimeHandler: '',
  })),
};
const imageRecord = (i: Image) => ({
  id: i.id,
  repoTags: [i.ref],
  repoDigests: [i.digest],
  size: i.size,
  uid: i.uid ? { value: i.uid } : null,
  username: '',
  spec: null,
});
const images = {
  images: [
    ...pods.map((p) => imageRecord(p.container.image)),
    imageRecord({ ...PAUSE, size: '301773', uid: '65535' }),
    // pulled onto the node, used by no container: an orphan
    imageRecord({ ref: 'docker.io/library/busybox:1.36', id: `sha256:${hex('cf-cri busybox image')}`, digest: `docker.io/library/busybox@sha256:${hex('cf-cri busybox manifest')}`, size: '2231050', uid: null }),
  ],
};
const alpine = nodeShell.container.image;
const inspecti = {
  status: imageRecord(alpine),
  info: {
    chainID: `sha256:${hex('cf-cri alpine chain')}`,
    imageSpec: {
      created: '2026-10-07T18:45:12.802416211Z',
      architecture: 'amd64',
      os: 'linux',
      config: { Env: [PATH_ENV], Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${hex('cf-cri alpine layer 0')}`] },
      history: [
        { created: '2026-10-07T18:45:12.667853702Z', created_by: '/bin/sh -c #(nop) ADD file:7e9b2b8e8d3c1f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a in / ' },
        { created: '2026-10-07T18:45:12.802416211Z', created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true },
      ],
    },
  },
};

for (const p of pods) write(`inspect-${p.key}.json`, inspect(p));
for (const p of pods) write(`inspectp-${p.key}.json`, inspectp(p));
write('ps.json', ps);
write('pods.json', podList);
write('images.json', images);
write('inspecti-alpine.json', inspecti);
