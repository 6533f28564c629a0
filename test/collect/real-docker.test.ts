// collect.sh on a REAL dockerd (opt-in: CF_REAL_DOCKER=1, root, docker answering). Creates
// containers with risky settings from an offline busybox image whose history downloads,
// installs setuid and deletes a file; runs collect.sh; checks the bundle shows all of it; and
// proves collect.sh changed nothing by comparing the daemon's state before and after.
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { assertValidBundle, REPO, runCollect, SHELLS, systemBin, tempDir, type Bundle } from './collect-harness.js';
import { removeTempDirs } from './collect-harness.js';

afterAll(removeTempDirs);

const check = (cond: boolean, msg: string) => expect(cond, msg).toBe(true);
const dockerUp = () => spawnSync('docker', ['info', '--format', '{{.ID}}'], { encoding: 'utf8', timeout: 20_000 }).status === 0;
const enabled = process.env.CF_REAL_DOCKER === '1' && process.getuid?.() === 0 && dockerUp();

const P = `cf-rt-${process.pid}`;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000 }).trim();
const tryDocker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 120_000 });

// What a responder must be able to prove unchanged. Status text ("Up 3 seconds") moves with
// time, so state, ids, start times and restart counts are compared instead.
function daemonState(): string {
  const ps = docker('ps', '-a', '--no-trunc', '--format', '{{.ID}}\t{{.Image}}\t{{.Names}}\t{{.State}}\t{{.CreatedAt}}\t{{.Mounts}}');
  const ids = ps.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
  const starts = ids.length ? docker('inspect', '--format', '{{.Id}} {{.State.StartedAt}} {{.State.Pid}} {{.RestartCount}} {{.State.Status}}', ...ids) : '';
  const images = docker('images', '-a', '--no-trunc', '--digests', '--format', '{{.ID}}\t{{.Repository}}:{{.Tag}}\t{{.Digest}}\t{{.CreatedAt}}');
  const volumes = docker('volume', 'ls', '--format', '{{.Name}}\t{{.Driver}}\t{{.Mountpoint}}');
  const networks = docker('network', 'ls', '--no-trunc', '--format', '{{.ID}}\t{{.Name}}');
  return [ps, starts, images, volumes, networks].join('\n=====\n');
}

const ids: Record<string, string> = {};
let before = '';
let after = '';
let b: Bundle;

