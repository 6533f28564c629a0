/**
 * Normalisation shared by the Falco, Tetragon and Tracee ingesters: how lines are wrapped
 * (journald, syslog, kubectl --timestamps), event times, container ids.
 */

export type LineFormat = 'json' | 'journald' | 'syslog' | 'kubectl-timestamps';

export interface UnwrappedLine {
  /** What follows the wrapper: a JSON text when it starts with `{`, else a message. */
  body: string;
  format: LineFormat;
  /** Time of the wrapper (journald short-iso, kubectl --timestamps), ISO micro-second UTC. */
  wrapperTime: string | null;
  /** syslog identifier (journald / syslog wrappers), e.g. `falco`. */
  ident: string | null;
}

// journalctl -o short-iso: `2024-05-07T18:54:19+0000 node-1 falco[812]: {...}` (newer systemd
// prints `+00:00` and, with short-iso-precise, fractional seconds).
const JOURNALD_ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})) ((?!\{)\S+) ([^\s:[]+)(?:\[\d+\])?: ?(.*)$/;
// Classic syslog / journalctl -o short: `May  7 18:54:19 node-1 falco[812]: {...}` (no year, local time).
const SYSLOG = /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} ((?!\{)\S+) ([^\s:[]+)(?:\[\d+\])?: ?(.*)$/;
// kubectl logs --timestamps: `2024-05-07T18:54:19.341081180Z {...}`.
const KUBECTL = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/;

/**
 * Strips the wrapper a log collector put around a tool's line. Returns null for lines that
 * carry nothing (blank, journald `-- No entries --` / `-- Boot ... --` markers).
 */
export function unwrapLine(line: string): UnwrappedLine | null {
  if (line.charCodeAt(0) === 123 /* { */) return { body: line, format: 'json', wrapperTime: null, ident: null };
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('-- ')) return null;
  if (trimmed.startsWith('{')) return { body: trimmed, format: 'json', wrapperTime: null, ident: null };
  let m = JOURNALD_ISO.exec(trimmed);
  if (m) return { body: m[4]!, format: 'journald', wrapperTime: isoMicros(m[1]!), ident: m[3]! };
  m = SYSLOG.exec(trimmed);
  if (m) return { body: m[3]!, format: 'syslog', wrapperTime: null, ident: m[2]! };
  m = KUBECTL.exec(trimmed);
  if (m) return { body: m[2]!, format: 'kubectl-timestamps', wrapperTime: isoMicros(m[1]!), ident: null };
  return { body: trimmed, format: 'json', wrapperTime: null, ident: null };
}

/** The JSON object of a line body, or undefined when the body is not one. */
export function parseObject(body: string): Record<string, unknown> | undefined {
  if (body.charCodeAt(0) !== 123) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * An event time as ISO 8601 UTC with exactly six fractional digits (the form the audit tables
 * use too, so the incident timeline sorts as text). Accepts RFC 3339 strings with any number of
 * fractional digits and offsets, and epoch numbers in s, ms, µs or ns (unit from magnitude).
 */
export function isoMicros(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? fromEpochMicros(epochMicros(value)) : null;
  if (typeof value === 'bigint') return value > 0n ? fromEpochMicros(Number(value / 1000n)) : null;
  if (typeof value !== 'string') return null;
  const m = ISO.exec(value.trim());
  if (!m) {
    if (/^\d{9,}$/.test(value)) return isoMicros(Number(value));
    return null;
  }
  const fraction = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  const zone = (m[4] ?? 'Z').toUpperCase();
  if (zone === 'Z' || zone === 'UTC' || /^[+-]00:?00$/.test(zone)) return `${m[1]}T${m[2]}.${fraction}Z`;
  const seconds = Date.parse(`${m[1]}T${m[2]}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (Number.isNaN(seconds)) return null;
  return `${new Date(seconds).toISOString().slice(0, 19)}.${fraction}Z`;
}

function epochMicros(n: number): number {
  if (n >= 1e17) return Math.floor(n / 1000); // ns
  if (n >= 1e14) return Math.floor(n); // µs
  if (n >= 1e11) return Math.floor(n * 1000); // ms
  return Math.floor(n * 1e6); // s
}

function fromEpochMicros(us: number): string | null {
  const ms = Math.floor(us / 1000);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  const micros = String(us - ms * 1000).padStart(3, '0');
  return `${date.toISOString().slice(0, 23)}${micros}Z`;
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX_SHORT = /^[0-9a-f]{12,63}$/;

/**
 * A container id as the containers table has it: `docker://`, `containerd://`, `cri-o://`
 * prefixes removed; 64 hex kept whole; 12 to 63 hex (Falco's 12-char id, Tetragon's 31-char
 * `docker` field) cut to the 12-char short id. `host` and empty values mean no container.
 */
export function normaliseContainerId(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let id = raw.trim().toLowerCase();
  const scheme = id.indexOf('://');
  if (scheme !== -1) id = id.slice(scheme + 3);
  if (id === '' || id === 'host' || id === '<na>' || id === 'n/a') return null;
  if (HEX64.test(id)) return id;
  if (HEX_SHORT.test(id)) return id.slice(0, 12);
  return id;
}

/** A string value worth keeping: non-empty, not Falco's `<NA>` placeholder. Numbers become text. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' || value === '<NA>' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

export function integer(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

/** The last path component (`/usr/bin/curl` → `curl`). */
export function baseName(path: string | null | undefined): string {
  if (!path) return '';
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * A command line as one string. Falco's proc.cmdline and Tracee's argv already start with the
 * program (argv[0]); Tetragon's arguments do not. The program is prefixed only when missing, so
 * `bash -c id` never reads `bash bash -c id`.
 */
export function commandLine(program: string | null, args: string | null): string {
  if (!program) return args ?? '';
  if (!args) return program;
  const space = args.indexOf(' ');
  const first = space === -1 ? args : args.slice(0, space);
  return first === program || baseName(first) === baseName(program) ? args : `${program} ${args}`;
}
