/**
 * `npm run bench`: cf-analyze on a large API server audit log, beside baselines measured in the
 * same run on the same data (issue 7). Not a test: CI does not run it.
 *
 *   npm run bench -- [--size 1G] [--seed 1] [--dir /tmp/cf-bench] [--repeat 3] [--full] [--keep]
 *
 * 1. Generates a realistic audit log of --size bytes (benign traffic of a small cluster: kubelets,
 *    controllers, scheduler, watches, CI, people; ~1 KB per line; ~10% of lines with request /
 *    response objects; see scripts/audit-traffic.ts) and packs it as a collect.sh bundle
 *    (control-plane/audit/audit.log, meta.env, commands.tsv, SHA256SUMS; tar + gzip -6). Both
 *    are cached in --dir by size and seed.
 * 2. Measures, one after the other:
 *    - `gzip -dc` of the bundle (the decompression limit);
 *    - a plain Node read of the bundle (zlib + tar-stream) splitting lines and JSON.parse-ing
 *      each one (the parse limit);
 *    - `jq -c 'select(.objectRef.resource=="secrets")'` over the plain log, when jq is installed;
 *    - cf-analyze end to end on the bundle (ingest + indexes + every audit rule and the exec
 *      correlation; evidence copies off), wall time and peak RSS (/usr/bin/time -v, else
 *      the child's resource usage); with --full also the default run (all rules, copies);
 *    - every audit rule again, alone, over the resulting case database.
 * 3. Prints the figures and the ratios against the issue's targets.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { auditLines, random } from './audit-log-writer.js';
import { backgroundRequest } from './audit-traffic.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

interface Options {
  size: number;
  seed: number;
  dir: string;
  full: boolean;
  keep: boolean;
  /** Runs of the parse baseline and of cf-analyze, alternated; medians are reported. */
  repeat: number;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`--size: not a size: ${text}`);
  const unit = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * unit);
}

