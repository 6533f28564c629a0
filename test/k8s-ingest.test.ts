import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { CaseDb } from '../src/case-db/case-db.js';
import { inspectHead } from '../src/ingest/kubernetes/detect.js';
import { Head } from '../src/ingest/source.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

const K8S = join(FIXTURES_DIR, 'k8s');

async function load(inputs: string[], limits?: { maxBufferBytes: number }): Promise<CaseDb> {
  const result = await analyze(inputs, { write: false, keepDb: true, rules: [], limits, now: new Date('2026-02-04T10:00:00Z') });
  return result.db!;
}

function all<T>(db: CaseDb, sql: string, ...params: unknown[]): T[] {
  return db.sql.prepare(sql).all(...params) as T[];
}

describe('kubectl JSON ingestion', () => {
  let db: CaseDb;
  beforeAll(async () => {
    db = await load([join(K8S, 'kubeadm'), join(K8S, 'attack')]);
  });
  afterAll(() => db.close());

  it('recognises each collect.sh file by content', () => {
    const kinds = Object.fromEntries(all<{ path: string; kind: string }>(db, 'select path, kind from files').map((r) => [r.path, r.kind]));
    expect(kinds['pods.json']).toBe('k8s-pods');
    expect(kinds['daemonsets.json']).toBe('k8s-workloads');
    expect(kinds['cronjobs.json']).toBe('k8s-workloads');
    expect(kinds['clusterroles.json']).toBe('k8s-rbac');
    expect(kinds['serviceaccounts.json']).toBe('k8s-rbac');
    expect(kinds['nodes.json']).toBe('k8s-objects');
    expect(kinds['mutatingwebhookconfigurations.json']).toBe('k8s-objects');
    expect(kinds['kyverno-clusterpolicies.json']).toBe('k8s-objects');
    expect(kinds['secrets-metadata.tsv']).toBe('k8s-secrets-metadata');
    expect(all(db, 'select * from input_problems')).toEqual([]);
    expect(all(db, "select namespace, name, service_account, labels from k8s_secrets where type = 'kubernetes.io/service-account-token' or labels is not null order by name")).toEqual([
      { namespace: 'monitoring', name: 'node-agent-token', service_account: 'node-agent', labels: null },
      { namespace: 'shop', name: 'shop-db', service_account: null, labels: '{"app":"shop"}' },
      { namespace: 'shop', name: 'web-tls', service_account: null, labels: '{"app":"web"}' },
    ]);
  });

  it('stores every object with provenance, one pod spec per pod and per controller template', () => {
    const byKind = Object.fromEntries(all<{ kind: string; n: number }>(db, 'select kind, count(*) as n from k8s_objects group by kind').map((r) => [r.kind, r.n]));
    const pods = JSON.parse(readFileSync(join(K8S, 'attack', 'pods.json'), 'utf8')).items.length + JSON.parse(readFileSync(join(K8S, 'kubeadm', 'pods.json'), 'utf8')).items.length;
    expect(byKind.Pod).toBe(pods);
    const specs = all<{ source: string; kind: string; n: number }>(db, 'select source, kind, count(*) as n from k8s_pod_specs group by source, kind order by 1, 2');
    expect(specs).toEqual([
      { source: 'pod', kind: 'Pod', n: pods },
      { source: 'template', kind: 'CronJob', n: 2 },
      { source: 'template', kind: 'DaemonSet', n: 3 },
      { source: 'template', kind: 'Deployment', n: 5 },
    ]);
    const cron = all<{ locator: string; last_schedule: string | null; schedule: string }>(db, "select locator, last_schedule, schedule from k8s_pod_specs where name = 'log-rotate'")[0]!;
    expect(cron).toEqual({ locator: '/items/0/spec/jobTemplate/spec/template/spec', last_schedule: null, schedule: '*/30 * * * *' });
  });

  it('merges pod- and container-level security contexts as the kubelet does (container wins)', () => {
    const web = all<Record<string, unknown>>(
      db,
      `select c.run_as_user, c.run_as_non_root, c.seccomp_profile, c.allow_privilege_escalation, c.field_locators
         from k8s_containers c join k8s_pod_specs p on p.id = c.spec_id where p.source = 'pod' and p.name like 'web-%' limit 1`,
    )[0]!;
    expect(web).toMatchObject({ run_as_user: 10001, run_as_non_root: 1, seccomp_profile: 'Unconfined', allow_privilege_escalation: 1 });
    const locators = JSON.parse(String(web.field_locators)) as Record<string, string>;
    expect(locators.run_as_user).toMatch(/^\/items\/\d+\/spec\/securityContext\/runAsUser$/);
    expect(locators.allow_privilege_escalation).toMatch(/\/spec\/containers\/0\/securityContext\/allowPrivilegeEscalation$/);
    const builder = all<{ run_as_user: number; field_locators: string }>(db, "select c.run_as_user, c.field_locators from k8s_containers c where c.name = 'builder'")[0]!;
    expect(builder.run_as_user).toBe(0);
    expect(JSON.parse(builder.field_locators).run_as_user).toMatch(/\/containers\/0\/securityContext\/runAsUser$/);
  });

  it('finds the projected kube-api-access token volume, and none where automount is off', () => {
    const tokens = Object.fromEntries(
      all<{ name: string; token_volume: string | null }>(db, "select name, token_volume from k8s_pod_specs where source = 'pod'").map((r) => [r.name, r.token_volume]),
    );
    expect(tokens['docker-builder']).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(Object.entries(tokens).find(([name]) => name.startsWith('api-'))?.[1]).toBeNull();
    expect(tokens['kube-apiserver-cp-1']).toBeNull(); // static pods get no token
  });

  it('resolves pod → ReplicaSet → Deployment through pod-template-hash, and recognises kubeadm system workloads only where they belong', () => {
    const rows = all<{ name: string; namespace: string; workload_kind: string | null; workload_name: string | null; system_component: string | null }>(
      db,
      "select name, namespace, workload_kind, workload_name, system_component from k8s_spec_subjects where source = 'pod' order by namespace, name",
    );
    const coredns = rows.filter((r) => r.name.startsWith('coredns-'));
    expect(coredns.map((r) => [r.workload_kind, r.workload_name, r.system_component])).toEqual([
      ['Deployment', 'coredns', 'coredns'],
      ['Deployment', 'coredns', 'coredns'],
    ]);
    const proxies = rows.filter((r) => r.name.startsWith('kube-proxy-'));
    expect(proxies.filter((r) => r.namespace === 'kube-system').every((r) => r.system_component === 'kube-proxy')).toBe(true);
    expect(proxies.filter((r) => r.namespace === 'default').map((r) => r.system_component)).toEqual([null, null]);
    expect(rows.find((r) => r.name === 'etcd-cp-1')?.system_component).toBe('etcd');
    expect(rows.find((r) => r.name === 'etcd-worker-1')?.system_component).toBeNull();
  });

  it('pod_exposures: one row per exposure of a pod container, expected ones marked', () => {
    const rows = all<{ pod: string; container: string; exposure: string; expected: number; locator: string }>(
      db,
      "select pod, container, exposure, expected, locator from pod_exposures where namespace in ('ci', 'kube-system') order by pod, exposure",
    );
    expect(rows.filter((r) => r.pod === 'docker-builder').map((r) => [r.exposure, r.expected])).toEqual([
      ['capability', 0],
      ['runtime-socket', 0],
    ]);
    expect(rows.filter((r) => r.pod.startsWith('kube-proxy-')).every((r) => r.expected === 1)).toBe(true);
    expect(rows.find((r) => r.pod === 'etcd-worker-1')).toMatchObject({ exposure: 'host-network', expected: 0 });
    expect(rows.find((r) => r.pod === 'etcd-worker-1')!.locator).toMatch(/^\/items\/\d+\/spec\/hostNetwork$/);
  });

  it('explodes RBAC rules and answers "who can read secrets" through the views', () => {
    const who = all<{ subject_kind: string; subject_name: string; scope: string; via_role_name: string }>(
      db,
      `select distinct subject_kind, subject_name, scope, via_role_name from k8s_effective_permissions
        where resource in ('secrets', '*') and verb in ('get', 'list', 'watch', '*') and builtin = 0 order by subject_name, via_role_name`,
    );
    expect(who).toContainEqual({ subject_kind: 'Group', subject_name: 'system:serviceaccounts:monitoring', scope: '*', via_role_name: 'secret-peek' });
    expect(who).toContainEqual({ subject_kind: 'ServiceAccount', subject_name: 'node-agent', scope: '*', via_role_name: 'cluster-admin' });
    expect(who).toContainEqual({ subject_kind: 'User', subject_name: 'dev@example.com', scope: 'kube-system', via_role_name: 'edit' });
    // The bootstrap policy's own grants are marked builtin.
    const kcm = all<{ builtin: number }>(db, "select distinct builtin from k8s_effective_permissions where subject_name = 'system:kube-controller-manager' and resource = 'secrets'");
    expect(kcm).toEqual([{ builtin: 1 }]);
  });
});

