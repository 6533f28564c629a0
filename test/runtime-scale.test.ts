import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { CaseDb } from '../src/case-db/case-db.js';

// Opt-in (CF_SCALE=1): 1 million runtime events (600k Tetragon, 250k Falco, 150k Tracee lines,
// ~0.9 GB) ingested into a case database on disk, then the runtime rules run over them. Memory
// must stay bounded: it may not grow with the input. Measure from outside too:
//   CF_SCALE=1 /usr/bin/time -v npx vitest run test/runtime-scale.test.ts
const ENABLED = process.env.CF_SCALE === '1';
const TOTAL = Number(process.env.CF_SCALE_EVENTS ?? 1_000_000);

const BINARIES = ['/usr/sbin/nginx', '/usr/local/bin/python3', '/usr/bin/java', '/app/server', '/bin/sh', '/usr/bin/curl', '/bin/cat'];
const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Contact K8S API Server From Container', 'Drop and execute new binary in container', 'Clear Log Activities'];
const PRIORITIES = ['Notice', 'Warning', 'Notice', 'Critical', 'Warning'];

function hex64(n: number): string {
  return (n.toString(16).padStart(8, '0').repeat(8)).slice(0, 64);
}

function time(i: number): string {
  return new Date(Date.UTC(2025, 2, 14, 8) + i * 7).toISOString().replace('Z', '123456Z');
}

function tetragon(i: number): string {
  const c = i % 200;
  const bin = i % 100 === 0 ? '/bin/bash' : BINARIES[i % BINARIES.length]!;
  const pod = `{"namespace":"ns-${c % 20}","name":"app-${c}-7d9c6b5f4-x2lqp","container":{"id":"containerd://${hex64(c)}","name":"app","image":{"id":"registry.example.com/app@sha256:${hex64(c + 7)}","name":"registry.example.com/app:1.${c % 9}"},"start_time":"2025-03-13T18:40:00Z","pid":1},"pod_labels":{"app":"app-${c}"},"workload":"app-${c}","workload_kind":"Deployment"}`;
  const proc = `{"exec_id":"d29ya2VyOjE0MzI6${i}","pid":${100000 + (i % 900000)},"uid":0,"cwd":"/","binary":"${bin}","arguments":"-c run --worker ${i % 64}","flags":"execve clone","start_time":"${time(i)}","auid":4294967295,"pod":${pod},"docker":"${hex64(c).slice(0, 31)}","parent_exec_id":"d29ya2VyOjE0MzI6${i - 1}","tid":${100000 + (i % 900000)}}`;
  const type = i % 10 === 9 ? 'process_exit' : 'process_exec';
  return `{"${type}":{"process":${proc},"parent":{"exec_id":"d29ya2VyOjE0MzI6${i - 1}","pid":${99999 + (i % 900000)},"binary":"/usr/bin/containerd-shim-runc-v2","arguments":"-namespace k8s.io","flags":"procFS auid rootcwd"}},"node_name":"worker-${i % 5}","time":"${time(i)}"}`;
}

function falco(i: number): string {
  const c = i % 200;
  const r = i % RULES.length;
  return `{"hostname":"worker-${i % 5}","output":"${time(i).replace('Z', '+0000')}: ${PRIORITIES[r]} ${RULES[r]} (user=root process=sh command=sh -c id container_id=${hex64(c).slice(0, 12)} container_name=app)","priority":"${PRIORITIES[r]}","rule":"${RULES[r]}","source":"syscall","tags":["T1059","container","mitre_execution"],"time":"${time(i)}","output_fields":{"container.id":"${hex64(c).slice(0, 12)}","container.name":"app","evt.time":${Date.UTC(2025, 2, 14, 8) + i * 7}000000,"evt.type":"execve","k8s.ns.name":"ns-${c % 20}","k8s.pod.name":"app-${c}-7d9c6b5f4-x2lqp","proc.cmdline":"sh -c id","proc.exepath":"/bin/busybox","proc.name":"sh","proc.pname":"python3","user.name":"root"}}`;
}

