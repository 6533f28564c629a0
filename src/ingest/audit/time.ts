/**
 * Audit timestamps as integer microseconds since the epoch (UTC). kube-apiserver writes
 * RFC 3339 with microseconds ("2026-11-30T09:14:03.512907Z"); other writers use fewer or more
 * fraction digits or an offset. Converting millions of them is on the ingest hot path, so the
 * date-and-second part is cached: consecutive events share it.
 */
let cachedPrefix = '';
let cachedSeconds = 0;

const FIXED = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})$/;

/** Microseconds since the epoch, or null when `text` is not an RFC 3339 time. */
export function parseMicros(text: unknown): number | null {
  if (typeof text !== 'string' || text.length < 20) return null;
  const prefix = text.slice(0, 19);
  let seconds: number;
  if (prefix === cachedPrefix) seconds = cachedSeconds;
  else {
    const m = FIXED.exec(prefix);
    if (!m) return null;
    const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (Number.isNaN(ms)) return null;
    seconds = ms / 1000;
    cachedPrefix = prefix;
    cachedSeconds = seconds;
  }
  let i = 19;
  let micros = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    let scale = 100_000;
    for (i++; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      micros += d * scale;
      scale /= 10;
    }
    micros = Math.floor(micros);
  }
  const zone = text.slice(i);
  if (zone === 'Z' || zone === 'z') return seconds * 1_000_000 + micros;
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!offset) return null;
  const sign = offset[1] === '-' ? -1 : 1;
  // 10:00+02:00 is 08:00Z: subtract the offset.
  return (seconds - sign * (+offset[2]! * 3600 + +offset[3]! * 60)) * 1_000_000 + micros;
}

/** ISO 8601 UTC with microseconds, the form kube-apiserver writes. */
export function formatMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}Z`;
}

/** An ISO time from the configuration (incident window) as microseconds, or null. */
export function configMicros(text: string | null | undefined): number | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms * 1000;
}
