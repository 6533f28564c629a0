/**
 * Writes `kubectl get pods -A -o json` of a large cluster (default 50,000 pods) in kubectl's
 * exact format (scripts/k8s-kubectl.ts), streaming, for the bounded-memory ingestion measurement
 * (test/k8s-scale.test.ts, opt-in with CF_K8S_SCALE=1):
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/make-k8s-pods-json.js /tmp/pods.json 50000
 *   /usr/bin/time -v node bin/cf-analyze.js analyze /tmp/pods.json --out /tmp/cf-scale --json > /dev/null
 *
 * Pods are spread over 500 namespaces and 200 nodes, owned by Deployments (via ReplicaSets),
 * DaemonSets, StatefulSets and Jobs; one in 1,000 is privileged with the node's / mounted.
 */
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kubectlJson, pod, suffix, templateHash, type Obj } from './k8s-kubectl.js';

/** The i-th pod of the synthetic cluster. */
export function scalePod(i: number): Obj {
  const ns = `team-${i % 500}`;
  const app = `app-${Math.floor(i / 500) % 40}`;
  const nodeIndex = i % 200;
  const kind = i % 10 === 0 ? 'DaemonSet' : i % 10 === 1 ? 'StatefulSet' : i % 10 === 2 ? 'Job' : 'Deployment';
  const hash = templateHash(`${ns}/${app}`);
  const owner =
    kind === 'Deployment'
      ? { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}` }
      : { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, name: app };
  const risky = i % 1000 === 999;
  const name = kind === 'Deployment' ? `${app}-${hash}-${suffix(`p${i}`)}` : kind === 'StatefulSet' ? `${app}-${i}` : `${app}-${suffix(`p${i}`)}`;
  return pod({
    namespace: ns,
    name,
    generateName: kind === 'StatefulSet' ? undefined : `${owner.name}-`,
    node: `node-${nodeIndex}`,
    hostIP: `10.1.${Math.floor(nodeIndex / 250)}.${nodeIndex % 250}`,
    podIP: `10.244.${nodeIndex}.${(i % 250) + 2}`,
    created: new Date(Date.parse('2026-01-10T08:00:00Z') + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    owner,
    labels: { app, ...(kind === 'Deployment' ? { 'pod-template-hash': hash } : {}), tier: i % 3 === 0 ? 'backend' : 'frontend' },
    serviceAccount: i % 4 === 0 ? 'default' : app,
    phase: kind === 'Job' ? 'Succeeded' : 'Running',
    restartPolicy: kind === 'Job' ? 'Never' : 'Always',
    securityContext: i % 2 === 0 ? { runAsNonRoot: true, runAsUser: 1000 + (i % 100), seccompProfile: { type: 'RuntimeDefault' } } : {},
    containers: [
      {
        name: app,
        image: `registry.example.com/${ns}/${app}:1.${i % 17}.${i % 5}`,
        args: ['--port=8080', `--shard=${i % 16}`],
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        ...(risky ? { securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/host' }] } : {}),
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
      },
      ...(i % 5 === 0 ? [{ name: 'sidecar', image: 'registry.example.com/platform/log-shipper:3.2.0', resources: {} }] : []),
    ],
    ...(risky ? { volumes: [{ hostPath: { path: '/', type: '' }, name: 'host' }] } : {}),
  });
}

/** Streams the List: the same bytes kubectl prints, without holding the document. */
export async function writePodsJson(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('{\n    "apiVersion": "v1",\n    "items": [\n');
  for (let i = 0; i < count; i++) {
    const item = kubectlJson(scalePod(i)).trimEnd().split('\n').map((l) => `        ${l}`).join('\n');
    await write(`${item}${i < count - 1 ? ',' : ''}\n`);
  }
  await write('    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? 'pods.json';
  const count = Number(process.argv[3] ?? 50_000);
  await writePodsJson(path, count);
  process.stdout.write(`wrote ${count} pods to ${path}\n`);
}
