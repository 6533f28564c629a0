import { commandText, containerSubjects, fieldLocator, subjectOf } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { groupBy } from '../../src/util/group-by.js';

/** Host paths whose modification is persistence or privilege on the host. */
const HOST_TARGETS = /^\/(?:etc\/(?:cron[^/]*|crontab|passwd|shadow|group|sudoers(?:\.d)?|systemd|init\.d|rc\.local|ld\.so\.preload|profile\.d|ssh)|root\/\.ssh|home\/[^/]+\/\.ssh|var\/spool\/cron|usr\/(?:local\/)?s?bin|s?bin|lib\/systemd|usr\/lib\/systemd|var\/lib\/kubelet)(?:\/|$)/;
const WRITE = String.raw`(?:>>?|\btee\s+(?:-a\s+)?|\bcp\s+(?:-\S+\s+)*\S+\s+|\bmv\s+(?:-\S+\s+)*\S+\s+|\binstall\s+(?:-\S+\s+)*\S+\s+|\bln\s+(?:-\S+\s+)*\S+\s+|\bchmod\s+\S+\s+|\bchown\s+\S+\s+|\btouch\s+|\bmkdir\s+(?:-p\s+)?)`;

export default defineRule({
  meta: {
    id: 'escape.host-write-from-container',
    title: 'Container writes into host paths through a bind mount',
    severity: 'MALICIOUS',
    group: 'escape',
    attack: ['T1611'],
    redFlag: true,
    description:
      "A container has a host directory bind-mounted read-write, and its evidence shows writes through that mount to host persistence or privilege paths: cron tables, root's or a user's SSH keys, systemd units, /etc/passwd or sudoers, system binary directories. Writes through a bind mount land on the host itself — the container's docker diff does not show them — so the evidence is the container's command or live processes writing to <mount>/<host path>, or diff entries under the mount destination. A container that was only created (never started) has shown the intent but not done it: reported SUSPICIOUS.",
    remediation: 'Inspect the host files (cron, authorized_keys, units, binaries) for what the container wrote, remove the mount, and treat the host as compromised if the container ran.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const mounts = db.prepare("select container_row, source, destination, locator from container_mounts where type in ('bind', 'hostPath') and read_only = 0 and source is not null and destination is not null").all() as {
      container_row: number; source: string; destination: string; locator: string;
    }[];
    const mountsByContainer = groupBy(mounts, (m) => m.container_row);
    const diffs = db.prepare("select change, path, file_id, locator from container_diffs where container_id = ? and change in ('A', 'C')");
    const live = db.prepare('select p.pid, p.args, p.file_id, p.locator, p.start_utc from process_containers pc join host_processes p on p.pid = pc.pid where pc.container_id = ?');
    for (const c of containerSubjects(db)) {
      const containerMounts = mountsByContainer.get(c.id);
      if (!containerMounts) continue;
      const ran = c.started_at !== null || c.state === 'running' || c.state === 'exited';
      // What the container ran and changed, read once for all its mounts.
      const text = commandText(c);
      const processes = live.all(c.container_id) as { pid: number; args: string; file_id: number; locator: string; start_utc: string | null }[];
      const changes = diffs.all(c.container_id) as { change: string; path: string; file_id: number; locator: string }[];
      for (const m of containerMounts) {
        const dest = m.destination.replace(/\/+$/, '');
        const hostPath = (inner: string) => `${m.source.replace(/\/+$/, '')}${inner}` || '/';
        const targets: { via: string; inner: string; file_id: number; locator: string; when: string | null }[] = [];
        const re = new RegExp(`${WRITE}\\s*["']?${dest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/[^\\s"';|&)]*)`, 'g');
        for (const hit of text.matchAll(re)) targets.push({ via: 'command', inner: hit[1]!, file_id: c.file_id, locator: fieldLocator(c, 'command'), when: c.started_at });
        for (const p of processes) {
          for (const hit of p.args.matchAll(re)) targets.push({ via: `process ${p.pid}`, inner: hit[1]!, file_id: p.file_id, locator: p.locator, when: p.start_utc });
        }
        for (const d of changes) {
          if (d.path.startsWith(`${dest}/`)) targets.push({ via: 'docker diff', inner: d.path.slice(dest.length), file_id: d.file_id, locator: d.locator, when: null });
        }
        for (const t of targets) {
          const target = hostPath(t.inner);
          if (!HOST_TARGETS.test(target)) continue;
          rows.push({
            ...subjectOf(c),
            key: target,
            reason: `${t.via} writes ${dest}${t.inner}, which is host path ${target} (bind mount ${m.source} -> ${m.destination}, read-write)` +
              (ran ? '' : '; the container was created but never started: intent, not yet a write'),
            severity: ran ? null : 'SUSPICIOUS',
            red_flag: ran,
            file_id: t.file_id,
            locator: t.locator,
            evidence: [{ file_id: c.file_id, locator: m.locator }],
            first_seen: t.when,
          });
        }
      }
    }
    return rows;
  },
});
