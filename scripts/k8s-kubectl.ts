/**
 * Builders of Kubernetes objects exactly as `kubectl get <kind> -o json` (v1.29) prints them:
 * keys sorted (kubectl marshals unstructured maps), 4-space indentation, `List` wrapper with
 * `metadata.resourceVersion: ""`, and the fields the API server defaults (imagePullPolicy,
 * terminationMessagePath, dnsPolicy, tolerations, the projected kube-api-access-xxxxx token
 * volume, status, ownerReferences, ...). Ids are derived from names, so output is reproducible.
 *
 * Used by scripts/make-k8s-fixtures.ts (test/fixtures/k8s/), scripts/make-sample-k8s-bundle.ts
 * (sample-bundles/k8s-compromised.tgz) and scripts/make-k8s-pods-json.ts (the 50,000-pod file).
 * Nothing here is used by the analyser.
 */
import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export const K8S_VERSION = 'v1.29.4';

/** A stable RFC 4122-looking uid from a seed. */
export function uid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Kubernetes' random name suffix alphabet (no vowels, no confusable digits). */
const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function suffix(seed: string, length = 5): string {
  const h = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += SUFFIX_CHARS[h[i]! % SUFFIX_CHARS.length];
  return out;
}

/** pod-template-hash style: 8-10 characters of the same alphabet. */
export function templateHash(seed: string): string {
  return suffix(`hash:${seed}`, 10);
}

export function resourceVersion(seed: string): string {
  return String(1000 + (createHash('sha256').update(seed).digest().readUInt32BE(0) % 900000));
}

export function containerId(seed: string): string {
  return `containerd://${createHash('sha256').update(`ctr:${seed}`).digest('hex')}`;
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Obj = {};
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Serialises like kubectl -o json. */
export function kubectlJson(value: Json): string {
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}

export function list(items: Obj[]): Obj {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** `kubectl version -o json` of the v1.29 kubectl and API server the synthetic clusters run. */
export function kubectlVersion(): Obj {
  const build = (buildDate: string): Obj => ({ buildDate, compiler: 'gc', gitCommit: 'b7fd3cc8ec7b6c4f51d9a4f3b4a5a18dd9aa1ea1', gitTreeState: 'clean', gitVersion: K8S_VERSION, goVersion: 'go1.21.9', major: '1', minor: '29', platform: 'linux/amd64' });
  return { clientVersion: build('2024-04-16T15:42:41Z'), kustomizeVersion: 'v5.0.4-0.20230601165947-6ce0bf390ce3', serverVersion: build('2024-04-16T15:34:50Z') };
}

function addSeconds(time: string, seconds: number): string {
  return new Date(Date.parse(time) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clean(o: Record<string, Json | undefined>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

// ------------------------------------------------------------------------------ metadata

export interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
}

export interface MetaOptions {
  name: string;
  namespace?: string | undefined;
  created: string;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  owner?: Owner | undefined;
  generateName?: string | undefined;
  generation?: number | undefined;
  /** managedFields manager names (kubectl omits managedFields by default since 1.21: only when asked). */
  managers?: { manager: string; operation: 'Update' | 'Apply'; time?: string }[] | undefined;
}

const API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1', DaemonSet: 'apps/v1', StatefulSet: 'apps/v1', ReplicaSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1',
  Role: 'rbac.authorization.k8s.io/v1', ClusterRole: 'rbac.authorization.k8s.io/v1', RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1', NetworkPolicy: 'networking.k8s.io/v1',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1', ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  ClusterPolicy: 'kyverno.io/v1',
};

export function meta(o: MetaOptions, kind: string): Obj {
  const id = uid(`${kind}/${o.namespace ?? ''}/${o.name}`);
  return clean({
    annotations: o.annotations && Object.keys(o.annotations).length > 0 ? o.annotations : undefined,
    creationTimestamp: o.created,
    generateName: o.generateName,
    generation: o.generation,
    labels: o.labels && Object.keys(o.labels).length > 0 ? o.labels : undefined,
    managedFields: o.managers?.map((m) =>
      clean({ apiVersion: API_VERSIONS[kind] ?? 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} }, manager: m.manager, operation: m.operation, time: m.time ?? o.created }),
    ),
    name: o.name,
    namespace: o.namespace,
    ownerReferences: o.owner
      ? [{ apiVersion: o.owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: o.owner.kind, name: o.owner.name, uid: o.owner.uid ?? uid(`${o.owner.kind}/${o.namespace ?? ''}/${o.owner.name}`) }]
      : undefined,
    resourceVersion: resourceVersion(`${kind}/${o.namespace ?? ''}/${o.name}`),
    uid: id,
  });
}

// ------------------------------------------------------------------------------ pods

export interface ContainerOptions {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Obj[];
  ports?: { containerPort: number; name?: string; protocol?: string; hostPort?: number }[];
  securityContext?: Obj;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  resources?: Obj;
  /** Ephemeral containers name the container they target. */
  targetContainerName?: string;
}

export function container(o: ContainerOptions): Obj {
  const latest = !/[:@]/.test(o.image.slice(o.image.lastIndexOf('/') + 1)) || o.image.endsWith(':latest');
  return clean({
    args: o.args,
    command: o.command,
    env: o.env,
    image: o.image,
    imagePullPolicy: latest ? 'Always' : 'IfNotPresent',
    name: o.name,
    ports: o.ports?.map((p) => clean({ containerPort: p.containerPort, hostPort: p.hostPort, name: p.name, protocol: p.protocol ?? 'TCP' })),
    resources: o.resources ?? {},
    securityContext: o.securityContext,
    targetContainerName: o.targetContainerName,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts: o.volumeMounts?.map((m) => clean({ mountPath: m.mountPath, name: m.name, readOnly: m.readOnly, subPath: m.subPath })),
  });
}

export function hostPathVolume(name: string, path: string, type = ''): Obj {
  return { hostPath: { path, type }, name };
}

export function configMapVolume(name: string, configMap: string, items?: { key: string; path: string }[]): Obj {
  return { configMap: clean({ defaultMode: 420, items, name: configMap }), name };
}

/** The volume the ServiceAccount admission plugin injects (BoundServiceAccountTokenVolume, 1.22+). */
export function kubeApiAccessVolume(name: string): Obj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

const DEFAULT_TOLERATIONS: Obj[] = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
];

