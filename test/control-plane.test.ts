import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { CaseDb } from '../src/case-db/case-db.js';
import { effectiveOccurrences, imageVersion, parseCommandLine, splitCmdline } from '../src/ingest/control-plane/flags.js';
import { describeCertificate, readUsages } from '../src/ingest/control-plane/x509.js';
import { pkiPath } from '../src/ingest/kinds/x509-certificate.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

const CP = join(FIXTURES_DIR, 'control-plane');
const dirs: string[] = [];
const dbs: CaseDb[] = [];

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lays files out as a bundle directory (path inside → fixture or content) and ingests it. */
async function ingest(files: Record<string, string | { fixture: string }>): Promise<CaseDb> {
  const dir = mkdtempSync(join(tmpdir(), 'cf-cp-'));
  dirs.push(dir);
  for (const [path, what] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof what === 'string') writeFileSync(full, what);
    else cpSync(join(CP, what.fixture), full);
  }
  const result = await analyze([dir], { write: false, rules: [], keepDb: true });
  dbs.push(result.db!);
  return result.db!;
}

function all<T>(db: CaseDb, sql: string, ...params: unknown[]): T[] {
  return db.sql.prepare(sql).all(...params) as T[];
}

describe('flag parsing', () => {
  it('reads --flag=value, --flag value, -flag value, bare booleans and positionals as Go does', () => {
    const parsed = parseCommandLine(['/usr/local/bin/etcd', '--name', 'cp-1', '-data-dir=/var/lib/etcd', '--client-cert-auth', '--listen-client-urls', 'https://127.0.0.1:2379', 'extra', '--auto-tls=false']);
    expect(parsed.program).toBe('etcd');
    expect(parsed.flags.map((f) => [f.name, f.value, f.position])).toEqual([
      ['name', 'cp-1', 1],
      ['data-dir', '/var/lib/etcd', 3],
      ['client-cert-auth', 'true', 4],
      ['listen-client-urls', 'https://127.0.0.1:2379', 5],
      ['auto-tls', 'false', 8],
    ]);
    expect(parsed.positional).toEqual([{ value: 'extra', position: 7 }]);
  });

  it('never lets a boolean flag swallow the next argument', () => {
    // `--profiling false` is `--profiling` (true) and a positional `false` in Go's flag packages.
    const parsed = parseCommandLine(['kube-apiserver', '--profiling', 'false', '--v', '2']);
    expect(parsed.flags.map((f) => [f.name, f.value])).toEqual([
      ['profiling', 'true'],
      ['v', '2'],
    ]);
  });

  it('stops at --', () => {
    expect(parseCommandLine(['etcd', '--', '--name=x']).flags).toEqual([]);
  });

  it('lets the last occurrence win, but accumulates string-slice flags', () => {
    const rows = [
      { name: 'authorization-mode', value: 'Node', position: 1, source: 'cmdline' },
      { name: 'anonymous-auth', value: 'false', position: 2, source: 'cmdline' },
      { name: 'authorization-mode', value: 'RBAC', position: 3, source: 'cmdline' },
      { name: 'anonymous-auth', value: 'true', position: 4, source: 'cmdline' },
    ];
    expect(effectiveOccurrences(rows)).toEqual([
      { index: 0, effectiveValue: null },
      { index: 1, effectiveValue: null },
      { index: 2, effectiveValue: 'Node,RBAC' },
      { index: 3, effectiveValue: 'true' },
    ]);
  });

  it('puts environment variables before every command-line flag', () => {
    const rows = [
      { name: 'client-cert-auth', value: 'true', position: 5, source: 'manifest' },
      { name: 'client-cert-auth', value: 'false', position: -1, source: 'env' },
    ];
    expect(effectiveOccurrences(rows)).toEqual([
      { index: 0, effectiveValue: 'true' },
      { index: 1, effectiveValue: null },
    ]);
  });

  it('splits collect.sh cmdlines and reads image versions', () => {
    expect(splitCmdline('etcd  --name cp-1 ')).toEqual(['etcd', '--name', 'cp-1']);
    expect(imageVersion('registry.k8s.io/kube-apiserver:v1.28.4')).toBe('v1.28.4');
    expect(imageVersion('registry.k8s.io/etcd:3.5.9-0')).toBe('3.5.9-0');
    expect(imageVersion('localhost:5000/kube-apiserver')).toBeNull();
    expect(imageVersion('registry.k8s.io/kube-apiserver@sha256:abcd')).toBeNull();
  });
});

