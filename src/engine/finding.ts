import type { Group, Severity } from './rule.js';

/** One finding, as in the cf-findings/1 JSON schema (docs/findings-schema.md). */
export interface Finding {
  /** Stable: the same rule and subject (and key) give the same id across runs. */
  id: string;
  rule: string;
  severity: Severity;
  group: Group;
  red_flag: boolean;
  title: string;
  description: string;
  remediation: string;
  attack: string[];
  subject: Subject;
  evidence: EvidencePointer[];
  first_seen: string | null;
  last_seen: string | null;
  /** The specific reasons of this finding (one per merged row). Extension of cf-findings/1. */
  reasons: string[];
  /** Extra structured detail from the rule. Extension of cf-findings/1. */
  details: Record<string, unknown> | null;
}

export interface Subject {
  kind: string;
  name: string;
  namespace: string | null;
  id: string | null;
  container: string | null;
  image: string | null;
  host: string | null;
}

export interface EvidencePointer {
  /** Path inside the bundle (or directory, or the loose file's path). */
  path: string;
  sha256: string | null;
  locator: string | null;
  /** The input (bundle) the file belongs to. Extension of cf-findings/1. */
  input: string;
}
