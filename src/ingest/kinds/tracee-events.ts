import { z } from 'zod';
import { classifyActivity, traceeSeverity, traceeSeverityLevel } from '../runtime/classify.js';
import { detectRuntimeHead, emptyEvent, ingestRuntimeLines, toolMessage, type LineVerdict, type RuntimeEvent } from '../runtime/event-writer.js';
import { commandLine, integer, isoMicros, normaliseContainerId, text } from '../runtime/normalise.js';
import type { Ingester } from '../types.js';

// Tracee writes JSON lines in two schemas:
//  - legacy `trace.Event` (camelCase): timestamp (ns), processName, hostName, containerId or
//    container{id,name,image}, kubernetes{podName,podNamespace}, eventName, args[{name,type,value}],
//    and for signature findings metadata{Description, Properties{signatureID, signatureName,
//    Severity, external_id, Technique, Category}};
//  - `tracee.v1beta1.Event` (snake_case): timestamp (RFC 3339), id, name, policies{matched},
//    workload{process{executable{path}, host_pid, pid, real_user{id}, thread{name, syscall},
//    ancestors}, container{id, name, image{name}}, k8s{pod{name}, namespace{name}}},
//    data[{name, value}], threat{description, mitre{tactic, technique{id}}, severity, name, properties}.
const Arg = z.looseObject({ name: z.string().nullish(), value: z.unknown() });
const Legacy = z.looseObject({
  timestamp: z.number(),
  eventName: z.string(),
  processName: z.string().nullish(),
  hostName: z.string().nullish(),
  hostProcessId: z.number().nullish(),
  userId: z.number().nullish(),
  executable: z.looseObject({ path: z.string().nullish() }).nullish(),
  containerId: z.string().nullish(),
  containerName: z.string().nullish(),
  containerImage: z.string().nullish(),
  podName: z.string().nullish(),
  podNamespace: z.string().nullish(),
  container: z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), image: z.string().nullish() }).nullish(),
  kubernetes: z.looseObject({ podName: z.string().nullish(), podNamespace: z.string().nullish() }).nullish(),
  matchedPolicies: z.array(z.string()).nullish(),
  syscall: z.string().nullish(),
  args: z.array(Arg).nullish(),
  metadata: z
    .looseObject({ Description: z.string().nullish(), Tags: z.array(z.string()).nullish(), Properties: z.record(z.string(), z.unknown()).nullish() })
    .nullish(),
});
const V1Process = z.looseObject({
  executable: z.looseObject({ path: z.string().nullish() }).nullish(),
  host_pid: z.number().nullish(),
  pid: z.number().nullish(),
  real_user: z.looseObject({ id: z.number().nullish() }).nullish(),
  thread: z.looseObject({ name: z.string().nullish(), syscall: z.string().nullish() }).nullish(),
});
const V1Beta1 = z.looseObject({
  timestamp: z.union([z.string(), z.number()]),
  name: z.string(),
  policies: z.looseObject({ matched: z.array(z.string()).nullish() }).nullish(),
  workload: z
    .looseObject({
      process: V1Process.extend({ ancestors: z.array(V1Process).nullish() }).nullish(),
      container: z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), image: z.looseObject({ name: z.string().nullish() }).nullish() }).nullish(),
      k8s: z.looseObject({ pod: z.looseObject({ name: z.string().nullish() }).nullish(), namespace: z.looseObject({ name: z.string().nullish() }).nullish() }).nullish(),
    })
    .nullish(),
  data: z.array(Arg).nullish(),
  threat: z
    .looseObject({
      description: z.string().nullish(),
      name: z.string().nullish(),
      severity: z.union([z.number(), z.string()]).nullish(),
      mitre: z
        .looseObject({
          tactic: z.looseObject({ name: z.string().nullish() }).nullish(),
          technique: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
        })
        .nullish(),
      properties: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});