describe('static pod manifests', () => {
  it('turns each kubeadm container command into an instance with flags and JSON pointers', async () => {
    const db = await ingest({
      'control-plane/manifests/etcd.yaml': { fixture: 'manifests-hardened/etcd.yaml' },
      'control-plane/manifests/kube-apiserver.yaml': { fixture: 'manifests-hardened/kube-apiserver.yaml' },
    });
    const kinds = all<{ path: string; kind: string }>(db, 'select path, kind from files order by path');
    expect(kinds).toEqual([
      { path: 'control-plane/manifests/etcd.yaml', kind: 'static-pod-manifest' },
      { path: 'control-plane/manifests/kube-apiserver.yaml', kind: 'static-pod-manifest' },
    ]);
    const instances = all<{ component: string; source: string; pod_name: string; version: string; locator: string }>(
      db,
      'select component, source, pod_name, version, locator from component_instances order by component',
    );
    expect(instances).toEqual([
      { component: 'etcd', source: 'manifest', pod_name: 'etcd', version: '3.5.9-0', locator: '/spec/containers/0' },
      { component: 'kube-apiserver', source: 'manifest', pod_name: 'kube-apiserver', version: 'v1.28.4', locator: '/spec/containers/0' },
    ]);
    const flag = all<{ value: string; locator: string }>(db, "select value, locator from component_flags where component = 'etcd' and name = 'listen-client-urls'");
    expect(flag).toEqual([{ value: 'https://127.0.0.1:2379,https://10.0.0.10:2379', locator: '/spec/containers/0/command/10' }]);
    const settings = all<{ name: string; value: string; is_default: number }>(
      db,
      "select name, value, is_default from component_settings where component = 'kube-apiserver' and name in ('anonymous-auth', 'authorization-mode', 'service-account-lookup') order by name",
    );
    expect(settings).toEqual([
      { name: 'anonymous-auth', value: 'false', is_default: 0 },
      { name: 'authorization-mode', value: 'Node,RBAC', is_default: 0 },
      { name: 'service-account-lookup', value: 'true', is_default: 1 },
    ]);
  });

  it('reads args after command, env for etcd, several documents, and reports bad YAML without losing the rest', async () => {
    const db = await ingest({
      'manifests/custom.yaml': [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: etcd-custom, namespace: kube-system}',
        'spec:',
        '  containers:',
        '  - name: etcd',
        '    image: quay.io/coreos/etcd:v3.4.27',
        '    command: [/usr/local/bin/etcd]',
        '    args: [--listen-client-urls, "http://0.0.0.0:2379", --data-dir=/data]',
        '    env:',
        '    - {name: ETCD_CLIENT_CERT_AUTH, value: "false"}',
        '    - {name: ETCD_AUTO_TLS, value: "true"}',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: broken}',
        'spec: {containers: [ {name: x, command: [a, b }',
        '',
      ].join('\n'),
    });
    const flags = all<{ source: string; name: string; value: string; effective: number; locator: string }>(
      db,
      'select source, name, value, effective, locator from component_flags order by position, name',
    );
    expect(flags).toEqual([
      { source: 'env', name: 'auto-tls', value: 'true', effective: 1, locator: '/0/spec/containers/0/env/1/value' },
      { source: 'env', name: 'client-cert-auth', value: 'false', effective: 1, locator: '/0/spec/containers/0/env/0/value' },
      { source: 'manifest', name: 'listen-client-urls', value: 'http://0.0.0.0:2379', effective: 1, locator: '/0/spec/containers/0/args/0' },
      { source: 'manifest', name: 'data-dir', value: '/data', effective: 1, locator: '/0/spec/containers/0/args/2' },
    ]);
    const problems = all<{ problem: string; locator: string }>(db, 'select problem, locator from input_problems');
    expect(problems).toEqual([{ problem: 'parse-error', locator: '/1' }]);
  });
});

