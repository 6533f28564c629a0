import { z } from 'zod';
import { normaliseCapability } from '../../config.js';
import { Confidence, type Ingester } from '../types.js';
import { insertContainer, type ContainerRecord } from '../containers.js';
import { pointerToken } from '../source.js';

// Shallow and loose: we name the fields the rules need; anything else docker adds is kept in the
// file and never a reason to reject a record.
const Strings = z.array(z.string()).nullish();
const DockerMount = z.looseObject({
  Type: z.string().nullish(),
  Name: z.string().nullish(),
  Source: z.string().nullish(),
  Destination: z.string().nullish(),
  RW: z.boolean().nullish(),
  Propagation: z.string().nullish(),
});
export const DockerContainerInspect = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  Created: z.string().nullish(),
  Image: z.string().nullish(),
  AppArmorProfile: z.string().nullish(),
  State: z
    .looseObject({
      Status: z.string().nullish(),
      Pid: z.number().nullish(),
      StartedAt: z.string().nullish(),
      FinishedAt: z.string().nullish(),
    })
    .nullish(),
  Config: z
    .looseObject({
      Image: z.string().nullish(),
      User: z.string().nullish(),
      Cmd: Strings,
      Entrypoint: Strings,
      Labels: z.record(z.string(), z.string()).nullish(),
      // A malformed health check is dropped, not a reason to reject the container.
      Healthcheck: z.looseObject({ Test: Strings }).nullish().catch(null),
    })
    .nullish(),
  HostConfig: z.looseObject({
    Privileged: z.boolean().nullish(),
    PidMode: z.string().nullish(),
    NetworkMode: z.string().nullish(),
    IpcMode: z.string().nullish(),
    UTSMode: z.string().nullish(),
    UsernsMode: z.string().nullish(),
    CgroupnsMode: z.string().nullish(),
    CapAdd: Strings,
    CapDrop: Strings,
    SecurityOpt: Strings,
    ReadonlyRootfs: z.boolean().nullish(),
    CgroupParent: z.string().nullish(),
  }),
  Mounts: z.array(DockerMount).nullish(),
  GraphDriver: z.looseObject({ Data: z.record(z.string(), z.string()).nullish() }).nullish(),
});
type DockerContainerInspect = z.infer<typeof DockerContainerInspect>;

/** `docker inspect <container>...` output: a JSON array of container objects. */
export const dockerInspect: Ingester = {
  kind: 'docker-inspect',
  description: 'docker container inspect (JSON array)',
  evidenceCopy: 'docker-inspect.json',
  detect(head) {
    const text = head.trimmed;
    if (!text.startsWith('[')) return Confidence.NONE;
    const whole = head.wholeValue;
    if (Array.isArray(whole)) {
      return whole.length > 0 && whole.every(looksLikeDockerContainer) ? Confidence.CERTAIN : Confidence.NONE;
    }
    // Too large for the head, or cut short: recognise docker's field layout (a cut file is
    // still docker's, and its parse error is then reported).
    return /"HostConfig"\s*:/.test(text) && /"GraphDriver"\s*:/.test(text) && /"State"\s*:/.test(text)
      ? Confidence.PLAUSIBLE
      : Confidence.NONE;
  },
  async ingest(source, ctx) {
    for await (const { value, pointer } of source.jsonItems()) {
      const parsed = DockerContainerInspect.safeParse(value);
      if (!parsed.success) {
        ctx.problem('schema', `not a docker container record: ${z.prettifyError(parsed.error).split('\n')[0]}`, pointer);
        continue;
      }
      ctx.db.transaction(() => insertContainer(ctx, fromDocker(parsed.data, pointer)));
      ctx.progress(1);
    }
  },
};

function looksLikeDockerContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'Id' in value && 'HostConfig' in value && 'State' in value;
}