function options(argv: string[]): Options {
  const o: Options = { size: 1e9, seed: 1, dir: '/tmp/cf-bench', full: false, keep: false, repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--size') o.size = parseSize(argv[++i] ?? '');
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--dir') o.dir = argv[++i] ?? o.dir;
    else if (a === '--full') o.full = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--repeat') o.repeat = Math.max(1, Number(argv[++i]) || 1);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (text: string) => process.stderr.write(`${text}\n`);

/** Writes the log (cached): background traffic at ~400 requests/s from 2026-11-30T00:00Z. */
async function generate(path: string, size: number, seed: number): Promise<{ lines: number; objects: number }> {
  const meta = `${path}.meta.json`;
  if (existsSync(path) && existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as { lines: number; objects: number };
  log(`generating ${fmt(size / 1e6, 0)} MB of audit log in ${path} ...`);
  const rand = random(seed);
  const out = createWriteStream(`${path}.partial`);
  let at = Date.parse('2026-11-30T00:00:00Z') * 1000;
  let bytes = 0;
  let lines = 0;
  let objects = 0;
  let chunk: string[] = [];
  while (bytes < size) {
    at += Math.floor(rand() * 5000);
    for (const line of auditLines(backgroundRequest(rand, at))) {
      chunk.push(line);
      bytes += Buffer.byteLength(line) + 1;
      lines++;
      if (line.includes('"requestObject":') || line.includes('"responseObject":')) objects++;
    }
    if (chunk.length >= 4096) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = [];
    }
  }
  out.write(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  execFileSync('mv', [`${path}.partial`, path]);
  writeFileSync(meta, JSON.stringify({ lines, objects }));
  return { lines, objects };
}

/** Packs the log as a collect.sh bundle (cached). */
function pack(logFile: string, bundle: string, work: string): void {
  if (existsSync(bundle)) return;
  const name = 'cf-bundle-bench-20261130T235959Z';
  const root = join(work, name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'control-plane', 'audit'), { recursive: true });
  const target = join(root, 'control-plane', 'audit', 'audit.log');
  execFileSync('ln', [logFile, target]); // a hard link: no copy of gigabytes (same file system)
  const bytes = statSync(target).size;
  writeFileSync(join(root, 'meta.env'), ['CF_BUNDLE_FORMAT=1', 'CF_COLLECTOR_VERSION=0.1.0', 'HOST=bench', 'START_UTC=2026-11-30T23:59:59Z', 'END_UTC=2026-12-01T00:00:30Z', 'ROOT=yes', 'ENV_KUBERNETES=yes', 'PARTIAL=no', 'LIMITS=', ''].join('\n'));
  writeFileSync(
    join(root, 'commands.tsv'),
    `source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote\ncontrol-plane\t[copy] /var/log/kubernetes/audit/audit.log\tok\t0\t2026-11-30T23:59:59Z\t2026-12-01T00:00:29Z\t${bytes}\tcontrol-plane/audit/audit.log\t\n`,
  );
  const sums = ['control-plane/audit/audit.log', 'meta.env', 'commands.tsv'].map((f) => `${sha256File(join(root, f))}  ${f}`);
  writeFileSync(join(root, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  log(`packing ${bundle} (tar + gzip -6) ...`);
  execFileSync('sh', ['-c', `tar -C "${work}" -cf - "${name}" | gzip -6 > "${bundle}.partial" && mv "${bundle}.partial" "${bundle}"`]);
  rmSync(root, { recursive: true, force: true });
}

function sha256File(path: string): string {
  // sha256sum streams; a 2 GB log does not fit in one Node buffer.
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
}

interface Run {
  seconds: number;
  rssMb: number | null;
  status: number | null;
  stdout: string;
}

/** Runs a command, timing it; peak RSS through /usr/bin/time -v when it exists. */
function timed(command: string, args: string[]): Run {
  const haveTime = existsSync('/usr/bin/time');
  const argv = haveTime ? ['/usr/bin/time', '-v', command, ...args] : [command, ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 && result.status !== 4) log(`${command} exited ${result.status}: ${(result.stderr ?? '').split('\n').slice(-8).join('\n')}`);
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : null, status: result.status, stdout: result.stdout ?? '' };
}

/** The parse baseline, run in a child: zlib + tar-stream, split lines, JSON.parse each. */
async function parseBaseline(bundle: string): Promise<void> {
  const tar = require('tar-stream') as typeof import('tar-stream');
  const start = process.hrtime.bigint();
  const extract = tar.extract();
  const done = pipeline(createReadStream(bundle), createGunzip(), extract);
  let lines = 0;
  let secrets = 0;
  let bytes = 0;
  for await (const entry of extract) {
    if (!entry.header.name.endsWith('/audit.log')) {
      entry.resume();
      continue;
    }
    let carry = '';
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const text = carry + chunk.toString('utf8');
      let pos = 0;
      for (;;) {
        const nl = text.indexOf('\n', pos);
        if (nl === -1) break;
        if (nl > pos) {
          const event = JSON.parse(text.slice(pos, nl)) as { objectRef?: { resource?: string } };
          if (event.objectRef?.resource === 'secrets') secrets++;
          lines++;
        }
        pos = nl + 1;
      }
      carry = text.slice(pos);
    }
  }
  await done;
  process.stdout.write(`${JSON.stringify({ lines, secrets, bytes, seconds: Number(process.hrtime.bigint() - start) / 1e9 })}\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--baseline-parse') return parseBaseline(argv[1]!);
  const o = options(argv);
  mkdirSync(o.dir, { recursive: true });
  const tag = `${Math.round(o.size / 1e6)}MB-seed${o.seed}`;
  const logPath = join(o.dir, `audit-${tag}.log`);
  const bundle = join(o.dir, `bundle-${tag}.tgz`);
  const { lines, objects } = await generate(logPath, o.size, o.seed);
  pack(logPath, bundle, o.dir);
  const logBytes = statSync(logPath).size;
  const mb = logBytes / 1e6;
  log(`log: ${fmt(mb, 0)} MB, ${lines.toLocaleString('en-US')} lines (${fmt((100 * objects) / lines)}% with request/response objects, ${fmt(logBytes / lines, 0)} bytes per line); bundle ${fmt(statSync(bundle).size / 1e6, 0)} MB`);

  const self = fileURLToPath(import.meta.url);
  const cli = join(ROOT, 'bin', 'cf-analyze.js');
  const out = join(o.dir, 'out');
  const caseDb = join(o.dir, 'bench-case.db');

  log('1/4 gzip -dc ...');
  const gunzip = timed('sh', ['-c', `gzip -dc "${bundle}" > /dev/null`]);
  log(`2/4 node read + JSON.parse baseline ...`);
  const parseRuns: Run[] = [timed(process.execPath, [self, '--baseline-parse', bundle])];
  const parse = parseRuns[0]!;
  const parsed = JSON.parse(parse.stdout.trim().split('\n').pop() ?? '{}') as { lines?: number; secrets?: number };
  let jq: Run | null = null;
  if (spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).status === 0) {
    log('3/4 jq select ...');
    jq = timed('sh', ['-c', `jq -c 'select(.objectRef.resource=="secrets")' "${logPath}" > /dev/null`]);
  } else log('3/4 jq not installed: skipped');

  const ruleIds = listRules(cli).filter((id) => id.startsWith('audit.') || id === 'correlate.exec-into-exposed-pod');
  log(`4/4 cf-analyze (${ruleIds.length} rules, no evidence copies)${o.repeat > 1 ? `, ${o.repeat} runs alternating with the parse baseline` : ''} ...`);
  const e2eRuns: Run[] = [];
  for (let i = 0; i < o.repeat; i++) {
    if (i > 0) parseRuns.push(timed(process.execPath, [self, '--baseline-parse', bundle]));
    rmSync(out, { recursive: true, force: true });
    e2eRuns.push(timed(process.execPath, [cli, bundle, '--out', out, '--no-evidence-copies', '--case-db', caseDb, '--rule', ...ruleIds]));
  }
  const median = (runs: Run[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs.length - 1) / 2)]!;
  const e2e = median(e2eRuns);
  const parseMedian = median(parseRuns);
  let full: Run | null = null;
  if (o.full) {
    log('    cf-analyze with defaults (all rules, evidence copies) ...');
    rmSync(out, { recursive: true, force: true });
    full = timed(process.execPath, [cli, bundle, '--out', out, '--case-db', `${caseDb}.full`]);
    rmSync(`${caseDb}.full`, { force: true });
  }
  const perRule = timeRules(caseDb, ruleIds);

  const requests = perRule.requests;
  const rate = (seconds: number) => `${fmt(mb / seconds, 0)} MB/s, ${fmt(lines / seconds / 1000, 0)}k events/s`;
  const rows: [string, string][] = [
    ['gzip -dc (decompression limit)', `${fmt(gunzip.seconds, 2)} s  (${rate(gunzip.seconds)})`],
    ['node read + JSON.parse (parse limit)', `${fmt(parseMedian.seconds, 2)} s  (${rate(parseMedian.seconds)}; ${parsed.lines ?? '?'} lines)${parseRuns.length > 1 ? `; median of ${parseRuns.map((r) => fmt(r.seconds, 2)).join(', ')}` : ''}`],
    ['jq select secrets', jq ? `${fmt(jq.seconds, 2)} s  (${rate(jq.seconds)})` : 'not installed'],
    ['cf-analyze end to end', `${fmt(e2e.seconds, 2)} s  (${rate(e2e.seconds)}; ${requests.toLocaleString('en-US')} requests), peak RSS ${e2e.rssMb === null ? '?' : `${fmt(Math.max(...e2eRuns.map((r) => r.rssMb ?? 0)), 0)} MB`}${e2eRuns.length > 1 ? `; median of ${e2eRuns.map((r) => fmt(r.seconds, 2)).join(', ')}` : ''}`],
  ];
  if (full) rows.push(['cf-analyze defaults (all rules, copies)', `${fmt(full.seconds, 2)} s, peak RSS ${full.rssMb === null ? '?' : `${fmt(full.rssMb, 0)} MB`}`]);
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\nAudit log benchmark: ${fmt(mb, 0)} MB, ${lines.toLocaleString('en-US')} events, ${requests.toLocaleString('en-US')} requests (seed ${o.seed})\n\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  process.stdout.write('\n  rules alone over the case database:\n');
  for (const r of perRule.rules) process.stdout.write(`    ${r.id.padEnd(36)} ${fmt(r.seconds, 3)} s  ${r.findings} finding(s)${r.error ? `  FAILED: ${r.error}` : ''}\n`);

  const throughputRatio = parseMedian.seconds / e2e.seconds;
  const pairRatios = e2eRuns.map((r, i) => parseRuns[i]!.seconds / r.seconds);
  const jqRatio = jq ? e2e.seconds / jq.seconds : null;
  const slowest = Math.max(...perRule.rules.map((r) => r.seconds));
  const scaled = (slowest * 2_000_000) / Math.max(requests, 1);
  process.stdout.write('\n  targets (issue 7):\n');
  process.stdout.write(`    end-to-end throughput / parse-baseline throughput = ${fmt(throughputRatio, 2)}  (target >= 0.75) ${throughputRatio >= 0.75 ? 'met' : 'NOT met'}${pairRatios.length > 1 ? `; run by run ${pairRatios.map((r) => fmt(r, 2)).join(', ')}` : ''}\n`);
  process.stdout.write(`    end-to-end time / jq time = ${jqRatio === null ? 'n/a' : fmt(jqRatio, 2)}  (target <= 0.5) ${jqRatio === null ? '' : jqRatio <= 0.5 ? 'met' : 'NOT met'}\n`);
  process.stdout.write(`    peak RSS = ${e2e.rssMb === null ? '?' : `${fmt(Math.max(...e2eRuns.map((r) => r.rssMb ?? 0)), 0)} MB`} for ${fmt(mb / 1000, 2)} GB  (target <= 300 MB for 2 GB)\n`);
  process.stdout.write(`    slowest rule = ${fmt(slowest, 3)} s over ${requests.toLocaleString('en-US')} requests (${lines.toLocaleString('en-US')} events); linear estimate for 2 million requests ${fmt(scaled, 2)} s  (target < 10 s)\n`);
  process.stdout.write(`    also: gzip -dc / end-to-end = ${fmt(gunzip.seconds / e2e.seconds, 2)}; e2e status ${e2e.status}\n`);
  if (!o.keep) rmSync(caseDb, { force: true });
  rmSync(out, { recursive: true, force: true });
}

function listRules(cli: string): string[] {
  const result = spawnSync(process.execPath, [cli, 'rules', '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return (JSON.parse(result.stdout) as { id: string }[]).map((r) => r.id);
}

/** Each rule alone over the case database, in a child so that the timing is the rule's own. */
function timeRules(caseDb: string, ids: string[]): { requests: number; rules: { id: string; seconds: number; findings: number; error?: string }[] } {
  const script = `
    import Database from 'better-sqlite3';
    import { loadRules } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'engine', 'load-rules.js'))};
    import { resolveConfig } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'config.js'))};
    const ids = ${JSON.stringify(ids)};
    const db = new Database(${JSON.stringify(caseDb)}, { readonly: true });
    const requests = db.prepare('select count(*) as n from audit_events').get().n;
    const rules = (await loadRules()).filter((r) => ids.includes(r.meta.id));
    const out = [];
    for (const rule of rules) {
      const t = process.hrtime.bigint();
      try {
        const rows = rule.run({ db, config: resolveConfig({}) });
        out.push({ id: rule.meta.id, seconds: Number(process.hrtime.bigint() - t) / 1e9, findings: rows.length });
      } catch (e) {
        out.push({ id: rule.meta.id, seconds: Number(process.hrtime.bigint() - t) / 1e9, findings: 0, error: String(e && e.message || e) });
      }
    }
    process.stdout.write(JSON.stringify({ requests, rules: out }));
  `;
  const file = join(ROOT, 'dist', 'scripts', 'bench-rules.mjs');
  writeFileSync(file, script);
  try {
    const result = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout) as { requests: number; rules: { id: string; seconds: number; findings: number; error?: string }[] };
  } finally {
    rmSync(file, { force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
