import { containerSubjects, fieldLocator, subjectOf } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';

/** Capability bit numbers (linux/capability.h) of the names config may call dangerous. */
const CAP_BITS: Record<string, number> = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7, SETPCAP: 8, LINUX_IMMUTABLE: 9,
  NET_BIND_SERVICE: 10, NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13, IPC_LOCK: 14, IPC_OWNER: 15, SYS_MODULE: 16, SYS_RAWIO: 17,
  SYS_CHROOT: 18, SYS_PTRACE: 19, SYS_PACCT: 20, SYS_ADMIN: 21, SYS_BOOT: 22, SYS_NICE: 23, SYS_RESOURCE: 24, SYS_TIME: 25,
  SYS_TTY_CONFIG: 26, MKNOD: 27, LEASE: 28, AUDIT_WRITE: 29, AUDIT_CONTROL: 30, SETFCAP: 31, MAC_OVERRIDE: 32, MAC_ADMIN: 33,
  SYSLOG: 34, WAKE_ALARM: 35, BLOCK_SUSPEND: 36, AUDIT_READ: 37, PERFMON: 38, BPF: 39, CHECKPOINT_RESTORE: 40,
};

export default defineRule({
  meta: {
    id: 'correlate.config-vs-reality',
    title: 'Runtime state contradicts the container configuration',
    severity: 'MALICIOUS',
    group: 'escape',
    attack: ['T1611'],
    description:
      "What runs in a container's cgroup contradicts what the container is configured to be: processes alive in the cgroup of a container the runtime reports as exited or created; a process without the seccomp filter although the container has one; a process holding a dangerous capability (SYS_ADMIN, SYS_MODULE, ...) the container was never granted; uid 0 in a container configured to run as a non-root user. The runtime cannot produce these states — a process entered from outside (nsenter, a host process attached to the cgroup) or the configuration was altered after the fact. Compares container configuration with host/proc-status.tsv, proc-cgroup.tsv and processes.tsv.",
    remediation: 'Preserve the host, then identify each process (parent, start time, executable) and how it entered the container; compare the runtime configuration on disk with the inspect output.',
    falsePositives: '`docker exec -u 0` into a non-root container gives a root process legitimately (the uid check); confirm with the operator.',
  },
  run({ db, config }) {
    const dangerous = new Set(config.dangerous_capabilities.filter((c) => c !== 'ALL'));
    const rows: FindingRow[] = [];
    const procs = db.prepare(
      `select pc.pid, p.args, p.start_utc, p.file_id as p_file, p.locator as p_loc, st.euid, st.cap_eff, st.seccomp, st.file_id as s_file, st.locator as s_loc
         from process_containers pc left join host_processes p on p.pid = pc.pid left join proc_status st on st.pid = pc.pid
        where pc.container_id = ? and pc.lines_in_container = pc.lines_total order by pc.pid`,
    );
    const added = db.prepare("select capability from container_capabilities where container_row = ? and action = 'add'");
    for (const c of containerSubjects(db)) {
      const live = procs.all(c.container_id) as {
        pid: number; args: string | null; start_utc: string | null; p_file: number | null; p_loc: string | null;
        euid: number | null; cap_eff: string | null; seccomp: number | null; s_file: number | null; s_loc: string | null;
      }[];
      if (live.length === 0) continue;
      const grants = new Set((added.all(c.id) as { capability: string }[]).map((r) => r.capability));
      const who = (p: (typeof live)[number]) => `pid ${p.pid}${p.args ? ` (${p.args.slice(0, 100)})` : ''}`;
      const base = subjectOf(c);
      const user = (c.user ?? '').split(':')[0]!;
      if (c.state && c.state !== 'running' && c.state !== 'paused' && c.state !== 'restarting') {
        for (const p of live) {
          rows.push({ ...base, key: 'state', reason: `${who(p)} is alive in the cgroup of a container the runtime reports as ${c.state}`, file_id: p.p_file ?? c.file_id, locator: p.p_loc ?? c.locator, evidence: [{ file_id: c.file_id, locator: `${c.locator}/State` }], first_seen: p.start_utc });
        }
      }
      for (const p of live) {
        if (p.seccomp === 0 && !c.privileged && c.seccomp_profile !== 'unconfined' && c.runtime !== 'containerd') {
          rows.push({ ...base, key: 'seccomp', reason: `${who(p)} runs without seccomp (Seccomp: 0) although the container is configured with ${c.seccomp_profile ?? 'the runtime default profile'}`, file_id: p.s_file!, locator: p.s_loc, evidence: [{ file_id: c.file_id, locator: fieldLocator(c, 'seccomp_profile') }], first_seen: p.start_utc });
        }
        if (p.cap_eff && /^[0-9a-f]+$/i.test(p.cap_eff) && !c.privileged) {
          const mask = BigInt(`0x${p.cap_eff}`);
          const extra = [...dangerous].filter((cap) => CAP_BITS[cap] !== undefined && (mask >> BigInt(CAP_BITS[cap]!)) & 1n && !grants.has(cap));
          if (extra.length > 0) {
            rows.push({ ...base, key: 'capabilities', reason: `${who(p)} holds ${extra.join(', ')} (CapEff ${p.cap_eff}) that the container was not granted`, file_id: p.s_file!, locator: p.s_loc, evidence: [{ file_id: c.file_id, locator: fieldLocator(c, 'privileged') }], first_seen: p.start_utc });
          }
        }
        if (p.euid === 0 && user !== '' && user !== '0' && user !== 'root') {
          rows.push({ ...base, key: 'user', reason: `${who(p)} runs as uid 0 although the container is configured to run as ${c.user}`, file_id: p.s_file!, locator: p.s_loc, evidence: [{ file_id: c.file_id, locator: fieldLocator(c, 'user') }], first_seen: p.start_utc });
        }
      }
    }
    return rows;
  },
});
