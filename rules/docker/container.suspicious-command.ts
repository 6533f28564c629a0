import { argvText, commandText, containerSubjects, fieldLocator, subjectOf } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { hostilePatterns, matchPatterns } from '../../src/patterns/command-patterns.js';

export default defineRule({
  meta: {
    id: 'container.suspicious-command',
    title: 'Container command downloads and runs code, opens a reverse shell or mines',
    severity: 'MALICIOUS',
    group: 'docker',
    attack: ['T1059', 'T1496'],
    description:
      "A container's entrypoint, command or arguments (or the live arguments of a process in its cgroup, or the HEALTHCHECK docker runs in it) match an attacker pattern: a script piped from the network into a shell, netcat / bash / socat reverse shells, a base64 blob decoded and executed, a cryptocurrency miner or mining pool, or an SSH key written into authorized_keys. Legitimate images do not start this way; it is how cryptojacking and backdoor containers are launched through an exposed API or a stolen credential. Patterns: src/patterns/command-patterns.ts.",
    remediation: 'Stop and preserve the container (docker export / checkpoint the upperdir), find who created it (daemon logs, audit log) and how they reached the API, and block the destination it contacts.',
    falsePositives: 'Install scripts run at start-up by some vendor images (curl | sh); check the URL and owner.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const containers = containerSubjects(db);
    for (const c of containers) {
      const text = commandText(c);
      for (const p of matchPatterns(text, 'container')) {
        rows.push({
          ...subjectOf(c),
          key: p.id,
          reason: `${p.description} [${p.id}]: ${text.slice(0, 300)}`,
          file_id: c.file_id,
          locator: fieldLocator(c, c.command && c.command !== 'null' ? 'command' : 'entrypoint'),
          first_seen: c.started_at,
        });
      }
      // The HEALTHCHECK docker runs in it every interval: only hostile patterns count (health
      // checks call curl and wget by design).
      const health = argvText(c.healthcheck);
      for (const p of health ? hostilePatterns(health) : []) {
        rows.push({
          ...subjectOf(c),
          key: `healthcheck:${p.id}`,
          reason: `its HEALTHCHECK, which docker runs in it at every interval: ${p.description} [${p.id}]: ${health.slice(0, 300)}`,
          file_id: c.file_id,
          locator: fieldLocator(c, 'healthcheck'),
          first_seen: c.started_at,
        });
      }
    }
    // Live processes in a container's cgroup: what runs now, including `docker exec`ed commands.
    const live = db
      .prepare(
        `select s.id, p.pid, p.args, p.start_utc, p.file_id, p.locator from process_containers pc
           join container_subjects s on s.container_id = pc.container_id
           join host_processes p on p.pid = pc.pid order by s.id, p.pid`,
      )
      .all() as { id: number; pid: number; args: string; start_utc: string | null; file_id: number; locator: string }[];
    const byId = new Map(containers.map((c) => [c.id, c]));
    for (const l of live) {
      const c = byId.get(l.id)!;
      for (const p of matchPatterns(l.args, 'container')) {
        rows.push({ ...subjectOf(c), key: p.id, reason: `process ${l.pid} runs it: ${p.description} [${p.id}]: ${l.args.slice(0, 300)}`, file_id: l.file_id, locator: l.locator, first_seen: l.start_utc });
      }
    }
    return rows;
  },
});
