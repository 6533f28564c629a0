import type Database from 'better-sqlite3';
import type { Config } from '../config.js';

export const SEVERITIES = ['INFO', 'SUSPICIOUS', 'MALICIOUS'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const GROUPS = ['escape', 'evidence', 'docker', 'runtime', 'kubernetes', 'control-plane', 'audit'] as const;
export type Group = (typeof GROUPS)[number];

/** A rule's metadata: the same fields for SQL rules (header comments) and TypeScript rules. */
export interface RuleMeta {
  /** Stable id from the rule catalog, e.g. `container.privileged`; also the file name. */
  id: string;
  title: string;
  /** Default severity; a finding row may raise or lower it and must say why. */
  severity: Severity;
  group: Group;
  /** MITRE ATT&CK (for Containers) technique ids. */
  attack: string[];
  /** Why it matters: one paragraph. */
  description: string;
  remediation: string;
  /** Every finding of this rule is a red flag (a row may also set red_flag itself). */
  redFlag?: boolean;
  /** Known benign causes, for the analyst. */
  falsePositives?: string;
}

/**
 * What a rule returns, one object per finding (SQL rules: one row, the same column names).
 * Rows with the same subject and key are merged into one finding.
 */
export interface FindingRow {
  subject_kind: string;
  subject_name: string;
  subject_namespace?: string | null;
  subject_id?: string | null;
  subject_container?: string | null;
  subject_image?: string | null;
  subject_host?: string | null;
  /** Distinguishes several findings of one rule on one subject (a capability, a mount). */
  key?: string | null;
  /** The specific why of this finding, e.g. "CapAdd includes SYS_ADMIN". */
  reason: string;
  severity?: Severity | null;
  red_flag?: number | boolean | null;
  /** Single evidence pointer: files.id and a locator inside that file. */
  file_id?: number | null;
  locator?: string | null;
  /** Several pointers: a JSON array (string in SQL) of {file_id, locator}. */
  evidence?: string | EvidenceRef[] | null;
  first_seen?: string | null;
  last_seen?: string | null;
  /** Extra structured detail (JSON object, or its text from SQL). */
  details?: string | Record<string, unknown> | null;
  /**
   * ATT&CK technique ids this row adds to the rule's own (e.g. from a Falco rule's tags or a
   * Tracee signature): an array, or its JSON text from SQL. Ids that are not T1234(.567) are ignored.
   */
  attack?: string | string[] | null;
}

export interface EvidenceRef {
  file_id: number;
  locator?: string | null;
}

export interface RuleContext {
  /** Read-only (query_only) connection to the case database. */
  readonly db: Database.Database;
  readonly config: Config;
}

export interface Rule {
  readonly meta: RuleMeta;
  /** `sql` or `ts`, and the file it was loaded from. */
  readonly source: { kind: 'sql' | 'ts'; file: string };
  run(ctx: RuleContext): FindingRow[];
}

/** What a TypeScript rule module default-exports. */
export interface TsRuleDefinition {
  meta: RuleMeta;
  run(ctx: RuleContext): FindingRow[];
}

/** Identity helper that gives TypeScript rules their types. */
export function defineRule(definition: TsRuleDefinition): TsRuleDefinition {
  return definition;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
