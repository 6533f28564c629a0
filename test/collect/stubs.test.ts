// collect.sh against stub tools (stubs/bin) that replay real recorded outputs, hang, fail,
// print garbage or are missing; under dash and busybox ash. Each time the bundle must be a
// valid archive whose SHA256SUMS verifies and whose commands.tsv says what happened.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertValidBundle, FIXTURES, pidAlive, readStubLog, RECORDED, runCollect, SHELLS, STUB_BIN, systemBin, tempDir, type Bundle,
} from './collect-harness.js';
import { removeTempDirs } from './collect-harness.js';

afterAll(removeTempDirs);

const check = (cond: boolean, msg: string) => expect(cond, msg).toBe(true);
const containerIds = readdirSync(join(RECORDED, 'docker', 'containers')).sort();
const imageIds = readdirSync(join(RECORDED, 'docker', 'images')).sort();
const running = readFileSync(join(RECORDED, 'docker', 'ps.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"State":"running"'))
  .map((l) => (JSON.parse(l) as { ID: string }).ID);
const stopped = containerIds.filter((id) => !running.includes(id));

// Read-only verbs per tool; anything else in the stub log means collect.sh changed something.
const ALLOWED: Record<string, RegExp> = {
  docker: /^(version|info|ps|inspect|diff|top|logs|images|image inspect|history|volume (ls|inspect)|network (ls|inspect)|save)\b/,
  kubectl: /^(version|cluster-info|get|logs)\b/,
  crictl: /^(version|info|pods|ps|images|inspect|inspectp|inspecti|logs)\b/,
  ctr: /^(version|namespaces ls|containers (ls|info)|tasks ls|images ls)\b/,
  tetra: /^getevents -o json$/,
  etcdctl: /^(version|endpoint status|member list|get \/ --prefix --keys-only|snapshot (save|status))\b/,
};
function verbOf(tool: string, argv: string): string {
  const words = argv.split(' ');
  const pos: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (tool === 'ctr' && (w === '--address' || w === '-n')) { i++; continue; }
    if (w.startsWith('--') && tool !== 'etcdctl') continue;
    if (tool === 'etcdctl' && w.startsWith('--') && !['--prefix', '--keys-only'].includes(w)) continue;
    pos.push(w);
  }
  return pos.join(' ');
}
function assertReadOnly(logFile: string) {
  const calls = readStubLog(logFile);
  for (const [tool, argv] of calls) {
    const re = ALLOWED[tool!];
    expect(re, `unexpected tool ${tool}`).toBeDefined();
    expect(verbOf(tool!, argv ?? ''), `${tool} ${argv}`).toMatch(re!);
  }
  return calls;
}
const row = (b: Bundle, pred: (c: string) => boolean) => b.commands.find((r) => pred(r.command));

