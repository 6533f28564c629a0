import type { Batch } from '../../case-db/case-db.js';
import type { EvidenceSource, Head } from '../source.js';
import { Confidence, type IngestContext } from '../types.js';
import type { RuntimeSeverity } from './classify.js';
import { parseObject, unwrapLine, type LineFormat } from './normalise.js';

export type RuntimeTool = 'falco' | 'tetragon' | 'tracee';

/** One runtime_events row (src/case-db/schema/50-runtime.sql), minus file_id and locator. */
export interface RuntimeEvent {
  time: string | null;
  event_type: string | null;
  priority: string | null;
  severity: RuntimeSeverity;
  indicator: string | null;
  hook: string | null;
  process: string | null;
  pid: number | null;
  user: string | null;
  parent: string | null;
  arguments: string | null;
  container_id: string | null;
  container_name: string | null;
  image: string | null;
  pod: string | null;
  namespace: string | null;
  node: string | null;
  attack: string[];
  signature_id: string | null;
  policy: string | null;
  action: string | null;
  file_path: string | null;
  remote: string | null;
  output: string | null;
}

const COLUMNS = [
  'file_id', 'locator', 'tool', 'time', 'event_type', 'priority', 'severity', 'indicator', 'hook', 'process', 'pid', 'user',
  'parent', 'arguments', 'container_id', 'container_name', 'image', 'pod', 'namespace', 'node', 'attack', 'signature_id',
  'policy', 'action', 'file_path', 'remote', 'output',
] as const;

/** What a tool's line parser makes of one JSON object. */
export type LineVerdict =
  | { kind: 'event'; event: RuntimeEvent }
  /** The tool's own log record (startup, metrics): shows it was running, not an event. */
  | { kind: 'tool-log'; time: string | null }
  /** Looked like one of the tool's records but was not valid: counted and reported. */
  | { kind: 'invalid'; reason: string }
  /** Some other JSON: ignored. */
  | { kind: 'other' };

export interface RuntimeFileOptions {
  tool: RuntimeTool;
  kind: string;
  /** Turns one JSON object into a verdict; `lineNo` only for messages. */
  parse(object: Record<string, unknown>): LineVerdict;
  /** Non-JSON lines that are the tool's own messages (journald lines of the service). */
  isToolMessage?(body: string, ident: string | null): boolean;
  /** Text lines worth a problem report (e.g. Falco alerts written without json_output). */
  textProblem?(body: string): string | null;
  /** Set by the parser to describe which schema(s) it saw (Tracee legacy / v1beta1). */
  schema?(): string | null;
}

/**
 * Reads a JSON-lines runtime file line by line (bounded memory), whatever wraps the lines, and
 * writes its events in batches, then one runtime_sources row describing the file. Bad lines
 * are counted and reported once per file, never fatal.
 */
