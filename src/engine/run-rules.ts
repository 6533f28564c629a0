import { createHash } from 'node:crypto';
import type { CaseDb } from '../case-db/case-db.js';
import type { Config } from '../config.js';
import { RuleError, errorMessage } from '../errors.js';
import type { EvidencePointer, Finding, Subject } from './finding.js';
import { GROUPS, severityRank, SEVERITIES, type EvidenceRef, type FindingRow, type Rule, type Severity } from './rule.js';

export interface RuleFailure {
  rule: string;
  error: string;
}

export interface RuleRun {
  findings: Finding[];
  /** A rule that throws is reported here; the other rules still run. */
  failures: RuleFailure[];
}

/** Writes the configuration into config tables, so SQL rules can join against it. */
export function writeConfig(db: CaseDb, config: Config): void {
  db.transaction(() => {
    db.sql.exec('delete from config_list; delete from config_value;');
    for (const [name, value] of Object.entries(config)) {
      if (Array.isArray(value)) for (const item of value) db.insert('config_list', { name, value: item });
    }
    db.insert('config_value', { name: 'since', value: config.incident_window.since });
    db.insert('config_value', { name: 'until', value: config.incident_window.until });
    for (const [name, value] of Object.entries(config.thresholds)) db.insert('config_value', { name: `threshold.${name}`, value: String(value) });
  });
}

/**
 * Runs rules over a loaded case database. The connection is switched to query_only while rules
 * run: a rule can read anything and change nothing.
 */
export function runRules(db: CaseDb, rules: readonly Rule[], config: Config): RuleRun {
  const files = new Map<number, { path: string; sha256: string | null; input: string }>();
  for (const row of db.sql.prepare('select f.id, f.path, f.sha256, i.path as input from files f join inputs i on i.id = f.input_id').iterate() as Iterable<{
    id: number;
    path: string;
    sha256: string | null;
    input: string;
  }>) {
    files.set(row.id, { path: row.path, sha256: row.sha256, input: row.input });
  }

  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  db.sql.pragma('query_only = ON');
  try {
    for (const rule of rules) {
      let rows: FindingRow[];
      try {
        rows = rule.run({ db: db.sql, config });
        findings.push(...toFindings(rule, rows, files));
      } catch (error) {
        failures.push({ rule: rule.meta.id, error: errorMessage(error) });
      }
    }
  } finally {
    db.sql.pragma('query_only = OFF');
  }
  return { findings: sortFindings(findings), failures };
}

export function toFindings(
  rule: Rule,
  rows: FindingRow[],
  files: Map<number, { path: string; sha256: string | null; input: string }>,
): Finding[] {
  const byId = new Map<string, Finding>();
  for (const row of rows) {
    if (!row.subject_kind || row.subject_name === undefined || row.subject_name === null || !row.reason) {
      throw new RuleError(`${rule.meta.id}: every row needs subject_kind, subject_name and reason`);
    }
    const subject: Subject = {
      kind: String(row.subject_kind),
      name: String(row.subject_name),
      namespace: row.subject_namespace ?? null,
      id: row.subject_id ?? null,
      container: row.subject_container ?? null,
      image: row.subject_image ?? null,
      host: row.subject_host ?? null,
    };
    const id = findingId(rule.meta.id, subject, row.key ?? null);
    const severity = row.severity ?? rule.meta.severity;
    if (!SEVERITIES.includes(severity)) throw new RuleError(`${rule.meta.id}: unknown severity ${String(severity)}`);
    const evidence = evidencePointers(row, files);
    const existing = byId.get(id);
    if (existing) {
      if (!existing.reasons.includes(row.reason)) existing.reasons.push(row.reason);
      for (const e of evidence) if (!existing.evidence.some((x) => x.path === e.path && x.locator === e.locator)) existing.evidence.push(e);
      if (severityRank(severity) > severityRank(existing.severity)) existing.severity = severity;
      existing.red_flag ||= Boolean(row.red_flag);
      for (const t of rowAttack(row)) if (!existing.attack.includes(t)) existing.attack.push(t);
      existing.first_seen = minTime(existing.first_seen, row.first_seen ?? null);
      existing.last_seen = maxTime(existing.last_seen, row.last_seen ?? null);
      continue;
    }
    byId.set(id, {
      id,
      rule: rule.meta.id,
      severity,
      group: rule.meta.group,
      red_flag: row.red_flag === null || row.red_flag === undefined ? Boolean(rule.meta.redFlag) : Boolean(row.red_flag),
      title: rule.meta.title,
      description: rule.meta.description,
      remediation: rule.meta.remediation,
      attack: [...new Set([...rule.meta.attack, ...rowAttack(row)])],
      subject,
      evidence,
      first_seen: row.first_seen ?? null,
      last_seen: row.last_seen ?? null,
      reasons: [row.reason],
      details: parseDetails(row.details),
    });
  }
  return [...byId.values()];
}

