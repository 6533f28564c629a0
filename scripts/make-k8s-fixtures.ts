/**
 * Writes test/fixtures/k8s/: kubectl JSON of a normal kubeadm cluster (kubeadm/) and of what an
 * attacker and the workloads added to it (attack/), in collect.sh's file names, plus a few
 * other shapes kubectl and the API server print (a single object, a typed PodList, an empty
 * List, `kubectl version -o json`).
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/make-k8s-fixtures.js
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { attackObjects, baselineCluster, secretsMetadataTsv } from './k8s-compromised-cluster.js';
import { kubectlJson, kubectlVersion, kyvernoClusterPolicy, list, type Obj } from './k8s-kubectl.js';

const DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'k8s');

function write(path: string, value: Obj): void {
  mkdirSync(join(DIR, path, '..'), { recursive: true });
  writeFileSync(join(DIR, path), kubectlJson(value));
}

/** kubectl List files in collect.sh's names, for every kind that has objects (or always, when listed). */
export function writeLists(dir: string, objects: Record<string, Obj[]>, always: string[] = []): void {
  for (const [kind, items] of Object.entries(objects)) {
    if (items.length === 0 && !always.includes(kind)) continue;
    write(`${dir}/${kind}.json`, list(items));
  }
}

function main(): void {
  rmSync(join(DIR, 'kubeadm'), { recursive: true, force: true });
  rmSync(join(DIR, 'attack'), { recursive: true, force: true });
  rmSync(join(DIR, 'shapes'), { recursive: true, force: true });
  const base = baselineCluster();
  writeLists('kubeadm', { ...base }, ['networkpolicies']);
  const attack = attackObjects();
  const { services, kyvernoPolicies, ...rest } = attack;
  writeLists('attack', { ...rest, services, 'kyverno-clusterpolicies': kyvernoPolicies });
  writeFileSync(join(DIR, 'attack', 'secrets-metadata.tsv'), secretsMetadataTsv());

  // Other shapes: `kubectl get pod NAME -o json` (one object) and the API server's typed list
  // (`kind` first, items without apiVersion/kind), as curl against /api/v1/pods returns it.
  const builder = attack.pods.find((p) => (p.metadata as Obj).name === 'docker-builder')!;
  write('shapes/pod-docker-builder.json', builder);
  const typed = {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '48213' },
    items: attack.pods.filter((p) => (p.metadata as Obj).namespace === 'ci').map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
  };
  writeFileSync(join(DIR, 'shapes', 'api-podlist.json'), `${JSON.stringify(typed)}\n`);
  write('shapes/networkpolicies.json', list([]));
  // Only the payments namespace: hardened pods under a default-deny policy and PSA enforce=restricted.
  write('shapes/payments/pods.json', list(attack.pods.filter((p) => (p.metadata as Obj).namespace === 'payments')));
  write('shapes/kyverno-clusterpolicies.json', list([kyvernoClusterPolicy('disallow-privileged-containers', '2026-01-12T09:00:00Z', 'Enforce')]));
  write('shapes/kubectl-version.json', kubectlVersion());
}

if (process.argv[1]?.endsWith('make-k8s-fixtures.js')) main();
