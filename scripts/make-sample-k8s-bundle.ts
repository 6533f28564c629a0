/**
 * Builds sample-bundles/k8s-compromised.tgz: a collect.sh bundle (docs/bundle-format.md layout:
 * meta.env, commands.tsv, collection.log, SHA256SUMS, k8s/<kind>.json as
 * `kubectl get <kind> -A -o json` prints them) of a compromised kubeadm v1.29 cluster, taken
 * from its control-plane node with `collect.sh --skip host,docker,cri,containerd,control-plane,etcd,ebpf`.
 *
 * The cluster holds every normal kubeadm system object (control-plane static pods, kube-proxy,
 * coredns, the bootstrap RBAC policy, kubeadm's bindings) and what the attack added; the story is
 * in scripts/k8s-compromised-cluster.ts. Objects are synthetic (no cluster runs here), follow
 * kubectl's output field for field (see test/fixtures/k8s/README.md) and are deterministic, so
 * the archive is byte-for-byte reproducible (GNU tar --sort=name --mtime, gzip -n).
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/make-sample-k8s-bundle.js
 *   UPDATE_EXPECTED=1 npx vitest run test/k8s-regression.test.ts
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metaEnv, writeSampleBundle } from './sample-bundle.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { attackObjects, baselineCluster, CONTROL_PLANE, INCIDENT, secretsMetadataTsv } from './k8s-compromised-cluster.js';
import { kubectlJson, kubectlVersion, list, type Obj } from './k8s-kubectl.js';

export const SAMPLE_BUNDLE = join(PACKAGE_ROOT, 'sample-bundles', 'k8s-compromised.tgz');
const HOST = CONTROL_PLANE.name;
const STAMP = '20260204T100001Z';
const DIR = `cf-bundle-${HOST}-${STAMP}`;

/** The order collect.sh runs its kubectl steps in (collect_k8s), with the second each one ends. */
const NAMESPACED = ['pods', 'deployments', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs', 'serviceaccounts', 'roles', 'rolebindings', 'networkpolicies', 'events'] as const;
const CLUSTER = ['clusterroles', 'clusterrolebindings', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations'] as const;
const KYVERNO_CRDS = ['admissionreports.kyverno.io', 'backgroundscanreports.kyverno.io', 'cleanuppolicies.kyverno.io', 'clusteradmissionreports.kyverno.io', 'clusterbackgroundscanreports.kyverno.io', 'clustercleanuppolicies.kyverno.io', 'clusterpolicies.kyverno.io', 'policies.kyverno.io', 'policyexceptions.kyverno.io', 'updaterequests.kyverno.io'];

function byNamespaceThenName(a: Obj, b: Obj): number {
  const ma = a.metadata as Obj;
  const mb = b.metadata as Obj;
  return String(ma.namespace ?? '').localeCompare(String(mb.namespace ?? '')) || String(ma.name).localeCompare(String(mb.name));
}

/** The bundle's files, in the order collect.sh writes them. */
export function bundleFiles(): [string, string][] {
  const base = baselineCluster();
  const attack = attackObjects();
  // kubectl lists objects sorted by namespace, then name (the API server's etcd key order).
  const merged = (kind: keyof typeof base) => [...base[kind], ...attack[kind]].sort(byNamespaceThenName);
  const files: [string, string][] = [];
  files.push(['env/detection.tsv', 'check\tresult\tdetail\ndockerenv\tno\t\ncontainerenv\tno\t\nk8s-serviceaccount\tno\t\ndocker\tno\tnot installed\ncontainerd\tyes\t/usr/bin/containerd\ncrictl\tyes\t/usr/local/bin/crictl\nkubectl\tyes\t/usr/bin/kubectl\nkubelet\tyes\t/usr/bin/kubelet\n']);
  files.push(['k8s/version.json', `${JSON.stringify(kubectlVersion(), null, 4)}\n`]);
  files.push(['k8s/cluster-info.txt', `Kubernetes control plane is running at https://${CONTROL_PLANE.ip}:6443\nCoreDNS is running at https://${CONTROL_PLANE.ip}:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`]);
  files.push(['k8s/nodes.json', kubectlJson(list(merged('nodes')))]);
  files.push(['k8s/namespaces.json', kubectlJson(list(merged('namespaces')))]);
  for (const kind of NAMESPACED) files.push([`k8s/${kind}.json`, kubectlJson(list(merged(kind)))]);
  for (const kind of CLUSTER) files.push([`k8s/${kind}.json`, kubectlJson(list(merged(kind)))]);
  files.push(['k8s/secrets-metadata.tsv', secretsMetadataTsv()]);
  files.push(['k8s/crds.txt', `${KYVERNO_CRDS.map((c) => `customresourcedefinition.apiextensions.k8s.io/${c}`).join('\n')}\n`]);
  files.push(['k8s/kyverno-clusterpolicies.json', kubectlJson(list(attack.kyvernoPolicies))]);
  files.push(['k8s/kyverno-policies.json', kubectlJson(list([]))]);
  return files;
}

function commandsTsv(files: [string, string][]): string {
  const bytes = (p: string) => Buffer.byteLength(files.find(([n]) => n === p)?.[1] ?? '');
  let second = 2;
  const at = () => `2026-02-04T10:00:${String(second).padStart(2, '0')}Z`;
  const rows: string[][] = [['env', '[internal] environment detection', 'ok', '0', at(), at(), String(bytes('env/detection.tsv')), 'env/detection.tsv', '']];
  for (const skipped of ['host', 'docker', 'cri', 'containerd']) rows.push([skipped, skipped === 'host' ? '[internal] host context' : skipped, 'skipped', '-', at(), at(), '0', '-', `--skip ${skipped}`]);
  const kubectl = (args: string, out: string) => {
    second++;
    rows.push(['k8s', `kubectl --request-timeout=60s --cache-dir=/tmp/cf.k9Qw2/kcache ${args}`, 'ok', '0', at(), at(), String(bytes(out)), out, '']);
  };
  kubectl('version -o json', 'k8s/version.json');
  kubectl('cluster-info', 'k8s/cluster-info.txt');
  kubectl('get nodes -o json', 'k8s/nodes.json');
  kubectl('get namespaces -o json', 'k8s/namespaces.json');
  for (const kind of NAMESPACED) kubectl(`get ${kind} -A -o json`, `k8s/${kind}.json`);
  for (const kind of CLUSTER) kubectl(`get ${kind} -o json`, `k8s/${kind}.json`);
  kubectl('get secrets -A -o jsonpath=<metadata-only template>', 'k8s/secrets-metadata.tsv');
  kubectl('get crd -o name', 'k8s/crds.txt');
  kubectl('get clusterpolicies.kyverno.io -o json', 'k8s/kyverno-clusterpolicies.json');
  kubectl('get policies.kyverno.io -A -o json', 'k8s/kyverno-policies.json');
  for (const skipped of ['control-plane', 'etcd', 'ebpf']) rows.push([skipped, skipped, 'skipped', '-', at(), at(), '0', '-', `--skip ${skipped}`]);
  return `${['source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote', ...rows.map((r) => r.join('\t'))].join('\n')}\n`;
}

function main(): void {
  const files = bundleFiles();
  const skip = 'host,docker,cri,containerd,control-plane,etcd,ebpf';
  files.push(['commands.tsv', commandsTsv(files)]);
  files.push(['collection.log', '2026-02-04T10:00:01Z INFO collect.sh 0.1.0 starting\n2026-02-04T10:00:04Z INFO collecting Kubernetes objects\n2026-02-04T10:00:31Z INFO done\n']);
  files.push([
    'meta.env',
    metaEnv({
      HOST,
      START_UTC: '2026-02-04T10:00:01Z',
      END_UTC: '2026-02-04T10:00:31Z',
      ENV_DOCKER: 'no',
      ENV_CONTAINERD: 'yes',
      ENV_CRIO: 'no',
      ENV_KUBERNETES: 'yes',
      ENV_IN_CONTAINER: 'no',
      HOST_NS_SOURCE: '/proc/1/ns',
      HOST_NS_REASON: 'readable',
      CGROUP_VERSION: '2',
      KERNEL: '5.15.0-94-generic',
      SINCE: INCIDENT.since,
      UNTIL: INCIDENT.until,
      NAMESPACE: '',
      SKIP: skip,
      ARGS: `-o /root/ir --since ${INCIDENT.since} --until ${INCIDENT.until} --skip ${skip}`,
    }),
  ]);
  writeSampleBundle({ dir: DIR, files, mtime: '2026-02-04 10:00:31Z', out: SAMPLE_BUNDLE });
  process.stdout.write(`wrote ${SAMPLE_BUNDLE}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
