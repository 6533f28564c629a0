import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { caseFileFor, describeFinding, loadCaseFile, matches, runCase } from './support/rule-cases.js';

// One generic runner for every rule's beside-the-rule cases (ESLint RuleTester style).
const rules = await loadRules();

for (const rule of rules) {
  const file = caseFileFor(rule);
  if (!existsSync(file)) continue; // rule-hygiene.test.ts fails the rule for that
  const cases = loadCaseFile(file);
  describe(`${rule.meta.id} (${relative(PACKAGE_ROOT, file)})`, () => {
    for (const c of cases.hit) {
      it(`hit: ${c.name}`, async () => {
        const findings = await runCase(rule, c);
        expect(findings.length, 'a hit case must produce findings').toBeGreaterThan(0);
        for (const f of findings) {
          expect(f.evidence.length, `finding without evidence: ${describeFinding(f)}`).toBeGreaterThan(0);
        }
        const expected = c.expect ?? [];
        const unmatched = [...findings];
        for (const e of expected) {
          const i = unmatched.findIndex((f) => matches(f, e));
          expect(i, `no finding matches ${JSON.stringify(e)}; got:\n${findings.map(describeFinding).join('\n')}`).toBeGreaterThanOrEqual(0);
          unmatched.splice(i, 1);
        }
        if (!c.more) expect(unmatched.map(describeFinding), 'unexpected extra findings').toEqual([]);
      });
    }
    for (const c of cases.miss) {
      it(`miss: ${c.name}`, async () => {
        const findings = await runCase(rule, c);
        expect(findings.map(describeFinding)).toEqual([]);
      });
    }
  });
}
