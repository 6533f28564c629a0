/**
 * Builds sample-bundles/runtime-falco-socket.tgz and the docker-backed runtime fixtures in
 * test/fixtures/runtime/ (docker-inspect.json, falco-alerts-socket.jsonl, falco-alerts-plain.jsonl,
 * tetragon-docker.jsonl).
 *
 * Real: the containers (created and started on this machine's dockerd from an offline busybox
 * image), their `docker inspect` / `docker ps` output, ids and start times. Written here: the
 * Falco alerts and Tetragon events (no Falco or Tetragon can run on this VM), in those tools'
 * exact JSON formats, about those real containers, timed a few seconds after their real start.
 * The bundle follows collect.sh's layout (docs/bundle-format.md): meta.env, commands.tsv,
 * collection.log, SHA256SUMS, docker/, ebpf/falco/journal.txt; it is packed by sample-bundle.ts
 * with the collection's start second as mtime.
 *
 * Run as root, with dockerd running and busybox-static installed:
 *   npm run build && node dist/scripts/make-sample-runtime-bundle.js
 * Ids and times change on every run: regenerate test/expected/runtime-falco-socket.findings.json
 * afterwards with UPDATE_EXPECTED=1 npx vitest run test/runtime-regression.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../src/paths.js';
import { metaEnv, writeSampleBundle } from './sample-bundle.js';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'runtime');
const OUT = join(PACKAGE_ROOT, 'sample-bundles', 'runtime-falco-socket.tgz');
const IMAGE = 'cf-runtime/busybox:1';
const [IMAGE_REPOSITORY, IMAGE_TAG] = IMAGE.split(':') as [string, string];
const SOCKET = 'cf-runtime-socket';
const PLAIN = 'cf-runtime-plain';

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const docker = (...args: string[]): string => run('docker', args);
const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A scene container as `docker inspect` shows it. */
interface Container { id: string; name: string; startedAt: string }

