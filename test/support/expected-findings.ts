import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../src/analyze.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

/**
 * The part of an analysis that regression tests check in: inputs, summary and findings, with the
 * bundle's absolute path made relative to the package so the file is the same on every machine.
 * UPDATE_EXPECTED=1 (or a missing file) writes `expected` first.
 */
export function checkedInFindings(result: AnalysisResult, bundle: string, expected: string) {
  const input = relative(PACKAGE_ROOT, bundle);
  const findings = JSON.parse(JSON.stringify(result.document.findings).split(JSON.stringify(bundle).slice(1, -1)).join(input)) as typeof result.document.findings;
  const actual = { inputs: result.document.inputs.map((i) => ({ ...i, path: input })), summary: result.document.summary, findings };
  if (process.env.UPDATE_EXPECTED === '1' || !existsSync(expected)) {
    mkdirSync(join(expected, '..'), { recursive: true });
    writeFileSync(expected, `${JSON.stringify(actual, null, 2)}\n`);
  }
  return { actual, expected: JSON.parse(readFileSync(expected, 'utf8')) as typeof actual };
}
