import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT, RULES_DIR } from '../src/paths.js';
import { allCaseFiles, caseFileFor, loadCaseFile } from './support/rule-cases.js';

// Repo-wide rule hygiene (as trivy-checks and Sigma do): loading validates metadata, ids and
// file names; here every rule must also carry hit and miss cases, and no case file is orphaned.
const rules = await loadRules();

describe('rule hygiene', () => {
  it('loads rules', () => {
    expect(rules.length).toBeGreaterThan(10);
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))('%s has hit and miss cases beside it', (_id, rule) => {
    const file = caseFileFor(rule);
    expect(existsSync(file), `missing ${relative(PACKAGE_ROOT, file)}`).toBe(true);
    const cases = loadCaseFile(file);
    expect(cases.hit.length).toBeGreaterThan(0);
    expect(cases.miss.length).toBeGreaterThan(0);
  });

  it('every case file belongs to a rule', () => {
    const ids = new Set(rules.map((r) => r.meta.id));
    const orphans = allCaseFiles().filter((f) => !ids.has(f.slice(f.lastIndexOf('/') + 1).replace(/\.cases\.yaml$/, '')));
    expect(orphans.map((f) => relative(PACKAGE_ROOT, f))).toEqual([]);
  });

  it('rules live in the folder of their group', () => {
    for (const rule of rules) {
      const folder = relative(RULES_DIR, rule.source.file).split('/')[0];
      const expected = rule.meta.id.startsWith('correlate.') ? 'correlate' : rule.meta.group;
      expect(folder, rule.meta.id).toBe(expected);
    }
  });

  it('no stray files in rules/', () => {
    const stray: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (!/\.(sql|ts|cases\.yaml|md)$/.test(e.name)) stray.push(relative(PACKAGE_ROOT, p));
      }
    };
    walk(RULES_DIR);
    expect(stray).toEqual([]);
  });
});