describe('kubectl JSON shapes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cf-k8s-shapes-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a single object, an API server PodList (items without kind), an empty List and kubectl version', async () => {
    const shapes = ['api-podlist.json', 'kubectl-version.json', 'networkpolicies.json', 'pod-docker-builder.json'];
    const db = await load(shapes.map((f) => join(K8S, 'shapes', f)));
    try {
      const kinds = Object.fromEntries(all<{ path: string; kind: string }>(db, 'select path, kind from files').map((r) => [r.path.replace(/^.*\//, ''), r.kind]));
      expect(kinds).toEqual({
        'api-podlist.json': 'k8s-pods',
        'kubectl-version.json': 'k8s-objects',
        'networkpolicies.json': 'k8s-objects',
        'pod-docker-builder.json': 'k8s-pods',
      });
      const lists = all<{ resource: string; items: number; locator: string }>(db, 'select resource, items, locator from k8s_lists order by resource');
      expect(lists).toEqual([
        { resource: 'NetworkPolicy', items: 0, locator: '/items' },
        { resource: 'Pod', items: 1, locator: '/items' },
        { resource: 'Pod', items: 1, locator: '' },
        { resource: 'Version', items: 1, locator: '' },
      ]);
      expect(all(db, 'select locator from k8s_pod_specs order by locator')).toEqual([{ locator: '/items/0/spec' }, { locator: '/spec' }]);
      expect(all(db, 'select server_version from k8s_cluster_version')).toEqual([{ server_version: 'v1.29.4' }]);
    } finally {
      db.close();
    }
  });

  it('a malformed object is a recorded problem; the rest of the list is kept', async () => {
    const list = JSON.parse(readFileSync(join(K8S, 'attack', 'pods.json'), 'utf8'));
    list.items[1].spec.containers = 'not a list';
    delete list.items[2].metadata.name;
    const path = join(dir, 'pods.json');
    writeFileSync(path, JSON.stringify(list, null, 4));
    const db = await load([path]);
    try {
      const problems = all<{ problem: string; locator: string }>(db, 'select problem, locator from input_problems order by locator');
      expect(problems).toEqual([
        { problem: 'schema', locator: '/items/1' },
        { problem: 'schema', locator: '/items/2' },
      ]);
      expect(all<{ n: number }>(db, "select count(*) as n from k8s_pod_specs where source = 'pod'")[0]!.n).toBe(list.items.length - 2);
    } finally {
      db.close();
    }
  });

  it('a malformed probe is dropped, not the pod: its privileges still count', async () => {
    const list = JSON.parse(readFileSync(join(K8S, 'attack', 'pods.json'), 'utf8'));
    const container = list.items[11].spec.containers[0]; // ci/docker-builder: SYS_ADMIN, docker.sock
    container.livenessProbe = { exec: { command: 'sh -c id' } };
    container.readinessProbe = 7;
    container.startupProbe = { exec: { command: ['sh', '-c', 'test -S /var/run/docker.sock'] } };
    const path = join(dir, 'pods.json');
    writeFileSync(path, JSON.stringify(list, null, 4));
    const db = await load([path]);
    try {
      expect(all(db, 'select * from input_problems')).toEqual([]);
      expect(all(db, "select c.name from k8s_containers c join k8s_pod_specs p on p.id = c.spec_id where p.name = 'docker-builder'")).toEqual([{ name: 'builder' }]);
      expect(all(db, 'select purpose, command_line, locator from k8s_container_execs')).toEqual([
        { purpose: 'startupProbe', command_line: 'sh -c test -S /var/run/docker.sock', locator: '/items/11/spec/containers/0/startupProbe/exec/command' },
      ]);
    } finally {
      db.close();
    }
  });

  it('streams a List larger than the buffer limit with the same result', async () => {
    const source = join(K8S, 'attack', 'pods.json');
    const whole = await load([source]);
    const streamed = await load([source], { maxBufferBytes: 32768 }); // the file is ~100 KB, each pod ~7 KB
    try {
      const q = 'select p.locator, p.name, p.token_volume, count(c.id) as containers from k8s_pod_specs p join k8s_containers c on c.spec_id = p.id group by p.id order by p.locator';
      expect(all(streamed, q)).toEqual(all(whole, q));
      expect(all(streamed, 'select * from input_problems')).toEqual([]);
    } finally {
      whole.close();
      streamed.close();
    }
  });

  it('leaves API server audit events to the audit ingester', async () => {
    const path = join(dir, 'audit.json');
    writeFileSync(
      path,
      JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [{ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', verb: 'get' }] }),
    );
    const db = await load([path]);
    try {
      const kind = all<{ kind: string }>(db, 'select kind from files')[0]!.kind;
      expect(kind.startsWith('k8s-') && kind !== 'k8s-audit').toBe(false);
      expect(all(db, 'select * from k8s_objects')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('detection from the head of a large file', () => {
  // Only the first 64 KiB are seen: the List kind (at the end in kubectl's sorted output) is not.
  const cut = (text: string) => new Head('k8s/x.json', Buffer.from(text.slice(0, 2000)), false);

  it('a kubectl List (sorted keys) by its first item, an API server list by its kind', () => {
    const kubectl = readFileSync(join(K8S, 'attack', 'daemonsets.json'), 'utf8');
    expect(inspectHead(cut(kubectl))).toEqual({ category: 'workloads', score: 90, itemKind: null });
    const api = readFileSync(join(K8S, 'shapes', 'api-podlist.json'), 'utf8');
    expect(inspectHead(cut(api))).toEqual({ category: 'pods', score: 90, itemKind: 'Pod' });
  });

  it('not crictl lists (no apiVersion), not audit events, not TracingPolicies (another ingester is certain of those)', () => {
    const crictl = `{\n  "items": [\n    {\n      "id": "${'a'.repeat(64)}",\n      "metadata": {\n        "name": "web-0",\n        "uid": "x",\n        "namespace": "shop",\n        "attempt": 0\n      },\n      "state": "SANDBOX_READY"${' '.repeat(3000)}`;
    expect(inspectHead(new Head('cri/pods.json', Buffer.from(crictl), false))).toBeNull();
    const audit = `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{"level":"Metadata"${' '.repeat(3000)}`;
    expect(inspectHead(cut(audit))).toBeNull();
    const policies = JSON.stringify({ apiVersion: 'v1', items: [{ apiVersion: 'cilium.io/v1alpha1', kind: 'TracingPolicy', metadata: { name: 'p' }, spec: {} }], kind: 'List', metadata: { resourceVersion: '' } });
    expect(inspectHead(new Head('k8s/tracingpolicies.json', Buffer.from(policies), true))?.score).toBe(40);
  });
});
