import { defineRule } from '../../src/engine/rule.js';
import { commandLine } from '../../src/ingest/runtime/normalise.js';
import { groupFinding, groupRuntimeEvents, whenText } from '../../src/ingest/runtime/event-groups.js';

export default defineRule({
  meta: {
    id: 'runtime.falco-alert',
    title: 'Falco alert',
    severity: 'SUSPICIOUS',
    group: 'runtime',
    attack: [],
    description:
      'Falco watched the kernel while the workload ran and one of its rules matched: this is what actually happened inside the container or on the node, not a configuration that might be abused. Severity follows the Falco priority (Emergency, Alert, Critical → MALICIOUS; Error, Warning → SUSPICIOUS; Notice and lower → INFO); ATT&CK techniques come from the rule\'s tags. Alerts of one rule on one container, pod or host are reported together.',
    remediation:
      'Read the alert lines (evidence) and the process, parent and command line they name; confirm with the workload owner whether the activity was expected. For anything unexplained, isolate the pod or container (keep it for memory and filesystem capture), rotate credentials it could reach, and look for the same rule on other nodes.',
    falsePositives:
      'Interactive debugging (kubectl exec) triggers shell and sensitive-file rules; package managers and configuration agents trigger write rules. Falco rule exceptions or local overrides are the place to tune them.',
  },
  run({ db }) {
    return groupRuntimeEvents(db, "tool = 'falco'", 'event_type').map((g) => {
      const first = g.samples[0];
      const priorities = [...new Set(g.samples.map((s) => s.priority))].join('/');
      const what = first?.output ?? (first ? commandLine(first.process, first.arguments) : '');
      return groupFinding(
        g,
        `Falco rule "${g.key}" (priority ${priorities}) fired ${whenText(g)}${what ? `; first: ${what}` : ''}`,
        ['time', 'priority', 'process', 'parent', 'command', 'file / connection', 'user'],
        (s) => [s.time, s.priority, s.process, s.parent, s.arguments, s.file_path ?? s.remote, s.user],
      );
    });
  },
});
