import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CaseDb } from './case-db/case-db.js';
import { resolveConfig, type Config, type ConfigOverrides } from './config.js';
import { InputUnreadableError, errorMessage } from './errors.js';
import { loadRules } from './engine/load-rules.js';
import type { Rule } from './engine/rule.js';
import { runRules, writeConfig, writeFindings } from './engine/run-rules.js';
import { EvidenceCopies } from './ingest/evidence-copies.js';
import { ingestInput, type IngestLimits, type IngestProgress } from './ingest/ingest-input.js';
import { APPENDICES } from './report/appendices.js';
import { writeTimelineCsv } from './report/timeline.js';
import type { Finding } from './engine/finding.js';
import { buildDocument, type FindingsDocument, type InputSummary } from './report/document.js';
import { renderMarkdown, type Appendix } from './report/markdown.js';

export interface AnalyzeOptions {
  /** Output root; the findings go to .aiwg/forensics/ below it. Default: the current directory. */
  outDir?: string;
  /** Write the findings document and evidence copies (false: analyse only, e.g. for tests). */
  write?: boolean;
  /** Case database file; default .aiwg/forensics/case/container-forensics.db, ':memory:' allowed. */
  caseDbPath?: string;
  evidenceCopies?: boolean;
  config?: ConfigOverrides;
  since?: string | undefined;
  until?: string | undefined;
  /** Only these rule ids (default: all). */
  onlyRules?: string[];
  rules?: Rule[];
  limits?: Partial<IngestLimits>;
  /** Injectable clock for reproducible documents. */
  now?: Date;
  onProgress?: ((progress: IngestProgress) => void) | undefined;
  /** Keep the case database open and return it (the caller closes it). */
  keepDb?: boolean;
}

export interface AnalysisResult {
  document: FindingsDocument;
  markdown: string;
  rules: Rule[];
  config: Config;
  paths: { findings: string | null; caseDb: string; evidenceDir: string | null };
  /** Inputs that could not be opened at all (the others were analysed). */
  unreadable: { path: string; error: string }[];
  db?: CaseDb;
}

export const FORENSICS_DIR = join('.aiwg', 'forensics');

/**
 * The library entry point: inputs → case database → rules → findings document.
 * The CLI is a thin layer over this.
 */
export async function analyze(inputs: string[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const write = options.write ?? true;
  const outDir = resolve(options.outDir ?? '.');
  const forensics = join(outDir, FORENSICS_DIR);
  const config = resolveConfig({
    ...options.config,
    incident_window: {
      since: options.since ?? options.config?.incident_window?.since ?? null,
      until: options.until ?? options.config?.incident_window?.until ?? null,
    },
  });
  const caseDbPath = options.caseDbPath ?? (write ? join(forensics, 'case', 'container-forensics.db') : ':memory:');
  if (caseDbPath !== ':memory:') mkdirSync(join(caseDbPath, '..'), { recursive: true });
  const loadFailures: { rule: string; error: string }[] = [];
  const rules = filterRules(options.rules ?? (await loadRules(undefined, loadFailures)), options.onlyRules);
  const copies = write && (options.evidenceCopies ?? true) ? new EvidenceCopies(join(forensics, 'evidence')) : undefined;

  const db = CaseDb.create(caseDbPath);
  try {
    const unreadable: { path: string; error: string }[] = [];
    for (const input of inputs) {
      try {
        await ingestInput(input, db, { config, limits: options.limits, copies, onProgress: options.onProgress });
      } catch (error) {
        if (!(error instanceof InputUnreadableError)) throw error;
        unreadable.push({ path: input, error: errorMessage(error) });
      }
    }
    db.finishLoad();
    writeConfig(db, config);
    copies?.writeManifest();

    const { findings, failures: runFailures } = runRules(db, rules, config);
    const failures = [...loadFailures, ...runFailures];
    writeFindings(db, findings);
    const document = buildDocument({
      findings,
      failures,
      inputs: inputSummaries(db),
      now: options.now ?? new Date(),
      window: config.incident_window,
    });
    const appendices = buildAppendices(db, config, findings);
    const markdown = renderMarkdown(document, appendices);
    let findingsPath: string | null = null;
    if (write) {
      findingsPath = join(forensics, 'findings', 'container-forensics.md');
      mkdirSync(join(findingsPath, '..'), { recursive: true });
      writeFileSync(findingsPath, markdown);
      writeTimelineCsv(db.sql, findings, join(forensics, 'findings', 'timeline.csv'));
    }
    return {
      document,
      markdown,
      rules,
      config,
      paths: { findings: findingsPath, caseDb: caseDbPath, evidenceDir: copies?.dir ?? null },
      unreadable,
      ...(options.keepDb ? { db } : {}),
    };
  } finally {
    if (!options.keepDb) db.close();
  }
}

function filterRules(rules: Rule[], only: string[] | undefined): Rule[] {
  if (!only || only.length === 0) return rules;
  return rules.filter((r) => only.includes(r.meta.id));
}

function inputSummaries(db: CaseDb): InputSummary[] {
  return db.sql
    .prepare('select path, sha256, host, collected_at, integrity from inputs order by id')
    .all() as InputSummary[];
}

function buildAppendices(db: CaseDb, config: Config, findings: readonly Finding[]): Appendix[] {
  db.sql.pragma('query_only = ON');
  try {
    return APPENDICES.map((build) => build(db.sql, config, findings)).filter((a): a is Appendix => a !== null);
  } finally {
    db.sql.pragma('query_only = OFF');
  }
}