/** What the DaemonSet controller adds to every daemon pod. */
export const DAEMONSET_TOLERATIONS: Obj[] = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/pid-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
];

export interface PodSpecOptions {
  containers: ContainerOptions[];
  initContainers?: ContainerOptions[];
  volumes?: Obj[];
  serviceAccount?: string | null;
  automount?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: Obj;
  nodeSelector?: Record<string, string>;
  priorityClassName?: string;
  priority?: number;
  dnsPolicy?: string;
  restartPolicy?: string;
  tolerations?: Obj[];
}

/** A controller's pod template spec, as the API server stores it (defaults applied, no token volume yet). */
export function templateSpec(o: PodSpecOptions): Obj {
  const sa = o.serviceAccount === null ? undefined : o.serviceAccount;
  return clean({
    automountServiceAccountToken: o.automount,
    containers: o.containers.map(container),
    dnsPolicy: o.dnsPolicy ?? (o.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst'),
    hostIPC: o.hostIPC,
    hostNetwork: o.hostNetwork,
    hostPID: o.hostPID,
    initContainers: o.initContainers?.map(container),
    nodeSelector: o.nodeSelector,
    priorityClassName: o.priorityClassName,
    restartPolicy: o.restartPolicy ?? 'Always',
    schedulerName: 'default-scheduler',
    securityContext: o.securityContext ?? {},
    serviceAccount: sa,
    serviceAccountName: sa,
    terminationGracePeriodSeconds: 30,
    tolerations: o.tolerations,
    volumes: o.volumes,
  });
}

export interface PodOptions extends PodSpecOptions {
  namespace: string;
  name: string;
  node: string;
  created: string;
  owner?: Owner;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generateName?: string;
  ephemeralContainers?: ContainerOptions[];
  phase?: 'Running' | 'Pending' | 'Succeeded' | 'Failed';
  podIP?: string;
  hostIP: string;
  /** Static (mirror) pods get no service account and no token volume. */
  mirror?: boolean;
  managers?: MetaOptions['managers'];
}

/** A pod as the API returns it after admission, scheduling and a kubelet status update. */
export function pod(o: PodOptions): Obj {
  const sa = o.mirror ? undefined : (o.serviceAccount ?? 'default');
  const tokenVolume = !o.mirror && o.automount !== false ? `kube-api-access-${suffix(`${o.namespace}/${o.name}`)}` : undefined;
  const withToken = (c: ContainerOptions): ContainerOptions =>
    tokenVolume ? { ...c, volumeMounts: [...(c.volumeMounts ?? []), { name: tokenVolume, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] } : c;
  const containers = o.containers.map(withToken);
  const initContainers = o.initContainers?.map(withToken);
  const started = addSeconds(o.created, 2);
  const phase = o.phase ?? 'Running';
  const podIP = o.hostNetwork ? o.hostIP : (o.podIP ?? '10.244.1.10');
  const statuses = (cs: ContainerOptions[], init: boolean) =>
    cs.map((c) => {
      const image = c.image.includes('/') ? c.image : `docker.io/library/${c.image}`;
      const terminated = init || phase === 'Succeeded';
      return clean({
        containerID: containerId(`${o.namespace}/${o.name}/${c.name}`),
        image: image.includes(':') || image.includes('@') ? image : `${image}:latest`,
        imageID: `${image.split(/[:@]/)[0]}@sha256:${createHash('sha256').update(`img:${c.image}`).digest('hex')}`,
        lastState: {},
        name: c.name,
        ready: !terminated && phase === 'Running',
        restartCount: 0,
        started: init ? undefined : !terminated && phase === 'Running',
        state: terminated
          ? { terminated: { containerID: containerId(`${o.namespace}/${o.name}/${c.name}`), exitCode: 0, finishedAt: addSeconds(started, 1), reason: 'Completed', startedAt: started } }
          : phase === 'Running'
            ? { running: { startedAt: started } }
            : { waiting: { reason: 'ContainerCreating' } },
      });
    });
  const condition = (type: string, status = 'True') => ({ lastProbeTime: null, lastTransitionTime: started, status, type });
  const ready = phase === 'Running' ? 'True' : 'False';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(
      { name: o.name, namespace: o.namespace, created: o.created, labels: o.labels, annotations: o.annotations, owner: o.owner, generateName: o.generateName, managers: o.managers },
      'Pod',
    ),
    spec: clean({
      automountServiceAccountToken: o.automount,
      containers: containers.map(container),
      dnsPolicy: o.dnsPolicy ?? (o.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst'),
      enableServiceLinks: true,
      ephemeralContainers: o.ephemeralContainers?.map(container),
      hostIPC: o.hostIPC,
      hostNetwork: o.hostNetwork,
      hostPID: o.hostPID,
      initContainers: initContainers?.map(container),
      nodeName: o.node,
      nodeSelector: o.nodeSelector,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: o.priority ?? 0,
      priorityClassName: o.priorityClassName,
      restartPolicy: o.restartPolicy ?? 'Always',
      schedulerName: 'default-scheduler',
      securityContext: o.securityContext ?? {},
      serviceAccount: sa,
      serviceAccountName: sa,
      terminationGracePeriodSeconds: 30,
      tolerations: o.tolerations ?? DEFAULT_TOLERATIONS,
      volumes: [...(o.volumes ?? []), ...(tokenVolume ? [kubeApiAccessVolume(tokenVolume)] : [])],
    }),
    status: clean({
      conditions: [
        condition('PodReadyToStartContainers'),
        condition('Initialized'),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled'),
      ],
      containerStatuses: statuses(o.containers, false),
      ephemeralContainerStatuses: o.ephemeralContainers ? statuses(o.ephemeralContainers, false) : undefined,
      hostIP: o.hostIP,
      hostIPs: [{ ip: o.hostIP }],
      initContainerStatuses: o.initContainers ? statuses(o.initContainers, true) : undefined,
      phase,
      podIP,
      podIPs: [{ ip: podIP }],
      qosClass: 'BestEffort',
      startTime: o.created,
    }),
  };
}

// ------------------------------------------------------------------------------ controllers

export interface WorkloadOptions extends PodSpecOptions {
  namespace: string;
  name: string;
  created: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  managers?: MetaOptions['managers'];
}

function template(o: WorkloadOptions, labels: Record<string, string>): Obj {
  return {
    metadata: clean({ annotations: o.podAnnotations, creationTimestamp: null, labels }),
    spec: templateSpec(o),
  };
}

export function deployment(o: WorkloadOptions & { replicas: number }): Obj {
  const labels = o.podLabels ?? { app: o.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta({ ...o, annotations: { 'deployment.kubernetes.io/revision': '1', ...o.annotations }, generation: 1 }, 'Deployment'),
    spec: {
      progressDeadlineSeconds: 600,
      replicas: o.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: template(o, labels),
    },
    status:
      o.replicas > 0
        ? {
            availableReplicas: o.replicas,
            conditions: [
              { lastTransitionTime: addSeconds(o.created, 5), lastUpdateTime: addSeconds(o.created, 5), message: 'Deployment has minimum availability.', reason: 'MinimumReplicasAvailable', status: 'True', type: 'Available' },
              { lastTransitionTime: o.created, lastUpdateTime: addSeconds(o.created, 5), message: `ReplicaSet "${o.name}-${templateHash(`${o.namespace}/${o.name}`)}" has successfully progressed.`, reason: 'NewReplicaSetAvailable', status: 'True', type: 'Progressing' },
            ],
            observedGeneration: 1,
            readyReplicas: o.replicas,
            replicas: o.replicas,
            updatedReplicas: o.replicas,
          }
        : { observedGeneration: 1 },
  };
}

export function daemonSet(o: WorkloadOptions & { nodes: number }): Obj {
  const labels = o.podLabels ?? { app: o.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta({ ...o, annotations: { 'deprecated.daemonset.template.generation': '1', ...o.annotations }, generation: 1 }, 'DaemonSet'),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      template: template(o, labels),
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    },
    status: {
      currentNumberScheduled: o.nodes,
      desiredNumberScheduled: o.nodes,
      numberAvailable: o.nodes,
      numberMisscheduled: 0,
      numberReady: o.nodes,
      observedGeneration: 1,
      updatedNumberScheduled: o.nodes,
    },
  };
}

export function cronJob(o: WorkloadOptions & { schedule: string; lastSchedule?: string }): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta({ ...o, generation: 1 }, 'CronJob'),
    spec: {
      concurrencyPolicy: 'Allow',
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: { template: { metadata: clean({ annotations: o.podAnnotations, creationTimestamp: null, labels: o.podLabels }), spec: templateSpec({ restartPolicy: 'OnFailure', ...o }) } },
      },
      schedule: o.schedule,
      successfulJobsHistoryLimit: 3,
      suspend: false,
    },
    status: o.lastSchedule ? { lastScheduleTime: o.lastSchedule, lastSuccessfulTime: addSeconds(o.lastSchedule, 9) } : {},
  };
}

