/**
 * Which container a cgroup path belongs to. Layouts seen in the wild:
 *   /docker/<64hex>                                        docker, cgroupfs driver
 *   /system.slice/docker-<64hex>.scope                     docker, systemd driver
 *   /system.slice/containerd.service/<ns>/<id>? …          (ctr: /<ns>/<id> under the parent)
 *   /kubepods/burstable/pod<uid>/<64hex>                   kubelet, cgroupfs driver
 *   /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid_with_>.slice/
 *       cri-containerd-<64hex>.scope | crio-<64hex>.scope | docker-<64hex>.scope
 *   …/libpod-<64hex>.scope                                 podman
 * The last 64-hex component wins (nested containers name the innermost one last).
 */
export function containerFromCgroupPath(path: string): { containerId: string | null; podUid: string | null } {
  let containerId: string | null = null;
  for (const part of path.split('/')) {
    const m = /^(?:(?:docker|cri-containerd|crio|libpod|containerd)-)?([0-9a-f]{64})(?:\.scope)?$/.exec(part);
    if (m) containerId = m[1]!;
  }
  const pod = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(path);
  return { containerId, podUid: pod ? pod[1]!.replace(/_/g, '-') : null };
}
