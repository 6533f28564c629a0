import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { ExitStatus } from '../src/errors.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { buildBundle, META_ENV } from './support/bundle-builder.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const risky = join(fixtures, 'docker/inspect-risky.json');
const clean = join(fixtures, 'docker/inspect-clean.json');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cf-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await main(args, { stdout, stderr });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

describe('cf-analyze exit statuses', () => {
  it('0 when nothing is at or above --fail-on and no red flag', async () => {
    const r = await run(clean, '--out', work, '--fail-on', 'MALICIOUS');
    expect(r.status).toBe(ExitStatus.OK);
    expect(r.stdout).toContain('findings: ');
  });

  it('4 on a red flag, announced on stderr', async () => {
    const r = await run(risky, '--out', work);
    expect(r.status).toBe(ExitStatus.RED_FLAG);
    expect(r.stderr).toMatch(/^RED FLAG \[SUSPICIOUS\] container\.runtime-socket-mount: .*cf-fixture-mounts$/m);
  });

  it('5 when --fail-on is met without a red flag', async () => {
    const r = await run(risky, '--out', work, '--rule', 'container.privileged', '--fail-on', 'SUSPICIOUS');
    expect(r.status).toBe(ExitStatus.FAIL_ON);
  });

  it('4 when a bundle file was edited after hashing: red flag on stderr, the rest still analysed', async () => {
    const inspect = readFileSync(risky);
    const bundle = await buildBundle(
      { 'meta.env': META_ENV, 'docker/containers/inspect.json': inspect, 'host/uname.txt': 'Linux node-1 6.1.0 x86_64 GNU/Linux\n' },
      { tamper: { 'host/uname.txt': 'Linux node-1 6.1.0 x86_64 GNU/Linux (edited)\n' } },
    );
    const path = join(work, 'tampered.tgz');
    writeFileSync(path, bundle);
    const r = await run(path, '--out', join(work, 'tampered'), '--json');
    expect(r.status).toBe(ExitStatus.RED_FLAG);
    expect(r.stderr).toMatch(/^RED FLAG \[MALICIOUS\] evidence\.hash-mismatch: .*host\/uname\.txt$/m);
    const doc = JSON.parse(r.stdout) as { inputs: { integrity: string }[]; findings: { rule: string; red_flag: boolean }[] };
    expect(doc.inputs[0]!.integrity).toBe('failed');
    expect(doc.findings[0]).toMatchObject({ rule: 'evidence.hash-mismatch', red_flag: true });
    expect(doc.findings.some((f) => f.rule === 'container.privileged')).toBe(true);
  });

  it('3 when an input cannot be read', async () => {
    const r = await run(join(work, 'nope.tgz'), '--out', work);
    expect(r.status).toBe(ExitStatus.INPUT_UNREADABLE);
    expect(r.stderr).toContain('cannot read input');
  });

  it.each([
    [['--fail-on', 'BAD', clean]],
    [['--no-such-flag', clean]],
    [[]],
    [['--since', 'yesterday-ish', clean]],
  ])('2 on a usage error %j', async (args) => {
    const r = await run(...args);
    expect(r.status).toBe(ExitStatus.USAGE);
  });

  it('2 on an invalid config file, with the reason', async () => {
    const config = join(work, 'bad.yaml');
    writeFileSync(config, 'dangerous_capabilities: SYS_ADMIN\n');
    const r = await run(clean, '--out', work, '--config', config);
    expect(r.status).toBe(ExitStatus.USAGE);
    expect(r.stderr).toContain('dangerous_capabilities');
  });
});

describe('cf-analyze outputs', () => {
  it('--json prints only the document on stdout', async () => {
    const r = await run(risky, '--out', work, '--json');
    const doc = JSON.parse(r.stdout) as { schema: string; findings: unknown[] };
    expect(doc.schema).toBe('cf-findings/1');
    expect(doc.findings.length).toBeGreaterThan(0);
  });

  it('--config (YAML, original skill layout) changes what rules see', async () => {
    const config = join(work, 'config.yaml');
    writeFileSync(config, 'container_forensics:\n  dangerous_capabilities: [NET_RAW]\n');
    const r = await run(risky, '--out', work, '--json', '--rule', 'container.dangerous-capability', '--config', config);
    const doc = JSON.parse(r.stdout) as { findings: { reasons: string[] }[] };
    expect(doc.findings.map((f) => f.reasons[0])).toEqual(['capability NET_RAW added']);
  });

  it('--sarif writes a SARIF file', async () => {
    const sarif = join(work, 'out.sarif');
    await run(risky, '--out', work, '--sarif', sarif);
    expect((JSON.parse(readFileSync(sarif, 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('rules lists every rule with its metadata', async () => {
    const r = await run('rules');
    expect(r.stdout).toMatch(/^container\.privileged\tSUSPICIOUS\tdocker\tT1611\tPrivileged container$/m);
    expect(r.status).toBe(0);
  });

  it('query answers read-only SQL on a case database and refuses writes', async () => {
    const out = join(work, 'q');
    await run(risky, '--out', out);
    const db = join(out, '.aiwg/forensics/case/container-forensics.db');
    const r = await run('query', db, "select name, privileged from containers where privileged = 1");
    expect(r.stdout).toBe('name\tprivileged\ncf-fixture-privileged\t1\n');
    const w = await run('query', db, 'delete from containers');
    expect(w.status).toBe(ExitStatus.USAGE);
    const again = await run('query', db, 'select count(*) as n from containers');
    expect(again.stdout).toBe('n\n5\n');
  });

  it('query can analyse an input in memory first', async () => {
    const r = await run('query', risky, "select count(*) as n from container_mounts where type = 'bind'", '--json');
    expect(JSON.parse(r.stdout)).toEqual([{ n: 4 }]);
  });
});

describe('the installed command', () => {
  it('bin/cf-analyze.js runs the built CLI', () => {
    const bin = join(PACKAGE_ROOT, 'bin/cf-analyze.js');
    if (!existsSync(join(PACKAGE_ROOT, 'dist/src/cli.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: PACKAGE_ROOT });
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