// ------------------------------------------------------------------------------ RBAC

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

export interface RoleOptions {
  created: string;
  /** API server bootstrap policy object (label + autoupdate annotation). */
  bootstrap?: boolean;
  labels?: Record<string, string>;
  aggregationLabels?: Record<string, string>[];
  managers?: MetaOptions['managers'];
}

function rules(rs: PolicyRule[]): Json {
  return rs.map((r) => clean({ apiGroups: r.apiGroups, nonResourceURLs: r.nonResourceURLs, resourceNames: r.resourceNames, resources: r.resources, verbs: r.verbs }));
}

export function clusterRole(name: string, rs: PolicyRule[] | null, o: RoleOptions): Obj {
  return clean({
    aggregationRule: o.aggregationLabels ? { clusterRoleSelectors: o.aggregationLabels.map((matchLabels) => ({ matchLabels })) } : undefined,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(
      { name, created: o.created, labels: { ...(o.bootstrap ? BOOTSTRAP_LABELS : {}), ...o.labels }, annotations: o.bootstrap ? AUTOUPDATE : undefined, managers: o.managers },
      'ClusterRole',
    ),
    rules: rs === null ? null : rules(rs),
  });
}

export function role(namespace: string, name: string, rs: PolicyRule[], o: RoleOptions): Obj {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta({ name, namespace, created: o.created, labels: o.bootstrap ? BOOTSTRAP_LABELS : o.labels, annotations: o.bootstrap ? AUTOUPDATE : undefined }, 'Role'),
    rules: rules(rs),
  };
}

