import { defineRule } from '../../src/engine/rule.js';
import { commandLine } from '../../src/ingest/runtime/normalise.js';
import { groupFinding, groupRuntimeEvents, notKubeletExec, whenText } from '../../src/ingest/runtime/event-groups.js';

const WHAT: Record<string, string> = {
  shell: 'a shell started',
  'network-tool': 'a network tool ran',
  'escape-tool': 'a container-runtime or namespace tool ran',
  'sensitive-file': 'a sensitive file was touched',
  'sensitive-syscall': 'a sensitive syscall was made',
  'kernel-integrity': 'kernel integrity was tampered with',
  enforcement: 'a Tetragon enforcement policy acted',
};

export default defineRule({
  meta: {
    id: 'runtime.tetragon-event',
    title: 'Tetragon event: shell, network tool, sensitive file or syscall in a container',
    severity: 'SUSPICIOUS',
    group: 'runtime',
    attack: ['T1059', 'T1609'],
    description:
      'Tetragon recorded, from the kernel, a process in a container doing what attackers do after getting in: starting a shell, running download or scanning tools, runtime clients or namespace tools, reading credential files or the service account token, making namespace, mount, module or ptrace syscalls; or an enforcement policy killed a process. Events are grouped per container and per kind of activity and binary.',
    remediation:
      'Check the command lines and parents (evidence and table): an exec from outside the container\'s init tree is someone running commands in it (kubectl exec / docker exec). Confirm with the owner; if unexplained, isolate the pod, capture it, and rotate the credentials its files and token gave access to.',
    falsePositives:
      'Entrypoint scripts run shells and debugging sessions run anything: compare with the image\'s entrypoint. The pod\'s own exec probes and lifecycle hooks are left out when the bundle holds its spec (matched on pod, container and command line), unless the command looks hostile.',
  },
  run({ db }) {
    return groupRuntimeEvents(db, `tool = 'tetragon' and severity <> 'INFO' and ${notKubeletExec(db)}`, "indicator || ' ' || coalesce(process, hook, '')").map((g) => {
      const first = g.samples[0]!;
      const indicator = first.indicator ?? 'activity';
      const subject = first.indicator === 'enforcement' ? `policy ${first.policy ?? '?'} (${first.action})` : commandLine(first.process, first.arguments) || first.hook || '';
      const detail = first.file_path ?? first.remote ?? (first.hook && first.event_type !== 'process_exec' ? first.hook : null);
      return groupFinding(
        g,
        `Tetragon: ${WHAT[indicator] ?? indicator} — ${subject}${detail ? ` (${detail})` : ''}, ${first.event_type} ${whenText(g)}${first.output?.includes('init tree') ? "; exec'd from outside the container's init tree" : ''}`,
        ['time', 'event', 'indicator', 'process', 'parent', 'arguments', 'file / connection / hook', 'policy', 'action'],
        (s) => [s.time, s.event_type, s.indicator, s.process, s.parent, s.arguments, s.file_path ?? s.remote ?? s.hook, s.policy, s.action],
      );
    });
  },
});
