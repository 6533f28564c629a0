// Runs collect.sh the way a responder would (a given shell, a given PATH) and opens the
// bundle it produced. Shared by the collect.sh test files.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COLLECT = join(REPO, 'collect.sh');
export const STUBS = join(REPO, 'test', 'collect', 'stubs');
export const STUB_BIN = join(STUBS, 'bin');
export const RECORDED = join(STUBS, 'recorded');
export const FIXTURES = join(STUBS, 'fixtures');

export function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p.startsWith('/') ? p : null;
}

/** The shells collect.sh must run under. Missing ones make the tests fail, not skip: CI installs them. */
export const SHELLS: { name: string; argv: string[] }[] = [
  { name: 'dash', argv: [which('dash') ?? '/usr/bin/dash'] },
  { name: 'busybox ash', argv: [which('busybox') ?? '/bin/busybox', 'sh'] },
];

const made: string[] = [];
/** afterAll hook: leave no bundles (some hold etcd snapshots) in /tmp, unless CF_KEEP_TEST_DIRS=1. */
export function removeTempDirs(): void {
  if (process.env.CF_KEEP_TEST_DIRS === '1') return;
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `cf-${prefix}-`));
  chmodSync(d, 0o755);
  made.push(d);
  return d;
}

/**
 * A directory of symlinks to the ordinary userland only (no docker, kubectl, crictl, ctr,
 * etcdctl, journalctl, ss): with the stub dir in front it makes a host whose container tools are
 * exactly the stubs; alone it makes a host where those tools are missing.
 */
export function systemBin(opts: { without?: string[]; extra?: string[] } = {}): string {
  const d = tempDir('sysbin');
  const base = ['sh', 'cat', 'ls', 'mkdir', 'rm', 'mv', 'cp', 'date', 'tail', 'tr', 'sed', 'awk', 'grep', 'wc',
    'tar', 'gzip', 'sleep', 'id', 'uname', 'hostname', 'df', 'find', 'sort', 'cut', 'head', 'dirname', 'getconf',
    'env', 'ps', 'uptime', 'readlink', 'chmod', 'timeout', 'sha256sum'];
  const tools = [...base.filter((t) => !(opts.without ?? []).includes(t)), ...(opts.extra ?? [])];
  for (const t of tools) {
    const p = which(t);
    if (p) symlinkSync(p, join(d, t));
  }
  return d;
}

export interface RunOptions {
  shell: { name: string; argv: string[] };
  args?: string[];
  env?: Record<string, string>;
  /** PATH entries; default: the stubs in front of systemBin() */
  path?: string[];
  outDir?: string;
  /** called once the process is spawned (e.g. to signal it later) */
  onSpawn?: (pid: number) => void;
  uid?: number;
  gid?: number;
  killAfterMs?: number;
}

export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  outDir: string;
  /** last line of stdout */
  bundlePath: string;
}

export function runCollect(o: RunOptions): Promise<RunResult> {
  const outDir = o.outDir ?? tempDir('out');
  const path = (o.path ?? [STUB_BIN, systemBin()]).join(':');
  // Event streams (tetra getevents) are read for 10 s by default; 2 s keeps the suite quick.
  const args = o.args?.includes('--event-seconds') ? o.args : [...(o.args ?? []), '--event-seconds', '2'];
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(o.shell.argv[0]!, [...o.shell.argv.slice(1), COLLECT, '-o', outDir, ...args], {
      env: { PATH: path, HOME: outDir, LANG: 'C', ...(o.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(o.uid !== undefined ? { uid: o.uid, gid: o.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const killer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 170_000);
    child.on('error', reject);
    if (child.pid) o.onSpawn?.(child.pid);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const lines = stdout.trim().split('\n');
      resolvePromise({ code, signal, stdout, stderr, durationMs: Date.now() - t0, outDir, bundlePath: lines[lines.length - 1] ?? '' });
    });
  });
}

export interface CommandRow {
  source: string; command: string; status: string; exit: string;
  start_utc: string; end_utc: string; bytes: string; output: string; note: string;
}

export const COMMANDS_HEADER = 'source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote';

export interface Bundle {
  tgz: string;
  root: string;
  name: string;
  meta: Record<string, string>;
  commands: CommandRow[];
  commandsHeader: string;
  sums: Map<string, string>;
  files: string[];
  read(rel: string): Buffer;
  text(rel: string): string;
  has(rel: string): boolean;
  /** `sha256sum -c SHA256SUMS` run inside the bundle */
  verify(): { ok: boolean; output: string };
  rows(pred: (r: CommandRow) => boolean): CommandRow[];
}

function listFiles(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function openBundle(tgz: string): Bundle {
  const dest = tempDir('bundle');
  const x = spawnSync('tar', ['-xzf', tgz, '-C', dest], { encoding: 'utf8' });
  if (x.status !== 0) throw new Error(`tar -xzf ${tgz} failed: ${x.stderr}`);
  const tops = readdirSync(dest);
  if (tops.length !== 1) throw new Error(`bundle must have one top-level directory, has: ${tops.join(', ')}`);
  const name = tops[0]!;
  const root = join(dest, name);
  const meta: Record<string, string> = {};
  for (const line of readFileSync(join(root, 'meta.env'), 'utf8').split('\n')) {
    if (!line) continue;
    const i = line.indexOf('=');
    meta[line.slice(0, i)] = line.slice(i + 1);
  }
  const tsv = readFileSync(join(root, 'commands.tsv'), 'utf8').split('\n').filter(Boolean);
  const commandsHeader = tsv[0] ?? '';
  const keys = commandsHeader.split('\t');
  const commands = tsv.slice(1).map((l) => {
    const f = l.split('\t');
    if (f.length !== 9) throw new Error(`commands.tsv row with ${f.length} fields: ${l}`);
    return Object.fromEntries(keys.map((k, i) => [k, f[i] ?? ''])) as unknown as CommandRow;
  });
  const sums = new Map<string, string>();
  for (const l of readFileSync(join(root, 'SHA256SUMS'), 'utf8').split('\n')) {
    if (!l) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(l);
    if (!m) throw new Error(`bad SHA256SUMS line: ${l}`);
    sums.set(m[2]!, m[1]!);
  }
  return {
    tgz, root, name, meta, commands, commandsHeader, sums,
    files: listFiles(root).sort(),
    read: (rel) => readFileSync(join(root, rel)),
    text: (rel) => readFileSync(join(root, rel), 'utf8'),
    has: (rel) => existsSync(join(root, rel)),
    verify: () => {
      const r = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: root, encoding: 'utf8' });
      return { ok: r.status === 0, output: r.stdout + r.stderr };
    },
    rows: (pred) => commands.filter(pred),
  };
}

