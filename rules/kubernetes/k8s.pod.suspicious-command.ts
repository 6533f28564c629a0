import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { argvText } from '../../src/analysis/subjects.js';
import { hostilePatterns, patternsByIds } from '../../src/patterns/command-patterns.js';

interface Row {
  subject_kind: string;
  subject_name: string;
  subject_namespace: string | null;
  subject_id: string | null;
  owner_desc: string;
  created: string | null;
  container: string;
  container_type: string;
  image: string | null;
  file_id: number;
}

/** Specs that k8s.workload.persistence reports (DaemonSets, CronJobs and their pods, static pods). */
const NOT_PERSISTENCE = `s.reportable = 1 and s.kind not in ('DaemonSet', 'CronJob')
  and coalesce(s.workload_kind, '') not in ('DaemonSet', 'CronJob') and coalesce(s.owner_kind, '') not in ('Node', 'DaemonSet')`;

const SUBJECT = `s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.owner_desc, s.created,
                 c.name as container, c.container_type, c.image, c.file_id`;

function containerWord(type: string): string {
  return type === 'init' ? 'init container' : type === 'ephemeral' ? 'ephemeral container' : 'container';
}

export default defineRule({
  meta: {
    id: 'k8s.pod.suspicious-command',
    title: 'Pod container command downloads and runs code, opens a reverse shell or mines',
    severity: 'MALICIOUS',
    group: 'kubernetes',
    attack: ['T1059', 'T1496', 'T1610'],
    description:
      "A pod or workload template whose container command and arguments, or an exec probe or lifecycle hook the kubelet runs in it, match an attacker pattern: a script piped from the network into a shell, a reverse shell, a base64 blob decoded and run, a miner or mining pool, or an SSH key written into authorized_keys (src/patterns/command-patterns.ts). It is how cryptojacking and backdoor workloads are deployed with a stolen credential; a hostile liveness probe comes back every period with nothing in the container's own command to give it away. DaemonSets, CronJobs and static pods are reported by k8s.workload.persistence instead.",
    remediation:
      "Preserve the pod (kubectl get -o yaml, the node's container state), then scale the workload to zero or delete it; find who created or changed it in the audit log, block the destination it contacts, and rotate what its service account and mounts exposed.",
    falsePositives: 'Vendor images that fetch an install script at start-up (curl | sh): check the URL and the owner.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const subject = (r: Row) => ({
      subject_kind: r.subject_kind,
      subject_name: r.subject_name,
      subject_namespace: r.subject_namespace,
      subject_id: r.subject_id,
      subject_container: r.container,
      subject_image: r.image,
      first_seen: r.created,
    });
    const commands = db
      .prepare(
        `select ${SUBJECT}, c.command, c.args, coalesce(json_extract(c.field_locators, '$.command'), c.locator) as locator
           from k8s_spec_subjects s join k8s_containers c on c.spec_id = s.id
          where ${NOT_PERSISTENCE} and (c.command is not null or c.args is not null)
          order by s.id, c.id`,
      )
      .all() as (Row & { command: string | null; args: string | null; locator: string })[];
    for (const r of commands) {
      const text = argvText(r.command, r.args);
      for (const p of hostilePatterns(text)) {
        rows.push({
          ...subject(r),
          key: `command:${p.id}`,
          reason: `${r.owner_desc}: ${containerWord(r.container_type)} ${r.container} runs "${text.slice(0, 300)}": ${p.description} [${p.id}]`,
          file_id: r.file_id,
          locator: r.locator,
        });
      }
    }
    const execs = db
      .prepare(
        `select ${SUBJECT}, x.purpose, x.command as argv, x.hostile_patterns, x.locator
           from k8s_container_execs x join k8s_containers c on c.id = x.container_id join k8s_spec_subjects s on s.id = c.spec_id
          where ${NOT_PERSISTENCE} and x.hostile_patterns is not null
          order by s.id, c.id, x.purpose`,
      )
      .all() as (Row & { purpose: string; argv: string; hostile_patterns: string; locator: string })[];
    for (const r of execs) {
      const text = argvText(r.argv);
      for (const p of patternsByIds(r.hostile_patterns)) {
        rows.push({
          ...subject(r),
          key: `${r.purpose}:${p.id}`,
          reason: `${r.owner_desc}: ${containerWord(r.container_type)} ${r.container}'s ${r.purpose} makes the kubelet run "${text.slice(0, 300)}": ${p.description} [${p.id}]`,
          file_id: r.file_id,
          locator: r.locator,
        });
      }
    }
    return rows;
  },
});
