import { Command, CommanderError, Option } from 'commander';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { analyze, type AnalysisResult } from './analyze.js';
import { CaseDb } from './case-db/case-db.js';
import { loadConfigFile, type ConfigOverrides } from './config.js';
import { CfError, ExitStatus, UsageError, errorMessage } from './errors.js';
import { loadRules } from './engine/load-rules.js';
import { SEVERITIES, severityRank, type Severity } from './engine/rule.js';
import type { IngestProgress } from './ingest/ingest-input.js';
import { terminal } from './report/escape.js';
import { renderSarif } from './report/sarif.js';
import { TOOL_VERSION } from './version.js';

interface AnalyzeFlags {
  out: string;
  json?: boolean;
  sarif?: string;
  since?: string;
  until?: string;
  config?: string;
  failOn?: Severity;
  caseDb?: string;
  evidenceCopies: boolean;
  rule?: string[];
}

/** Where the CLI writes: the process's streams, or captures in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Maps argv to library calls and results to exit statuses; nothing else lives here. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = new Command('cf-analyze')
    .description('Analyse container incident-response evidence (collect.sh bundles, directories, loose files) offline.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError();
  let status: number = ExitStatus.OK;

  program
    .command('analyze', { isDefault: true })
    .description('analyse INPUTs and write the findings document')
    .argument('<input...>', 'bundle .tgz/.tar, directory, or evidence files')
    .option('-o, --out <dir>', 'output root (.aiwg/forensics/ is written below it)', '.')
    .option('--json', 'print the findings document as JSON (cf-findings/1) on stdout')
    .option('--sarif <file>', 'also write SARIF 2.1.0 to FILE')
    .option('--since <time>', 'incident window start (ISO 8601)')
    .option('--until <time>', 'incident window end (ISO 8601)')
    .option('-c, --config <file>', 'YAML configuration (see README, Configuration)')
    .addOption(new Option('--fail-on <severity>', 'exit 5 when a finding at or above SEVERITY exists').choices([...SEVERITIES]))
    .option('--case-db <file>', 'case database path (default .aiwg/forensics/case/container-forensics.db)')
    .option('--no-evidence-copies', 'do not write normalised evidence copies')
    .option('--rule <id...>', 'run only these rules')
    .action(async (inputs: string[], flags: AnalyzeFlags) => {
      status = await runAnalyze(inputs, flags, io);
    });

  program
    .command('rules')
    .description('list every rule with its metadata')
    .option('--json', 'as JSON')
    .action(async (flags: { json?: boolean }) => {
      const rules = await loadRules();
      if (flags.json) io.stdout.write(`${JSON.stringify(rules.map((r) => ({ ...r.meta, source: r.source.kind })), null, 2)}\n`);
      else for (const r of rules) io.stdout.write(`${r.meta.id}\t${r.meta.severity}\t${r.meta.group}\t${r.meta.attack.join(',') || '-'}\t${r.meta.title}\n`);
    });

  program
    .command('query')
    .description('run a read-only SQL query against a case database (or a bundle, analysed in memory)')
    .argument('<case>', 'case database (.db) or an input to analyse first')
    .argument('<sql>', 'one SELECT statement')
    .option('--json', 'rows as a JSON array (default: tab-separated with a header)')
    .action(async (target: string, sql: string, flags: { json?: boolean }) => {
      status = await runQuery(target, sql, flags, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exitCode 0; anything else is a usage error.
      return error.exitCode === 0 ? ExitStatus.OK : ExitStatus.USAGE;
    }
    if (error instanceof CfError) {
      io.stderr.write(`cf-analyze: ${terminal(error.message)}\n`);
      return error.code === 'USAGE' || error.code === 'CONFIG_INVALID' ? ExitStatus.USAGE : error.code === 'INPUT_UNREADABLE' ? ExitStatus.INPUT_UNREADABLE : ExitStatus.INTERNAL_ERROR;
    }
    throw error;
  }
}

async function runAnalyze(inputs: string[], flags: AnalyzeFlags, io: CliIo): Promise<number> {
  for (const t of [flags.since, flags.until]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new UsageError(`not a date/time: ${t}`);
  const config: ConfigOverrides = flags.config ? loadConfigFile(flags.config) : {};
  const tty = io.stderr.isTTY === true;
  const progress = tty ? progressPrinter(io.stderr) : undefined;
  const result = await analyze(inputs, {
    outDir: flags.out,
    config,
    since: flags.since,
    until: flags.until,
    evidenceCopies: flags.evidenceCopies,
    ...(flags.caseDb ? { caseDbPath: flags.caseDb } : {}),
    ...(flags.rule ? { onlyRules: flags.rule } : {}),
    onProgress: progress,
  });
  if (tty) io.stderr.write('\r\x1b[K');
  report(result, flags, io);
  return exitStatus(result, flags.failOn);
}

function report(result: AnalysisResult, flags: AnalyzeFlags, io: CliIo): void {
  const { document } = result;
  for (const u of result.unreadable) io.stderr.write(`cf-analyze: ${terminal(u.error)}\n`);
  for (const f of document.findings.filter((x) => x.red_flag)) {
    io.stderr.write(`RED FLAG [${f.severity}] ${f.rule}: ${terminal(f.title)}: ${terminal(f.subject.kind)} ${terminal(f.subject.namespace ? `${f.subject.namespace}/` : '')}${terminal(f.subject.name)}\n`);
  }
  for (const failure of document.rule_failures) io.stderr.write(`cf-analyze: rule ${failure.rule} failed: ${terminal(failure.error)}\n`);
  if (flags.sarif) writeFileSync(flags.sarif, `${JSON.stringify(renderSarif(document, result.rules), null, 2)}\n`);
  const s = document.summary;
  const summary = `${s.MALICIOUS} MALICIOUS, ${s.SUSPICIOUS} SUSPICIOUS, ${s.INFO} INFO, ${s.red_flags} red flag(s)`;
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    io.stderr.write(`cf-analyze: ${summary}; findings: ${result.paths.findings}; case database: ${result.paths.caseDb}\n`);
  } else {
    io.stdout.write(`${summary}\nfindings: ${result.paths.findings}\ncase database: ${result.paths.caseDb}\n`);
    if (result.paths.evidenceDir) io.stdout.write(`evidence copies: ${result.paths.evidenceDir}\n`);
    if (flags.sarif) io.stdout.write(`sarif: ${flags.sarif}\n`);
  }
}

/** Precedence: red flag (4) over --fail-on (5) over unreadable input (3). */
export function exitStatus(result: AnalysisResult, failOn: Severity | undefined): number {
  const findings = result.document.findings;
  if (findings.some((f) => f.red_flag)) return ExitStatus.RED_FLAG;
  if (failOn && findings.some((f) => severityRank(f.severity) >= severityRank(failOn))) return ExitStatus.FAIL_ON;
  if (result.unreadable.length > 0) return ExitStatus.INPUT_UNREADABLE;
  return ExitStatus.OK;
}

