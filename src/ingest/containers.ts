import type { IngestContext } from './types.js';

/** A container in the normalised model (table `containers`), whichever runtime reported it. */
export interface ContainerRecord {
  locator: string;
  runtime: 'docker' | 'cri' | 'containerd';
  container_id: string;
  name: string | null;
  image: string | null;
  image_id: string | null;
  pod_name: string | null;
  pod_namespace: string | null;
  pod_uid: string | null;
  state: string | null;
  pid: number | null;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  privileged: boolean;
  pid_mode: string | null;
  network_mode: string | null;
  ipc_mode: string | null;
  uts_mode: string | null;
  userns_mode: string | null;
  cgroupns_mode: string | null;
  user: string | null;
  readonly_rootfs: boolean | null;
  seccomp_profile: string | null;
  apparmor_profile: string | null;
  no_new_privileges: boolean | null;
  cgroup_parent: string | null;
  cgroup_path: string | null;
  entrypoint: string[] | null;
  command: string[] | null;
  /** The command the runtime runs in the container as a health check (docker HEALTHCHECK), if any. */
  healthcheck?: string[] | null;
  labels: Record<string, string> | null;
  upper_dir: string | null;
  /** Field name (privileged, pid_mode, user, seccomp_profile, ...) → JSON pointer of that setting. */
  field_locators: Record<string, string>;
  capabilities: { capability: string; action: 'add' | 'drop'; locator: string }[];
  mounts: {
    type: string | null;
    source: string | null;
    destination: string | null;
    read_only: boolean;
    propagation: string | null;
    volume_name: string | null;
    locator: string;
  }[];
}

/** Writes one container with its capabilities and mounts; returns the containers row id. */
export function insertContainer(ctx: IngestContext, record: ContainerRecord): number {
  const { capabilities, mounts, ...container } = record;
  const row = ctx.db.insert('containers', { ...container, file_id: ctx.fileId });
  for (const cap of capabilities) ctx.db.insert('container_capabilities', { container_row: row, ...cap });
  for (const mount of mounts) ctx.db.insert('container_mounts', { container_row: row, ...mount });
  return row;
}