describe('command lines', () => {
  it('reads the real etcd command line recorded from /proc as collect.sh writes it', async () => {
    const db = await ingest({ 'control-plane/etcd-cmdline.tsv': { fixture: 'cmdline/etcd-cmdline-hardened.tsv' } });
    expect(all(db, 'select kind from files')).toEqual([{ kind: 'component-cmdline' }]);
    const instance = all<{ component: string; source: string; pid: number; locator: string }>(db, 'select component, source, pid, locator from component_instances');
    expect(instance).toHaveLength(1);
    expect(instance[0]).toMatchObject({ component: 'etcd', source: 'cmdline', locator: 'line 2' });
    expect(instance[0]!.pid).toBeGreaterThan(0);
    const settings = Object.fromEntries(
      all<{ name: string; value: string }>(db, "select name, value from component_settings where name in ('client-cert-auth', 'listen-client-urls', 'name', 'peer-auto-tls')").map((r) => [r.name, r.value]),
    );
    expect(settings).toEqual({ 'client-cert-auth': 'true', 'listen-client-urls': 'https://127.0.0.1:23791', name: 'cp-1', 'peer-auto-tls': 'false' });
  });

  it('leaves a docker daemon command line to the daemon kinds', async () => {
    const db = await ingest({ 'docker/dockerd-cmdline.tsv': 'pid\targs\n812\t/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n' });
    expect(all(db, 'select count(*) as n from component_instances')).toEqual([{ n: 0 }]);
  });
});

describe('encryption configuration', () => {
  it('records the existence row of collect.sh and never reads keys from an EncryptionConfiguration', async () => {
    const db = await ingest({
      'control-plane/encryption-config.tsv': 'path\texists\tsize\tmtime_epoch\n/etc/kubernetes/enc/encryption-config.yaml\tyes\t412\t1764000000\n',
      'enc/encryption-config.yaml': [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: EncryptionConfiguration',
        'resources:',
        '  - resources: [secrets, configmaps]',
        '    providers:',
        '      - aescbc:',
        '          keys:',
        '            - name: key-2026',
        '              secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==',
        '      - identity: {}',
        '  - resources: ["*.*"]',
        '    providers:',
        '      - kms: {apiVersion: v2, name: vault-kms, endpoint: "unix:///var/run/kms.sock"}',
      ].join('\n'),
    });
    expect(all(db, 'select path, status, size, mtime from encryption_config_files')).toEqual([
      { path: '/etc/kubernetes/enc/encryption-config.yaml', status: 'yes', size: 412, mtime: '2025-11-24T16:00:00Z' },
    ]);
    expect(all(db, 'select resource_set, position, provider, key_names, key_material, locator from encryption_providers order by resource_set, position')).toEqual([
      { resource_set: 0, position: 0, provider: 'aescbc', key_names: '["key-2026"]', key_material: 1, locator: '/resources/0/providers/0' },
      { resource_set: 0, position: 1, provider: 'identity', key_names: null, key_material: 0, locator: '/resources/0/providers/1' },
      { resource_set: 1, position: 0, provider: 'kms', key_names: '["vault-kms"]', key_material: 0, locator: '/resources/1/providers/0' },
    ]);
    const dump = JSON.stringify(all(db, 'select * from encryption_providers')) + JSON.stringify(all(db, 'select * from input_problems'));
    expect(dump).not.toContain('c2VjcmV0');
  });
});

