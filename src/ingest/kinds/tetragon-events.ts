import { z } from 'zod';
import { classifyActivity } from '../runtime/classify.js';
import { detectRuntimeHead, emptyEvent, ingestRuntimeLines, type LineVerdict } from '../runtime/event-writer.js';
import { commandLine, integer, isoMicros, normaliseContainerId, text } from '../runtime/normalise.js';
import type { Ingester } from '../types.js';

// Tetragon's JSON export (`tetra getevents -o json`, /var/log/tetragon/tetragon.log, the
// export-stdout container): one GetEventsResponse per line, keyed by event type, with node_name
// and time beside it. Only the fields read below are typed; the rest stays in the file.
const Pod = z.looseObject({
  namespace: z.string().nullish(),
  name: z.string().nullish(),
  container: z
    .looseObject({
      id: z.string().nullish(),
      name: z.string().nullish(),
      image: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
const Process = z.looseObject({
  pid: z.number().nullish(),
  uid: z.number().nullish(),
  binary: z.string().nullish(),
  arguments: z.string().nullish(),
  pod: Pod.nullish(),
  docker: z.string().nullish(),
  in_init_tree: z.boolean().nullish(),
});
const Body = z.looseObject({
  process: Process.nullish(),
  parent: Process.nullish(),
  function_name: z.string().nullish(),
  subsys: z.string().nullish(),
  event: z.string().nullish(),
  args: z.array(z.unknown()).nullish(),
  policy_name: z.string().nullish(),
  action: z.string().nullish(),
  status: z.number().nullish(),
  signal: z.string().nullish(),
});

/** Top-level keys that are not the event itself. */
const ENVELOPE = new Set(['node_name', 'time', 'cluster_name', 'node_labels', 'aggregation_info']);

/** The event type of a Tetragon export line: its one `process_*` (or other) key. */
function eventType(o: Record<string, unknown>): string | undefined {
  for (const key in o) {
    if (!ENVELOPE.has(key) && typeof o[key] === 'object' && o[key] !== null) return key;
  }
  return undefined;
}

function looksLikeTetragon(o: Record<string, unknown>): boolean {
  if (!('node_name' in o || 'time' in o)) return false;
  const type = eventType(o);
  return type !== undefined && /^process_[a-z_]+$/.test(type);
}

/** Tetragon JSON events: process_exec, process_exit, process_kprobe, process_tracepoint, ... */
export const tetragonEvents: Ingester = {
  kind: 'tetragon-events',
  description: 'Tetragon JSON events (tetra getevents -o json, export log, export-stdout pod logs)',
  evidenceCopy: 'tetragon-events.json',
  detect: (head) => detectRuntimeHead(head, looksLikeTetragon),
  async ingest(source, ctx) {
    await ingestRuntimeLines(source, ctx, { tool: 'tetragon', kind: 'tetragon-events', parse: parseTetragonEvent });
  },
};

type TetragonProcess = z.infer<typeof Process>;

export function parseTetragonEvent(object: Record<string, unknown>): LineVerdict {
  if (!looksLikeTetragon(object)) return { kind: 'other' };
  const type = eventType(object)!;
  const parsed = Body.safeParse(object[type]);
  if (!parsed.success) return { kind: 'invalid', reason: `Tetragon event(s) with unexpected field types: ${type}.${parsed.error.issues[0]?.path.join('.')}` };
  const b = parsed.data;
  const p: TetragonProcess = b.process ?? {};
  const e = emptyEvent();
  e.time = isoMicros(object.time);
  e.event_type = type;
  e.node = text(object.node_name);
  e.process = p.binary ?? null;
  e.pid = integer(p.pid);
  e.user = text(p.uid);
  e.arguments = p.arguments ?? null;
  e.parent = b.parent?.binary ?? null;
  const pod = p.pod;
  e.container_id = normaliseContainerId(pod?.container?.id) ?? normaliseContainerId(p.docker);
  e.container_name = pod?.container?.name ?? null;
  e.image = pod?.container?.image?.name ?? null;
  e.pod = pod?.name ?? null;
  e.namespace = pod?.namespace ?? null;
  e.policy = b.policy_name ?? null;
  e.action = b.action ?? null;
  if (b.function_name) e.hook = b.function_name;
  else if (b.subsys || b.event) e.hook = `${b.subsys ?? ''}/${b.event ?? ''}`;
  const args = describeArgs(b.args);
  e.file_path = args.path;
  e.remote = args.remote;
  e.output = summary(type, e, b);

  if (type === 'process_exit') return { kind: 'event', event: e }; // the exec already told the story
  const inContainer = e.container_id !== null || e.pod !== null;
  const found = classifyActivity({ process: e.process, arguments: e.arguments, filePath: e.file_path, hook: e.hook, isExec: type === 'process_exec' });
  if (found && (inContainer || found.anywhere)) {
    e.severity = 'SUSPICIOUS';
    e.indicator = found.indicator;
    e.attack = found.attack;
    if (found.indicator === 'shell' && p.in_init_tree === false) e.output = `${e.output} (exec'd into the container from outside its init tree)`;
  } else if (found) {
    e.indicator = found.indicator; // on the host: kept for the timeline, not raised
    e.attack = found.attack;
  }
  if (/SIGKILL|OVERRIDE|NOTIFY_?ENFORCER/i.test(e.action ?? '')) {
    // An enforcement policy acted: the kernel stopped something the operator had forbidden.
    e.severity = 'SUSPICIOUS';
    e.indicator = 'enforcement';
  }
  return { kind: 'event', event: e };
}

/** The file and remote endpoint among kprobe/tracepoint arguments (file_arg, path_arg, sock_arg, ...). */
function describeArgs(args: unknown[] | null | undefined): { path: string | null; remote: string | null } {
  let path: string | null = null;
  let remote: string | null = null;
  for (const arg of args ?? []) {
    if (typeof arg !== 'object' || arg === null) continue;
    for (const [key, value] of Object.entries(arg as Record<string, unknown>)) {
      if (path === null && /^(file|path|linux_binprm)_arg$/.test(key) && typeof value === 'object' && value !== null) {
        path = text((value as { path?: unknown }).path);
      } else if (path === null && key === 'string_arg' && typeof value === 'string' && value.startsWith('/')) {
        path = value;
      } else if (remote === null && (key === 'sock_arg' || key === 'sockaddr_arg' || key === 'skb_arg') && typeof value === 'object' && value !== null) {
        const s = value as { daddr?: unknown; dport?: unknown; addr?: unknown; port?: unknown };
        const addr = text(s.daddr) ?? text(s.addr);
        const port = text(s.dport) ?? text(s.port);
        if (addr) remote = port ? `${addr}:${port}` : addr;
      }
    }
  }
  return { path, remote };
}

function summary(type: string, e: { process: string | null; arguments: string | null; hook: string | null; file_path: string | null; remote: string | null }, b: z.infer<typeof Body>): string {
  const cmd = commandLine(e.process, e.arguments);
  switch (type) {
    case 'process_exec':
      return `exec ${cmd}`;
    case 'process_exit':
      return `exit ${cmd}${b.signal ? ` (${b.signal})` : b.status !== null && b.status !== undefined ? ` (status ${b.status})` : ''}`;
    default:
      return [type.replace(/^process_/, ''), e.hook, e.file_path ?? e.remote, 'by', cmd].filter(Boolean).join(' ');
  }
}