function isLegacy(o: Record<string, unknown>): boolean {
  return typeof o.eventName === 'string' && 'timestamp' in o && ('processName' in o || 'args' in o || 'hostName' in o);
}

function isV1Beta1(o: Record<string, unknown>): boolean {
  return typeof o.name === 'string' && 'timestamp' in o && (typeof o.workload === 'object' || typeof o.threat === 'object');
}

const isTraceeMessage = toolMessage('tracee');

/** Tracee events and signature detections, legacy and v1beta1 JSON, from files, journald or pod logs. */
export const traceeEvents: Ingester = {
  kind: 'tracee-events',
  description: 'Tracee JSON events and signature detections (legacy trace.Event and v1beta1 schemas)',
  evidenceCopy: 'tracee-events.json',
  detect: (head) => detectRuntimeHead(head, (o) => isLegacy(o) || isV1Beta1(o), isTraceeMessage),
  async ingest(source, ctx) {
    const schemas = new Set<string>();
    await ingestRuntimeLines(source, ctx, {
      tool: 'tracee',
      kind: 'tracee-events',
      parse(object) {
        const verdict = parseTraceeEvent(object);
        if (verdict.kind === 'event') schemas.add(isLegacy(object) ? 'legacy' : 'v1beta1');
        return verdict;
      },
      // Tracee's own logs are JSON too ({"level":"info","ts":...,"msg":...}).
      isToolMessage: isTraceeMessage,
      schema: () => [...schemas].sort().join('+') || null,
    });
  },
};

export function parseTraceeEvent(object: Record<string, unknown>): LineVerdict {
  if (isLegacy(object)) return legacyEvent(object);
  if (isV1Beta1(object)) return v1beta1Event(object);
  if (typeof object.level === 'string' && typeof object.msg === 'string') return { kind: 'tool-log', time: isoMicros(object.ts) };
  return { kind: 'other' };
}

function legacyEvent(object: Record<string, unknown>): LineVerdict {
  const parsed = Legacy.safeParse(object);
  if (!parsed.success) return { kind: 'invalid', reason: `Tracee event(s) with unexpected field types: ${parsed.error.issues[0]?.path.join('.')}` };
  const t = parsed.data;
  const e = emptyEvent();
  e.time = isoMicros(t.timestamp);
  e.hook = t.eventName;
  e.event_type = t.eventName;
  e.process = t.executable?.path || t.processName || null;
  e.pid = integer(t.hostProcessId);
  e.user = text(t.userId);
  e.container_id = normaliseContainerId(t.container?.id ?? t.containerId);
  e.container_name = t.container?.name || t.containerName || null;
  e.image = t.container?.image || t.containerImage || null;
  e.pod = t.kubernetes?.podName || t.podName || null;
  e.namespace = t.kubernetes?.podNamespace || t.podNamespace || null;
  // hostName is the UTS name of the process: the node's only outside containers.
  e.node = e.container_id === null ? (t.hostName ?? null) : null;
  e.policy = t.matchedPolicies?.join(',') || null;
  applyArgs(e, t.args);
  const props = t.metadata?.Properties;
  if (t.metadata && props && ('signatureID' in props || 'Severity' in props)) {
    const level = traceeSeverityLevel(props.Severity);
    e.signature_id = text(props.signatureID);
    e.event_type = text(props.signatureName) ?? t.eventName;
    e.priority = level === null ? null : String(level);
    e.severity = traceeSeverity(level);
    e.indicator = 'signature';
    e.attack = techniques(text(props.external_id));
    e.output = t.metadata.Description ?? null;
    return { kind: 'event', event: e };
  }
  return { kind: 'event', event: classify(e, t.eventName) };
}