describe('certificates', () => {
  const pki = {
    'control-plane/pki/ca.crt': { fixture: 'pki/ca.crt' },
    'control-plane/pki/apiserver-etcd-client.crt': { fixture: 'pki/apiserver-etcd-client.crt' },
    'control-plane/pki/etcd/ca.crt': { fixture: 'pki/etcd/ca.crt' },
    'control-plane/pki/etcd/server.crt': { fixture: 'pki/etcd/server.crt' },
    'control-plane/pki/etcd/peer.crt': { fixture: 'pki/etcd/peer.crt' },
    'control-plane/pki/etcd/healthcheck-client.crt': { fixture: 'pki/etcd/healthcheck-client.crt' },
    'control-plane/pki/etcd/root-client.crt': { fixture: 'pki-rogue/etcd/root-client.crt' },
    'control-plane/pki/etcd/monitoring-client.crt': { fixture: 'pki-rogue/etcd/monitoring-client.crt' },
  };

  it('parses the openssl-made kubeadm PKI with names, SANs, usages, validity and fingerprints', async () => {
    const db = await ingest(pki);
    const server = all<Record<string, unknown>>(db, "select * from certificates where pki_path = 'etcd/server.crt'")[0]!;
    expect(server).toMatchObject({
      common_name: 'cp-1',
      issuer: 'CN=etcd-ca',
      dns_names: '["cp-1","localhost"]',
      ip_addresses: '["10.0.0.10","127.0.0.1","0:0:0:0:0:0:0:1"]',
      not_before: '2026-01-05T09:12:00Z',
      not_after: '2027-01-05T09:12:00Z',
      is_ca: 0,
      self_signed: 0,
      key_usage: '["digitalSignature","keyEncipherment"]',
      ext_key_usage: '["serverAuth","clientAuth"]',
      public_key: 'rsa 2048',
      locator: 'line 1',
    });
    const pem = readFileSync(join(CP, 'pki/etcd/server.crt'), 'utf8');
    expect(server.sha256).toBe(new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase());
    const ca = all<Record<string, unknown>>(db, "select is_ca, self_signed, key_usage from certificates where pki_path = 'etcd/ca.crt'")[0];
    expect(ca).toEqual({ is_ca: 1, self_signed: 1, key_usage: '["digitalSignature","keyEncipherment","keyCertSign"]' });
  });

  it('links each certificate to the issuer whose key verifies it, whatever the file order', async () => {
    const db = await ingest(pki);
    const links = all<{ subject: string; issuer: string }>(
      db,
      `select s.pki_path as subject, i.pki_path as issuer from certificate_issuers l
         join certificates s on s.id = l.subject_row join certificates i on i.id = l.issuer_row order by subject`,
    );
    // monitoring-client names an "etcd-ca" issuer too, but another key signed it: no link.
    expect(links).toEqual([
      { subject: 'apiserver-etcd-client.crt', issuer: 'etcd/ca.crt' },
      { subject: 'etcd/healthcheck-client.crt', issuer: 'etcd/ca.crt' },
      { subject: 'etcd/peer.crt', issuer: 'etcd/ca.crt' },
      { subject: 'etcd/root-client.crt', issuer: 'etcd/ca.crt' },
      { subject: 'etcd/server.crt', issuer: 'etcd/ca.crt' },
    ]);
  });

  it('keeps several certificates of one file, notes private keys without their content, reports a broken block', async () => {
    const first = readFileSync(join(CP, 'pki/ca.crt'), 'utf8');
    const bundle = first + readFileSync(join(CP, 'pki/etcd/ca.crt'), 'utf8');
    const lines = bundle.split('\n').length;
    const db = await ingest({
      'ca-bundle.pem': `${bundle}-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKEFAKEFAKE\n-----END EC PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n`,
    });
    expect(all(db, 'select common_name, locator from certificates order by id')).toEqual([
      { common_name: 'kubernetes', locator: 'line 1' },
      { common_name: 'etcd-ca', locator: `line ${first.split('\n').length}` },
    ]);
    expect(all(db, 'select pem_type, locator from pem_private_keys')).toEqual([{ pem_type: 'EC PRIVATE KEY', locator: `line ${lines}` }]);
    expect(JSON.stringify(all(db, 'select * from pem_private_keys'))).not.toContain('FAKE');
    expect(all(db, 'select problem, locator from input_problems')).toEqual([{ problem: 'parse-error', locator: `line ${lines + 3}` }]);
  });

  it('reads key usage bits and EKUs from DER, and the pki-relative path', () => {
    const der = new X509Certificate(readFileSync(join(CP, 'pki-rogue/etcd/root-client.crt'))).raw;
    expect(readUsages(der)).toEqual({ keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['clientAuth'] });
    expect(readUsages(Buffer.from([0x30, 0x03, 0x02, 0x01]))).toEqual({ keyUsage: null, extKeyUsage: null });
    expect(describeCertificate(new X509Certificate(der)).commonName).toBe('root');
    expect(pkiPath('cf-bundle-x/control-plane/pki/etcd/server.crt')).toBe('etcd/server.crt');
    expect(pkiPath('etc/kubernetes/pki')).toBeNull();
    expect(pkiPath('certs/server.crt')).toBeNull();
  });
});