function tracee(i: number): string {
  const c = i % 200;
  const sig = i % 500 === 0;
  const meta = sig
    ? ',"metadata":{"Version":"1","Description":"An attempt to abuse the Docker UNIX socket inside a container was detected.","Tags":null,"Properties":{"Category":"privilege-escalation","Severity":2,"Technique":"Exploitation for Privilege Escalation","external_id":"T1068","signatureID":"TRC-1019","signatureName":"Docker socket abuse detected"}}'
    : '';
  return `{"timestamp":${Date.UTC(2025, 2, 14, 8) + i * 7}000000,"threadStartTime":1741945291500755545,"processorId":1,"processId":40,"cgroupId":10472,"threadId":40,"parentProcessId":1,"hostProcessId":${90000 + (i % 9000)},"hostThreadId":${90000 + (i % 9000)},"hostParentProcessId":88501,"userId":0,"mountNamespace":4026532731,"pidNamespace":4026532734,"processName":"python3","executable":{"path":"/usr/local/bin/python3"},"hostName":"app-${c}","containerId":"${hex64(c)}","container":{"id":"${hex64(c)}","name":"app","image":"registry.example.com/app:1"},"kubernetes":{"podName":"app-${c}-7d9c6b5f4-x2lqp","podNamespace":"ns-${c % 20}"},"eventId":"${sig ? 6019 : 1031}","eventName":"${sig ? 'docker_abuse' : 'security_file_open'}","matchedPolicies":["default-policy"],"argsNum":2,"returnValue":0,"syscall":"openat","stackAddresses":null,"contextFlags":{"containerStarted":true,"isCompat":false},"args":[{"name":"pathname","type":"const char*","value":"/usr/lib/python3/site-${i % 300}.py"},{"name":"flags","type":"string","value":"O_RDONLY"}]${meta}}`;
}

/** `kubectl get pods -A -o json` of the 200 pods the events run in, each with an exec readiness probe. */
function podList(): string {
  const items = Array.from({ length: 200 }, (_, c) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `app-${c}-7d9c6b5f4-x2lqp`, namespace: `ns-${c % 20}`, uid: `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`, creationTimestamp: '2025-03-13T18:39:58Z' },
    spec: {
      containers: [{ name: 'app', image: `registry.example.com/app:1.${c % 9}`, readinessProbe: { exec: { command: ['/bin/sh', '-c', 'run --worker 3'] }, periodSeconds: 10 } }],
      nodeName: `worker-${c % 5}`,
    },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', containerID: `containerd://${hex64(c)}`, ready: true }] },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });
}

async function writeLines(path: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 1; i <= count; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe.skipIf(!ENABLED)('scale: 1 million runtime events', () => {
  it(
    'ingests in bounded memory and the runtime rules group them',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cf-runtime-scale-'));
      try {
        const input = join(dir, 'ebpf');
        mkdirSync(input);
        const tetragonCount = Math.round(TOTAL * 0.6);
        const falcoCount = Math.round(TOTAL * 0.25);
        const traceeCount = TOTAL - tetragonCount - falcoCount;
        await writeLines(join(input, 'tetragon.log'), tetragonCount, tetragon);
        await writeLines(join(input, 'falco_events.log'), falcoCount, falco);
        await writeLines(join(input, 'tracee.json'), traceeCount, tracee);
        // The pods' specs: their exec probe runs ('/bin/sh -c run --worker 3') are left out of the runtime rules.
        writeFileSync(join(input, 'pods.json'), podList());
        const bytes = ['tetragon.log', 'falco_events.log', 'tracee.json'].reduce((n, f) => n + statSync(join(input, f)).size, 0);

        const baseline = process.memoryUsage().rss;
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 50);
        // CF_SCALE_RULES=0: ingest only (to tell the two costs apart).
        const rules = process.env.CF_SCALE_RULES === '0' ? [] : (await loadRules()).filter((r) => r.meta.id.startsWith('runtime.') || r.meta.id === 'correlate.runtime-in-exposed-container');
        const started = Date.now();
        const result = await analyze([input], { write: false, caseDbPath: join(dir, 'case.db'), rules, keepDb: true });
        const seconds = (Date.now() - started) / 1000;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        const db = result.db as CaseDb;
        const count = (db.sql.prepare('select count(*) as n from runtime_events').get() as { n: number }).n;
        const suspicious = db.sql.prepare("select tool, count(*) as n from runtime_events where severity <> 'INFO' group by tool order by tool").all();
        const probeRuns = (db.sql.prepare('select count(*) as n from runtime_kubelet_execs').get() as { n: number }).n;
        db.close();
        const mb = (n: number) => Math.round(n / 1024 / 1024);
        process.stdout.write(
          `runtime scale: ${count} events, ${mb(bytes)} MiB of JSON lines, ingest + runtime rules ${seconds.toFixed(1)} s, ` +
            `${result.document.findings.length} findings, RSS ${mb(baseline)} → peak ${mb(peak)} MiB; non-INFO ${JSON.stringify(suspicious)}; ${probeRuns} probe runs left out\n`,
        );
        expect(count).toBe(TOTAL);
        expect(probeRuns).toBeGreaterThan(0);
        expect(result.document.rule_failures).toEqual([]);
        if (rules.length > 0) expect(result.document.findings.some((f) => f.rule === 'runtime.falco-alert')).toBe(true);
        // Bounded: far below the input size, whatever the input size.
        expect(peak - baseline).toBeLessThan(Math.max(256 * 1024 * 1024, Math.min(bytes / 2, 600 * 1024 * 1024)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30 * 60_000,
  );
});