for (const shell of SHELLS) {
  describe(`collect.sh with stub tools under ${shell.name}`, () => {
    it('replays recorded real outputs unmodified, hashes them, and stays read-only', async () => {
      const state = tempDir('state');
      const log = join(state, 'calls.log');
      const r = await runCollect({
        shell,
        args: ['--etcd-endpoints', 'http://127.0.0.1:1', '--etcd-snapshot', '--timeout', '20'],
        env: { CF_STUB_LOG: log, CF_STUB_STATE: state },
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      expect(b.meta.PARTIAL).toBe('no');
      expect(b.meta.ENV_DOCKER).toBe('yes');
      expect(b.meta.ENV_KUBERNETES).toBe('yes');
      expect(b.meta.ETCD_SNAPSHOT).toBe('yes');
      expect(b.meta.HOST_NS_SOURCE).toMatch(/^\/proc\/(1|self)\/ns$/);
      // docker: every recorded container and image, byte for byte
      for (const id of containerIds) {
        for (const f of ['inspect.json', 'diff.txt', 'logs.txt']) {
          expect(b.read(`docker/containers/${id}/${f}`).equals(readFileSync(join(RECORDED, 'docker/containers', id, f)))).toBe(true);
        }
      }
      for (const id of running) expect(b.text(`docker/containers/${id}/top.txt`)).toBe(readFileSync(join(RECORDED, 'docker/containers', id, 'top.txt'), 'utf8'));
      for (const id of stopped) expect(row(b, (c) => c === `docker top ${id}`)?.status).toBe('skipped');
      for (const id of imageIds) {
        expect(b.text(`docker/images/${id}/history.jsonl`)).toBe(readFileSync(join(RECORDED, 'docker/images', id, 'history.jsonl'), 'utf8'));
        expect(b.text(`docker/images/${id}/inspect.json`)).toBe(readFileSync(join(RECORDED, 'docker/images', id, 'inspect.json'), 'utf8'));
      }
      for (const f of ['ps.jsonl', 'images.jsonl', 'volumes.jsonl', 'volumes-inspect.json', 'networks.jsonl', 'networks-inspect.json', 'info.json', 'version.json']) {
        expect(b.text(`docker/${f}`), f).toBe(readFileSync(join(RECORDED, 'docker', f), 'utf8'));
      }
      // every docker row ran fine (or was skipped on purpose)
      for (const rr of b.rows((x) => x.source === 'docker')) expect(['ok', 'skipped', 'missing'], `${rr.command}: ${rr.status}`).toContain(rr.status);
      // containerd via ctr
      expect(b.text('containerd/moby/containers.txt')).toBe(readFileSync(join(RECORDED, 'containerd/moby/containers.txt'), 'utf8'));
      // CRI
      const criId = '9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8';
      expect(JSON.parse(b.text(`cri/containers/${criId}/inspect.json`)).info.config.linux.security_context.privileged).toBe(true);
      expect(b.has('cri/pods/a3f1c9e2b7d64e0f9c8b7a6d5e4f3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d/inspectp.json')).toBe(true);
      // Kubernetes: all kinds as JSON, secrets as metadata only
      for (const k of ['nodes', 'namespaces', 'pods', 'deployments', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs', 'serviceaccounts', 'roles',
        'rolebindings', 'clusterroles', 'clusterrolebindings', 'networkpolicies', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations',
        'events', 'tracingpolicies', 'tracingpoliciesnamespaced']) {
        expect(b.text(`k8s/${k}.json`), k).toBe(readFileSync(join(FIXTURES, 'k8s', `${k}.json`), 'utf8'));
      }
      expect(b.text('k8s/secrets-metadata.tsv')).toBe(readFileSync(join(FIXTURES, 'k8s/secrets-metadata.tsv'), 'utf8'));
      expect(b.has('k8s/kyverno-clusterpolicies.json')).toBe(false); // no Kyverno CRD in crds.txt
      expect(b.text('ebpf/tetragon/pods/kube-system_tetragon-5xq9z.log')).toContain('"process_exec"');
      // etcd: snapshot copied and hashed, keys listed
      expect(b.read('etcd/snapshot.db').equals(readFileSync(join(RECORDED, 'etcd/snapshot.db')))).toBe(true);
      expect(b.sums.has('etcd/snapshot.db')).toBe(true);
      expect(b.text('etcd/keys.txt')).toContain('/registry/secrets/default/db-password');
      // host context from the real /proc, in the documented formats
      expect(b.text('host/processes.tsv').split('\n')[0]).toBe('pid\tppid\tuid\tuser\tstart_epoch\tstart_utc\tstate\tcomm\targs');
      for (const l of b.text('host/proc-ns.tsv').split('\n').filter(Boolean).slice(1)) expect(l).toMatch(/^\d+\t[a-z_]+\t([a-z_]+:\[\d+\]|-)$/);
      for (const l of b.text('host/processes.tsv').split('\n').filter(Boolean).slice(1)) expect(l.split('\t').length).toBe(9);
      expect(b.text('host/ns-reference.tsv')).toMatch(/^pid\tns\tlink\n\d+\tcgroup\tcgroup:\[\d+\]/);
      // read-only: only listing/inspecting verbs, secrets never asked for data, kubectl cache kept in the output dir
      const calls = assertReadOnly(log);
      expect(calls.length).toBeGreaterThan(40);
      const secretCalls = calls.filter(([t, a]) => t === 'kubectl' && / get secrets /.test(` ${a} `));
      expect(secretCalls.length).toBe(1);
      expect(secretCalls[0]![1]).not.toMatch(/\{\.data|stringData|-o (json|yaml)( |$)|-ojson/);
      expect(secretCalls[0]![1]).toContain('-o jsonpath=');
      for (const [t, a] of calls) if (t === 'kubectl') expect(a).toContain(`--cache-dir=${r.outDir}/`);
      // no scratch dir left behind, nothing but the bundle and its hash
      expect(readdirSync(r.outDir).sort()).toEqual([b.name + '.tgz', b.name + '.tgz.sha256'].sort());
    });

    it('records failing tools as failed (exit status, stderr kept) and carries on', async () => {
      const r = await runCollect({
        shell,
        args: ['--skip', 'host', '--etcd-endpoints', 'http://127.0.0.1:1', '--timeout', '10'],
        env: { CF_STUB_MODE_DOCKER: 'fail', CF_STUB_MODE_KUBECTL: 'fail', CF_STUB_MODE_CRICTL: 'fail', CF_STUB_MODE_CTR: 'fail', CF_STUB_MODE_ETCDCTL: 'fail' },
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      const info = row(b, (c) => c.startsWith('docker info'))!;
      expect(info.status).toBe('failed');
      expect(info.exit).toBe('1');
      expect(info.note).toContain('stderr in docker/info.json.stderr');
      expect(b.text('docker/info.json.stderr')).toContain('simulated failure');
      expect(row(b, (c) => c.startsWith('docker ps/inspect'))?.status).toBe('skipped');
      expect(row(b, (c) => c.startsWith('crictl version'))?.status).toBe('failed');
      expect(row(b, (c) => c.includes('cluster-info'))?.status).toBe('failed');
      expect(row(b, (c) => c === 'kubectl get ...')?.status).toBe('skipped');
      expect(row(b, (c) => c.includes('endpoint status'))?.status).toBe('failed');
      expect(b.meta.LIMITS).toContain('docker daemon not reachable');
    });

    it('stores garbage output as is and keeps going', async () => {
      const r = await runCollect({
        shell,
        args: ['--skip', 'host', '--timeout', '10'],
        env: { CF_STUB_MODE_DOCKER: 'garbage', CF_STUB_MODE_KUBECTL: 'garbage', CF_STUB_MODE_CRICTL: 'garbage', CF_STUB_MODE_CTR: 'garbage' },
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      const garbage = Buffer.from('\xff\xfe\x00garbage{{{ not json\n\x01\x02 binary tail', 'latin1');
      expect(b.read('docker/info.json').equals(garbage)).toBe(true);
      expect(b.read('docker/ps.jsonl').equals(garbage)).toBe(true);
      expect(b.read('k8s/pods.json').equals(garbage)).toBe(true);
      expect(b.read('cri/ps.json').equals(garbage)).toBe(true);
      // nothing derived from garbage: no container directories were invented
      expect(b.files.some((f) => f.startsWith('docker/containers/'))).toBe(false);
      expect(row(b, (c) => c.startsWith('docker info'))?.status).toBe('ok');
    });

    it('records missing tools as missing (127) when none is installed', async () => {
      const r = await runCollect({ shell, args: ['--skip', 'host', '--etcd-endpoints', 'http://127.0.0.1:1'], path: [systemBin()] });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      for (const cmd of ['docker info --format {{json .}}', 'crictl version', 'etcdctl']) {
        const x = row(b, (c) => c === cmd || c.startsWith(cmd + ' '));
        expect(x?.status, cmd).toBe('missing');
        expect(x?.exit).toBe('127');
      }
      expect(row(b, (c) => c.startsWith('ctr'))?.status).toBe('missing');
      expect(row(b, (c) => c.startsWith('kubectl'))?.status).toBe('missing');
      expect(b.meta.ENV_KUBERNETES).toBe('no');
    });

    it('kills a hung command at the time limit, records "timeout" (124) and goes on', async () => {
      const state = tempDir('state');
      const hungId = containerIds[0]!;
      const r = await runCollect({
        shell,
        args: ['--skip', 'host,ebpf', '--timeout', '2'],
        env: { CF_STUB_MODE_DOCKER: `hang-on=${hungId}`, CF_STUB_MODE_KUBECTL: 'hang-on=nodes', CF_STUB_STATE: state },
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      const hung = b.rows((x) => x.source === 'docker' && x.command.endsWith(hungId));
      expect(hung.length).toBeGreaterThanOrEqual(3); // inspect, diff, logs (and top when running)
      for (const h of hung) {
        if (h.status === 'skipped') continue;
        expect(h.status, h.command).toBe('timeout');
        expect(h.exit).toBe('124');
        expect(h.note).toContain('killed after 2s');
      }
      expect(row(b, (c) => c.includes('get nodes'))?.status).toBe('timeout');
      expect(row(b, (c) => c.includes('get namespaces'))?.status).toBe('ok');
      for (const id of containerIds.slice(1)) expect(row(b, (c) => c === `docker inspect ${id}`)?.status).toBe('ok');
      expect(r.durationMs).toBeLessThan(60_000);
      for (const pid of readFileSync(join(state, 'pids'), 'utf8').trim().split('\n').map(Number)) expect(pidAlive(pid), `stub ${pid} was killed`).toBe(false);
    });

    it('with the portable watchdog instead of timeout(1), kills even a TERM-ignoring hang', async () => {
      const state = tempDir('state');
      const hungId = containerIds[0]!;
      const r = await runCollect({
        shell,
        args: ['--skip', 'host,k8s,ebpf,cri,containerd', '--timeout', '2'],
        env: { CF_FORCE_WATCHDOG: '1', CF_STUB_MODE_DOCKER: 'hang-hard', CF_STUB_STATE: state },
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      expect(b.meta.TIMEOUT_TOOL).toBe('watchdog');
      const info = row(b, (c) => c.startsWith('docker info'))!;
      expect(info.status).toBe('timeout');
      expect(info.exit).toBe('124');
      expect(b.meta.LIMITS).toContain('docker daemon not reachable');
      void hungId;
      await new Promise((res) => setTimeout(res, 1500));
      for (const pid of readFileSync(join(state, 'pids'), 'utf8').trim().split('\n').map(Number)) expect(pidAlive(pid), `stub ${pid} was killed`).toBe(false);
    });

    it('on SIGTERM mid-run still writes a valid bundle marked PARTIAL=yes', async () => {
      const state = tempDir('state');
      const hungId = containerIds[0]!;
      let pid = 0;
      const p = runCollect({
        shell,
        args: ['--skip', 'host', '--timeout', '120'],
        env: { CF_STUB_MODE_DOCKER: `hang-on=${hungId}`, CF_STUB_STATE: state },
        onSpawn: (x) => { pid = x; },
      });
      const t0 = Date.now();
      while (!existsSync(join(state, 'hanging-docker')) && Date.now() - t0 < 30_000) await new Promise((res) => setTimeout(res, 100));
      expect(existsSync(join(state, 'hanging-docker')), 'the stub started hanging').toBe(true);
      const tSig = Date.now();
      process.kill(pid, 'SIGTERM');
      const r = await p;
      expect(Date.now() - tSig, 'stops promptly, without waiting for the 120 s limit').toBeLessThan(20_000);
      expect(r.code).toBe(143);
      const b = assertValidBundle(r, check);
      expect(b.meta.PARTIAL).toBe('yes');
      expect(b.meta.PARTIAL_REASON).toBe('interrupted by SIGTERM');
      const cut = b.rows((x) => x.status === 'interrupted');
      expect(cut.length).toBe(1);
      expect(cut[0]!.command).toContain(hungId);
      expect(cut[0]!.note).toContain('SIGTERM');
      // later steps never ran (the kubectl probe runs before docker, during detection)
      expect(b.rows((x) => x.source === 'k8s' && !x.command.includes('cluster-info')).length).toBe(0);
      expect(b.rows((x) => x.command.startsWith('docker images')).length).toBe(0);
      for (const spid of readFileSync(join(state, 'pids'), 'utf8').trim().split('\n').map(Number)) expect(pidAlive(spid)).toBe(false);
    });

    it('caps logs at --max-file-size keeping the newest bytes, and skips an oversized docker save', async () => {
      const r = await runCollect({
        shell,
        args: ['--skip', 'host,k8s,cri,containerd,ebpf', '--max-file-size', '10', '--docker-save', 'some/image:1', '--max-save-size', '1K'],
      });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check);
      const withLogs = containerIds.find((id) => readFileSync(join(RECORDED, 'docker/containers', id, 'logs.txt')).length > 10)!;
      const full = readFileSync(join(RECORDED, 'docker/containers', withLogs, 'logs.txt'));
      expect(b.read(`docker/containers/${withLogs}/logs.txt`).equals(full.subarray(full.length - 10))).toBe(true);
      expect(row(b, (c) => c.startsWith('docker logs') && c.endsWith(withLogs))?.note).toContain('truncated');
      const save = row(b, (c) => c === 'docker save some/image:1')!;
      expect(save.status).toBe('skipped');
      expect(save.note).toMatch(/over --max-save-size 1024/);
      expect(b.meta.MAX_FILE_SIZE).toBe('10');
    });
  });
}

describe('collect.sh scope flags, audit logs and event streams (dash)', () => {
  it('passes --namespace/--kubeconfig/--context to every kubectl call, namespaced kinds only scoped', async () => {
    const state = tempDir('state');
    const log = join(state, 'calls.log');
    const r = await runCollect({ shell: SHELLS[0]!, args: ['--skip', 'host,docker,cri,containerd,ebpf', '--namespace', 'payments',
      '--kubeconfig', '/srv/ir/kubeconfig', '--context', 'prod-admin'], env: { CF_STUB_LOG: log } });
    expect(r.code, r.stderr).toBe(0);
    const b = assertValidBundle(r, check);
    expect(b.meta.NAMESPACE).toBe('payments');
    const kc = readStubLog(log).filter(([t]) => t === 'kubectl').map(([, a]) => a!);
    expect(kc.length).toBeGreaterThan(15);
    for (const a of kc) {
      expect(a).toContain('--kubeconfig=/srv/ir/kubeconfig');
      expect(a).toContain('--context=prod-admin');
    }
    expect(kc.find((a) => / get pods /.test(a))).toMatch(/ get pods -n payments -o json/);
    expect(kc.find((a) => / get secrets /.test(a))).toMatch(/ get secrets -n payments /);
    expect(kc.find((a) => / get clusterroles /.test(a))).not.toMatch(/-n payments|-A/);
    expect(kc.some((a) => / -A /.test(a) && !/-l app\.kubernetes\.io/.test(a))).toBe(false);
  });

  it('copies the audit log and its rotated files, capping at the newest bytes and recording the cap', async () => {
    const dir = tempDir('audit');
    const { writeFileSync } = await import('node:fs');
    const line = (i: number) => JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `id-${i}`, stage: 'ResponseComplete', verb: 'get' }) + '\n';
    const big = Array.from({ length: 50 }, (_, i) => line(i)).join('');
    writeFileSync(join(dir, 'audit.log'), big);
    writeFileSync(join(dir, 'audit-2026-12-01T00-00-00.000.log'), line(1));
    writeFileSync(join(dir, 'audit-2026-11-30T00-00-00.000.log.gz'), Buffer.alloc(5000, 1));
    writeFileSync(join(dir, 'unrelated.log'), 'x');
    const r = await runCollect({ shell: SHELLS[0]!, args: ['--skip', 'host,docker,cri,containerd,k8s,ebpf', '--audit-log', join(dir, 'audit.log'), '--max-file-size', '1000'] });
    expect(r.code, r.stderr).toBe(0);
    const b = assertValidBundle(r, check);
    expect(b.read('control-plane/audit/audit.log').equals(Buffer.from(big).subarray(big.length - 1000))).toBe(true);
    expect(row(b, (c) => c === `[copy] ${join(dir, 'audit.log')}`)?.note).toContain(`truncated: kept last 1000 of ${big.length} bytes`);
    expect(b.text('control-plane/audit/audit-2026-12-01T00-00-00.000.log')).toBe(line(1));
    expect(b.has('control-plane/audit/audit-2026-11-30T00-00-00.000.log.gz')).toBe(false); // a cut gzip is useless: skipped
    expect(row(b, (c) => c.endsWith('.log.gz'))?.status).toBe('skipped');
    expect(b.has('control-plane/audit/unrelated.log')).toBe(false);
    const src = b.text('control-plane/audit-source.tsv').split('\n');
    expect(src[0]).toBe('path\tsource\tsize\tcopied_bytes');
    expect(src).toContain(`${join(dir, 'audit.log')}\t--audit-log\t${big.length}\t1000`);
    expect(b.meta.LIMITS).toContain('truncated');
  });

  it('reads tetra getevents for --event-seconds and records the cut as "bounded"', async () => {
    const state = tempDir('state');
    const r = await runCollect({ shell: SHELLS[1]!, args: ['--skip', 'host,docker,cri,containerd,k8s', '--event-seconds', '2'], env: { CF_STUB_STATE: state } });
    expect(r.code, r.stderr).toBe(0);
    const b = assertValidBundle(r, check);
    const ev = row(b, (c) => c === 'tetra getevents -o json')!;
    expect(ev.status).toBe('bounded');
    expect(ev.note).toContain('stream read for 2s');
    expect(b.text('ebpf/tetragon/events.jsonl')).toBe(readFileSync(join(FIXTURES, 'tetragon/events.jsonl'), 'utf8'));
  });
});

describe('collect.sh on a sparse userland', () => {
  for (const [tool, name] of [['openssl', 'openssl dgst -sha256'], ['busybox', 'busybox sha256sum']] as const) {
    it(`hashes with ${name} when sha256sum is absent, and falls back to the watchdog without timeout(1)`, async () => {
      const r = await runCollect({ shell: SHELLS[0]!, path: [STUB_BIN, systemBin({ without: ['sha256sum', 'timeout'], extra: [tool] })],
        args: ['--skip', 'host,k8s,cri,containerd,ebpf', '--timeout', '5'] });
      expect(r.code, r.stderr).toBe(0);
      const b = assertValidBundle(r, check); // verified with the real sha256sum
      expect(b.meta.HASH_TOOL).toBe(name);
      expect(b.meta.TIMEOUT_TOOL).toBe('watchdog');
      expect(row(b, (c) => c.startsWith('docker ps'))?.status).toBe('ok');
    });
  }

  it('runs under bash --posix too', async () => {
    const r = await runCollect({ shell: { name: 'bash --posix', argv: ['/bin/bash', '--posix'] }, args: ['--skip', 'host', '--timeout', '10'] });
    expect(r.code, r.stderr).toBe(0);
    const b = assertValidBundle(r, check);
    expect(b.rows((x) => x.status === 'ok').length).toBeGreaterThan(40);
  });
});

describe('collect.sh as a non-root user', () => {
  it.skipIf(process.getuid?.() !== 0)('collects what it can, says what it could not, bundle still valid', async () => {
    const out = tempDir('out-nobody');
    const { chmodSync } = await import('node:fs');
    chmodSync(out, 0o777);
    const r = await runCollect({ shell: SHELLS[0]!, outDir: out, uid: 65534, gid: 65534, args: ['--skip', 'k8s,cri,containerd,ebpf', '--timeout', '10'],
      env: { CF_STUB_MODE_DOCKER: 'fail' } });
    expect(r.code, r.stderr).toBe(0);
    const b = assertValidBundle(r, check);
    expect(b.meta.ROOT).toBe('no');
    expect(b.meta.UID).toBe('65534');
    expect(b.meta.LIMITS).toContain('not root');
    expect(statSync(r.bundlePath).uid).toBe(65534);
  });
});
