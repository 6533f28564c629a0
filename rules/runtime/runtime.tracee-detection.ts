import { defineRule } from '../../src/engine/rule.js';
import { commandLine } from '../../src/ingest/runtime/normalise.js';
import { groupFinding, groupRuntimeEvents, notKubeletExec, whenText } from '../../src/ingest/runtime/event-groups.js';

export default defineRule({
  meta: {
    id: 'runtime.tracee-detection',
    title: 'Tracee detection',
    severity: 'SUSPICIOUS',
    group: 'runtime',
    attack: [],
    description:
      'Tracee\'s behavioural signatures (TRC-*) matched a sequence of kernel events, or a raw Tracee event shows a shell, tool, sensitive file or sensitive syscall in a container. Signature severity decides the finding\'s (3-4 high/critical → MALICIOUS, 1-2 → SUSPICIOUS, 0 → INFO); ATT&CK techniques come from the signature.',
    remediation:
      'Read the signature description and the triggering event in the evidence; confirm with the workload owner. Escape-class signatures (release_agent, docker socket abuse, kernel module loading, core_pattern) mean the node itself must be examined, not only the container.',
    falsePositives: 'Debugging tools (strace, gdb) trigger ptrace and anti-debugging signatures; node agents legitimately open runtime sockets.',
  },
  run({ db }) {
    return groupRuntimeEvents(db, `tool = 'tracee' and (signature_id is not null or indicator = 'signature' or (severity <> 'INFO' and ${notKubeletExec(db)}))`, "coalesce(signature_id, event_type, '')").map((g) => {
      const first = g.samples[0]!;
      const signature = first.indicator === 'signature';
      const name = signature ? `signature ${first.signature_id ?? ''} "${first.event_type}"${first.priority !== null ? ` (severity ${first.priority})` : ''}`.replace('  ', ' ') : `event ${first.event_type} (${first.indicator})`;
      const what = [commandLine(first.process, first.arguments), first.file_path ?? first.remote].filter(Boolean).join(' → ');
      return groupFinding(
        g,
        `Tracee ${name} ${whenText(g)}${what ? `; first by ${what}` : ''}${signature && first.output ? ` — ${first.output}` : ''}`,
        ['time', 'signature', 'event', 'severity', 'process', 'arguments', 'file / connection'],
        (s) => [s.time, s.signature_id, s.event_type, s.priority, s.process, s.arguments, s.file_path ?? s.remote],
      );
    });
  },
});
