import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseDb } from '../src/case-db/case-db.js';
import { resolveConfig } from '../src/config.js';
import { ingestInput } from '../src/ingest/ingest-input.js';
import { parseMicros, formatMicros } from '../src/ingest/audit/time.js';
import { FingerprintSet } from '../src/ingest/audit/fingerprints.js';
import { Notable } from '../src/ingest/audit/notable.js';
import { FIXTURES_DIR } from './support/rule-cases.js';
import { auditLines, execUri, goJson, microTime, type AuditRequest } from '../scripts/audit-log-writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-30T10:00:00Z') * 1000;
const ADMIN = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

function req(over: Partial<AuditRequest> = {}): AuditRequest {
  return {
    auditID: '2e7c1a4f-8d0b-4a4e-9a51-6f3c0d2b9e11',
    at: T0 + 123_456,
    requestURI: '/api/v1/namespaces/shop/pods?limit=500',
    verb: 'list',
    user: ADMIN,
    sourceIPs: ['192.0.2.10'],
    userAgent: 'kubectl/v1.29.4 (linux/amd64) kubernetes/55019c8',
    objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' },
    code: 200,
    decision: 'allow',
    reason: '',
    ...over,
  };
}

/** Writes files into a fresh directory, ingests it, and returns the database. */
async function ingest(files: Record<string, string | Buffer>): Promise<CaseDb> {
  const dir = mkdtempSync(join(tmpdir(), 'cf-audit-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const db = CaseDb.create(':memory:');
  await ingestInput(dir, db, { config: resolveConfig({}) });
  db.finishLoad();
  return db;
}

const rows = (db: CaseDb, sql = 'select * from audit_requests order by id') => db.sql.prepare(sql).all() as Record<string, unknown>[];
const fileStats = (db: CaseDb) => db.sql.prepare('select * from audit_files order by file_id').all() as Record<string, unknown>[];

describe('k8s-audit ingest', () => {
  it('joins the stages of a request into one row located at its last stage, with decoded strings and µs times', async () => {
    const lines = auditLines(req());
    expect(lines.map((l) => JSON.parse(l).stage)).toEqual(['RequestReceived', 'ResponseComplete']);
    const db = await ingest({ 'audit.log': `${lines.join('\n')}\n` });
    expect(db.sql.prepare("select kind from files where path = 'audit.log'").get()).toEqual({ kind: 'k8s-audit' });
    const [row] = rows(db);
    expect(row).toMatchObject({
      locator: 'line 2',
      audit_id: '2e7c1a4f-8d0b-4a4e-9a51-6f3c0d2b9e11',
      time: '2026-11-30T10:00:00.123456Z',
      verb: 'list',
      username: 'kubernetes-admin',
      groups: 'system:masters,system:authenticated',
      source_ips: '192.0.2.10',
      namespace: 'shop',
      resource: 'pods',
      code: 200,
      decision: 'allow',
      stage: 2,
      level: 1,
    });
    expect(rows(db)).toHaveLength(1);
    expect(fileStats(db)[0]).toMatchObject({ lines: 2, events: 2, requests: 1, duplicates: 0, unparsable: 0, format: 'k8s', level_metadata: 1 });
  });

  it('recognises exec at ResponseStarted (101) and decodes the repeated command parameters', async () => {
    const uri = execUri('shop', 'web-1', ['sh', '-c', 'id && cat /etc/shadow'], 'web', false);
    expect(goJson({ uri })).toContain('\\u0026command=');
    const lines = auditLines(req({ requestURI: uri, verb: 'create', code: 101, started: true, duration: 90_000_000, objectRef: { resource: 'pods', namespace: 'shop', name: 'web-1', apiVersion: 'v1', subresource: 'exec' } }));
    expect(lines.map((l) => JSON.parse(l).stage)).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    const db = await ingest({ 'audit.log': `${lines.join('\n')}\n` });
    expect(rows(db)).toHaveLength(1);
    expect(rows(db)[0]).toMatchObject({ locator: 'line 2', stage: 1, code: 101, subresource: 'exec', name: 'web-1' });
    const exec = db.sql.prepare('select * from audit_exec').get() as Record<string, unknown>;
    expect(JSON.parse(exec.command as string)).toEqual(['sh', '-c', 'id && cat /etc/shadow']);
    expect(exec).toMatchObject({ container: 'web', tty: 0, stdin: 1 });
  });

  it('collapses repeated lines within a file and across files, but keeps requests that reuse a client-chosen auditID', async () => {
    const one = auditLines(req()).join('\n');
    const reused = auditLines(req({ at: T0 + 9_000_000, verb: 'get', requestURI: '/api/v1/namespaces/shop/secrets/db', objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' } })).join('\n');
    const db = await ingest({ 'a-audit.log': `${one}\n${one}\n${reused}\n`, 'b-audit.log': `${one}\n` });
    expect(rows(db).map((r) => r.resource)).toEqual(['pods', 'secrets']);
    const stats = fileStats(db);
    expect(stats[0]).toMatchObject({ events: 6, requests: 2, duplicates: 2 });
    expect(stats[1]).toMatchObject({ events: 2, requests: 0, duplicates: 2 });
  });

  it('joins interleaved stages of two requests that share a client-chosen auditID by their receipt time', async () => {
    const [rr1, rc1] = auditLines(req({ verb: 'get', requestURI: '/api/v1/namespaces/shop/secrets/a', objectRef: { resource: 'secrets', namespace: 'shop', name: 'a', apiVersion: 'v1' } }));
    const [rr2, rc2] = auditLines(req({ at: T0 + 500_000, verb: 'delete', requestURI: '/api/v1/namespaces/shop/pods/b', objectRef: { resource: 'pods', namespace: 'shop', name: 'b', apiVersion: 'v1' } }));
    const [rr3] = auditLines(req({ at: T0 + 900_000, verb: 'list', requestURI: '/api/v1/pods', objectRef: { resource: 'pods', apiVersion: 'v1' } }));
    const db = await ingest({ 'audit.log': [rr1, rr2, rr3, rc2, rc1, rr1].join('\n') + '\n' });
    expect(rows(db).map((r) => [r.verb, r.name ?? null, r.locator, r.stage])).toEqual([
      ['delete', 'b', 'line 4', 2],
      ['get', 'a', 'line 5', 2],
      ['list', null, 'line 3', 0],
    ]);
    expect(fileStats(db)[0]).toMatchObject({ requests: 3, duplicates: 1 });
  });

  it('keeps a request whose completion never came, parsed from its RequestReceived line', async () => {
    const [received] = auditLines(req({ verb: 'delete', requestURI: '/api/v1/namespaces/shop/pods/web-1', objectRef: { resource: 'pods', namespace: 'shop', name: 'web-1', apiVersion: 'v1' } }));
    const db = await ingest({ 'audit.log': `${received}\n` });
    expect(rows(db)).toEqual([expect.objectContaining({ stage: 0, verb: 'delete', name: 'web-1', code: null, locator: 'line 1' })]);
  });

  it('counts and reports lines that are not audit events, and analyses the rest', async () => {
    const good = auditLines(req()).join('\n');
    const text = [good, '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"x","stage":"ResponseComplete"', 'not json at all', '{"hello":"world"}', '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"y","stage":"Sideways","requestReceivedTimestamp":"2026-11-30T10:00:00Z"}', ''].join('\n');
    const db = await ingest({ 'audit.log': text });
    expect(rows(db)).toHaveLength(1);
    expect(fileStats(db)[0]).toMatchObject({ requests: 1, unparsable: 4 });
    const problems = db.sql.prepare('select problem, detail, locator, count from input_problems order by problem').all() as Record<string, unknown>[];
    expect(problems).toEqual([
      expect.objectContaining({ problem: 'not-an-event', locator: 'line 5', count: 1 }),
      expect.objectContaining({ problem: 'parse-error', locator: 'line 3', count: 2 }),
      expect.objectContaining({ problem: 'schema', locator: 'line 6', count: 1 }),
    ]);
    expect(String(problems[2]!.detail)).toContain('stage');
  });

  it('reads gzip-rotated logs and Metadata-only statistics', async () => {
    const lines = auditLines(req({ verb: 'create', code: 201, requestURI: '/api/v1/namespaces/shop/pods', objectRef: { resource: 'pods', namespace: 'shop', name: 'x', apiVersion: 'v1' } }));
    const db = await ingest({ 'audit-2026-11-30T10-00-00.000.log.gz': gzipSync(`${lines.join('\n')}\n`) });
    expect(db.sql.prepare('select kind from files').get()).toEqual({ kind: 'k8s-audit' });
    expect(fileStats(db)[0]).toMatchObject({ requests: 1, pod_writes: 1, pod_writes_with_object: 0, level_metadata: 1 });
  });

  it('keeps requestObject for pod writes, drops responseObject before parsing, and is not fooled by nested keys of the same name', async () => {
    const body = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'x', namespace: 'shop', annotations: { responseObject: '{"a":1}' } }, spec: { containers: [{ name: 'c', image: 'i', securityContext: { privileged: true } }], hostPID: true } };
    const line = auditLines(
      req({
        level: 'RequestResponse',
        verb: 'create',
        code: 201,
        requestURI: '/api/v1/namespaces/shop/pods',
        objectRef: { resource: 'pods', namespace: 'shop', name: 'x', apiVersion: 'v1' },
        user: { ...ADMIN, extra: { a: ['1'], responseObject: ['2'] } },
        requestObject: body,
        responseObject: { ...body, status: { phase: 'Pending' } },
        omitStages: ['RequestReceived'],
      }),
    );
    const db = await ingest({ 'audit.log': `${line.join('\n')}\n` });
    expect(rows(db)).toEqual([expect.objectContaining({ verb: 'create', name: 'x', level: 3, groups: 'system:masters,system:authenticated' })]);
    const stored = JSON.parse((db.sql.prepare('select object from audit_objects').get() as { object: string }).object);
    expect(stored).toEqual(body);
    expect(fileStats(db)[0]).toMatchObject({ unparsable: 0, pod_writes_with_object: 1, level_request_response: 1 });
  });

  it('does not keep (or parse) the bodies of updates by Kubernetes components, which no rule reads', async () => {
    const rs = { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata: { name: 'web-1', namespace: 'shop' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'i' }] } } } };
    const write = (user: typeof ADMIN, auditID: string) =>
      auditLines(req({ auditID, level: 'Request', verb: 'update', code: 200, requestURI: '/apis/apps/v1/namespaces/shop/replicasets/web-1', objectRef: { resource: 'replicasets', namespace: 'shop', name: 'web-1', apiGroup: 'apps', apiVersion: 'v1' }, user, requestObject: rs, omitStages: ['RequestReceived'] }))[0]!;
    const controller = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };
    const db = await ingest({ 'audit.log': `${write(controller, 'c0000000-0000-4000-8000-000000000001')}\n${write(ADMIN, 'c0000000-0000-4000-8000-000000000002')}\n` });
    expect(rows(db).map((r) => [r.username, r.level])).toEqual([[controller.username, 2], ['kubernetes-admin', 2]]);
    const kept = db.sql.prepare('select e.audit_id from audit_objects o join audit_events e on e.id = o.event_id').pluck().all();
    expect(kept).toEqual(['c0000000-0000-4000-8000-000000000002']);
    expect(fileStats(db)[0]).toMatchObject({ pod_writes: 2, pod_writes_with_object: 2, unparsable: 0 });
  });

  it('recognises AKS diagnostic records (properties.log as a string or an object) and GKE Cloud Audit Logs entries', async () => {
    const [event] = auditLines(req({ omitStages: ['RequestReceived'] }));
    const aksString = JSON.stringify({ category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: { log: event, pod: 'kube-apiserver-7d9f8c-2kq9l', stream: 'stdout' }, resourceId: '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1', time: '2026-11-30T10:00:00.2000000Z' });
    const other = auditLines(req({ auditID: '9b1f1a4f-8d0b-4a4e-9a51-6f3c0d2b9e22', verb: 'get', omitStages: ['RequestReceived'] }))[0]!;
    const aksObject = JSON.stringify({ category: 'kube-audit', properties: { log: JSON.parse(other), pod: 'kube-apiserver-7d9f8c-2kq9l' }, time: '2026-11-30T10:00:01Z' });
    const gke = JSON.stringify({
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        authenticationInfo: { principalEmail: 'mallory@example.com' },
        authorizationInfo: [{ granted: false, permission: 'io.k8s.core.v1.secrets.list', resource: 'core/v1/namespaces/kube-system/secrets' }],
        methodName: 'io.k8s.core.v1.secrets.list',
        requestMetadata: { callerIp: '198.51.100.23', callerSuppliedUserAgent: 'curl/8.5.0' },
        resourceName: 'core/v1/namespaces/kube-system/secrets',
        serviceName: 'k8s.io',
        status: { code: 7, message: 'PERMISSION_DENIED' },
      },
      insertId: 'b7e1f2c3-aa11-4d5e-9f00-123456789abc',
      resource: { type: 'k8s_cluster', labels: { cluster_name: 'prod', location: 'europe-west1', project_id: 'p' } },
      timestamp: '2026-11-30T10:00:02.345678Z',
      logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
      operation: { id: 'b7e1f2c3-aa11-4d5e-9f00-123456789abc', producer: 'k8s.io', first: true, last: true },
    });
    const db = await ingest({ 'aks.json': `${aksString}\n${aksObject}\n`, 'gke.json': `${gke}\n` });
    expect(rows(db).map((r) => [r.verb, r.username, r.resource, r.namespace, r.code, r.decision])).toEqual([
      ['list', 'kubernetes-admin', 'pods', 'shop', 200, 'allow'],
      ['get', 'kubernetes-admin', 'pods', 'shop', 200, 'allow'],
      ['list', 'mallory@example.com', 'secrets', 'kube-system', 403, 'forbid'],
    ]);
    expect(fileStats(db).map((s) => s.format)).toEqual(['aks', 'gke']);
  });

  it('reads the old audit.k8s.io/v1beta1 Event (timestamp, metadata) and a first line longer than the detection head', async () => {
    const beta = JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1beta1',
      metadata: { creationTimestamp: '2026-11-30T10:00:00Z' },
      level: 'Request',
      timestamp: '2026-11-30T10:00:00Z',
      auditID: 'c0ffee00-1111-4222-8333-444455556666',
      stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces/default/configmaps',
      verb: 'create',
      user: { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
      sourceIPs: ['127.0.0.1'],
      objectRef: { resource: 'configmaps', namespace: 'default', name: 'big', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      requestObject: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'big' }, data: { blob: 'x'.repeat(80_000) } },
      requestReceivedTimestamp: '2026-11-30T10:00:00.000001Z',
      stageTimestamp: '2026-11-30T10:00:00.004000Z',
    });
    const db = await ingest({ 'kube-apiserver-audit.log': `${beta}\n` });
    expect(db.sql.prepare('select kind from files').get()).toEqual({ kind: 'k8s-audit' });
    expect(rows(db)).toEqual([expect.objectContaining({ verb: 'create', resource: 'configmaps', name: 'big', time: '2026-11-30T10:00:00.000001Z', level: 2, code: 201 })]);
  });
});