function fromDocker(c: DockerContainerInspect, pointer: string): ContainerRecord {
  const host = c.HostConfig;
  const securityOpt = host.SecurityOpt ?? [];
  const labels = c.Config?.Labels ?? {};
  return {
    locator: pointer,
    runtime: 'docker',
    container_id: c.Id,
    name: (c.Name ?? '').replace(/^\//, '') || null,
    image: c.Config?.Image ?? null,
    image_id: c.Image ?? null,
    pod_name: labels['io.kubernetes.pod.name'] ?? null,
    pod_namespace: labels['io.kubernetes.pod.namespace'] ?? null,
    pod_uid: labels['io.kubernetes.pod.uid'] ?? null,
    state: c.State?.Status ?? null,
    pid: c.State?.Pid ?? null,
    created_at: c.Created ?? null,
    started_at: usefulTime(c.State?.StartedAt),
    finished_at: usefulTime(c.State?.FinishedAt),
    privileged: host.Privileged === true,
    pid_mode: namespaceMode(host.PidMode),
    network_mode: namespaceMode(host.NetworkMode),
    ipc_mode: namespaceMode(host.IpcMode),
    uts_mode: namespaceMode(host.UTSMode),
    userns_mode: namespaceMode(host.UsernsMode),
    cgroupns_mode: namespaceMode(host.CgroupnsMode),
    user: c.Config?.User ?? '',
    readonly_rootfs: host.ReadonlyRootfs === true,
    seccomp_profile: securityOption(securityOpt, 'seccomp') ?? (host.Privileged ? 'unconfined' : null),
    apparmor_profile: securityOption(securityOpt, 'apparmor') ?? (c.AppArmorProfile || null),
    no_new_privileges: securityOpt.some((o) => /^no-new-privileges(?:[=:]true)?$/.test(o)),
    cgroup_parent: host.CgroupParent || null,
    cgroup_path: null,
    entrypoint: c.Config?.Entrypoint ?? null,
    command: c.Config?.Cmd ?? null,
    healthcheck: healthcheckCommand(c.Config?.Healthcheck?.Test),
    labels,
    upper_dir: c.GraphDriver?.Data?.UpperDir ?? null,
    field_locators: {
      privileged: `${pointer}/HostConfig/Privileged`,
      pid_mode: `${pointer}/HostConfig/PidMode`,
      network_mode: `${pointer}/HostConfig/NetworkMode`,
      ipc_mode: `${pointer}/HostConfig/IpcMode`,
      uts_mode: `${pointer}/HostConfig/UTSMode`,
      userns_mode: `${pointer}/HostConfig/UsernsMode`,
      user: `${pointer}/Config/User`,
      readonly_rootfs: `${pointer}/HostConfig/ReadonlyRootfs`,
      seccomp_profile: `${pointer}/HostConfig/SecurityOpt`,
      apparmor_profile: `${pointer}/AppArmorProfile`,
      no_new_privileges: `${pointer}/HostConfig/SecurityOpt`,
      command: `${pointer}/Config/Cmd`,
      entrypoint: `${pointer}/Config/Entrypoint`,
      healthcheck: `${pointer}/Config/Healthcheck/Test`,
      image: `${pointer}/Config/Image`,
    },
    capabilities: [
      ...(host.CapAdd ?? []).map((cap, i) => ({ capability: normaliseCapability(cap), action: 'add' as const, locator: `${pointer}/HostConfig/CapAdd/${i}` })),
      ...(host.CapDrop ?? []).map((cap, i) => ({ capability: normaliseCapability(cap), action: 'drop' as const, locator: `${pointer}/HostConfig/CapDrop/${i}` })),
    ],
    mounts: (c.Mounts ?? []).map((m, i) => ({
      type: m.Type ?? null,
      source: m.Source ?? null,
      destination: m.Destination ?? null,
      read_only: m.RW === false,
      propagation: m.Propagation || null,
      volume_name: m.Name ?? null,
      locator: `${pointer}/Mounts/${pointerToken(i)}`,
    })),
  };
}

/**
 * The command of a HEALTHCHECK: Test is ["CMD", argv...], ["CMD-SHELL", "command line"] (run by
 * /bin/sh -c) or ["NONE"] (disabled); an empty or absent Test inherits the image's.
 */
function healthcheckCommand(test: string[] | null | undefined): string[] | null {
  if (!test || test.length < 2) return null;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', ...test.slice(1)];
  return null;
}

/** Docker writes 0001-01-01T00:00:00Z for "never". */
function usefulTime(value: string | null | undefined): string | null {
  return value && !value.startsWith('0001-01-01') ? value : null;
}

/** '' and 'default' mean the runtime's private namespace; 'host' and 'container:<id>' are kept. */
function namespaceMode(mode: string | null | undefined): string | null {
  if (!mode || mode === 'default' || mode === 'private') return mode === 'private' ? 'private' : null;
  return mode;
}

/** `seccomp=unconfined`, `seccomp:unconfined` (old syntax), `apparmor=docker-default`. */
function securityOption(options: string[], name: string): string | null {
  for (const option of options) {
    const match = new RegExp(`^${name}[=:](.*)$`).exec(option);
    if (match) return match[1] ?? null;
  }
  return null;
}