function progressPrinter(stderr: NodeJS.WritableStream): (p: IngestProgress) => void {
  const started = Date.now();
  return (p) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const mb = p.bytes / 1024 / 1024;
    stderr.write(`\r\x1b[K${terminal(p.file).slice(-50)}  ${mb.toFixed(0)} MB  ${p.records} records  ${Math.round(p.records / seconds)} records/s`);
  };
}

async function runQuery(target: string, sql: string, flags: { json?: boolean }, io: { stdout: NodeJS.WritableStream }): Promise<number> {
  let db;
  let owned: CaseDb | undefined;
  if (isSqliteFile(target)) db = CaseDb.openReadOnly(target);
  else {
    const result = await analyze([target], { write: false, keepDb: true });
    owned = result.db!;
    db = owned.sql;
    db.pragma('query_only = ON');
  }
  try {
    let statement;
    try {
      statement = db.prepare(sql);
    } catch (error) {
      throw new UsageError(`query rejected: ${errorMessage(error)}`);
    }
    if (!statement.reader || !statement.readonly) throw new UsageError('query rejected: only one read-only SELECT is allowed');
    const rows = statement.all() as Record<string, unknown>[];
    if (flags.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else {
      const columns = statement.columns().map((c) => c.name);
      io.stdout.write(`${columns.join('\t')}\n`);
      for (const row of rows) io.stdout.write(`${columns.map((c) => terminal(row[c] === null ? '' : String(row[c]))).join('\t')}\n`);
    }
    return ExitStatus.OK;
  } finally {
    if (owned) owned.close();
    else db.close();
  }
}

function isSqliteFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    closeSync(fd);
    return head.toString('latin1') === 'SQLite format 3\0';
  } catch {
    return false;
  }
}
