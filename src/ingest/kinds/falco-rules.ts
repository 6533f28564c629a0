import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import type { IngestContext } from '../types.js';
import { Confidence, type Ingester } from '../types.js';

/** Falco's default rules file is ~170 KiB; a rules file of more than this is not worth parsing whole. */
const MAX_RULES_BYTES = 32 * 1024 * 1024;

// A YAML scalar that may be written as a string, number or boolean (`enabled: false`, `priority: 4`).
const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const Bool = z.union([z.boolean(), z.string().transform((s) => /^(true|yes|on)$/i.test(s))]);
// One item of a Falco rules file: `- rule:`, `- macro:`, `- list:` (and required_* items).
const RulesItem = z.looseObject({
  rule: Scalar.nullish(),
  macro: Scalar.nullish(),
  list: Scalar.nullish(),
  desc: Scalar.nullish(),
  condition: Scalar.nullish(),
  output: Scalar.nullish(),
  priority: Scalar.nullish(),
  source: Scalar.nullish(),
  enabled: Bool.nullish(),
  tags: z.array(Scalar).nullish(),
  items: z.array(z.unknown()).nullish(),
  append: Bool.nullish(),
  override: z.record(z.string(), z.unknown()).nullish(),
});

// `falco -L` with json_output: {required_engine_version, rules:[{info:{name, condition, priority,
// output, description, enabled, source, tags}, details}], macros:[{info:{name, condition}}], lists:[...]}.
const ListJsonItem = z.looseObject({
  info: z.looseObject({
    name: z.string(),
    condition: z.string().nullish(),
    priority: z.string().nullish(),
    description: z.string().nullish(),
    enabled: z.boolean().nullish(),
    source: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
    items: z.array(z.unknown()).nullish(),
  }),
});

const RULES_YAML = /^- (rule|macro|list|required_engine_version|required_plugin_versions):/m;
// `falco -L` text: "Rule" and "Description" columns (name padded to 50), then "----".
const LIST_TEXT_HEADER = /^Rule {2,}Description\s*\n-{4} {2,}-{11}/;

interface RuleRow {
  locator: string;
  format: 'yaml' | 'list-text' | 'list-json';
  item: 'rule' | 'macro' | 'list';
  name: string;
  enabled?: boolean | null;
  priority?: string | null;
  source?: string | null;
  tags?: string[] | null;
  condition?: string | null;
  description?: string | null;
  is_append?: boolean;
  override?: Record<string, unknown> | null;
}

