import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { analyze } from '../../src/analyze.js';
import type { Finding } from '../../src/engine/finding.js';
import type { Rule } from '../../src/engine/rule.js';
import { PACKAGE_ROOT, RULES_DIR } from '../../src/paths.js';

/**
 * Rule cases live beside each rule as `<rule-id>.cases.yaml`: `hit` cases must produce exactly
 * the expected findings, `miss` cases none. Evidence is a real fixture file (under
 * test/fixtures/) or inline content, laid out as a directory input, optionally with a
 * SHA256SUMS manifest (and tampering after it) to exercise integrity rules.
 */
export const FIXTURES_DIR = join(PACKAGE_ROOT, 'test', 'fixtures');

const EvidenceItem = z.strictObject({
  /** Fixture file under test/fixtures/. */
  fixture: z.string().optional(),
  /** Path inside the case's input (default: the fixture's base name). */
  path: z.string().optional(),
  /** Inline content (text). */
  content: z.string().optional(),
  /** Inline JSON value (serialised). */
  json: z.unknown().optional(),
  /** Inline JSON lines: each array element serialised on its own line. */
  jsonl: z.array(z.unknown()).optional(),
  /** Content written after the manifest was computed (an edit after hashing). */
  tampered: z.string().optional(),
  /** Left out of the manifest. */
  unlisted: z.boolean().optional(),
  /** Create a symbolic link at `path` pointing here instead of a file. */
  symlink: z.string().optional(),
});

const Expectation = z.strictObject({
  severity: z.enum(['INFO', 'SUSPICIOUS', 'MALICIOUS']).optional(),
  red_flag: z.boolean().optional(),
  subject: z.record(z.string(), z.string().nullable()).optional(),
  /** Substring that one of the finding's reasons must contain. */
  reason: z.string().optional(),
  /** Evidence pointers the finding must include (path and/or locator). */
  evidence: z.array(z.strictObject({ path: z.string().optional(), locator: z.string().optional() })).optional(),
  first_seen: z.string().optional(),
  last_seen: z.string().optional(),
});

const Case = z.strictObject({
  name: z.string(),
  evidence: z.array(EvidenceItem).min(1),
  /** Write a SHA256SUMS covering the evidence. */
  manifest: z.boolean().optional(),
  /** Extra manifest lines for files that are then absent. */
  manifest_extra: z.record(z.string(), z.string()).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  expect: z.array(Expectation).optional(),
  /** Accept more findings than listed (each listed one must still match). */
  more: z.boolean().optional(),
});

export const CaseFile = z.strictObject({
  hit: z.array(Case).min(1),
  miss: z.array(Case).min(1),
});
export type RuleCase = z.infer<typeof Case>;
export type Expectation = z.infer<typeof Expectation>;

export function caseFileFor(rule: Rule): string {
  return rule.source.file.replace(/\.(sql|ts|js)$/, '.cases.yaml');
}

export function loadCaseFile(path: string): z.infer<typeof CaseFile> {
  const parsed = CaseFile.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Every *.cases.yaml under rules/. */
export function allCaseFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? allCaseFiles(join(dir, e.name)) : e.name.endsWith('.cases.yaml') ? [join(dir, e.name)] : []))
    .sort();
}

/** Lays the case's evidence out as a directory and runs the one rule over it. */
export async function runCase(rule: Rule, c: RuleCase): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cf-case-'));
  try {
    const manifest: string[] = [];
    const tampering: [string, string][] = [];
    for (const item of c.evidence) {
      if (item.symlink !== undefined) {
        const link = join(dir, ...item.path!.split('/'));
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(item.symlink, link);
        continue;
      }
      const { path, data } = materialise(item);
      const full = join(dir, ...path.split('/'));
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, data);
      if (!item.unlisted) manifest.push(`${createHash('sha256').update(data).digest('hex')}  ${path}\n`);
      if (item.tampered !== undefined) tampering.push([full, item.tampered]);
    }
    for (const [path, digest] of Object.entries(c.manifest_extra ?? {})) manifest.push(`${digest}  ${path}\n`);
    if (c.manifest) writeFileSync(join(dir, 'SHA256SUMS'), manifest.join(''));
    for (const [full, text] of tampering) writeFileSync(full, text);
    const result = await analyze([dir], {
      write: false,
      rules: [rule],
      config: c.config ?? {},
      since: c.since,
      until: c.until,
      now: new Date('2026-01-01T00:00:00Z'),
    });
    if (result.document.rule_failures.length > 0) throw new Error(`rule failed: ${result.document.rule_failures[0]!.error}`);
    return result.document.findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function materialise(item: z.infer<typeof EvidenceItem>): { path: string; data: Buffer } {
  if (item.fixture) {
    return { path: item.path ?? item.fixture.slice(item.fixture.lastIndexOf('/') + 1), data: readFileSync(join(FIXTURES_DIR, item.fixture)) };
  }
  if (!item.path) throw new Error('inline evidence needs a path');
  if (item.content !== undefined) return { path: item.path, data: Buffer.from(item.content) };
  if (item.json !== undefined) return { path: item.path, data: Buffer.from(JSON.stringify(item.json, null, 2)) };
  if (item.jsonl !== undefined) return { path: item.path, data: Buffer.from(item.jsonl.map((v) => JSON.stringify(v)).join('\n') + '\n') };
  throw new Error(`evidence item ${item.path} has no fixture, content, json or jsonl`);
}

/** Does a finding satisfy an expectation (every stated field matches)? */
export function matches(f: Finding, e: Expectation): boolean {
  if (e.severity && f.severity !== e.severity) return false;
  if (e.red_flag !== undefined && f.red_flag !== e.red_flag) return false;
  if (e.subject) {
    for (const [key, value] of Object.entries(e.subject)) if ((f.subject as unknown as Record<string, unknown>)[key] !== value) return false;
  }
  if (e.reason && !f.reasons.some((r) => r.includes(e.reason!))) return false;
  if (e.first_seen && f.first_seen !== e.first_seen) return false;
  if (e.last_seen && f.last_seen !== e.last_seen) return false;
  if (e.evidence) {
    for (const want of e.evidence) {
      if (!f.evidence.some((p) => (!want.path || p.path === want.path) && (!want.locator || p.locator === want.locator))) return false;
    }
  }
  return true;
}

export function describeFinding(f: Finding): string {
  return `${f.severity}${f.red_flag ? ' (red flag)' : ''} ${JSON.stringify(f.subject)} ${JSON.stringify(f.reasons)} ${JSON.stringify(f.evidence.map((e) => [e.path, e.locator]))}`;
}
