import { containerSubjects, subjectOf } from '../../src/analysis/subjects.js';
import { hostNamespaces, hostProcesses, processNamespaces } from '../../src/analysis/processes.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'escape.cgroup-anomaly',
    title: "Container process outside its container's cgroup",
    severity: 'MALICIOUS',
    group: 'escape',
    attack: ['T1611'],
    redFlag: true,
    description:
      "A process that lives in a container's namespaces (same mount namespace as the container's own processes) is not in that container's cgroup, or is in it for some controllers and not others. Runtimes place every container process — including `docker exec` ones — in the container's cgroup in every hierarchy; a process that left it escaped the container's resource limits, device rules and the monitoring that attributes activity by cgroup. Writing a pid into another cgroup's cgroup.procs needs root over the host's cgroupfs, which a container only has after an escape (or a privileged mount).",
    remediation: 'Identify the process (args, parent, start time) and how it was moved; treat the container and the host as compromised.',
  },
  run({ db }) {
    const host = hostNamespaces(db);
    const ns = processNamespaces(db);
    const procs = hostProcesses(db);
    const membership = db.prepare('select pid, container_id, lines_in_container, lines_total, file_id, locator from process_containers').all() as {
      pid: number; container_id: string; lines_in_container: number; lines_total: number; file_id: number; locator: string;
    }[];
    const membersByContainer = groupBy(membership, (m) => m.container_id);
    const cgLine = db.prepare('select file_id, locator, line_path from (select file_id, locator, path as line_path from proc_cgroup where pid = ? order by locator) limit 1');
    const rows: FindingRow[] = [];
    for (const c of containerSubjects(db)) {
      const members = membersByContainer.get(c.container_id) ?? [];
      // The container's own mount namespace: that of its members, when it is not the host's.
      const mnts = new Set(members.map((m) => ns.get(m.pid)?.get('mnt')?.inode).filter((i): i is string => !!i && i !== host.get('mnt')));
      if (mnts.size === 0) continue;
      for (const m of members) {
        if (m.lines_in_container < m.lines_total) {
          rows.push({
            ...subjectOf(c),
            key: `pid ${m.pid}`,
            reason: `pid ${m.pid}${procs.get(m.pid) ? ` (${procs.get(m.pid)!.args.slice(0, 120)})` : ''} is in the container's cgroup for ${m.lines_in_container} of its ${m.lines_total} cgroup lines: moved between cgroups in some hierarchies only`,
            file_id: m.file_id,
            locator: m.locator,
          });
        }
      }
      for (const [pid, pns] of ns) {
        const mnt = pns.get('mnt');
        if (!mnt || !mnts.has(mnt.inode) || members.some((m) => m.pid === pid)) continue;
        const p = procs.get(pid);
        const line = cgLine.get(pid) as { file_id: number; locator: string; line_path: string } | undefined;
        if (!line) continue; // no cgroup record for it: nothing to compare
        rows.push({
          ...subjectOf(c),
          key: `pid ${pid}`,
          reason: `pid ${pid}${p ? ` (${p.args.slice(0, 120)})` : ''} shares the container's mount namespace ${mnt.inode} but its cgroup is ${line.line_path}, not the container's`,
          file_id: line.file_id,
          locator: line.locator,
          evidence: [{ file_id: mnt.file_id, locator: mnt.locator }, ...(p ? [{ file_id: p.file_id, locator: p.locator }] : [])],
          first_seen: p?.start_utc ?? null,
        });
      }
    }
    return rows;
  },
});
