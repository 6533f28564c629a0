import { normaliseCapability } from '../../config.js';
import { hostilePatterns } from '../../patterns/command-patterns.js';
import { pointerToken } from '../source.js';
import type { IngestContext } from '../types.js';
import type { Container, PodSpec, SecurityContext, Volume } from './schemas.js';

/** Where the pod service-account token lands in every container (kubelet and admission default). */
const SA_TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface PodSpecRow {
  objectId: number;
  /** JSON pointer of the pod spec. */
  pointer: string;
  /** JSON pointer of the metadata whose annotations apply (pod or template metadata). */
  metaPointer: string;
  source: 'pod' | 'template';
  kind: string;
  namespace: string | null;
  name: string;
  annotations: Record<string, string>;
  spec: PodSpec;
  status?: { phase?: string | null; podIP?: string | null; hostIP?: string | null; startTime?: string | null } | null | undefined;
  replicas?: number | null | undefined;
  cronJob?: { schedule: string | null; suspend: boolean | null; lastSchedule: string | null } | undefined;
}

/**
 * Writes one pod spec (a pod's, or a controller's template) with its containers, capabilities,
 * volumes and mounts. Container security settings are stored as Kubernetes applies them: the
 * container's securityContext wins, else the pod's, else the legacy annotations.
 */
