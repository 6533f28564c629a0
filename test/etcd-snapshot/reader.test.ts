import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

import {
  configMapProtobuf,
  encryptedValue,
  etcdAvailable,
  jsonObject,
  podProtobuf,
  secretProtobuf,
  snapshotStatus,
} from '../../scripts/etcd-fixture.js';
import { openEtcdSnapshot, type EtcdKeyRecord } from '../../src/etcd-snapshot/index.js';
import { type MvccEntry, etcdSpec, keyValue, revisionKey, writeBolt } from './helpers/bolt-writer.js';
import { tempDir } from './helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const hasEtcdctl = etcdAvailable();

const BIG_LEASE = 0x7fffffff00000001n;

// Built once: encrypted fixture values are random bytes.
const SCENARIO = buildScenario();
const scenario = (): MvccEntry[] => SCENARIO;

function buildScenario(): MvccEntry[] {
  const ns = 'default';
  return [
    { main: 2, key: '/registry/configmaps/default/a', value: configMapProtobuf({ name: 'a', namespace: ns, uid: 'u-a', created: 1700000000 }, { k: 'v1' }) },
    { main: 3, key: '/registry/secrets/default/s', value: secretProtobuf({ name: 's', namespace: ns, uid: 'u-s' }, { password: 'hunter2' }) },
    { main: 4, key: '/registry/configmaps/default/a', create: 2, version: 2, value: configMapProtobuf({ name: 'a', namespace: ns, uid: 'u-a' }, { k: 'v2' }) },
    { main: 5, key: '/registry/secrets/default/s', create: 3, version: 2, value: encryptedValue('aescbc', 'key1') },
    { main: 6, key: '/registry/secrets/default/gone', value: secretProtobuf({ name: 'gone', namespace: ns }, { token: 'abc' }) },
    { main: 7, key: '/registry/secrets/default/gone', tombstone: true },
    { main: 8, key: '/registry/pods/kube-system/p1', lease: BIG_LEASE, value: podProtobuf({ name: 'p1', namespace: 'kube-system' }, 'nginx:1') },
    {
      main: 9,
      key: '/registry/example.com/widgets/default/big',
      value: jsonObject('example.com/v1', 'Widget', { name: 'big', namespace: ns, created: 1700000001 }, { spec: { blob: 'z'.repeat(10000) } }),
    },
    { main: 10, key: '/registry/secrets/kube-system/kms', value: encryptedValue('kms', 'my-kms-plugin', 100, 'v2') },
    { main: 11, key: '/registry/secrets/default/empty', value: secretProtobuf({ name: 'empty', namespace: ns }, {}) },
  ];
}

function byRevision(records: Iterable<EtcdKeyRecord>): Map<number, EtcdKeyRecord> {
  return new Map([...records].map((r) => [r.revision.main, r]));
}