function v1beta1Event(object: Record<string, unknown>): LineVerdict {
  const parsed = V1Beta1.safeParse(object);
  if (!parsed.success) return { kind: 'invalid', reason: `Tracee v1beta1 event(s) with unexpected field types: ${parsed.error.issues[0]?.path.join('.')}` };
  const t = parsed.data;
  const w = t.workload;
  const p = w?.process;
  const e = emptyEvent();
  e.time = isoMicros(t.timestamp);
  e.hook = t.name;
  e.event_type = t.name;
  e.process = p?.executable?.path || p?.thread?.name || null;
  e.pid = integer(p?.host_pid ?? p?.pid);
  e.user = text(p?.real_user?.id);
  const parent = p?.ancestors?.[0];
  e.parent = parent?.executable?.path || parent?.thread?.name || null;
  e.container_id = normaliseContainerId(w?.container?.id);
  e.container_name = w?.container?.name || null;
  e.image = w?.container?.image?.name || null;
  e.pod = w?.k8s?.pod?.name || null;
  e.namespace = w?.k8s?.namespace?.name || null;
  e.policy = t.policies?.matched?.join(',') || null;
  applyArgs(e, t.data);
  if (t.threat) {
    const level = traceeSeverityLevel(t.threat.severity);
    const props = t.threat.properties ?? {};
    e.signature_id = text(props.signatureID) ?? text(props.signature_id) ?? (/^TRC-/i.test(t.name) ? t.name : null);
    e.event_type = t.threat.name || text(props.signatureName) || t.name;
    e.priority = level === null ? null : String(level);
    e.severity = traceeSeverity(level);
    e.indicator = 'signature';
    e.attack = techniques(t.threat.mitre?.technique?.id ?? text(props.external_id));
    e.output = t.threat.description ?? null;
    return { kind: 'event', event: e };
  }
  return { kind: 'event', event: classify(e, t.name) };
}

function techniques(ids: string | null | undefined): string[] {
  return (ids ?? '').split(/[\s,]+/).filter((id) => /^T\d{4}(\.\d{3})?$/.test(id));
}

/** Arguments: command lines, file paths and remote endpoints, from either schema's name/value pairs. */
function applyArgs(e: RuntimeEvent, args: { name?: string | null; value?: unknown }[] | null | undefined): void {
  for (const arg of args ?? []) {
    const name = arg.name ?? '';
    const v = arg.value;
    if (name === 'argv' && Array.isArray(v)) e.arguments = v.map(String).join(' ');
    else if (/^(pathname|filename|path|file_path)$/.test(name) && typeof v === 'string' && v.startsWith('/')) {
      // The program an exec event starts (the event's process is the one that called exec).
      if (name === 'pathname' && /^(sched_process_exec|execve|execveat)$/.test(e.hook ?? '')) e.process = v;
      else e.file_path ??= v;
    } else if ((name === 'remote_addr' || name === 'addr') && typeof v === 'object' && v !== null) {
      const a = v as Record<string, unknown>;
      const host = text(a.sin_addr) ?? text(a.sin6_addr) ?? text(a.sun_path);
      const port = text(a.sin_port) ?? text(a.sin6_port);
      if (host) e.remote ??= port ? `${host}:${port}` : host;
    } else if (name === 'dst' && typeof v === 'string') e.remote ??= v;
    else if (name === 'dst_port' && e.remote && !e.remote.includes(':')) e.remote = `${e.remote}:${text(v) ?? ''}`;
  }
}

/** A raw (non-signature) Tracee event: suspicious when it shows a shell, tool, sensitive file or syscall in a container. */
function classify(e: RuntimeEvent, eventName: string): RuntimeEvent {
  const isExec = eventName === 'sched_process_exec' || eventName === 'execve' || eventName === 'execveat' || eventName === 'security_bprm_check';
  const found = classifyActivity({ process: e.process, arguments: e.arguments, filePath: e.file_path, hook: eventName, isExec });
  e.output = [eventName, e.file_path ?? e.remote, 'by', commandLine(e.process, e.arguments)].filter(Boolean).join(' ');
  if (!found) return e;
  e.indicator = found.indicator;
  e.attack = found.attack;
  if (e.container_id !== null || e.pod !== null || found.anywhere) e.severity = 'SUSPICIOUS';
  return e;
}
