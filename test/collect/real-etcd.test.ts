// collect.sh's etcd path against a REAL etcd (opt-in: CF_REAL_ETCD=1): etcd-server on loopback
// with non-default ports in a temporary data dir, keys written, --etcd-snapshot collected, the
// snapshot's hash recorded and verified. The etcd started here is stopped afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertValidBundle, runCollect, SHELLS, systemBin, type Bundle } from './collect-harness.js';
import { removeTempDirs } from './collect-harness.js';

afterAll(removeTempDirs);

const check = (cond: boolean, msg: string) => expect(cond, msg).toBe(true);
const have = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const enabled = process.env.CF_REAL_ETCD === '1' && have('etcd') && have('etcdctl');
const CPORT = 23000 + (process.pid % 2000) * 2;
const EP = `http://127.0.0.1:${CPORT}`;
const etcdctl = (...a: string[]) => spawnSync('etcdctl', ['--endpoints', EP, ...a], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, timeout: 20_000 });

let etcd: ChildProcess | undefined;
let dataDir = '';
const bundles: Bundle[] = [];

describe.skipIf(!enabled)('collect.sh --etcd-snapshot against a real etcd (CF_REAL_ETCD=1)', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cf-etcd-'));
    etcd = spawn('etcd', ['--name', 'cf-test', '--data-dir', join(dataDir, 'data'),
      '--listen-client-urls', EP, '--advertise-client-urls', EP,
      '--listen-peer-urls', `http://127.0.0.1:${CPORT + 1}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${CPORT + 1}`,
      '--initial-cluster', `cf-test=http://127.0.0.1:${CPORT + 1}`], { stdio: 'ignore' });
    const t0 = Date.now();
    while (etcdctl('endpoint', 'health').status !== 0) {
      if (Date.now() - t0 > 30_000) throw new Error('etcd did not become healthy');
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const k of ['/registry/secrets/kube-system/bootstrap-token-abcdef', '/registry/secrets/default/db-password', '/registry/serviceaccounts/default/default']) {
      expect(etcdctl('put', k, `v-${k}`).status).toBe(0);
    }
  }, 60_000);

  afterAll(() => {
    etcd?.kill('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const shell of SHELLS) {
    it(`snapshots etcd into the bundle and records a verifiable hash (${shell.name})`, async () => {
      const r = await runCollect({
        shell,
        path: [process.env.PATH ?? '/usr/bin:/bin', systemBin()],
        args: ['--skip', 'host,docker,cri,containerd,k8s,ebpf', '--etcd-endpoints', EP, '--etcd-snapshot', '--timeout', '30'],
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      bundles.push(b);
      expect(b.meta.ETCD_SNAPSHOT).toBe('yes');
      const db = b.read('etcd/snapshot.db');
      expect(db.length).toBeGreaterThan(4096);
      expect(b.sums.get('etcd/snapshot.db')).toBe(createHash('sha256').update(db).digest('hex'));
      const save = b.commands.find((c) => c.command.includes('snapshot save'))!;
      expect(save.status).toBe('ok');
      // etcdctl itself accepts the copied snapshot and sees our keys' revision
      const st = spawnSync('etcdctl', ['snapshot', 'status', '-w', 'json', join(b.root, 'etcd/snapshot.db')], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
      expect(st.status, st.stderr).toBe(0);
      const status = JSON.parse(st.stdout) as { revision: number; totalKey: number };
      expect(status.revision).toBeGreaterThanOrEqual(4);
      expect(JSON.parse(b.text('etcd/snapshot-status.json')).revision).toBe(status.revision);
      const keys = b.text('etcd/keys.txt');
      expect(keys).toContain('/registry/secrets/kube-system/bootstrap-token-abcdef');
      expect(keys).not.toContain('v-/registry'); // keys only, never values
      expect(JSON.parse(b.text('etcd/endpoint-status.json'))[0].Endpoint).toBe(EP);
      expect(b.text('etcd/endpoint.tsv')).toContain(`${EP}\t-\t-\t-\tflags`);
      expect(readFileSync(r.bundlePath).length).toBeGreaterThan(0);
    });
  }

  it('without --etcd-snapshot takes no snapshot', async () => {
    const r = await runCollect({ shell: SHELLS[0]!, path: [process.env.PATH ?? '/usr/bin:/bin', systemBin()],
      args: ['--skip', 'host,docker,cri,containerd,k8s,ebpf', '--etcd-endpoints', EP] });
    const b = assertValidBundle(r, check);
    expect(b.has('etcd/snapshot.db')).toBe(false);
    expect(b.commands.find((c) => c.command === 'etcdctl snapshot save')?.status).toBe('skipped');
    expect(b.has('etcd/keys.txt')).toBe(true);
  });
});