describe('etcd snapshot reader on synthetic bbolt files', () => {
  const layout = writeBolt(etcdSpec(scenario()));
  const path = tmp.file('basic.db', layout.file);

  it('separates live keys from history and honours tombstones', () => {
    const snap = openEtcdSnapshot(path);
    const live = byRevision(snap.liveKeys());
    const history = byRevision(snap.history());
    expect([...live.keys()].sort((a, b) => a - b)).toEqual([4, 5, 8, 9, 10, 11]);
    expect([...history.keys()].sort((a, b) => a - b)).toEqual([2, 3, 6, 7]);
    expect(history.get(7)).toMatchObject({ tombstone: true, key: '/registry/secrets/default/gone', modRevision: 7, level: 'history' });
    expect(live.get(4)).toMatchObject({ createRevision: 2, modRevision: 4, version: 2, level: 'live' });
    snap.close();
  });

  it('decodes Kubernetes values without exposing them', () => {
    const snap = openEtcdSnapshot(path);
    const all = byRevision(snap.records());
    expect(all.get(2)).toMatchObject({
      valueKind: 'protobuf',
      k8s: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'a', uid: 'u-a', creationTimestamp: '2023-11-14T22:13:20Z' },
      isSecret: false,
      plaintextSecretData: false,
    });
    expect(all.get(3)).toMatchObject({ valueKind: 'protobuf', isSecret: true, plaintextSecretData: true, k8s: { kind: 'Secret', name: 's' } });
    expect(all.get(5)).toMatchObject({
      valueKind: 'encrypted',
      encrypted: { provider: 'aescbc', version: 'v1', keyName: 'key1' },
      isSecret: true,
      plaintextSecretData: false,
      k8s: null,
    });
    expect(all.get(6)).toMatchObject({ level: 'history', plaintextSecretData: true });
    expect(all.get(8)).toMatchObject({ lease: BIG_LEASE, k8s: { kind: 'Pod', namespace: 'kube-system', name: 'p1' } });
    expect(all.get(9)).toMatchObject({
      valueKind: 'json',
      k8s: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'big', creationTimestamp: '2023-11-14T22:13:21Z' },
    });
    expect(all.get(10)?.encrypted).toEqual({ provider: 'kms', version: 'v2', keyName: 'my-kms-plugin' });
    expect(all.get(11)).toMatchObject({ isSecret: true, plaintextSecretData: false });
    const value3 = scenario()[1]!.value!;
    expect(all.get(3)?.valueSha256).toBe(createHash('sha256').update(value3).digest('hex'));
    expect(all.get(3)?.valueSize).toBe(value3.length);
    // no record field carries the secret text
    expect(JSON.stringify([...all.values()], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('hunter2');
    snap.close();
  });

  it('reads the big value through its overflow pages', () => {
    const big = layout.leafPages.find((id) => layout.file.readUInt32LE(id * layout.pageSize + 12) > 0);
    expect(big).toBeDefined();
    const snap = openEtcdSnapshot(path);
    expect([...snap.liveKeys()].find((r) => r.revision.main === 9)?.valueSize).toBeGreaterThan(10000);
    snap.close();
  });

  it('computes snapshot status, integrity and etcd meta', () => {
    const snap = openEtcdSnapshot(path);
    const status = snap.status();
    expect(status).toMatchObject({ revision: 11, totalKey: 10 + 2, totalSize: layout.highWaterMark * 4096 });
    if (hasEtcdctl) expect(status).toEqual(snapshotStatus(path));
    const integrity = snap.integrity();
    expect(integrity).toMatchObject({ sha256: { present: true, valid: true }, metaUsed: 0, truncated: false, ok: true });
    expect(snap.info()).toMatchObject({ consistentIndex: 42n, compactRevision: 1, pageSize: 4096, littleEndian: true });
    snap.close();
  });

  it('walks branch pages of a large key bucket', () => {
    const entries: MvccEntry[] = [];
    for (let i = 0; i < 3000; i++) entries.push({ main: i + 2, key: `/registry/configmaps/ns/k${i % 2500}`, value: Buffer.alloc(40, 1) });
    const l = writeBolt(etcdSpec(entries));
    expect(l.branchPages.length).toBeGreaterThan(0);
    const p = tmp.file('many.db', l.file);
    const snap = openEtcdSnapshot(p);
    expect([...snap.liveKeys()]).toHaveLength(2500);
    expect([...snap.history()]).toHaveLength(500);
    expect(snap.status().totalKey).toBe(3002);
    if (hasEtcdctl) expect(snap.status()).toEqual(snapshotStatus(p));
    expect(snap.integrity().ok).toBe(true);
    snap.close();
  });

  it('reads big-endian files and other page sizes the same way', () => {
    const le = openEtcdSnapshot(path);
    const expected = [...le.records()].map((r) => ({ ...r }));
    const expectedStatus = le.status();
    le.close();
    for (const variant of [{ littleEndian: false }, { pageSize: 16384 }, { pageSize: 1024, littleEndian: false }]) {
      const l = writeBolt(etcdSpec(scenario(), variant));
      const p = tmp.file(`variant-${variant.pageSize ?? 4096}-${variant.littleEndian ?? true}.db`, l.file);
      const snap = openEtcdSnapshot(p);
      expect([...snap.records()]).toEqual(expected);
      expect(snap.status()).toMatchObject({ hash: expectedStatus.hash, revision: expectedStatus.revision, totalKey: expectedStatus.totalKey });
      expect(snap.integrity().ok).toBe(true);
      snap.close();
    }
  });

  it('honours a custom key prefix', () => {
    const l = writeBolt(
      etcdSpec([{ main: 2, key: '/custom/secrets/default/x', value: secretProtobuf({ name: 'x', namespace: 'default' }, { a: 'b' }) }]),
    );
    const p = tmp.file('prefix.db', l.file);
    const snap = openEtcdSnapshot(p, { keyPrefix: '/custom/' });
    expect([...snap.liveKeys()][0]).toMatchObject({ isSecret: true, plaintextSecretData: true });
    snap.close();
  });

  it('finds plaintext Secrets left on free pages, reporting location only', () => {
    const gone = keyValue({ main: 40, key: '/registry/secrets/default/old', value: secretProtobuf({ name: 'old', namespace: 'default' }, { pw: 'topsecret' }) });
    const stillThere = keyValue(scenario()[1]!);
    const encrypted = keyValue({ main: 41, key: '/registry/secrets/default/enc', value: encryptedValue('aescbc', 'key1') });
    const envelopeOnly = secretProtobuf({ name: 'frag', namespace: 'default' }, { pw: 'x' });
    const json = jsonObject('v1', 'Secret', { name: 'j', namespace: 'default' }, { data: { pw: 'eA==' } });
    const filler = Buffer.alloc(64, 0);
    const page1 = Buffer.concat([filler, revisionKey(40), gone, filler, revisionKey(3), stillThere, filler, encrypted]);
    const page2 = Buffer.concat([filler, envelopeOnly, filler, json]);
    const l = writeBolt(etcdSpec(scenario(), { freePages: [page1, page2] }));
    const p = tmp.file('free.db', l.file);
    const snap = openEtcdSnapshot(p);
    const scan = snap.scanFreePages();
    expect(scan.freePages).toBe(2);
    expect(scan.treeComplete).toBe(true);
    const summary = scan.findings.map((f) => ({ page: f.pageId, match: f.match, data: f.plaintextSecretData, inTree: f.alsoInTree }));
    const [p1, p2] = l.freePageIds as [number, number];
    expect(summary).toEqual([
      { page: p1, match: 'secret-record', data: true, inTree: false },
      { page: p1, match: 'secret-record', data: true, inTree: true },
      { page: p2, match: 'protobuf-secret', data: true, inTree: null },
      { page: p2, match: 'json-secret', data: true, inTree: null },
    ]);
    for (const f of scan.findings) {
      expect(Object.keys(f).sort()).toEqual(['alsoInTree', 'fileOffset', 'level', 'match', 'pageId', 'plaintextSecretData']);
      expect(f.level).toBe('free-page');
      expect(Math.floor(f.fileOffset / l.pageSize)).toBe(f.pageId);
    }
    snap.close();
  });

  it.skipIf(!hasEtcdctl)('agrees with etcdctl snapshot status on a synthetic file with free pages', () => {
    const l = writeBolt(etcdSpec(scenario(), { freePages: [Buffer.alloc(100, 7)] }));
    const p = tmp.file('free-status.db', l.file);
    const snap = openEtcdSnapshot(p);
    expect(snap.status()).toEqual(snapshotStatus(p));
    snap.close();
  });

  it('scans pages past the high-water mark of a raw backend file', () => {
    const l = writeBolt(etcdSpec(scenario(), { appendHash: false }));
    const slack = Buffer.alloc(l.pageSize * 2);
    keyValue({ main: 50, key: '/registry/secrets/default/stale', value: secretProtobuf({ name: 'stale' }, { a: 'b' }) }).copy(slack, l.pageSize + 100);
    const p = tmp.file('slack.db', Buffer.concat([l.file, slack]));
    const snap = openEtcdSnapshot(p);
    const scan = snap.scanFreePages();
    expect(scan).toMatchObject({ freePages: 0, slackPages: 2, treeComplete: true });
    expect(scan.findings).toEqual([
      { level: 'free-page', pageId: l.highWaterMark + 1, fileOffset: (l.highWaterMark + 1) * l.pageSize + 100, match: 'secret-record', plaintextSecretData: true, alsoInTree: false },
    ]);
    expect(snap.status().totalSize).toBe(l.highWaterMark * l.pageSize);
    snap.close();
  });

  it('reads a raw backend file without the trailing hash', () => {
    const l = writeBolt(etcdSpec(scenario(), { appendHash: false }));
    const p = tmp.file('raw.db', l.file);
    const snap = openEtcdSnapshot(p);
    expect(snap.integrity().sha256).toEqual({ present: false, valid: null });
    expect([...snap.liveKeys()]).toHaveLength(6);
    snap.close();
  });
});
