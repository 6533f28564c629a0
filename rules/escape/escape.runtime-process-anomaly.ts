import { collectionEpoch, hostNamespaces, hostProcesses, processNamespaces } from '../../src/analysis/processes.js';
import { threshold } from '../../src/config.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';

const SHIM = /^containerd-shim/;
const RUNTIME_PARENTS = /^(?:containerd|dockerd|systemd|init|containerd-shim.*|conmon|crio|tini|dumb-init|s6-svscan|runsvdir|supervisord)$/;

export default defineRule({
  meta: {
    id: 'escape.runtime-process-anomaly',
    title: 'Container runtime process tree out of shape',
    severity: 'SUSPICIOUS',
    group: 'escape',
    attack: ['T1611'],
    description:
      "The process tree around the runtime has a shape the runtime does not produce: a child of containerd-shim (a container's init) running in the host's mount namespace; a runc process that has lived for minutes (runc exits once the container is started — a lingering one is a stuck or hijacked runtime, cf. CVE-2019-5736); a containerd-shim whose parent is not init, containerd or dockerd; or a process in the host's namespaces whose parent is a process inside a container — code that crossed from the container to the host.",
    remediation: 'Look at each process named (args, start time, executable) and its children; compare with the container inventory; preserve memory before killing anything.',
    falsePositives: 'A shim restarted under a supervisor other than init/containerd on unusual distributions.',
  },
  run({ db, config }) {
    const procs = hostProcesses(db);
    if (procs.size === 0) return [];
    const host = hostNamespaces(db);
    const ns = processNamespaces(db);
    const inHostMnt = (pid: number) => host.has('mnt') && ns.get(pid)?.get('mnt')?.inode === host.get('mnt');
    const hostname = (db.prepare('select host from inputs where host is not null order by id limit 1').get() as { host: string } | undefined)?.host ?? 'host';
    const inContainer = new Set((db.prepare('select distinct pid from process_containers').all() as { pid: number }[]).map((r) => r.pid));
    const now = collectionEpoch(db);
    const maxRuncSeconds = threshold(config, 'runc_max_seconds', 300);
    const rows: FindingRow[] = [];
    const add = (pid: number, reason: string) => {
      const p = procs.get(pid)!;
      rows.push({ subject_kind: 'process', subject_name: `${p.comm ?? '?'} (pid ${pid})`, subject_host: hostname, key: reason.split(':')[0], reason, file_id: p.file_id, locator: p.locator, first_seen: p.start_utc });
    };
    for (const p of procs.values()) {
      const parent = p.ppid !== null ? procs.get(p.ppid) : undefined;
      if (parent && SHIM.test(parent.comm ?? '') && !SHIM.test(p.comm ?? '') && inHostMnt(p.pid)) {
        add(p.pid, `container init in the host mount namespace: child of ${parent.comm} ${parent.pid} (${p.args.slice(0, 150)})`);
      }
      if (p.comm === 'runc' && now !== null && p.start_epoch !== null && now - p.start_epoch > maxRuncSeconds) {
        add(p.pid, `long-lived runc: running for ${now - p.start_epoch} s at collection (${p.args.slice(0, 150)})`);
      }
      if (SHIM.test(p.comm ?? '') && p.ppid !== null && p.ppid !== 1 && parent && !RUNTIME_PARENTS.test(parent.comm ?? '')) {
        add(p.pid, `shim with an unexpected parent: ${parent.comm} ${parent.pid} (${parent.args.slice(0, 120)})`);
      }
      if (parent && inHostMnt(p.pid) && !inContainer.has(p.pid) && inContainer.has(parent.pid) && !inHostMnt(parent.pid) && !SHIM.test(parent.comm ?? '')) {
        add(p.pid, `host process with a container parent: ${p.args.slice(0, 120)} runs in the host namespaces under ${parent.comm} ${parent.pid}, a process of a container`);
      }
    }
    return rows;
  },
});
