import { z } from 'zod';
import type { EvidenceSource } from '../source.js';
import type { IngestContext } from '../types.js';

interface ListItem {
  readonly value: unknown;
  /** JSON pointer of the item (/containers/3). */
  readonly pointer: string;
}

/**
 * The elements of the array under `field` of a JSON document such as crictl's list responses
 * (`{"containers": [...]}`, `{"images": [...]}`, `{"items": [...]}`). Documents that fit the buffer
 * limit are parsed at once; larger ones are streamed element by element (bounded memory).
 * A document without that array yields nothing.
 */
async function* listItems(source: EvidenceSource, field: string): AsyncGenerator<ListItem> {
  const prefix = `/${field}/`;
  for await (const item of source.jsonItems(field)) if (item.pointer.startsWith(prefix)) yield item;
}

/**
 * CRI times are int64 nanoseconds since the epoch, printed by crictl's protobuf JSON as a string
 * ("1796198043000000000"); crictl inspect already prints RFC 3339. Returns ISO 8601 (UTC, with the
 * nanoseconds), or null for 0 / unparsable values.
 */
export function criTime(value: unknown): string | null {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return value.startsWith('0001-01-01') || /^1970-01-01T00:00:00(\.0+)?Z$/.test(value) ? null : value;
  const text = typeof value === 'number' ? String(Math.trunc(value)) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,20}$/.test(text)) return null;
  const ns = BigInt(text);
  if (ns === 0n) return null;
  const ms = Number(ns / 1_000_000n);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  const fraction = String(ns % 1_000_000_000n).padStart(9, '0');
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}

export function stringMap(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Validates each element of the list under `field` with `schema` and hands the good ones to
 * `onItem`; a bad element is reported (with its pointer) and skipped, the rest still counts.
 */
export async function eachListItem<T>(
  source: EvidenceSource,
  ctx: IngestContext,
  field: string,
  schema: z.ZodType<T>,
  what: string,
  onItem: (item: T, pointer: string) => void,
): Promise<void> {
  let accepted = 0;
  for await (const { value, pointer } of listItems(source, field)) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      ctx.problem('schema', `not a ${what}: ${z.prettifyError(parsed.error).split('\n')[0]}`, pointer);
      continue;
    }
    onItem(parsed.data, pointer);
    accepted++;
  }
  ctx.progress(accepted);
}
