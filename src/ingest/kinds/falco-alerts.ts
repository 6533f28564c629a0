import { z } from 'zod';
import { attackFromTags, falcoSeverity } from '../runtime/classify.js';
import { detectRuntimeHead, emptyEvent, ingestRuntimeLines, toolMessage, type LineVerdict } from '../runtime/event-writer.js';
import { integer, isoMicros, normaliseContainerId, text } from '../runtime/normalise.js';
import type { Ingester } from '../types.js';

// Falco's JSON alert (json_output: true), as written to stdout, file_output, program_output and
// journald: time, rule, priority, output, source, hostname, tags, output_fields (the %fields of
// the rule's output). Older Falco omits hostname/source/tags; everything else is kept loose.
const FalcoAlert = z.looseObject({
  rule: z.string(),
  priority: z.string(),
  output: z.string().nullish(),
  time: z.string().nullish(),
  source: z.string().nullish(),
  hostname: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  output_fields: z.looseObject({}).nullish(), // keys are Falco field names; values as Falco typed them
});

const PRIORITY_WORDS = 'Emergency|Alert|Critical|Error|Warning|Notice|Informational|Info|Debug';
// An alert written with json_output: false: `18:26:58.470432404: Warning Docker or kubernetes client ...`.
const TEXT_ALERT = new RegExp(`^(\\d{2}:\\d{2}:\\d{2}\\.\\d+|\\d{4}-\\d{2}-\\d{2}T\\S+): (${PRIORITY_WORDS}) `);

function looksLikeAlert(o: Record<string, unknown>): boolean {
  return typeof o.rule === 'string' && typeof o.priority === 'string' && ('output' in o || 'output_fields' in o);
}

const isFalcoMessage = toolMessage('falco');

/** Falco JSON alerts: log and file_output files, journald (`journalctl -u falco`), pod logs. */
export const falcoAlerts: Ingester = {
  kind: 'falco-alerts',
  description: 'Falco JSON alerts (file output, journald, syslog or kubectl logs lines)',
  evidenceCopy: 'falco-alerts.log',
  detect: (head) => detectRuntimeHead(head, looksLikeAlert, isFalcoMessage),
  async ingest(source, ctx) {
    await ingestRuntimeLines(source, ctx, {
      tool: 'falco',
      kind: 'falco-alerts',
      parse: parseFalcoAlert,
      isToolMessage: isFalcoMessage,
      textProblem: (body) =>
        TEXT_ALERT.test(body) ? 'Falco alert line(s) in text form (json_output disabled): not parsed, read them in the file' : null,
    });
  },
};

export function parseFalcoAlert(object: Record<string, unknown>): LineVerdict {
  if (!looksLikeAlert(object)) return { kind: 'other' };
  const parsed = FalcoAlert.safeParse(object);
  if (!parsed.success) return { kind: 'invalid', reason: `Falco alert(s) with unexpected field types: ${parsed.error.issues[0]?.path.join('.')}` };
  const a = parsed.data;
  const f = a.output_fields ?? {};
  const time = isoMicros(a.time) ?? isoMicros(f['evt.time']) ?? isoMicros(f['evt.time.iso8601']) ?? isoMicros(f['evt.rawtime']);
  // Falco's own periodic records (metrics snapshots) show it was running; they are not alerts.
  if (a.rule.startsWith('Falco internal')) return { kind: 'tool-log', time };
  const e = emptyEvent();
  e.time = time;
  e.event_type = a.rule;
  e.priority = a.priority;
  e.severity = falcoSeverity(a.priority);
  e.indicator = 'falco-priority';
  e.hook = text(f['evt.type']);
  e.process = text(f['proc.exepath']) ?? text(f['proc.exe']) ?? text(f['proc.name']);
  e.pid = integer(f['proc.pid']);
  e.user = text(f['user.name']) ?? text(f['user.uid']) ?? text(f['ka.user.name']);
  e.parent = text(f['proc.pexepath']) ?? text(f['proc.pexe']) ?? text(f['proc.pname']);
  e.arguments = text(f['proc.cmdline']);
  e.container_id = normaliseContainerId(f['container.full_id']) ?? normaliseContainerId(f['container.id']);
  const containerName = text(f['container.name']);
  e.container_name = e.container_id !== null && containerName !== 'host' ? containerName : null;
  const repository = text(f['container.image.repository']);
  const tag = text(f['container.image.tag']);
  e.image = text(f['container.image']) ?? (repository ? (tag ? `${repository}:${tag}` : repository) : null);
  e.pod = text(f['k8s.pod.name']);
  e.namespace = text(f['k8s.ns.name']) ?? text(f['ka.target.namespace']);
  e.node = a.hostname ?? text(f['evt.hostname']);
  e.attack = attackFromTags(a.tags);
  const fd = text(f['fd.name']);
  const path = [fd, text(f['fs.path.name']), text(f['evt.arg.pathname']), text(f['evt.arg.path']), text(f['evt.arg.filename']), text(f['evt.arg.name'])].find(
    (p) => p?.startsWith('/'),
  );
  e.file_path = path ?? null;
  const rip = text(f['fd.rip']);
  e.remote = rip ? `${rip}${text(f['fd.rport']) ? `:${text(f['fd.rport'])}` : ''}` : fd?.includes('->') ? fd.slice(fd.indexOf('->') + 2) : null;
  e.output = a.output ?? null;
  return { kind: 'event', event: e };
}