describe('a control-plane node end to end (collect.sh layout, every rule)', () => {
  const CONTROL_PLANE_RULES = /^(etcd|apiserver)\.|^evidence\.private-key-collected$/;

  async function findings(manifests: string, extra: Record<string, string | { fixture: string }> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'cf-cp-node-'));
    dirs.push(dir);
    const files: Record<string, string | { fixture: string }> = {
      'meta.env': 'CF_BUNDLE_FORMAT=1\nHOST=cp-1\nENV_KUBERNETES=yes\nSINCE=2026-11-19T00:00:00Z\n',
      'control-plane/manifests/etcd.yaml': { fixture: `${manifests}/etcd.yaml` },
      'control-plane/manifests/kube-apiserver.yaml': { fixture: `${manifests}/kube-apiserver.yaml` },
      'control-plane/kubelet-config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n',
      'control-plane/kubelet-cmdline.tsv': 'pid\targs\n733\t/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml\n',
      'control-plane/pki-listing.txt': '/etc/kubernetes/pki:\ntotal 0\n',
      ...Object.fromEntries(
        ['ca.crt', 'apiserver-etcd-client.crt', 'etcd/ca.crt', 'etcd/server.crt', 'etcd/peer.crt', 'etcd/healthcheck-client.crt'].map((f) => [`control-plane/pki/${f}`, { fixture: `pki/${f}` }]),
      ),
      ...extra,
    };
    for (const [path, what] of Object.entries(files)) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      if (typeof what === 'string') writeFileSync(full, what);
      else cpSync(join(CP, what.fixture), full);
    }
    const result = await analyze([dir], { write: false, since: '2026-11-19T00:00:00Z', until: '2026-11-21T00:00:00Z', keepDb: true });
    dbs.push(result.db!);
    expect(result.document.rule_failures.filter((f) => CONTROL_PLANE_RULES.test(f.rule))).toEqual([]);
    const kinds = all<{ path: string; kind: string }>(result.db!, "select path, kind from files where path like 'control-plane/%' order by path");
    return { findings: result.document.findings.filter((f) => CONTROL_PLANE_RULES.test(f.rule)), kinds };
  }

  it('a hardened kubeadm node gives no control-plane finding, and every file goes to its kind', async () => {
    const { findings: found, kinds } = await findings('manifests-hardened', {
      'control-plane/etcd-cmdline.tsv': { fixture: 'cmdline/etcd-cmdline-hardened.tsv' },
      'control-plane/encryption-config.tsv': 'path\texists\tsize\tmtime_epoch\n/etc/kubernetes/enc/encryption-config.yaml\tyes\t388\t1767604320\n',
    });
    expect(found.map((f) => `${f.rule} ${f.reasons[0]}`)).toEqual([]);
    expect(Object.fromEntries(kinds.map((k) => [k.path.replace('control-plane/', ''), k.kind]))).toMatchObject({
      'manifests/etcd.yaml': 'static-pod-manifest',
      'manifests/kube-apiserver.yaml': 'static-pod-manifest',
      'etcd-cmdline.tsv': 'component-cmdline',
      'kubelet-cmdline.tsv': 'component-cmdline',
      'encryption-config.tsv': 'encryption-config',
      'pki/etcd/server.crt': 'x509-certificate',
    });
    expect(kinds.find((k) => k.path.endsWith('kubelet-config.yaml'))?.kind).not.toBe('static-pod-manifest');
  });

  it('a weakened node with a minted etcd client certificate raises every control-plane rule, red flags first', async () => {
    const { findings: found } = await findings('manifests-weak', {
      'control-plane/encryption-config.tsv': 'path\texists\tsize\tmtime_epoch\n-\tno-flag\t-\t-\n',
      'control-plane/pki/etcd/root-client.crt': { fixture: 'pki-rogue/etcd/root-client.crt' },
    });
    const rules = [...new Set(found.map((f) => f.rule))].sort();
    expect(rules).toEqual([
      'apiserver.audit-disabled',
      'apiserver.insecure-flag',
      'etcd.client-cert-auth-off',
      'etcd.client-listener-exposed',
      'etcd.secrets-unencrypted',
      'etcd.unexpected-client-cert',
    ]);
    expect(found.find((f) => f.rule === 'etcd.unexpected-client-cert')).toMatchObject({ severity: 'MALICIOUS', subject: { kind: 'certificate', name: 'root', host: 'cp-1' } });
    expect(found.filter((f) => f.red_flag).map((f) => f.rule).sort()).toEqual([
      'apiserver.insecure-flag',
      'apiserver.insecure-flag',
      'apiserver.insecure-flag',
      'etcd.client-listener-exposed',
    ]);
    // Every finding points into the bundle.
    for (const f of found) expect(f.evidence.length, f.rule).toBeGreaterThan(0);
  });
});