describe('notable flags', () => {
  it('flag every request that the rules\' own conditions select (fixtures and sample traffic)', async () => {
    const files: Record<string, string> = {};
    for (const name of readdirSync(join(FIXTURES_DIR, 'audit')).filter((f) => f.endsWith('.log'))) files[name] = readFileSync(join(FIXTURES_DIR, 'audit', name), 'utf8');
    const db = await ingest(files);
    const id = (v: string) => (db.sql.prepare('select id from audit_dict where value = ?').pluck().get(v) as number | undefined) ?? -1;
    const ids = (where: string) => (db.sql.prepare(`select id from audit_dict where ${where}`).pluck().all() as number[]).join(',') || '-1';
    const checks: [number, string][] = [
      [Notable.SECRETS, `e.resource = ${id('secrets')}`],
      [Notable.EXEC, `(e.resource = ${id('pods')} and e.subresource in (${id('exec')}, ${id('attach')}, ${id('portforward')})) or (e.resource = ${id('nodes')} and e.subresource = ${id('proxy')})`],
      [Notable.RBAC, `e.resource in (${ids("value in ('roles', 'clusterroles', 'rolebindings', 'clusterrolebindings')")})`],
      [Notable.DENIED, 'e.code in (401, 403)'],
      [Notable.ANONYMOUS, `e.username = ${id('system:anonymous')} or e.groups in (${ids("(',' || value || ',') like '%,system:unauthenticated,%'")}) or (e.username is null and e.code = 401)`],
      [Notable.IMPERSONATION, `e.impersonated is not null or (e.resource = ${id('serviceaccounts')} and e.subresource = ${id('token')})`],
      [Notable.CREATE_DELETE, `e.verb in (${id('create')}, ${id('delete')}) and e.subresource is null`],
      [Notable.SERVICE_ACCOUNT, `e.username in (${ids("value like 'system:serviceaccount:%:%' and value not like 'system:serviceaccount:kube-system:%'")})`],
    ];
    for (const [flag, condition] of checks) {
      const all = db.sql.prepare(`select count(*) from audit_events e where ${condition}`).pluck().get() as number;
      const flagged = db.sql.prepare(`select count(*) from audit_events e join audit_notable n on n.event_id = e.id and (n.flags & ${flag}) <> 0 where ${condition}`).pluck().get() as number;
      expect(flagged, `flag ${flag}`).toBe(all);
      expect(all, `flag ${flag} has examples in the fixtures`).toBeGreaterThan(0);
    }
  });
});