export function insertPodSpec(ctx: IngestContext, row: PodSpecRow): number {
  const { spec, pointer } = row;
  const podSc = spec.securityContext ?? {};
  const scPointer = `${pointer}/securityContext`;
  const fields: Record<string, string> = {
    host_pid: `${pointer}/hostPID`,
    host_network: `${pointer}/hostNetwork`,
    host_ipc: `${pointer}/hostIPC`,
    service_account: `${pointer}/${spec.serviceAccountName ? 'serviceAccountName' : spec.serviceAccount ? 'serviceAccount' : 'serviceAccountName'}`,
    automount: `${pointer}/automountServiceAccountToken`,
    node_name: `${pointer}/nodeName`,
  };
  const annotation = (key: string) => `${row.metaPointer}/annotations/${pointerToken(key)}`;
  const podSeccomp = profileOf(podSc.seccompProfile) ?? legacyProfile(row.annotations['seccomp.security.alpha.kubernetes.io/pod']);

  const containers = [
    ...spec.containers.map((c, i) => ({ c, type: 'container' as const, at: `${pointer}/containers/${i}` })),
    ...(spec.initContainers ?? []).map((c, i) => ({ c, type: 'init' as const, at: `${pointer}/initContainers/${i}` })),
    ...(spec.ephemeralContainers ?? []).map((c, i) => ({ c, type: 'ephemeral' as const, at: `${pointer}/ephemeralContainers/${i}` })),
  ];
  const volumes = spec.volumes ?? [];
  const tokenVolumes = new Map<string, number>(); // name → index, for volumes that hold an API token
  const specContainers = containers.map((x) => x.c);
  volumes.forEach((v, i) => {
    if (isApiTokenVolume(v, specContainers)) tokenVolumes.set(v.name, i);
  });
  const mountedToken = [...tokenVolumes.keys()].find((name) => containers.some(({ c }) => (c.volumeMounts ?? []).some((m) => m.name === name)));

  const specId = ctx.db.insert('k8s_pod_specs', {
    object_id: row.objectId,
    file_id: ctx.fileId,
    locator: pointer,
    source: row.source,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    node_name: spec.nodeName ?? null,
    phase: row.status?.phase ?? null,
    pod_ip: row.status?.podIP ?? null,
    host_ip: row.status?.hostIP ?? null,
    start_time: row.status?.startTime ?? null,
    service_account: spec.serviceAccountName || spec.serviceAccount || 'default',
    automount: spec.automountServiceAccountToken ?? null,
    token_volume: mountedToken ?? null,
    token_locator: mountedToken !== undefined ? `${pointer}/volumes/${tokenVolumes.get(mountedToken)}` : null,
    host_pid: spec.hostPID === true,
    host_network: spec.hostNetwork === true,
    host_ipc: spec.hostIPC === true,
    host_users: spec.hostUsers ?? null,
    share_process_namespace: spec.shareProcessNamespace ?? null,
    run_as_user: podSc.runAsUser ?? null,
    run_as_non_root: podSc.runAsNonRoot ?? null,
    seccomp_profile: podSeccomp,
    replicas: row.replicas ?? null,
    schedule: row.cronJob?.schedule ?? null,
    suspend: row.cronJob?.suspend ?? null,
    last_schedule: row.cronJob?.lastSchedule ?? null,
    field_locators: fields,
  });

  for (const { c, type, at } of containers) {
    const sc: SecurityContext = c.securityContext ?? {};
    const csc = `${at}/securityContext`;
    // A setting that is not written anywhere points at the container itself.
    const own = (field: keyof SecurityContext) => (sc[field] !== null && sc[field] !== undefined ? `${csc}/${field}` : at);
    const locators: Record<string, string> = {
      privileged: own('privileged'),
      allow_privilege_escalation: own('allowPrivilegeEscalation'),
      read_only_root_fs: own('readOnlyRootFilesystem'),
      image: `${at}/image`,
      command: `${at}/${c.command ? 'command' : c.args ? 'args' : 'image'}`,
    };
    const pick = <T>(field: string, own: T | null | undefined, pod: T | null | undefined, podField: string): T | null => {
      if (own !== null && own !== undefined) {
        locators[field] = `${csc}/${podField}`;
        return own;
      }
      if (pod !== null && pod !== undefined) {
        locators[field] = `${scPointer}/${podField}`;
        return pod;
      }
      locators[field] = at;
      return null;
    };
    const runAsUser = pick('run_as_user', sc.runAsUser, podSc.runAsUser, 'runAsUser');
    const runAsGroup = pick('run_as_group', sc.runAsGroup, podSc.runAsGroup, 'runAsGroup');
    const runAsNonRoot = pick('run_as_non_root', sc.runAsNonRoot, podSc.runAsNonRoot, 'runAsNonRoot');
    let seccomp = pick('seccomp_profile', profileOf(sc.seccompProfile), profileOf(podSc.seccompProfile), 'seccompProfile');
    if (seccomp === null) {
      const own = legacyProfile(row.annotations[`container.seccomp.security.alpha.kubernetes.io/${c.name}`]);
      const pod = legacyProfile(row.annotations['seccomp.security.alpha.kubernetes.io/pod']);
      seccomp = own ?? pod;
      if (own) locators.seccomp_profile = annotation(`container.seccomp.security.alpha.kubernetes.io/${c.name}`);
      else if (pod) locators.seccomp_profile = annotation('seccomp.security.alpha.kubernetes.io/pod');
    }
    let apparmor = pick('apparmor_profile', profileOf(sc.appArmorProfile), profileOf(podSc.appArmorProfile), 'appArmorProfile');
    if (apparmor === null) {
      apparmor = legacyProfile(row.annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`]);
      if (apparmor) locators.apparmor_profile = annotation(`container.apparmor.security.beta.kubernetes.io/${c.name}`);
    }
    const hostPorts = (c.ports ?? [])
      .filter((p) => (p.hostPort ?? 0) > 0 || spec.hostNetwork === true)
      .map((p) => ({ port: p.containerPort ?? null, hostPort: p.hostPort ?? (spec.hostNetwork ? p.containerPort : null), protocol: p.protocol ?? 'TCP' }));

    const containerId = ctx.db.insert('k8s_containers', {
      spec_id: specId,
      file_id: ctx.fileId,
      locator: at,
      container_type: type,
      name: c.name,
      image: c.image ?? null,
      command: c.command ?? null,
      args: c.args ?? null,
      privileged: sc.privileged === true,
      allow_privilege_escalation: sc.allowPrivilegeEscalation ?? null,
      run_as_user: runAsUser,
      run_as_group: runAsGroup,
      run_as_non_root: runAsNonRoot,
      read_only_root_fs: sc.readOnlyRootFilesystem ?? null,
      proc_mount: sc.procMount ?? null,
      seccomp_profile: seccomp,
      apparmor_profile: apparmor,
      host_ports: hostPorts.length > 0 ? hostPorts : null,
      field_locators: locators,
    });
    for (const action of ['add', 'drop'] as const) {
      (sc.capabilities?.[action] ?? []).forEach((cap, i) =>
        ctx.db.insert('k8s_container_capabilities', { container_id: containerId, capability: normaliseCapability(cap), action, locator: `${csc}/capabilities/${action}/${i}` }),
      );
    }
    for (const exec of kubeletExecs(c, at)) ctx.db.insert('k8s_container_execs', { container_id: containerId, ...exec });
    (c.volumeMounts ?? []).forEach((m, i) =>
      ctx.db.insert('k8s_volume_mounts', {
        container_id: containerId,
        spec_id: specId,
        volume_name: m.name,
        mount_path: m.mountPath ?? null,
        read_only: m.readOnly === true,
        sub_path: m.subPath || null,
        locator: `${at}/volumeMounts/${i}`,
      }),
    );
  }

  volumes.forEach((v, i) => {
    const token = v.projected?.sources?.find((s) => s.serviceAccountToken)?.serviceAccountToken;
    ctx.db.insert('k8s_volumes', {
      spec_id: specId,
      file_id: ctx.fileId,
      locator: `${pointer}/volumes/${i}`,
      name: v.name,
      type: volumeType(v),
      host_path: v.hostPath?.path ?? null,
      host_path_type: v.hostPath?.type || null,
      source_name: v.secret?.secretName ?? v.configMap?.name ?? v.persistentVolumeClaim?.claimName ?? null,
      sa_token: tokenVolumes.has(v.name) || token !== undefined,
      token_audience: token?.audience || null,
    });
  });
  return specId;
}

/** A projected serviceAccountToken for the API server (no other audience), or a legacy token secret at the standard path. */
function isApiTokenVolume(v: Volume, containers: Container[]): boolean {
  if (v.projected?.sources?.some((s) => s.serviceAccountToken && !s.serviceAccountToken.audience)) return true;
  if (v.secret) {
    return containers.some((c) => (c.volumeMounts ?? []).some((m) => m.name === v.name && m.mountPath?.replace(/\/+$/, '') === SA_TOKEN_MOUNT));
  }
  return false;
}

const VOLUME_TYPES = [
  'hostPath', 'projected', 'secret', 'configMap', 'emptyDir', 'persistentVolumeClaim', 'downwardAPI', 'csi', 'ephemeral',
  'nfs', 'iscsi', 'image', 'gitRepo',
];

function volumeType(v: Volume): string {
  for (const t of VOLUME_TYPES) if ((v as Record<string, unknown>)[t] !== undefined && (v as Record<string, unknown>)[t] !== null) return t;
  return Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
}

/** securityContext seccompProfile / appArmorProfile → RuntimeDefault | Unconfined | Localhost:<profile>. */
function profileOf(profile: { type?: string | null; localhostProfile?: string | null } | null | undefined): string | null {
  if (!profile?.type) return null;
  return profile.type === 'Localhost' ? `Localhost:${profile.localhostProfile ?? ''}` : profile.type;
}

/** The pre-1.19 seccomp / pre-1.30 AppArmor annotation values, in the same vocabulary. */
function legacyProfile(value: string | undefined): string | null {
  if (!value) return null;
  if (value === 'runtime/default' || value === 'docker/default') return 'RuntimeDefault';
  if (value === 'unconfined') return 'Unconfined';
  if (value.startsWith('localhost/')) return `Localhost:${value.slice('localhost/'.length)}`;
  return value;
}

/**
 * The commands the kubelet runs inside a container by itself: exec probes and lifecycle hooks,
 * in the forms runtime tools print them (program name, then arguments; quotes dropped, since
 * tools quote arguments differently).
 */
function kubeletExecs(c: Container, at: string) {
  const handlers = [
    ['livenessProbe', c.livenessProbe, 'livenessProbe'],
    ['readinessProbe', c.readinessProbe, 'readinessProbe'],
    ['startupProbe', c.startupProbe, 'startupProbe'],
    ['postStart', c.lifecycle?.postStart, 'lifecycle/postStart'],
    ['preStop', c.lifecycle?.preStop, 'lifecycle/preStop'],
  ] as const;
  return handlers.flatMap(([purpose, handler, pointer]) => {
    const argv = handler?.exec?.command;
    if (!argv || argv.length === 0) return [];
    const unquoted = argv.map((a) => a.replace(/["']/g, ''));
    const program = unquoted[0]!.slice(unquoted[0]!.lastIndexOf('/') + 1);
    const hostile = hostilePatterns(argv.join(' ')); // a download-and-run liveness probe is persistence
    return [{
      purpose,
      command: argv,
      program,
      arguments: unquoted.slice(1).join(' '),
      command_line: unquoted.join(' '),
      hostile_patterns: hostile.length > 0 ? hostile.map((p) => p.id).join(',') : null,
      locator: `${at}/${pointer}/exec/command`,
    }];
  });
}