describe('the kubectl view of static pods (mirror pods)', () => {
  it('reads kube-system mirror pods from kubectl get pods -o json as instances of their component', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-cp-pods-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'k8s'));
    cpSync(join(CP, 'kubectl-pods-weak.json'), join(dir, 'k8s/pods.json'));
    const result = await analyze([dir], { write: false, keepDb: true });
    dbs.push(result.db!);
    const { componentInstances } = await import('../src/ingest/control-plane/settings.js');
    const [api] = componentInstances(result.db!.sql, 'kube-apiserver');
    expect(api).toMatchObject({ source: 'pod', pod: 'kube-system/kube-apiserver-cp-1', host: 'cp-1', version: 'v1.19.16', locator: '/items/1/spec/containers/0' });
    expect(api!.settings.get('authorization-mode')).toMatchObject({ value: 'AlwaysAllow', isDefault: false, locator: '/items/1/spec/containers/0/command/4' });
    expect(api!.settings.get('profiling')).toMatchObject({ value: 'true', isDefault: true, source: 'default' });
    expect(componentInstances(result.db!.sql, 'etcd').map((e) => e.pod)).toEqual(['kube-system/etcd-cp-1']);
    const found = result.document.findings.filter((f) => f.rule.startsWith('etcd.') || f.rule.startsWith('apiserver.'));
    expect(found.find((f) => f.rule === 'etcd.client-listener-exposed')).toMatchObject({
      red_flag: true,
      subject: { kind: 'component', name: 'etcd', host: 'cp-1' },
      evidence: [{ path: 'k8s/pods.json', locator: '/items/0/spec/containers/0/command/5' }],
    });
    expect(found.find((f) => f.rule === 'apiserver.audit-disabled')?.reasons[0]).toContain('pod kube-system/kube-apiserver-cp-1 (kubectl, k8s/pods.json)');
  });
});

describe('control-plane processes from the host tables', () => {
  const daemons = [
    'pid\tcomm\targs',
    '812\tdockerd\t/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
    '1432\tetcd\tetcd --advertise-client-urls=http://10.0.0.10:2379 --data-dir=/var/lib/etcd --listen-client-urls=http://0.0.0.0:2379 --name=cp-1',
    '2210\tkube-apiserver\tkube-apiserver --advertise-address=10.0.0.10 --authorization-mode=Node,RBAC --etcd-servers=http://10.0.0.10:2379',
    '',
  ].join('\n');

  it('reads kube-apiserver and etcd from host/daemon-cmdlines.tsv when the control-plane files are absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-cp-host-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'host'));
    writeFileSync(join(dir, 'host/daemon-cmdlines.tsv'), daemons);
    const result = await analyze([dir], { write: false, keepDb: true });
    dbs.push(result.db!);
    const found = result.document.findings.filter((f) => f.rule.startsWith('etcd.') || f.rule.startsWith('apiserver.'));
    expect(found.find((f) => f.rule === 'etcd.client-listener-exposed')).toMatchObject({
      red_flag: true,
      evidence: [{ path: 'host/daemon-cmdlines.tsv', locator: 'line 3' }],
    });
    expect(found.find((f) => f.rule === 'etcd.secrets-unencrypted')?.reasons).toEqual([
      'running process (pid 2210): no --encryption-provider-config: Secrets are written to etcd unencrypted',
    ]);
    expect(found.find((f) => f.rule === 'apiserver.audit-disabled')?.evidence).toEqual([expect.objectContaining({ path: 'host/daemon-cmdlines.tsv', locator: 'line 4' })]);
  });

  it('counts a process once when control-plane/<daemon>-cmdline.tsv has it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-cp-host-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'host'));
    mkdirSync(join(dir, 'control-plane'));
    writeFileSync(join(dir, 'host/daemon-cmdlines.tsv'), daemons);
    writeFileSync(join(dir, 'control-plane/etcd-cmdline.tsv'), `pid\targs\n${daemons.split('\n')[2]!.replace('\tetcd\t', '\t')}\n`);
    const result = await analyze([dir], { write: false, keepDb: true });
    dbs.push(result.db!);
    const { componentInstances } = await import('../src/ingest/control-plane/settings.js');
    expect(componentInstances(result.db!.sql, 'etcd').map((e) => e.path)).toEqual(['control-plane/etcd-cmdline.tsv']);
    expect(componentInstances(result.db!.sql, 'kube-apiserver').map((e) => [e.path, e.pid])).toEqual([['host/daemon-cmdlines.tsv', 2210]]);
  });
});
