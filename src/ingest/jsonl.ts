import type { EvidenceSource, Head } from './source.js';
import type { IngestContext } from './types.js';

/** True when the head's first line is a JSON object carrying every one of these keys. */
export function firstLineHasKeys(head: Head, keys: readonly string[]): boolean {
  const value = head.firstValue;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && keys.every((k) => k in value);
}

/**
 * Calls onRecord for each JSON object line (`docker … --format '{{json .}}'`). A line that is not
 * JSON is reported (once per file, with a count) and skipped; the rest of the file still counts.
 */
export async function eachJsonLine(source: EvidenceSource, ctx: IngestContext, onRecord: (value: Record<string, unknown>, lineNo: number) => void): Promise<void> {
  let bad = 0;
  let firstBad = 0;
  await source.eachLine((line, lineNo) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      bad++;
      firstBad ||= lineNo;
      return;
    }
    onRecord(value as Record<string, unknown>, lineNo);
    ctx.progress(1);
  });
  if (bad > 0) ctx.problem('parse-error', 'line(s) that are not a JSON object', `line ${firstBad}`, bad);
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);
}