/** Stores the findings in the case database (table findings), for queries beside the evidence. */
export function writeFindings(db: CaseDb, findings: readonly Finding[]): void {
  const insert = db.batch(
    `insert or replace into findings (id, rule, severity, grp, red_flag, title, subject_kind, subject_name, subject_namespace,
       subject_container, subject_id, subject_image, subject_host, attack, reasons, evidence, first_seen, last_seen)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of findings) {
    const s = f.subject;
    insert.add([
      f.id, f.rule, f.severity, f.group, f.red_flag ? 1 : 0, f.title, s.kind, s.name, s.namespace, s.container, s.id, s.image, s.host,
      JSON.stringify(f.attack), JSON.stringify(f.reasons), JSON.stringify(f.evidence), f.first_seen, f.last_seen,
    ]);
  }
  insert.flush();
}

/** sha256 of rule + subject + key: the same rule on the same subject keeps its id across runs. */
export function findingId(rule: string, subject: Subject, key: string | null): string {
  const identity = [rule, subject.kind, subject.namespace ?? '', subject.name, subject.container ?? '', subject.id ?? '', subject.host ?? '', key ?? ''];
  return createHash('sha256').update(identity.join('\u0000')).digest('hex').slice(0, 16);
}

function evidencePointers(row: FindingRow, files: Map<number, { path: string; sha256: string | null; input: string }>): EvidencePointer[] {
  const refs: EvidenceRef[] = [];
  if (row.file_id !== null && row.file_id !== undefined) refs.push({ file_id: row.file_id, locator: row.locator ?? null });
  if (row.evidence) {
    const extra = typeof row.evidence === 'string' ? (JSON.parse(row.evidence) as EvidenceRef[] | null) : row.evidence;
    if (Array.isArray(extra)) refs.push(...extra.filter((r) => r && r.file_id !== null && r.file_id !== undefined));
  }
  const pointers: EvidencePointer[] = [];
  for (const ref of refs) {
    const file = files.get(Number(ref.file_id));
    if (!file) continue;
    const pointer = { path: file.path, sha256: file.sha256, locator: ref.locator ?? null, input: file.input };
    if (!pointers.some((p) => p.path === pointer.path && p.locator === pointer.locator && p.input === pointer.input)) pointers.push(pointer);
  }
  return pointers;
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** The ATT&CK technique ids a row adds (FindingRow.attack), well-formed ones only. */
function rowAttack(row: FindingRow): string[] {
  if (row.attack === null || row.attack === undefined || row.attack === '') return [];
  let ids: unknown = row.attack;
  if (typeof row.attack === 'string') {
    try {
      ids = JSON.parse(row.attack);
    } catch {
      ids = row.attack.split(/[\s,]+/);
    }
  }
  return Array.isArray(ids) ? ids.filter((t): t is string => typeof t === 'string' && TECHNIQUE_ID.test(t)) : [];
}

function parseDetails(details: FindingRow['details']): Record<string, unknown> | null {
  if (details === null || details === undefined) return null;
  if (typeof details === 'string') {
    try {
      const parsed: unknown = JSON.parse(details);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
    } catch {
      return { text: details };
    }
  }
  return details;
}

function minTime(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

function maxTime(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** Red flags first, then by severity, group, rule and subject: deterministic output. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      Number(b.red_flag) - Number(a.red_flag) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) ||
      a.rule.localeCompare(b.rule) ||
      compareSubject(a.subject, b.subject) ||
      a.id.localeCompare(b.id),
  );
}

function compareSubject(a: Subject, b: Subject): number {
  return (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name) || (a.container ?? '').localeCompare(b.container ?? '');
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> & { red_flags: number } {
  const counts = { MALICIOUS: 0, SUSPICIOUS: 0, INFO: 0, red_flags: 0 };
  for (const f of findings) {
    counts[f.severity]++;
    if (f.red_flag) counts.red_flags++;
  }
  return counts;
}