export async function ingestRuntimeLines(source: EvidenceSource, ctx: IngestContext, options: RuntimeFileOptions): Promise<void> {
  const batch: Batch = ctx.db.batch(`insert into runtime_events (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  const formats = new Set<LineFormat>();
  const stats = { events: 0, toolLog: 0, unparsable: 0, firstEvent: null as string | null, lastEvent: null as string | null };
  let firstActivity: string | null = null;
  let lastActivity: string | null = null;
  const problems = new Map<string, { first: number; count: number }>();
  const note = (problem: string, lineNo: number) => {
    const p = problems.get(problem);
    if (p) p.count++;
    else problems.set(problem, { first: lineNo, count: 1 });
  };
  const activity = (time: string | null) => {
    if (!time) return;
    if (firstActivity === null || time < firstActivity) firstActivity = time;
    if (lastActivity === null || time > lastActivity) lastActivity = time;
  };
  let pending = 0;

  const lineStats = await source.eachLine((line, lineNo) => {
    const unwrapped = unwrapLine(line);
    if (!unwrapped) return;
    const { body, format, wrapperTime, ident } = unwrapped;
    if (body.charCodeAt(0) !== 123 /* { */) {
      const problem = options.textProblem?.(body);
      if (problem) {
        formats.add(format);
        note(problem, lineNo);
      } else if (format !== 'json' && (options.isToolMessage?.(body, ident) ?? false)) {
        formats.add(format);
        stats.toolLog++;
        activity(wrapperTime);
      }
      return;
    }
    let object: unknown;
    try {
      object = JSON.parse(body);
    } catch {
      stats.unparsable++;
      note('line(s) starting with `{` that are not valid JSON (cut or corrupted) skipped', lineNo);
      return;
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) return;
    const verdict = options.parse(object as Record<string, unknown>);
    switch (verdict.kind) {
      case 'event': {
        formats.add(format);
        const e = verdict.event;
        if (e.time === null) e.time = wrapperTime;
        batch.add([
          ctx.fileId, `line ${lineNo}`, options.tool, e.time, e.event_type, e.priority, e.severity, e.indicator, e.hook, e.process, e.pid,
          e.user, e.parent, e.arguments, e.container_id, e.container_name, e.image, e.pod, e.namespace, e.node,
          e.attack.length > 0 ? JSON.stringify(e.attack) : null, e.signature_id, e.policy, e.action, e.file_path, e.remote, e.output,
        ]);
        stats.events++;
        if (e.time !== null) {
          if (stats.firstEvent === null || e.time < stats.firstEvent) stats.firstEvent = e.time;
          if (stats.lastEvent === null || e.time > stats.lastEvent) stats.lastEvent = e.time;
        }
        activity(e.time);
        if (++pending === 10_000) {
          ctx.progress(pending);
          pending = 0;
        }
        return;
      }
      case 'tool-log':
        formats.add(format);
        stats.toolLog++;
        activity(verdict.time ?? wrapperTime);
        return;
      case 'invalid':
        stats.unparsable++;
        note(verdict.reason, lineNo);
        return;
      case 'other':
        return;
    }
  });
  batch.flush();
  ctx.progress(pending);
  for (const [problem, { first, count }] of problems) {
    ctx.problem(problem.startsWith('line(s) starting') ? 'parse-error' : 'schema', `${options.kind}: ${problem}`, `line ${first}`, count);
  }
  ctx.db.insert('runtime_sources', {
    file_id: ctx.fileId,
    tool: options.tool,
    kind: options.kind,
    formats: [...formats].sort().join(',') || null,
    schema: options.schema?.() ?? null,
    lines: lineStats.lines,
    events: stats.events,
    tool_log_lines: stats.toolLog,
    unparsable: stats.unparsable,
    first_event: stats.firstEvent,
    last_event: stats.lastEvent,
    first_activity: firstActivity,
    last_activity: lastActivity,
  });
}

/**
 * `detect` of a runtime tool's JSON-lines file: certain when the head (after unwrapping
 * journald, syslog or kubectl prefixes) has one of the records `test` recognises; plausible
 * when it has none but the tool's own service lines (its journal with no event in its first
 * 64 KiB is still the tool's).
 */
export function detectRuntimeHead(
  head: Head,
  test: (object: Record<string, unknown>) => boolean,
  isToolMessage?: (body: string, ident: string | null) => boolean,
): number {
  if (head.isBinary) return Confidence.NONE;
  const lines = head.text.split('\n');
  if (!head.complete && lines.length > 1) lines.pop(); // the last line may be cut
  let toolLines = 0;
  for (const line of lines.slice(0, 400)) {
    const u = unwrapLine(line);
    if (!u) continue;
    if (u.body.charCodeAt(0) === 123 /* { */) {
      const object = parseObject(u.body);
      if (!object) continue; // cut or not an object
      if (test(object)) return Confidence.CERTAIN;
    }
    if (u.format !== 'json' && isToolMessage?.(u.body, u.ident)) toolLines++;
  }
  return toolLines > 0 ? Confidence.PLAUSIBLE : Confidence.NONE;
}

/** Recognises a tool's own service lines: by the journald/syslog identifier, else by its name in the text. */
export function toolMessage(tool: RuntimeTool): (body: string, ident: string | null) => boolean {
  const name = new RegExp(tool, 'i');
  const ident = new RegExp(`^${tool}`, 'i');
  return (body, id) => (id !== null ? ident.test(id) : name.test(body));
}

export function emptyEvent(): RuntimeEvent {
  return {
    time: null, event_type: null, priority: null, severity: 'INFO', indicator: null, hook: null, process: null, pid: null,
    user: null, parent: null, arguments: null, container_id: null, container_name: null, image: null, pod: null,
    namespace: null, node: null, attack: [], signature_id: null, policy: null, action: null, file_path: null, remote: null,
    output: null,
  };
}
