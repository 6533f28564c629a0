/**
 * Issue 2's bounded-memory check, reproducible: builds a collect.sh-shaped bundle holding one
 * JSON-lines file of the given size (Kubernetes audit events, ~1 KB each), then runs cf-analyze on
 * it under /usr/bin/time -v and prints the peak RSS.
 *   npm run build && node dist/scripts/measure-memory.js [megabytes=1024] [workdir=/tmp/cf-memory]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const megabytes = Number(process.argv[2] ?? 1024);
const work = process.argv[3] ?? '/tmp/cf-memory';
const root = 'cf-bundle-bench-20261203T120000Z';
const dir = join(work, root);
rmSync(work, { recursive: true, force: true });
mkdirSync(join(dir, 'control-plane', 'audit'), { recursive: true });

const users = ['kubernetes-admin', 'system:kube-controller-manager', 'system:serviceaccount:kube-system:replicaset-controller', 'system:node:node-1', 'alice@example.com'];
const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const resources = ['pods', 'configmaps', 'secrets', 'leases', 'events', 'deployments', 'nodes'];
const logPath = join(dir, 'control-plane', 'audit', 'audit.log');
const fd = openSync(logPath, 'w');
const hash = createHash('sha256');
let written = 0;
let n = 0;
const target = megabytes * 1024 * 1024;
while (written < target) {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++, n++) {
    const t = new Date(Date.UTC(2026, 11, 3, 10, 0, 0) + n * 3).toISOString().replace('Z', '123Z');
    const user = users[n % users.length]!;
    const verb = verbs[(n * 7) % verbs.length]!;
    const resource = resources[(n * 3) % resources.length]!;
    const ns = `team-${n % 40}`;
    lines.push(
      JSON.stringify({
        kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `${n.toString(16).padStart(8, '0')}-1f2e-4d3c-8b7a-${(n * 7919).toString(16).padStart(12, '0').slice(-12)}`,
        stage: 'ResponseComplete', requestURI: `/api/v1/namespaces/${ns}/${resource}/obj-${n % 997}?timeout=30s&resourceVersion=0`, verb,
        user: { username: user, uid: 'b6c1a7f2-9d3e-4c1b-8a2f-5e6d7c8b9a01', groups: ['system:authenticated', 'system:masters'] },
        sourceIPs: [`10.0.${n % 250}.${(n * 13) % 250}`], userAgent: 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625',
        objectRef: { resource, namespace: ns, name: `obj-${n % 997}`, apiVersion: 'v1' },
        responseStatus: { metadata: {}, code: 200 }, requestReceivedTimestamp: t, stageTimestamp: t,
        annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"' },
      }),
    );
  }
  const chunk = Buffer.from(`${lines.join('\n')}\n`);
  writeSync(fd, chunk);
  hash.update(chunk);
  written += chunk.length;
}
closeSync(fd);
const meta = `CF_BUNDLE_FORMAT=1\nHOST=bench\nSTART_UTC=2026-12-03T12:00:00Z\nENV_KUBERNETES=yes\nPARTIAL=no\n`;
writeFileSync(join(dir, 'meta.env'), meta);
writeFileSync(
  join(dir, 'SHA256SUMS'),
  `${hash.digest('hex')}  control-plane/audit/audit.log\n${createHash('sha256').update(meta).digest('hex')}  meta.env\n`,
);
const bundle = join(work, `${root}.tgz`);
execFileSync('tar', ['-C', work, '-czf', bundle, root]);
rmSync(dir, { recursive: true, force: true });
process.stderr.write(`bundle ${bundle}: ${n} events, ${(written / 1048576).toFixed(0)} MB of JSON lines, ${(statSync(bundle).size / 1048576).toFixed(0)} MB compressed\n`);

const started = Date.now();
const run = spawnSync('/usr/bin/time', ['-v', process.execPath, join(PACKAGE_ROOT, 'bin/cf-analyze.js'), bundle, '--out', join(work, 'out'), '--no-evidence-copies'], { encoding: 'utf8' });
const seconds = (Date.now() - started) / 1000;
const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
process.stdout.write(`${run.stdout}exit ${run.status}; wall ${seconds.toFixed(1)} s; peak RSS ${rss ? (Number(rss) / 1024).toFixed(0) : '?'} MB; ${(n / seconds).toFixed(0)} events/s\n`);