describe.skipIf(!enabled)('collect.sh on a real Docker host (CF_REAL_DOCKER=1)', () => {
  beforeAll(async () => {
    execFileSync('sh', [`${REPO}/scripts/build-offline-busybox-image.sh`, P], { encoding: 'utf8', timeout: 300_000 });
    docker('volume', 'create', `${P}-vol`);
    const base = `${P}-base:latest`;
    const sleepy = ['sh', '-c', 'while :; do sleep 3600; done'];
    // --network none unless host networking is the point: no traffic, and no dependence on docker0
    const none = ['--network', 'none'];
    ids.sysadmin = docker('run', '-d', ...none, '--name', `${P}-sysadmin`, '--cap-add', 'SYS_ADMIN', '-v', `${P}-vol:/data`, `${P}-dropper:latest`,
      'sh', '-c', 'touch /tmp/dropped /data/loot; while :; do sleep 3600; done');
    ids.hostpid = docker('run', '-d', ...none, '--name', `${P}-hostpid`, '--pid', 'host', base, ...sleepy);
    ids.hostnet = docker('run', '-d', '--name', `${P}-hostnet`, '--net', 'host', base, ...sleepy);
    ids.sock = docker('run', '-d', ...none, '--name', `${P}-sock`, '-v', '/var/run/docker.sock:/var/run/docker.sock', base, ...sleepy);
    ids.rootmnt = docker('run', '-d', ...none, '--name', `${P}-rootmnt`, '-v', '/:/host:ro', base, ...sleepy);
    ids.seccomp = docker('run', '-d', ...none, '--name', `${P}-seccomp`, '--security-opt', 'seccomp=unconfined', base, ...sleepy);
    // privileged containers cannot start on this VM: created only, which still gives a real inspect record
    ids.priv = docker('create', ...none, '--name', `${P}-priv`, '--privileged', base, ...sleepy);
    before = daemonState();
    const out = tempDir('real-docker');
    const r = await runCollect({
      shell: SHELLS[0]!, outDir: out,
      path: [process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', systemBin()],
      args: ['--skip', 'k8s,ebpf,control-plane', '--docker-save', `${P}-dropper:latest`, '--max-save-size', '64M', '--timeout', '60'],
    });
    after = daemonState();
    expect(r.code, r.stderr).toBe(0);
    b = assertValidBundle(r, check);
  }, 600_000);

  afterAll(() => {
    // only what this test created
    for (const n of ['sysadmin', 'hostpid', 'hostnet', 'sock', 'rootmnt', 'seccomp', 'priv']) tryDocker('rm', '-f', `${P}-${n}`);
    tryDocker('rmi', `${P}-dropper:latest`, `${P}-base:latest`);
    tryDocker('volume', 'rm', `${P}-vol`);
  });

  it('changed nothing: containers, images, volumes and networks identical before and after', () => {
    // Compared line by line so that a failure names what changed.
    const b4 = new Set(before.split('\n'));
    const af = new Set(after.split('\n'));
    expect([...b4].filter((l) => !af.has(l)), 'gone or changed after collection').toEqual([]);
    expect([...af].filter((l) => !b4.has(l)), 'appeared after collection').toEqual([]);
    expect(before.split('\n').filter((l) => l.includes(P)).length).toBeGreaterThanOrEqual(9);
  });

  it('holds a docker inspect of every container with the risky settings visible', () => {
    const insp = (k: string) => JSON.parse(b.text(`docker/containers/${ids[k]}/inspect.json`))[0];
    expect(insp('sysadmin').HostConfig.CapAdd.map((c: string) => c.replace(/^CAP_/, ''))).toContain('SYS_ADMIN');
    expect(insp('hostpid').HostConfig.PidMode).toBe('host');
    expect(insp('hostnet').HostConfig.NetworkMode).toBe('host');
    expect(insp('sock').HostConfig.Binds).toContain('/var/run/docker.sock:/var/run/docker.sock');
    expect(insp('rootmnt').HostConfig.Binds).toContain('/:/host:ro');
    expect(insp('seccomp').HostConfig.SecurityOpt).toContain('seccomp=unconfined');
    expect(insp('priv').HostConfig.Privileged).toBe(true);
    const ps = b.text('docker/ps.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { ID: string; State: string });
    for (const id of Object.values(ids)) expect(ps.some((c) => c.ID === id), id).toBe(true);
  });

  it('keeps the image history that downloads, installs setuid and deletes a file', () => {
    const img = docker('image', 'inspect', '--format', '{{.Id}}', `${P}-dropper:latest`).replace('sha256:', '');
    const hist = b.text(`docker/images/${img}/history.jsonl`).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { CreatedBy: string });
    const all = hist.map((h) => h.CreatedBy).join('\n');
    expect(all).toMatch(/rm -f \/tmp\/kworker\.sh/);
    expect(all).toMatch(/chmod 4755/);
    expect(all).toMatch(/wget|COPY/);
    expect(JSON.parse(b.text(`docker/images/${img}/inspect.json`))[0].Id).toBe(`sha256:${img}`);
    // opt-in docker save: a real image tarball, hashed
    const save = b.commands.find((c) => c.command === `docker save ${P}-dropper:latest`)!;
    expect(save.status).toBe('ok');
    expect(b.sums.has(save.output)).toBe(true);
    const list = spawnSync('tar', ['-tf', `${b.root}/${save.output}`], { encoding: 'utf8' });
    expect(list.stdout).toContain('manifest.json');
  });

  it('has diff, top and logs per container and the volume', () => {
    expect(b.text(`docker/containers/${ids.sysadmin}/diff.txt`)).toMatch(/^A \/tmp\/dropped$/m);
    expect(b.text(`docker/containers/${ids.sysadmin}/top.txt`)).toContain('sleep');
    expect(b.commands.find((c) => c.command === `docker top ${ids.priv}`)?.status).toBe('skipped');
    expect(JSON.parse(b.text('docker/volumes-inspect.json')).some((v: { Name: string }) => v.Name === `${P}-vol`)).toBe(true);
  });

  it('links container processes to cgroups and namespaces: --pid=host shares the host pid namespace', () => {
    const pidOf = (k: string) => String(JSON.parse(b.text(`docker/containers/${ids[k]}/inspect.json`))[0].State.Pid);
    const nsOf = (pid: string, ns: string) => b.text('host/proc-ns.tsv').split('\n').find((l) => l.startsWith(`${pid}\t${ns}\t`))?.split('\t')[2];
    const refPid = b.text('host/ns-reference.tsv').split('\n').find((l) => /\tpid\t/.test(l))!.split('\t')[2];
    expect(refPid).toMatch(/^pid:\[\d+\]$/);
    expect(nsOf(pidOf('hostpid'), 'pid')).toBe(refPid);
    expect(nsOf(pidOf('seccomp'), 'pid')).not.toBe(refPid);
    expect(nsOf(pidOf('hostnet'), 'net')).toBe(b.text('host/ns-reference.tsv').split('\n').find((l) => /\tnet\t/.test(l))!.split('\t')[2]);
    const cg = b.text('host/proc-cgroup.tsv').split('\n').filter((l) => l.startsWith(`${pidOf('sysadmin')}\t`));
    expect(cg.some((l) => l.includes(ids.sysadmin!))).toBe(true);
    const status = b.text('host/proc-status.tsv').split('\n').find((l) => l.startsWith(`${pidOf('seccomp')}\t`))!.split('\t');
    expect(status[7]).toBe('0'); // seccomp off in the unconfined container
    const confined = b.text('host/proc-status.tsv').split('\n').find((l) => l.startsWith(`${pidOf('hostnet')}\t`))!.split('\t');
    expect(confined[7]).toBe('2');
    expect(b.text('docker/dockerd-cmdline.tsv')).toMatch(/^pid\targs\n\d+\t.*dockerd/);
    expect(b.meta.ENV_DOCKER).toBe('yes');
  });

  it('cf-analyze on the collected bundle finds each staged risk, with its evidence verified', async () => {
    const result = await analyze([b.tgz], { write: false });
    const doc = result.document;
    expect(doc.inputs[0]!.integrity).toBe('verified');
    const has = (rule: string, name: string) =>
      doc.findings.find((f) => f.rule === rule && f.subject.name === name && f.evidence.every((e) => e.sha256 !== null));
    expect(has('container.privileged', `${P}-priv`)).toBeDefined();
    expect(has('container.host-pid', `${P}-hostpid`)).toBeDefined();
    expect(has('container.host-network', `${P}-hostnet`)).toBeDefined();
    expect(has('container.dangerous-capability', `${P}-sysadmin`)).toBeDefined();
    expect(has('container.sensitive-mount', `${P}-rootmnt`)).toBeDefined();
    expect(has('container.no-security-profile', `${P}-seccomp`)).toBeDefined();
    const socket = has('container.runtime-socket-mount', `${P}-sock`);
    expect(socket?.red_flag).toBe(true);
    expect(doc.findings.some((f) => f.rule === 'image.wipe-pattern' && f.subject.name.includes(`${P}-dropper`))).toBe(true);
    expect(doc.findings.some((f) => f.rule === 'image.suspicious-history' && f.subject.name.includes(`${P}-dropper`))).toBe(true);
    // the host-pid container's processes really share the host pid namespace: exposure confirmed live
    expect(has('escape.host-namespace-shared', `${P}-hostpid`)).toBeDefined();
    expect(doc.findings.filter((f) => f.rule.startsWith('evidence.hash') || f.rule === 'evidence.unlisted-file')).toEqual([]);
  });
});
