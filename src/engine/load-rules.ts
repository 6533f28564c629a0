import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { RuleError, errorMessage } from '../errors.js';
import { COMPILED_RULES_DIR, PACKAGE_ROOT, RULES_DIR, RUNNING_COMPILED } from '../paths.js';
import { GROUPS, SEVERITIES, type FindingRow, type Rule, type RuleMeta, type TsRuleDefinition } from './rule.js';

const RuleMetaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'rule ids look like group.name'),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  group: z.enum(GROUPS),
  attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'ATT&CK ids look like T1611 or T1552.007')),
  description: z.string().min(20),
  remediation: z.string().min(10),
  redFlag: z.boolean().optional(),
  falsePositives: z.string().optional(),
});

/**
 * Loads every rule under rules/: `*.sql` files and TypeScript rule modules. Strict by default
 * (tests, `cf-analyze rules`); given a `failures` list, a rule that cannot load is recorded there
 * and the others still run, so one broken rule never costs an analysis.
 */
export async function loadRules(dir = RULES_DIR, failures?: { rule: string; error: string }[]): Promise<Rule[]> {
  const rules: Rule[] = [];
  const attempt = async (file: string, load: () => Rule | Promise<Rule>) => {
    try {
      rules.push(await load());
    } catch (error) {
      if (!failures) throw error;
      failures.push({ rule: relative(dir, file), error: errorMessage(error) });
    }
  };
  for (const file of walk(dir, '.sql')) await attempt(file, () => loadSqlRule(file));
  // TypeScript rules are found by their sources; compiled, each loads from its .js in dist/
  // (so a stale .js of a deleted rule is never picked up).
  const compiled = RUNNING_COMPILED && dir === RULES_DIR;
  for (const file of walk(dir, '.ts')) {
    if (file.endsWith('.d.ts') || file.endsWith('.test.ts')) continue;
    await attempt(file, () => loadTsRule(compiled ? join(COMPILED_RULES_DIR, relative(RULES_DIR, file)).replace(/\.ts$/, '.js') : file));
  }
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const other = seen.get(rule.meta.id);
    if (other) throw new RuleError(`rule id ${rule.meta.id} is defined twice: ${other} and ${rule.source.file}`);
    seen.set(rule.meta.id, rule.source.file);
  }
  return rules.sort((a, b) => a.meta.id.localeCompare(b.meta.id));
}

function walk(dir: string, ext: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []))
    .sort();
}

const HEADER_LINE = /^--\s*([a-z-]+):\s?(.*)$/;
const CONTINUATION = /^--\s{2,}(.*)$/;

/**
 * A SQL rule: a header of `-- key: value` comments (continued on `--   ` lines), then one
 * read-only SELECT returning the FindingRow columns.
 */
export function parseSqlRule(text: string, file: string): { meta: RuleMeta; query: string } {
  const lines = text.split('\n');
  const fields: Record<string, string> = {};
  let last: string | undefined;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '' || line === '--') continue;
    if (!line.startsWith('--')) break;
    const cont = CONTINUATION.exec(line);
    const header = HEADER_LINE.exec(line);
    if (header && !cont) {
      last = header[1]!;
      fields[last] = header[2]!.trim();
    } else if (cont && last) {
      fields[last] = `${fields[last]} ${cont[1]!.trim()}`.trim();
    }
  }
  const query = lines.slice(i).join('\n').trim().replace(/;\s*$/, '');
  const candidate = {
    id: fields.id,
    title: fields.title,
    severity: fields.severity,
    group: fields.group,
    attack: (fields.attack ?? '').split(/[\s,]+/).filter(Boolean),
    description: fields.description,
    remediation: fields.remediation,
    ...(fields['red-flag'] !== undefined ? { redFlag: fields['red-flag'] === 'true' } : {}),
    ...(fields['false-positives'] ? { falsePositives: fields['false-positives'] } : {}),
  };
  const meta = validateMeta(candidate, file);
  if (!query) throw new RuleError(`${rel(file)}: no query after the header`);
  return { meta, query };
}

function loadSqlRule(file: string): Rule {
  const { meta, query } = parseSqlRule(readFileSync(file, 'utf8'), file);
  checkFileName(meta.id, file);
  return {
    meta,
    source: { kind: 'sql', file },
    run({ db }) {
      let statement;
      try {
        statement = db.prepare(query);
      } catch (error) {
        throw new RuleError(`${rel(file)}: ${errorMessage(error)}`, { cause: error });
      }
      if (!statement.reader || !statement.readonly) throw new RuleError(`${rel(file)}: a rule must be one read-only SELECT`);
      return statement.all() as FindingRow[];
    },
  };
}

async function loadTsRule(file: string): Promise<Rule> {
  let module: { default?: TsRuleDefinition };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: TsRuleDefinition };
  } catch (error) {
    throw new RuleError(`${rel(file)}: cannot load: ${errorMessage(error)}`, { cause: error });
  }
  const definition = module.default;
  if (!definition || typeof definition.run !== 'function') throw new RuleError(`${rel(file)}: must default-export defineRule({ meta, run })`);
  const meta = validateMeta(definition.meta, file);
  checkFileName(meta.id, file);
  return { meta, source: { kind: 'ts', file }, run: (ctx) => definition.run(ctx) };
}

function validateMeta(candidate: unknown, file: string): RuleMeta {
  const parsed = RuleMetaSchema.safeParse(candidate);
  if (!parsed.success) throw new RuleError(`${rel(file)}: invalid rule metadata:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function checkFileName(id: string, file: string): void {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.(sql|ts|js)$/, '');
  if (base !== id) throw new RuleError(`${rel(file)}: file name must be the rule id (${id})`);
}

function rel(file: string): string {
  return relative(PACKAGE_ROOT, file);
}