export type Subject = { kind: 'User' | 'Group'; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };

function subjects(ss: Subject[]): Json {
  return ss.map((s): Obj => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { apiGroup: 'rbac.authorization.k8s.io', kind: s.kind, name: s.name }));
}

export function clusterRoleBinding(name: string, roleName: string, ss: Subject[], o: RoleOptions): Obj {
  return clean({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta({ name, created: o.created, labels: o.bootstrap ? BOOTSTRAP_LABELS : o.labels, annotations: o.bootstrap ? AUTOUPDATE : undefined, managers: o.managers }, 'ClusterRoleBinding'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: ss.length > 0 ? subjects(ss) : undefined,
  });
}

export function roleBinding(namespace: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, ss: Subject[], o: RoleOptions): Obj {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta({ name, namespace, created: o.created, labels: o.bootstrap ? BOOTSTRAP_LABELS : o.labels, annotations: o.bootstrap ? AUTOUPDATE : undefined, managers: o.managers }, 'RoleBinding'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects: subjects(ss),
  };
}

export function serviceAccount(namespace: string, name: string, created: string, automount?: boolean): Obj {
  return clean({ apiVersion: 'v1', automountServiceAccountToken: automount, kind: 'ServiceAccount', metadata: meta({ name, namespace, created }, 'ServiceAccount') });
}

// ------------------------------------------------------------------------------ cluster objects

export function namespace(name: string, created: string, labels: Record<string, string> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta({ name, created, labels: { 'kubernetes.io/metadata.name': name, ...labels } }, 'Namespace'),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export interface NodeOptions {
  name: string;
  created: string;
  ip: string;
  controlPlane?: boolean;
  kubelet?: string;
  osImage?: string;
  kernel?: string;
  runtime?: string;
  podCIDR: string;
}

export function node(o: NodeOptions): Obj {
  const kubelet = o.kubelet ?? K8S_VERSION;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(
      {
        name: o.name,
        created: o.created,
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': o.name,
          'kubernetes.io/os': 'linux',
          ...(o.controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
        },
      },
      'Node',
    ),
    spec: clean({
      podCIDR: o.podCIDR,
      podCIDRs: [o.podCIDR],
      taints: o.controlPlane ? [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] : undefined,
    }),
    status: {
      addresses: [
        { address: o.ip, type: 'InternalIP' },
        { address: o.name, type: 'Hostname' },
      ],
      allocatable: { cpu: '2', 'ephemeral-storage': '28446571633', 'hugepages-2Mi': '0', memory: '3912052Ki', pods: '110' },
      capacity: { cpu: '2', 'ephemeral-storage': '30866260Ki', 'hugepages-2Mi': '0', memory: '4014452Ki', pods: '110' },
      conditions: [
        { lastHeartbeatTime: '2026-02-04T09:58:00Z', lastTransitionTime: o.created, message: 'kubelet has sufficient memory available', reason: 'KubeletHasSufficientMemory', status: 'False', type: 'MemoryPressure' },
        { lastHeartbeatTime: '2026-02-04T09:58:00Z', lastTransitionTime: o.created, message: 'kubelet has no disk pressure', reason: 'KubeletHasNoDiskPressure', status: 'False', type: 'DiskPressure' },
        { lastHeartbeatTime: '2026-02-04T09:58:00Z', lastTransitionTime: o.created, message: 'kubelet has sufficient PID available', reason: 'KubeletHasSufficientPID', status: 'False', type: 'PIDPressure' },
        { lastHeartbeatTime: '2026-02-04T09:58:00Z', lastTransitionTime: addSeconds(o.created, 60), message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: uid(`boot:${o.name}`),
        containerRuntimeVersion: o.runtime ?? 'containerd://1.7.13',
        kernelVersion: o.kernel ?? '5.15.0-94-generic',
        kubeProxyVersion: kubelet,
        kubeletVersion: kubelet,
        machineID: createHash('sha256').update(`machine:${o.name}`).digest('hex').slice(0, 32),
        operatingSystem: 'linux',
        osImage: o.osImage ?? 'Ubuntu 22.04.4 LTS',
        systemUUID: uid(`system:${o.name}`),
      },
    },
  };
}

export function networkPolicy(ns: string, name: string, created: string, spec: Obj): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta({ name, namespace: ns, created, generation: 1 }, 'NetworkPolicy'), spec };
}

