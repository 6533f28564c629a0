import { z } from 'zod';
import { normaliseCapability } from '../../config.js';
import { insertContainer, type ContainerRecord } from '../containers.js';
import { insertImageRefs } from '../docker/images.js';
import { obj, strings } from '../docker/json.js';
import { fromOciSpec } from '../docker/oci-spec.js';
import { pointerToken } from '../source.js';
import { criTime } from './crictl-list.js';
import { Confidence, type Ingester } from '../types.js';

/** CRI NamespaceMode: POD = 0, CONTAINER = 1, NODE = 2, TARGET = 3 (numbers in info.config, names in status). */
export function criNamespaceMode(value: unknown): string | null {
  if (value === 2 || value === 'NODE') return 'host';
  if (value === 1 || value === 'CONTAINER') return 'private';
  if (value === 3 || value === 'TARGET') return 'target';
  return null; // POD (0, the default, omitted): the pod's own namespace
}

const CrictlInspect = z.looseObject({
  status: z.looseObject({
    id: z.string(),
    metadata: z.looseObject({ name: z.string().nullish() }).nullish(),
    state: z.string().nullish(),
    createdAt: z.string().nullish(),
    startedAt: z.string().nullish(),
    finishedAt: z.string().nullish(),
    image: z.looseObject({ image: z.string().nullish(), userSpecifiedImage: z.string().nullish() }).nullish(),
    imageRef: z.string().nullish(),
    labels: z.record(z.string(), z.string()).nullish(),
    mounts: z.array(z.looseObject({})).nullish(),
  }),
  info: z.looseObject({ pid: z.number().nullish(), runtimeSpec: z.unknown(), config: z.unknown() }).nullish(),
});

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;

/** `crictl inspect <id>`: CRI status plus (verbose) info.config and info.runtimeSpec. */
export const crictlInspect: Ingester = {
  kind: 'crictl-inspect',
  description: 'crictl inspect (CRI container status + info)',
  evidenceCopy: 'crictl-inspect.json',
  detect(head) {
    const whole = obj(head.wholeValue);
    const status = obj(whole.status);
    if (typeof status.id === 'string' && typeof status.state === 'string') return /^CONTAINER_/.test(status.state) ? Confidence.CERTAIN : Confidence.NONE;
    return /"status"\s*:/.test(head.text) && /"state"\s*:\s*"CONTAINER_/.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const text = await source.text();
    if (text === undefined) return ctx.problem('oversize', 'crictl inspect output larger than the buffer limit');
    const parsed = CrictlInspect.safeParse(JSON.parse(text));
    if (!parsed.success) return ctx.problem('schema', `not a crictl inspect record: ${z.prettifyError(parsed.error).split('\n')[0]}`, '');
    const record = fromCrictl(parsed.data);
    ctx.db.transaction(() => {
      insertContainer(ctx, record);
      // The reference the pod asked for and the digest that ran name the container's image.
      const s = parsed.data.status;
      const tag = [s.image?.userSpecifiedImage, s.image?.image].filter((t): t is string => !!t && !IMAGE_ID.test(t));
      const digest = s.imageRef && s.imageRef.includes('@') ? [s.imageRef] : [];
      if (tag.length + digest.length > 0) insertImageRefs(ctx, record.image_id, tag, digest, tag.length > 0 ? '/status/image/image' : '/status/imageRef');
    });
    ctx.progress(1);
  },
};

