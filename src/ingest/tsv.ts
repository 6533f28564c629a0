import type { EvidenceSource, Head } from './source.js';
import type { IngestContext } from './types.js';

/**
 * collect.sh's derived TSV files (docs/bundle-format.md): a header line, then one row per
 * record; `-` means unreadable. Shared by the host-* / proc-* ingesters.
 */
export function tsvHeader(head: Head): string[] {
  return head.firstLine.replace(/\r$/, '').split('\t');
}

/** True when the head's first line is exactly these columns (extra trailing columns allowed). */
export function hasTsvHeader(head: Head, columns: readonly string[]): boolean {
  const header = tsvHeader(head);
  return columns.every((c, i) => header[i] === c);
}

/** Data rows of the head (complete lines only), without the header. */
export function headRows(head: Head): string[][] {
  const lines = head.trimmed.split('\n');
  if (!head.complete) lines.pop();
  return lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.replace(/\r$/, '').split('\t'));
}

export type TsvGet = (column: string) => string | null;

/**
 * Calls onRow for each data row with a getter by column name (null for absent or `-`). A row
 * with fewer fields than the header is reported once per file and skipped.
 */
export async function eachTsvRow(source: EvidenceSource, ctx: IngestContext, onRow: (get: TsvGet, lineNo: number) => void): Promise<void> {
  let columns: string[] = [];
  let position = new Map<string, number>();
  let short = 0;
  let firstShort = 0;
  await source.eachLine((line, lineNo) => {
    const fields = line.split('\t');
    if (lineNo === 1) {
      columns = fields;
      // Column positions once from the header, not per row and column.
      position = new Map(fields.map((name, i) => [name, i] as const).reverse());
      return;
    }
    if (line.trim() === '') return;
    // The last column may legitimately be empty (args of kernel threads, empty values).
    if (fields.length < columns.length - 1) {
      short++;
      firstShort ||= lineNo;
      return;
    }
    const get: TsvGet = (name) => {
      const i = position.get(name);
      const value = i === undefined ? undefined : fields[i];
      return value === undefined || value === '-' ? null : value;
    };
    onRow(get, lineNo);
  });
  if (short > 0) ctx.problem('parse-error', `row(s) with fewer fields than the header (${columns.join(', ')})`, `line ${firstShort}`, short);
}

export function intOrNull(value: string | null): number | null {
  return value !== null && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}
