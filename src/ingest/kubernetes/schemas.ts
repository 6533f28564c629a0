import { z } from 'zod';

// Shallow and loose (unknown fields are kept in the file and never a reason to reject an object):
// only what the case database stores is named here, typed as the Kubernetes API types it.

const Str = z.string().nullish();
const Bool = z.boolean().nullish();
const Int = z.number().int().nullish();
const Strings = z.array(z.string()).nullish();
const StringMap = z.record(z.string(), z.string()).nullish();

const OwnerReference = z.looseObject({
  apiVersion: Str,
  kind: z.string(),
  name: z.string(),
  uid: Str,
  controller: Bool,
});

export const ObjectMeta = z.looseObject({
  name: z.string().min(1),
  namespace: Str,
  uid: Str,
  creationTimestamp: Str,
  deletionTimestamp: Str,
  labels: StringMap,
  annotations: StringMap,
  ownerReferences: z.array(OwnerReference).nullish(),
  managedFields: z.array(z.looseObject({ manager: Str, operation: Str, time: Str })).nullish(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

export const KubernetesObject = z.looseObject({
  apiVersion: Str,
  kind: Str,
  metadata: ObjectMeta,
});
export type KubernetesObject = z.infer<typeof KubernetesObject>;

export const LabelSelector = z.looseObject({
  matchLabels: StringMap,
  matchExpressions: z
    .array(z.looseObject({ key: z.string(), operator: z.string(), values: Strings }))
    .nullish(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

// ------------------------------------------------------------------------------ pods

const Profile = z.looseObject({ type: Str, localhostProfile: Str }).nullish();

export const SecurityContext = z.looseObject({
  privileged: Bool,
  allowPrivilegeEscalation: Bool,
  runAsUser: Int,
  runAsGroup: Int,
  runAsNonRoot: Bool,
  readOnlyRootFilesystem: Bool,
  procMount: Str,
  capabilities: z.looseObject({ add: Strings, drop: Strings }).nullish(),
  seccompProfile: Profile,
  appArmorProfile: Profile,
});
export type SecurityContext = z.infer<typeof SecurityContext>;

const PodSecurityContext = z.looseObject({
  runAsUser: Int,
  runAsGroup: Int,
  runAsNonRoot: Bool,
  seccompProfile: Profile,
  appArmorProfile: Profile,
});

/**
 * A probe or lifecycle handler: only its exec form runs a command inside the container. A
 * malformed one is dropped rather than failing the whole pod (its other settings still count).
 */
const Handler = z.looseObject({ exec: z.looseObject({ command: Strings }).nullish() }).nullish().catch(null);

export const Container = z.looseObject({
  name: z.string(),
  image: Str,
  command: Strings,
  args: Strings,
  securityContext: SecurityContext.nullish(),
  volumeMounts: z.array(z.looseObject({ name: z.string(), mountPath: Str, readOnly: Bool, subPath: Str })).nullish(),
  ports: z.array(z.looseObject({ containerPort: Int, hostPort: Int, protocol: Str })).nullish(),
  livenessProbe: Handler,
  readinessProbe: Handler,
  startupProbe: Handler,
  lifecycle: z.looseObject({ postStart: Handler, preStop: Handler }).nullish(),
});
export type Container = z.infer<typeof Container>;

export const Volume = z.looseObject({
  name: z.string(),
  hostPath: z.looseObject({ path: z.string(), type: Str }).nullish(),
  projected: z
    .looseObject({
      sources: z
        .array(z.looseObject({ serviceAccountToken: z.looseObject({ audience: Str, expirationSeconds: Int, path: Str }).nullish() }))
        .nullish(),
    })
    .nullish(),
  secret: z.looseObject({ secretName: Str }).nullish(),
  configMap: z.looseObject({ name: Str }).nullish(),
  persistentVolumeClaim: z.looseObject({ claimName: Str }).nullish(),
});
export type Volume = z.infer<typeof Volume>;

export const PodSpec = z.looseObject({
  containers: z.array(Container),
  initContainers: z.array(Container).nullish(),
  ephemeralContainers: z.array(Container).nullish(),
  volumes: z.array(Volume).nullish(),
  hostPID: Bool,
  hostNetwork: Bool,
  hostIPC: Bool,
  hostUsers: Bool,
  shareProcessNamespace: Bool,
  serviceAccountName: Str,
  serviceAccount: Str,
  automountServiceAccountToken: Bool,
  nodeName: Str,
  securityContext: PodSecurityContext.nullish(),
});
export type PodSpec = z.infer<typeof PodSpec>;

const PodTemplate = z.looseObject({
  metadata: z.looseObject({ annotations: StringMap, labels: StringMap }).nullish(),
  spec: PodSpec,
});

export const Pod = z.looseObject({
  spec: PodSpec,
  status: z.looseObject({ phase: Str, podIP: Str, hostIP: Str, startTime: Str }).nullish(),
});

/** Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job. */
export const Controller = z.looseObject({
  spec: z.looseObject({ replicas: Int, template: PodTemplate }),
});

export const CronJob = z.looseObject({
  spec: z.looseObject({
    schedule: Str,
    suspend: Bool,
    jobTemplate: z.looseObject({ spec: z.looseObject({ template: PodTemplate }) }),
  }),
  status: z.looseObject({ lastScheduleTime: Str }).nullish(),
});

// ------------------------------------------------------------------------------ RBAC

const PolicyRule = z.looseObject({
  verbs: z.array(z.string()),
  apiGroups: Strings,
  resources: Strings,
  resourceNames: Strings,
  nonResourceURLs: Strings,
});

export const Role = z.looseObject({
  rules: z.array(PolicyRule).nullish(),
  aggregationRule: z.looseObject({ clusterRoleSelectors: z.array(LabelSelector).nullish() }).nullish(),
});
export type Role = z.infer<typeof Role>;

export const Binding = z.looseObject({
  roleRef: z.looseObject({ apiGroup: Str, kind: z.string(), name: z.string() }),
  subjects: z.array(z.looseObject({ kind: z.string(), name: z.string(), namespace: Str, apiGroup: Str })).nullish(),
});
export type Binding = z.infer<typeof Binding>;

export const ServiceAccount = z.looseObject({
  automountServiceAccountToken: Bool,
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

// ------------------------------------------------------------------------------ cluster objects

export const Node = z.looseObject({
  spec: z.looseObject({ unschedulable: Bool }).nullish(),
  status: z
    .looseObject({
      nodeInfo: z
        .looseObject({
          kubeletVersion: Str,
          osImage: Str,
          kernelVersion: Str,
          containerRuntimeVersion: Str,
          operatingSystem: Str,
          architecture: Str,
        })
        .nullish(),
      addresses: z.array(z.looseObject({ type: Str, address: Str })).nullish(),
      conditions: z.array(z.looseObject({ type: Str, status: Str })).nullish(),
    })
    .nullish(),
});

export const NetworkPolicy = z.looseObject({
  spec: z.looseObject({
    podSelector: LabelSelector.nullish(),
    policyTypes: Strings,
    ingress: z.array(z.unknown()).nullish(),
    egress: z.array(z.unknown()).nullish(),
  }),
});

export const Service = z.looseObject({
  spec: z
    .looseObject({
      type: Str,
      clusterIP: Str,
      externalIPs: Strings,
      selector: StringMap,
      ports: z.array(z.looseObject({ nodePort: Int, port: Int })).nullish(),
    })
    .nullish(),
  status: z.looseObject({ loadBalancer: z.looseObject({ ingress: z.array(z.looseObject({ ip: Str, hostname: Str })).nullish() }).nullish() }).nullish(),
});

export const WebhookConfiguration = z.looseObject({
  webhooks: z
    .array(
      z.looseObject({
        name: Str,
        clientConfig: z
          .looseObject({
            url: Str,
            service: z.looseObject({ namespace: Str, name: Str, path: Str }).nullish(),
          })
          .nullish(),
        failurePolicy: Str,
        rules: z.array(z.unknown()).nullish(),
      }),
    )
    .nullish(),
});

export const CoreEvent = z.looseObject({
  involvedObject: z.looseObject({ kind: Str, namespace: Str, name: Str }).nullish(),
  regarding: z.looseObject({ kind: Str, namespace: Str, name: Str }).nullish(),
  reason: Str,
  type: Str,
  message: Str,
  note: Str,
  firstTimestamp: Str,
  lastTimestamp: Str,
  eventTime: Str,
  deprecatedFirstTimestamp: Str,
  deprecatedLastTimestamp: Str,
  count: Int,
  deprecatedCount: Int,
  source: z.looseObject({ component: Str, host: Str }).nullish(),
  reportingController: Str,
  reportingComponent: Str,
});

export const KubectlVersion = z.looseObject({
  clientVersion: z.looseObject({ gitVersion: Str }).nullish(),
  serverVersion: z.looseObject({ gitVersion: Str }).nullish(),
});
