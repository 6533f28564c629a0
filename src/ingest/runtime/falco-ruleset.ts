import type Database from 'better-sqlite3';
import type { EvidenceRef } from '../../engine/rule.js';
import { groupBy } from '../../util/group-by.js';

/** A Falco rule as the engine ends up with it, after later files appended to or overrode it. */
export interface EffectiveRule {
  name: string;
  enabled: boolean;
  source: string | null;
  format: string;
  file_id: number;
  locator: string;
  description: string | null;
  condition: string | null;
  /** The condition with macros and lists expanded (null when the rules list has no conditions). */
  expanded: string | null;
  /** The entry that switched it off, when one did. */
  disabledAt: EvidenceRef | null;
}

export interface FalcoRuleSet {
  inputId: number;
  host: string | null;
  files: { id: number; path: string }[];
  rules: EffectiveRule[];
}

interface Row {
  file_id: number;
  path: string;
  input_id: number;
  host: string | null;
  locator: string;
  format: string;
  item: string;
  name: string;
  enabled: number | null;
  source: string | null;
  condition: string | null;
  description: string | null;
  is_append: number;
  override: string | null;
}

/**
 * Falco's default load order: falco_rules.yaml, then the other rules files it names (incubating,
 * sandbox), then falco_rules.local.yaml, then rules.d/. Later definitions win.
 */
function loadOrder(path: string): number {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/(^|\/)rules\.d\//.test(path)) return 3;
  if (/local/i.test(base)) return 2;
  if (base === 'falco_rules.yaml' || base === 'falco_rules.yml') return 0;
  return 1;
}

/** The loaded Falco rules of each input, merged the way Falco merges its rules files. */
export function effectiveFalcoRules(db: Database.Database): FalcoRuleSet[] {
  const rows = db
    .prepare(
      `select r.*, f.path, f.input_id, i.host from falco_rules r join files f on f.id = r.file_id join inputs i on i.id = f.input_id
        order by f.input_id, f.path, r.seq`,
    )
    .all() as Row[];
  const sets: FalcoRuleSet[] = [];
  for (const [inputId, list] of groupBy(rows, (r) => r.input_id)) {
    list.sort((a, b) => loadOrder(a.path) - loadOrder(b.path) || a.path.localeCompare(b.path));
    sets.push(merge(inputId, list));
  }
  return sets;
}

function merge(inputId: number, rows: Row[]): FalcoRuleSet {
  const macros = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const rules = new Map<string, EffectiveRule>();
  const files = new Map<number, string>();
  for (const r of rows) {
    files.set(r.file_id, r.path);
    const override = r.override ? (JSON.parse(r.override) as Record<string, string>) : {};
    if (r.item === 'list') {
      const items = r.condition ? (JSON.parse(r.condition) as unknown[]).map(String) : [];
      lists.set(r.name, r.is_append && lists.has(r.name) && override.items !== 'replace' ? [...lists.get(r.name)!, ...items] : items);
    } else if (r.item === 'macro') {
      const previous = macros.get(r.name);
      macros.set(r.name, r.is_append && previous !== undefined && override.condition !== 'replace' ? `${previous} ${r.condition ?? ''}` : (r.condition ?? ''));
    } else {
      const existing = rules.get(r.name);
      const modifies = existing !== undefined && (r.is_append === 1 || r.condition === null);
      if (!modifies) {
        // A bare `enabled:` for a rule not (yet) defined changes nothing.
        if (r.condition === null && r.format === 'yaml') continue;
        rules.set(r.name, {
          name: r.name,
          enabled: r.enabled !== 0,
          source: r.source,
          format: r.format,
          file_id: r.file_id,
          locator: r.locator,
          description: r.description,
          condition: r.condition,
          expanded: null,
          disabledAt: r.enabled === 0 ? { file_id: r.file_id, locator: r.locator } : null,
        });
        continue;
      }
      if (r.condition !== null) existing.condition = override.condition === 'replace' ? r.condition : `${existing.condition ?? ''} ${r.condition}`;
      if (r.enabled !== null) {
        existing.enabled = r.enabled === 1;
        existing.disabledAt = r.enabled === 0 ? { file_id: r.file_id, locator: r.locator } : null;
      }
      if (r.description !== null && override.desc === 'replace') existing.description = r.description;
    }
  }
  for (const rule of rules.values()) rule.expanded = rule.condition === null ? null : expand(rule.condition, macros, lists, 0);
  return {
    inputId,
    host: rows[0]?.host ?? null,
    files: [...files].map(([id, path]) => ({ id, path })),
    rules: [...rules.values()],
  };
}

const TOKEN = /[A-Za-z_][\w.-]*/g;
const MAX_DEPTH = 12;
const MAX_LENGTH = 200_000;

/** A condition with macro names replaced by their (expanded) conditions and list names by their items. */
export function expand(condition: string, macros: Map<string, string>, lists: Map<string, string[]>, depth: number): string {
  if (depth > MAX_DEPTH) return condition;
  return condition.replace(TOKEN, (token) => {
    const macro = macros.get(token);
    if (macro !== undefined) {
      const inner = expand(macro, macros, lists, depth + 1);
      return inner.length > MAX_LENGTH ? token : `(${inner})`;
    }
    const items = lists.get(token);
    if (items !== undefined) return items.map((i) => (lists.has(i) && depth < MAX_DEPTH ? expand(i, macros, lists, depth + 1) : i)).join(', ');
    return token;
  });
}
