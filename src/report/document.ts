import { countBySeverity } from '../engine/run-rules.js';
import type { Finding } from '../engine/finding.js';
import type { RuleFailure } from '../engine/run-rules.js';
import { ATTACK_VERSION, TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface InputSummary {
  path: string;
  sha256: string | null;
  host: string | null;
  collected_at: string | null;
  integrity: 'verified' | 'failed' | 'unverifiable';
}

/** The findings document (cf-findings/1); Markdown, JSON and SARIF are renderings of it. */
export interface FindingsDocument {
  schema: 'cf-findings/1';
  tool: { name: string; version: string };
  generated_at: string;
  attack_version: string;
  incident_window: { since: string | null; until: string | null };
  inputs: InputSummary[];
  summary: { MALICIOUS: number; SUSPICIOUS: number; INFO: number; red_flags: number };
  findings: Finding[];
  /** Rules that failed to run (their absence is itself a coverage gap). */
  rule_failures: RuleFailure[];
}

export function buildDocument(args: {
  findings: Finding[];
  inputs: InputSummary[];
  failures: RuleFailure[];
  now: Date;
  window: { since: string | null; until: string | null };
}): FindingsDocument {
  return {
    schema: 'cf-findings/1',
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generated_at: args.now.toISOString(),
    attack_version: ATTACK_VERSION,
    incident_window: args.window,
    inputs: args.inputs,
    summary: countBySeverity(args.findings),
    findings: args.findings,
    rule_failures: args.failures,
  };
}
