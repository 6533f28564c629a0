import type { Config } from '../../config.js';

/** True when `time` falls inside the configured incident window (a window with no bound on a side is open there; no window at all: false). */
export function inIncidentWindow(time: string | null | undefined, config: Config): boolean {
  const { since, until } = config.incident_window;
  if (!time || (!since && !until)) return false;
  const t = Date.parse(time);
  if (Number.isNaN(t)) return false;
  if (since && t < Date.parse(since)) return false;
  if (until && t > Date.parse(until)) return false;
  return true;
}

export function windowText(config: Config): string {
  const { since, until } = config.incident_window;
  return `${since ?? '…'} – ${until ?? '…'}`;
}