function fromCrictl(c: z.infer<typeof CrictlInspect>): ContainerRecord {
  const s = c.status;
  const labels = s.labels ?? {};
  const info = obj(c.info);
  const config = obj(info.config);
  const sc = obj(obj(config.linux).security_context);
  const hasSpec = info.runtimeSpec !== undefined && info.runtimeSpec !== null;
  // The runtime spec is what runc was given: the truth for namespaces, caps and mounts.
  const spec = hasSpec ? fromOciSpec(info.runtimeSpec, '/info/runtimeSpec') : undefined;
  const nsOptions = obj(sc.namespace_options);
  const scBase = '/info/config/linux/security_context';
  const caps = obj(sc.capabilities);
  const fromConfig = {
    privileged: sc.privileged === true,
    pid_mode: criNamespaceMode(nsOptions.pid),
    network_mode: criNamespaceMode(nsOptions.network),
    ipc_mode: criNamespaceMode(nsOptions.ipc),
    user: typeof obj(sc.run_as_user).value === 'number' ? String(obj(sc.run_as_user).value) : (typeof sc.run_as_username === 'string' ? sc.run_as_username : ''),
    readonly_rootfs: sc.readonly_rootfs === true,
    no_new_privileges: sc.no_new_privs === true,
  };
  const statusMounts = Array.isArray(s.mounts) ? s.mounts.map(obj) : [];
  const seccompType = obj(sc.seccomp).profile_type;
  const seccompPath = typeof sc.seccomp_profile_path === 'string' ? sc.seccomp_profile_path : null;
  return {
    locator: '',
    runtime: 'cri',
    container_id: s.id,
    name: labels['io.kubernetes.container.name'] ?? s.metadata?.name ?? null,
    // status.image is the tag (and, CRI >= 1.28, userSpecifiedImage the reference as the pod spec
    // wrote it), status.imageRef the repo digest when the image has one; info.config.image is the
    // image id the kubelet resolved (containerd: sha256:<config digest>).
    image: s.image?.userSpecifiedImage || s.image?.image || null,
    image_id: [obj(config.image).image, s.imageRef, s.image?.image].find((v): v is string => typeof v === 'string' && IMAGE_ID.test(v)) ?? null,
    pod_name: labels['io.kubernetes.pod.name'] ?? null,
    pod_namespace: labels['io.kubernetes.pod.namespace'] ?? null,
    pod_uid: labels['io.kubernetes.pod.uid'] ?? null,
    state: s.state ? s.state.replace(/^CONTAINER_/, '').toLowerCase() : null,
    pid: typeof info.pid === 'number' ? info.pid : null,
    created_at: criTime(s.createdAt),
    started_at: criTime(s.startedAt),
    finished_at: criTime(s.finishedAt),
    privileged: fromConfig.privileged || (spec?.privileged ?? false),
    // Namespaces: the config's request, unless only the spec says (older runtimes).
    pid_mode: fromConfig.pid_mode ?? spec?.pid_mode ?? null,
    network_mode: fromConfig.network_mode ?? spec?.network_mode ?? null,
    ipc_mode: fromConfig.ipc_mode ?? spec?.ipc_mode ?? null,
    uts_mode: spec?.uts_mode ?? null,
    userns_mode: spec?.userns_mode ?? null,
    cgroupns_mode: spec?.cgroupns_mode ?? null,
    user: fromConfig.user || spec?.user || '',
    readonly_rootfs: fromConfig.readonly_rootfs || (spec?.readonly_rootfs ?? false),
    // profile_type: 0 RuntimeDefault, 1 Unconfined, 2 Localhost (CRI); older: seccomp_profile_path
    seccomp_profile: seccompType === 1 || seccompPath === 'unconfined' ? 'unconfined' : seccompType === 2 ? 'localhost' : seccompPath ?? (spec ? spec.seccomp_profile : null),
    apparmor_profile: obj(sc.apparmor).profile_type === 1 || sc.apparmor_profile === 'unconfined' ? 'unconfined' : spec?.apparmor_profile ?? null,
    no_new_privileges: fromConfig.no_new_privileges || (spec?.no_new_privileges ?? false),
    cgroup_parent: null,
    cgroup_path: spec?.cgroup_path ?? null,
    entrypoint: Array.isArray(config.command) ? (config.command as string[]) : null,
    command: Array.isArray(config.args) ? (config.args as string[]) : spec?.command ?? null,
    labels,
    upper_dir: null,
    field_locators: {
      ...(spec?.field_locators ?? {}),
      ...(sc.privileged !== undefined ? { privileged: `${scBase}/privileged` } : {}),
      ...(nsOptions.pid !== undefined ? { pid_mode: `${scBase}/namespace_options/pid` } : {}),
      ...(nsOptions.network !== undefined ? { network_mode: `${scBase}/namespace_options/network` } : {}),
      ...(nsOptions.ipc !== undefined ? { ipc_mode: `${scBase}/namespace_options/ipc` } : {}),
      ...(sc.run_as_user !== undefined ? { user: `${scBase}/run_as_user` } : {}),
      ...(sc.readonly_rootfs !== undefined ? { readonly_rootfs: `${scBase}/readonly_rootfs` } : {}),
      ...(sc.seccomp !== undefined || sc.seccomp_profile_path !== undefined ? { seccomp_profile: `${scBase}/${sc.seccomp !== undefined ? 'seccomp' : 'seccomp_profile_path'}` } : {}),
      ...(Array.isArray(config.args) ? { command: '/info/config/args' } : {}),
      ...(Array.isArray(config.command) ? { entrypoint: '/info/config/command' } : {}),
      image: '/status/image/image',
    },
    capabilities: Object.keys(caps).length > 0
      ? [
          ...strings(caps.add_capabilities).map((cap, i) => ({ capability: normaliseCapability(cap), action: 'add' as const, locator: `${scBase}/capabilities/add_capabilities/${i}` })),
          ...strings(caps.drop_capabilities).map((cap, i) => ({ capability: normaliseCapability(cap), action: 'drop' as const, locator: `${scBase}/capabilities/drop_capabilities/${i}` })),
        ]
      : spec?.capabilities ?? [],
    // status.mounts are the CRI mounts (hostPath volumes, service-account tokens, ...).
    mounts: statusMounts.length > 0
      ? statusMounts.map((m, i) => ({
          type: 'bind',
          source: typeof m.hostPath === 'string' ? m.hostPath : null,
          destination: typeof m.containerPath === 'string' ? m.containerPath : null,
          read_only: m.readonly === true,
          propagation: typeof m.propagation === 'string' ? m.propagation : null,
          volume_name: null,
          locator: `/status/mounts/${pointerToken(i)}`,
        }))
      : spec?.mounts ?? [],
  };
}