export function service(ns: string, name: string, created: string, o: { type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; selector: Record<string, string>; port: number; targetPort: number; nodePort?: number; clusterIP: string }): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta({ name, namespace: ns, created }, 'Service'),
    spec: clean({
      clusterIP: o.clusterIP,
      clusterIPs: [o.clusterIP],
      externalTrafficPolicy: o.type === 'ClusterIP' ? undefined : 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [clean({ nodePort: o.nodePort, port: o.port, protocol: 'TCP', targetPort: o.targetPort })],
      selector: o.selector,
      sessionAffinity: 'None',
      type: o.type,
    }),
    status: { loadBalancer: {} },
  };
}

export function webhookConfiguration(
  kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration',
  name: string,
  created: string,
  hooks: { name: string; url?: string; service?: { namespace: string; name: string; path: string }; failurePolicy: 'Fail' | 'Ignore'; resources: string[]; operations: string[] }[],
  managers?: MetaOptions['managers'],
): Obj {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: meta({ name, created, generation: 1, managers }, kind),
    webhooks: hooks.map((h) =>
      clean({
        admissionReviewVersions: ['v1'],
        clientConfig: clean({ caBundle: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lRVEVTVC1DQQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==', service: h.service ? { ...h.service, port: 443 } : undefined, url: h.url }),
        failurePolicy: h.failurePolicy,
        matchPolicy: 'Equivalent',
        name: h.name,
        namespaceSelector: {},
        objectSelector: {},
        reinvocationPolicy: kind === 'MutatingWebhookConfiguration' ? 'Never' : undefined,
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: h.operations, resources: h.resources, scope: '*' }],
        sideEffects: 'None',
        timeoutSeconds: 10,
      }),
    ),
  };
}

export function kyvernoClusterPolicy(name: string, created: string, action: 'Enforce' | 'Audit'): Obj {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: meta({ name, created, generation: 1, annotations: { 'policies.kyverno.io/category': 'Pod Security Standards (Baseline)', 'policies.kyverno.io/severity': 'medium' } }, 'ClusterPolicy'),
    spec: {
      admission: true,
      background: true,
      rules: [
        {
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          name: name,
          validate: {
            message: 'Privileged mode is disallowed.',
            pattern: { spec: { '=(containers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }] } },
          },
        },
      ],
      validationFailureAction: action,
    },
    status: { conditions: [{ lastTransitionTime: addSeconds(created, 3), message: 'Ready', reason: 'Succeeded', status: 'True', type: 'Ready' }], ready: true },
  };
}