describe('large entries', () => {
  it('a 17 MiB audit log: every request kept, sha256 as computed independently, manifest verified', async () => {
    const line = auditLines(req())[1]!;
    const lines: string[] = [];
    for (let i = 0; lines.length * (line.length + 1) < 17 * 1024 * 1024; i++) lines.push(line.replace('2e7c1a4f-8d0b-4a4e-9a51-6f3c0d2b9e11', `2e7c1a4f-8d0b-4a4e-9a51-${String(i).padStart(12, '0')}`));
    const content = `${lines.join('\n')}\n`;
    const digest = createHash('sha256').update(content).digest('hex');
    const db = await ingest({ 'audit.log': content, SHA256SUMS: `${digest}  audit.log\n` });
    expect(db.sql.prepare("select sha256, status, bytes from files where path = 'audit.log'").get()).toEqual({ sha256: digest, status: 'verified', bytes: Buffer.byteLength(content) });
    expect(db.sql.prepare('select integrity from inputs').get()).toEqual({ integrity: 'verified' });
    expect(fileStats(db)[0]).toMatchObject({ requests: lines.length, duplicates: 0 });
  });
});

describe('audit helpers', () => {
  it('parses RFC 3339 times with any fraction and offsets to microseconds', () => {
    expect(formatMicros(parseMicros('2026-11-30T09:14:03.512907Z')!)).toBe('2026-11-30T09:14:03.512907Z');
    expect(formatMicros(parseMicros('2026-11-30T09:14:03Z')!)).toBe('2026-11-30T09:14:03.000000Z');
    expect(formatMicros(parseMicros('2026-11-30T11:14:03.5+02:00')!)).toBe('2026-11-30T09:14:03.500000Z');
    expect(formatMicros(parseMicros('2026-11-30T09:14:03.123456789Z')!)).toBe('2026-11-30T09:14:03.123456Z');
    expect(parseMicros('yesterday')).toBeNull();
    expect(parseMicros('2026-11-30T09:14:03.1 garbage')).toBeNull();
    expect(microTime(parseMicros('2026-11-30T09:14:03.000001Z')!)).toBe('2026-11-30T09:14:03.000001Z');
  });

  it('fingerprint set: remembers what it saw across growth, nothing else', () => {
    const set = new FingerprintSet(4);
    for (let i = 0; i < 50_000; i++) expect(set.add(`id-${i} 2026-11-30T10:00:00.${i}Z`)).toBe(true);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(`id-${i} 2026-11-30T10:00:00.${i}Z`)).toBe(false);
    expect(set.add('id-0 2026-11-30T10:00:00.1Z')).toBe(true);
    expect(set.size).toBe(50_001);
  });
});
