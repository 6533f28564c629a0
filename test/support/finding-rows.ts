import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Finding } from '../../src/engine/finding.js';

/** A finding as regression files pin it: rule, severity, red flag and subject path. */
export interface FindingRow {
  rule: string;
  severity: string;
  red_flag: boolean;
  subject: string;
}

/** kind/namespace/name/container, sorted by rule, subject, severity: stable across runs. */
export function findingRows(findings: readonly Finding[]): FindingRow[] {
  return findings
    .map((f) => ({
      rule: f.rule,
      severity: f.severity,
      red_flag: f.red_flag,
      subject: [f.subject.kind, f.subject.namespace, f.subject.name, f.subject.container].filter(Boolean).join('/'),
    }))
    .sort((a, b) => a.rule.localeCompare(b.rule) || a.subject.localeCompare(b.subject) || a.severity.localeCompare(b.severity));
}

/**
 * The checked-in rows of `path`; with UPDATE_EXPECTED=1 (or when the file does not exist yet)
 * `rows` are written there first, to be reviewed as a diff.
 */
export function expectedRows(path: string, rows: readonly FindingRow[]): FindingRow[] {
  if (process.env.UPDATE_EXPECTED === '1' || !existsSync(path)) writeFileSync(path, `${JSON.stringify(rows, null, 2)}\n`);
  return JSON.parse(readFileSync(path, 'utf8')) as FindingRow[];
}