/** Falco's loaded rules: YAML rules files, `falco -L` (text) or `falco -L` with json_output. */
export const falcoRules: Ingester = {
  kind: 'falco-rules',
  description: 'Falco rules (YAML rules files from /etc/falco, or `falco -L` output, text or JSON)',
  detect(head) {
    if (head.isBinary) return Confidence.NONE;
    const text = head.trimmed;
    if (LIST_TEXT_HEADER.test(text)) return Confidence.CERTAIN;
    if (text.startsWith('{')) {
      return /"required_engine_version"\s*:/.test(text) && /"rules"\s*:\s*\[/.test(text) && /"info"\s*:/.test(text) ? Confidence.CERTAIN : Confidence.NONE;
    }
    if (!RULES_YAML.test(text)) return Confidence.NONE;
    return /^- rule:/m.test(text) && /^ +(condition|priority|output):/m.test(text) ? Confidence.CERTAIN : Confidence.PLAUSIBLE;
  },
  async ingest(source, ctx) {
    const text = await source.text(MAX_RULES_BYTES);
    if (text === undefined) {
      ctx.problem('oversize', `falco-rules: larger than ${MAX_RULES_BYTES} bytes, not parsed`);
      return;
    }
    const trimmed = text.replace(/^\uFEFF?\s*/, '');
    const rows = LIST_TEXT_HEADER.test(trimmed) ? fromListText(text) : trimmed.startsWith('{') ? fromListJson(text, ctx) : fromYaml(text, ctx);
    ctx.db.transaction(() => {
      rows.forEach((r, seq) =>
        ctx.db.insert('falco_rules', {
          file_id: ctx.fileId,
          locator: r.locator,
          format: r.format,
          item: r.item,
          name: r.name,
          seq,
          enabled: r.enabled ?? null,
          priority: r.priority ?? null,
          source: r.source ?? null,
          tags: r.tags ?? null,
          condition: r.condition ?? null,
          description: r.description ?? null,
          is_append: r.is_append ?? false,
          override: r.override ?? null,
        }),
      );
    });
    ctx.progress(rows.length);
  },
};

function fromYaml(text: string, ctx: IngestContext): RuleRow[] {
  const lineCounter = new LineCounter();
  const rows: RuleRow[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (doc.errors.length > 0) {
      const line = doc.errors[0]!.linePos?.[0]?.line;
      ctx.problem('parse-error', `falco-rules: YAML: ${doc.errors[0]!.message.split('\n')[0]}`, line ? `line ${line}` : undefined, doc.errors.length);
      continue;
    }
    if (!isSeq(doc.contents)) continue;
    for (const node of doc.contents.items) {
      if (!isMap(node)) continue;
      const line = node.range ? lineCounter.linePos(node.range[0]).line : 0;
      const parsed = RulesItem.safeParse(node.toJS(doc));
      if (!parsed.success) {
        ctx.problem('schema', `falco-rules: item with unexpected field types: ${parsed.error.issues[0]?.path.join('.')}`, `line ${line}`);
        continue;
      }
      const i = parsed.data;
      const item = i.rule != null ? 'rule' : i.macro != null ? 'macro' : i.list != null ? 'list' : undefined;
      if (!item) continue; // required_engine_version and the like
      rows.push({
        locator: `line ${line}`,
        format: 'yaml',
        item,
        name: (i.rule ?? i.macro ?? i.list)!,
        enabled: i.enabled ?? null,
        priority: i.priority ?? null,
        source: i.source ?? null,
        tags: i.tags ?? null,
        condition: item === 'list' ? JSON.stringify(i.items ?? []) : (i.condition ?? null),
        description: i.desc ?? null,
        is_append: i.append === true || (i.override !== undefined && i.override !== null),
        override: i.override ?? null,
      });
    }
  }
  return rows;
}

function fromListJson(text: string, ctx: IngestContext): RuleRow[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    ctx.problem('parse-error', `falco-rules: not valid JSON (${(error as Error).message})`);
    return [];
  }
  const rows: RuleRow[] = [];
  for (const [item, key] of [['rule', 'rules'], ['macro', 'macros'], ['list', 'lists']] as const) {
    const items = (document as Record<string, unknown>)[key];
    if (!Array.isArray(items)) continue;
    items.forEach((value, n) => {
      const parsed = ListJsonItem.safeParse(value);
      if (!parsed.success) {
        ctx.problem('schema', `falco-rules: ${key} entry without info.name`, `/${key}/${n}`);
        return;
      }
      const info = parsed.data.info;
      rows.push({
        locator: `/${key}/${n}`,
        format: 'list-json',
        item,
        name: info.name,
        enabled: info.enabled ?? null,
        priority: info.priority ?? null,
        source: info.source ?? null,
        tags: info.tags ?? null,
        condition: item === 'list' ? JSON.stringify(info.items ?? []) : (info.condition ?? null),
        description: info.description ?? null,
      });
    });
  }
  return rows;
}

/**
 * `falco -L` text: each rule's name padded to 50 columns, then its description wrapped onto
 * continuation lines indented by 51 spaces, with a blank line after each rule.
 */
function fromListText(text: string): RuleRow[] {
  const rows: RuleRow[] = [];
  const lines = text.split('\n');
  let current: RuleRow | undefined;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (index < 2 || line.trim() === '') return;
    if (/^ {20,}\S/.test(line) && current) {
      current.description = `${current.description ?? ''} ${line.trim()}`.trim();
      return;
    }
    // A name longer than the column runs on, then one space: take the description as starting
    // at the first capital after a space (descriptions are sentences).
    let cut = 50;
    if (line.length > 50 && line[50] !== ' ') {
      const m = / (?=[A-Z])/g;
      m.lastIndex = 50;
      cut = m.exec(line)?.index ?? line.length;
    }
    const name = line.slice(0, cut).trimEnd();
    if (!name) return;
    current = { locator: `line ${index + 1}`, format: 'list-text', item: 'rule', name, description: line.slice(cut).trim() || null };
    rows.push(current);
  });
  return rows;
}