function ensureImage(): void {
  try {
    docker('image', 'inspect', IMAGE);
    return;
  } catch {
    /* build it */
  }
  const busybox = run('sh', ['-c', 'command -v busybox']).trim();
  const dir = mkdtempSync(join(tmpdir(), 'cf-runtime-rootfs-'));
  try {
    mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
    mkdirSync(join(dir, 'rootfs', 'tmp'));
    copyFileSync(busybox, join(dir, 'rootfs', 'bin', 'busybox'));
    chmodSync(join(dir, 'rootfs', 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'ls', 'cat', 'sleep', 'id', 'wget']) symlinkSync('busybox', join(dir, 'rootfs', 'bin', applet));
    run('tar', ['-C', join(dir, 'rootfs'), '-cf', join(dir, 'rootfs.tar'), '.']);
    docker('import', '-c', 'CMD ["/bin/sh"]', join(dir, 'rootfs.tar'), IMAGE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function removeContainers(): void {
  for (const name of [SOCKET, PLAIN]) {
    try {
      docker('rm', '-f', name);
    } catch {
      /* not there */
    }
  }
}

// --- times: ns-precision ISO strings, as Falco and Tetragon print them --------------------------
function parseNs(iso: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (!m) throw new Error(`not an RFC 3339 UTC time: ${iso}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
}
function isoNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}
/** JSON with evt.time-style integers kept exact (JS numbers cannot hold ns epochs). */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `__INT__${v}` : v)).replace(/"__INT__(-?\d+)"/g, '$1');
}

/** A Falco alert in Falco 0.38's JSON output format. */
interface FalcoAlert {
  hostname: string;
  output: string;
  priority: string;
  rule: string;
  source: string;
  tags: string[];
  time: string;
  output_fields: Record<string, unknown>;
}

function falcoAlert(a: { t: bigint; rule: string; priority: string; tags: string[]; message: string; fields: Record<string, unknown>; host: string }): FalcoAlert {
  const time = isoNs(a.t);
  return {
    hostname: a.host,
    output: `${time.replace('Z', '+0000')}: ${a.priority} ${a.message}`,
    priority: a.priority,
    rule: a.rule,
    source: 'syscall',
    tags: a.tags,
    time,
    output_fields: { ...a.fields, 'evt.time': a.t },
  };
}

function containerFields(c: Container): Record<string, unknown> {
  return {
    'container.id': c.id.slice(0, 12),
    'container.image.repository': IMAGE_REPOSITORY,
    'container.image.tag': IMAGE_TAG,
    'container.name': c.name,
    'k8s.ns.name': null,
    'k8s.pod.name': null,
  };
}

function alertsFor(c: Container, host: string, kind: 'socket' | 'plain'): FalcoAlert[] {
  const start = parseNs(c.startedAt);
  const at = (ms: number) => start + BigInt(ms) * 1_000_000n + 317_204n;
  const info = `container_id=${c.id.slice(0, 12)} container_name=${c.name} container_image_repository=${IMAGE_REPOSITORY} container_image_tag=${IMAGE_TAG} k8s_pod_name=<NA> k8s_ns_name=<NA>`;
  const shell = falcoAlert({
    t: at(1200),
    host,
    rule: 'Terminal shell in container',
    priority: 'Notice',
    tags: ['T1059', 'container', 'maturity_stable', 'mitre_execution', 'shell'],
    message: `A shell was spawned in a container with an attached terminal (evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/bin/busybox parent=containerd-shim command=sh terminal=34816 exe_flags=EXE_WRITABLE ${info})`,
    fields: { ...containerFields(c), 'evt.arg.flags': 'EXE_WRITABLE', 'evt.type': 'execve', 'proc.cmdline': 'sh', 'proc.exepath': '/bin/busybox', 'proc.name': 'sh', 'proc.pname': 'containerd-shim', 'proc.tty': 34816, 'user.loginuid': -1, 'user.name': 'root', 'user.uid': 0 },
  });
  if (kind === 'plain') return [shell];
  const cmd = 'docker -H unix:///var/run/docker.sock run -d --privileged --pid=host -v /:/host cf-runtime/busybox:1 sleep 3600';
  const drop = falcoAlert({
    t: at(2480),
    host,
    rule: 'Drop and execute new binary in container',
    priority: 'Critical',
    tags: ['PCI_DSS_11.5.1', 'TA0003', 'container', 'maturity_stable', 'mitre_persistence', 'process'],
    message: `Executing binary not part of base image (proc_exe=/tmp/docker proc_sname=sh gparent=containerd-shim proc_cwd=/tmp/ evt_type=execve user=root user_uid=0 user_loginuid=-1 process=docker proc_exepath=/tmp/docker parent=sh command=${cmd} terminal=34816 exe_flags=EXE_WRITABLE|EXE_UPPER_LAYER ${info})`,
    fields: { ...containerFields(c), 'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER', 'evt.type': 'execve', 'proc.aname[2]': 'containerd-shim', 'proc.cmdline': cmd, 'proc.cwd': '/tmp/', 'proc.exe': '/tmp/docker', 'proc.exepath': '/tmp/docker', 'proc.name': 'docker', 'proc.pname': 'sh', 'proc.sname': 'sh', 'proc.tty': 34816, 'user.loginuid': -1, 'user.name': 'root', 'user.uid': 0 },
  });
  const client = falcoAlert({
    t: at(2481),
    host,
    rule: 'The docker client is executed in a container',
    priority: 'Warning',
    tags: ['T1610', 'container', 'maturity_incubating', 'mitre_execution'],
    message: `Docker or kubernetes client executed in container (evt_type=execve user=root user_uid=0 user_loginuid=-1 process=docker proc_exepath=/tmp/docker parent=sh command=${cmd} terminal=34816 ${info})`,
    fields: { ...containerFields(c), 'evt.type': 'execve', 'proc.cmdline': cmd, 'proc.exepath': '/tmp/docker', 'proc.name': 'docker', 'proc.pname': 'sh', 'proc.tty': 34816, 'user.loginuid': -1, 'user.name': 'root', 'user.uid': 0 },
  });
  return [shell, drop, client];
}

/** Tetragon on a Docker host without Kubernetes: no pod, the container only in the 31-hex `docker` field. */
function tetragonFor(c: Container, host: string): unknown[] {
  const start = parseNs(c.startedAt);
  const t = start + 2_480_000_000n + 112_540n;
  const execId = (ktime: number, pid: number) => Buffer.from(`${host}:${ktime}:${pid}`).toString('base64');
  const parent = { exec_id: execId(8812340001, 4100), pid: 4100, uid: 0, cwd: '/tmp/', binary: '/bin/sh', arguments: '', flags: 'execve rootcwd clone', start_time: isoNs(start + 1_200_000_000n), auid: 4294967295, docker: c.id.slice(0, 31), parent_exec_id: execId(8800000000, 4090), tid: 4100 };
  const exec = { exec_id: execId(8813620001, 4127), pid: 4127, uid: 0, cwd: '/tmp/', binary: '/tmp/docker', arguments: '-H unix:///var/run/docker.sock run -d --privileged --pid=host -v /:/host cf-runtime/busybox:1 sleep 3600', flags: 'execve clone', start_time: isoNs(t), auid: 4294967295, docker: c.id.slice(0, 31), parent_exec_id: parent.exec_id, tid: 4127 };
  return [{ process_exec: { process: exec, parent }, node_name: host, time: isoNs(t) }];
}

const jsonLines = (values: unknown[]): string => values.map((v) => `${json(v)}\n`).join('');

function main(): void {
  ensureImage();
  removeContainers();
  try {
    docker('run', '-d', '--name', SOCKET, '--network', 'none', '-v', '/var/run/docker.sock:/var/run/docker.sock', IMAGE, 'sleep', '3600');
    docker('run', '-d', '--name', PLAIN, '--network', 'none', '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', IMAGE, 'sleep', '3600');
    sleep(4000); // the alerts below happen in the seconds after the containers started
    const both = docker('inspect', SOCKET, PLAIN);
    const socketInspect = docker('inspect', SOCKET);
    const ps = docker('ps', '-a', '--no-trunc', '--filter', `name=^${SOCKET}$`, '--format', '{{json .}}');
    const version = docker('version', '--format', '{{json .}}');
    const inspected = (JSON.parse(both) as { Id: string; Name: string; State: { StartedAt: string } }[]).map((c): Container => ({ id: c.Id, name: c.Name.replace(/^\//, ''), startedAt: c.State.StartedAt }));
    const [socket, plain] = inspected as [Container, Container];
    const host = hostname();

    const socketAlerts = alertsFor(socket, host, 'socket');
    writeFileSync(join(FIXTURES, 'docker-inspect.json'), both);
    writeFileSync(join(FIXTURES, 'falco-alerts-socket.jsonl'), jsonLines(socketAlerts));
    writeFileSync(join(FIXTURES, 'falco-alerts-plain.jsonl'), jsonLines(alertsFor(plain, host, 'plain')));
    writeFileSync(join(FIXTURES, 'tetragon-docker.jsonl'), jsonLines(tetragonFor(socket, host)));

    writeBundle({ host, socket, socketInspect, ps, version, socketAlerts });
  } finally {
    removeContainers();
  }
}

function writeBundle(scene: { host: string; socket: Container; socketInspect: string; ps: string; version: string; socketAlerts: FalcoAlert[] }): void {
  const { host, socket, socketInspect, ps, version, socketAlerts } = scene;
  // Collected right after the scene (the alerts are a few seconds after the containers started).
  const startNs = BigInt(Date.now() - 1000) * 1_000_000n;
  const start = isoNs(startNs).replace(/\.\d+Z$/, 'Z');
  const stamp = start.replace(/[-:]/g, '');
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_');
  const name = `cf-bundle-${safeHost}-${stamp}`;
  const end = isoNs(BigInt(Date.now()) * 1_000_000n).replace(/\.\d+Z$/, 'Z');
  const step = (source: string, command: string, status: string, exit: number | string, output: string | null, content: string | null, note = '') =>
    [source, command, status, exit, start, start, content === null ? 0 : Buffer.byteLength(content), output ?? '-', note].join('\t');

  // journalctl -u 'falco*' -o short-iso: the service's own lines, then one JSON alert per line.
  const jt = (ns: bigint) => `${isoNs(ns).slice(0, 19)}+0000`;
  const falcoStart = parseNs(socket.startedAt) - 3_600_000_000_000n;
  const journal = [
    `${jt(falcoStart)} ${host} systemd[1]: Starting Falco: Container Native Runtime Security with modern ebpf...`,
    `${jt(falcoStart)} ${host} systemd[1]: Started Falco: Container Native Runtime Security with modern ebpf.`,
    `${jt(falcoStart)} ${host} falco[20731]: Falco version: 0.38.1 (x86_64)`,
    `${jt(falcoStart)} ${host} falco[20731]: Loading rules from:`,
    `${jt(falcoStart)} ${host} falco[20731]:    /etc/falco/falco_rules.yaml | schema validation: ok`,
    `${jt(falcoStart)} ${host} falco[20731]: Opening 'syscall' source with modern BPF probe.`,
    ...socketAlerts.map((a) => `${jt(parseNs(a.time))} ${host} falco[20731]: ${json(a)}`),
  ].join('\n') + '\n';

  const psRel = 'docker/ps.jsonl';
  const inspectRel = `docker/containers/${socket.id}/inspect.json`;
  const journalRel = 'ebpf/falco/journal.txt';
  const traceeJournal = '-- No entries --\n';
  const commands = [
    ['source', 'command', 'status', 'exit', 'start_utc', 'end_utc', 'bytes', 'output', 'note'].join('\t'),
    step('env', '[internal] environment detection', 'ok', 0, null, null),
    step('host', 'host', 'skipped', '-', null, null, '--skip host'),
    step('docker', "docker version --format '{{json .}}'", 'ok', 0, 'docker/version.json', version),
    step('docker', "docker ps -a --no-trunc --format '{{json .}}'", 'ok', 0, psRel, ps, 'sample: filtered to the scene container'),
    step('docker', `docker inspect ${socket.id}`, 'ok', 0, inspectRel, socketInspect),
    step('ebpf', 'journalctl -u falco* --no-pager -o short-iso', 'ok', 0, journalRel, journal),
    step('ebpf', 'journalctl -u tracee* --no-pager -o short-iso', 'ok', 0, 'ebpf/tracee/journal.txt', traceeJournal),
    step('ebpf', 'tetra getevents -o json', 'missing', 127, null, null, 'tetra CLI not installed'),
  ].join('\n') + '\n';
  const skip = 'host,cri,containerd,k8s,control-plane,etcd';
  const meta = metaEnv({
    HOST: host,
    START_UTC: start,
    END_UTC: end,
    ENV_DOCKER: 'yes',
    ENV_CONTAINERD: 'yes',
    ENV_CRIO: 'no',
    ENV_KUBERNETES: 'no',
    ENV_IN_CONTAINER: 'no',
    HOST_NS_SOURCE: '/proc/self/ns',
    HOST_NS_REASON: '',
    CGROUP_VERSION: '2',
    KERNEL: run('uname', ['-r']).trim(),
    SINCE: '',
    UNTIL: '',
    NAMESPACE: '',
    MAX_FILE_SIZE: '52428800',
    SKIP: skip,
    ARGS: `-o /tmp --skip ${skip}`,
    LIMITS: 'tetra: tetra CLI not installed',
  }) + 'SAMPLE_SCENE=cf-analyze sample: real docker objects; Falco alerts written in Falco 0.38 JSON format (no Falco on the build VM)\n';
  const log = [`${start} INFO collecting docker`, `${start} INFO collecting eBPF runtime tool data (Falco, Tetragon, Tracee)`, `${end} INFO finalising bundle (partial=no)`].join('\n') + '\n';

  writeSampleBundle({
    dir: name,
    files: [
      ['docker/version.json', version],
      [psRel, ps],
      [inspectRel, socketInspect],
      [journalRel, journal],
      ['ebpf/tracee/journal.txt', traceeJournal],
      ['meta.env', meta],
      ['commands.tsv', commands],
      ['collection.log', log],
    ],
    mtime: `@${startNs / 1_000_000_000n}`,
    out: OUT,
  });
  process.stderr.write(`wrote ${OUT} (${name}) and test/fixtures/runtime/{docker-inspect.json,falco-alerts-socket.jsonl,falco-alerts-plain.jsonl,tetragon-docker.jsonl}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