/** Everything a valid bundle must satisfy, whatever happened during collection. */
export function assertValidBundle(r: RunResult, expect: (cond: boolean, msg: string) => void): Bundle {
  expect(r.bundlePath.endsWith('.tgz'), `last stdout line is the bundle path, got: ${JSON.stringify(r.stdout.slice(-300))}\nstderr: ${r.stderr.slice(-2000)}`);
  expect(existsSync(r.bundlePath), `bundle exists: ${r.bundlePath}`);
  const st = statSync(r.bundlePath);
  expect((st.mode & 0o777) === 0o600, `bundle mode is 0600, got ${(st.mode & 0o777).toString(8)}`);
  const base = r.bundlePath.split('/').pop()!;
  expect(/^cf-bundle-[A-Za-z0-9._-]+-\d{8}T\d{6}Z\.tgz$/.test(base), `bundle name ${base}`);
  const sidecar = readFileSync(`${r.bundlePath}.sha256`, 'utf8');
  expect(sidecar === `${sha256(readFileSync(r.bundlePath))}  ${base}\n`, `.sha256 beside the bundle matches: ${sidecar}`);
  const b = openBundle(r.bundlePath);
  expect(b.name === base.replace(/\.tgz$/, ''), `top-level dir ${b.name} matches the archive name`);
  const v = b.verify();
  expect(v.ok, `sha256sum -c SHA256SUMS:\n${v.output}`);
  const unlisted = b.files.filter((f) => f !== 'SHA256SUMS' && !b.sums.has(f));
  expect(unlisted.length === 0, `every file is in SHA256SUMS; missing: ${unlisted.join(', ')}`);
  expect(b.commandsHeader === COMMANDS_HEADER, `commands.tsv header: ${b.commandsHeader}`);
  for (const k of ['CF_BUNDLE_FORMAT', 'CF_COLLECTOR_VERSION', 'HOST', 'START_UTC', 'END_UTC', 'UID', 'PARTIAL',
    'ENV_DOCKER', 'ENV_CONTAINERD', 'ENV_CRIO', 'ENV_KUBERNETES', 'ENV_IN_CONTAINER', 'HOST_NS_SOURCE']) {
    expect(k in b.meta, `meta.env has ${k}`);
  }
  expect(b.meta.CF_BUNDLE_FORMAT === '1', 'format 1');
  for (const row of b.commands) {
    expect(['ok', 'failed', 'timeout', 'bounded', 'missing', 'denied', 'skipped', 'interrupted'].includes(row.status), `status ${row.status}`);
    if (row.output !== '-' && ['ok', 'failed', 'timeout', 'bounded'].includes(row.status)) {
      expect(b.has(row.output), `output file of ${row.command} exists: ${row.output}`);
      expect(String(b.read(row.output).length) === row.bytes, `bytes column of ${row.output}`);
    }
  }
  return b;
}

/** A process that still runs. A zombie is dead (it only waits for its reaper: on some VMs pid 1 reaps late). */
export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch { return false; }
}

export function readStubLog(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
}

export function ensureDir(d: string): string { mkdirSync(d, { recursive: true }); return d; }
