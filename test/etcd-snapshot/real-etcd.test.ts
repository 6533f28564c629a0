/**
 * Against a real etcd (skipped when etcd/etcdctl are not on PATH; CI installs them): write
 * Kubernetes-shaped keys, snapshot with etcdctl, and check the reader agrees with
 * `etcdctl get --prefix` and `etcdctl snapshot status` exactly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  EtcdServer,
  cborObject,
  configMapProtobuf,
  encryptedValue,
  etcdAvailable,
  jsonObject,
  podProtobuf,
  secretProtobuf,
  snapshotStatus,
} from '../../scripts/etcd-fixture.js';
import { EtcdSnapshotError, type EtcdKeyRecord, openEtcdSnapshot } from '../../src/etcd-snapshot/index.js';
import { tempDir } from './helpers/files.js';

interface EtcdctlKv {
  key: string;
  create_revision: number;
  mod_revision: number;
  version: number;
  value?: string;
  lease?: string;
}

const NS = 'default';
const LEAKED = 'L3aked-value';

describe.skipIf(!etcdAvailable())('etcd snapshot reader against a real etcd', () => {
  // Created in beforeAll, not here: a skipped suite's body still runs, its afterAll does not.
  let tmp = { dir: '', cleanup: (): void => undefined };
  let etcd: EtcdServer | undefined;
  let snapPath = '';
  let compactedPath = '';
  let etcdctlKvs: EtcdctlKv[] = [];
  const revs: Record<string, number> = {};

  beforeAll(async () => {
    tmp = tempDir();
    etcd = await EtcdServer.start();
    const e = etcd;
    revs['pod'] = await e.put(`/registry/pods/${NS}/web-1`, podProtobuf({ name: 'web-1', namespace: NS, uid: 'uid-web-1', created: 1700000000 }, 'nginx:1.25'));
    revs['cm1'] = await e.put(`/registry/configmaps/kube-system/cm-1`, configMapProtobuf({ name: 'cm-1', namespace: 'kube-system' }, { a: '1' }));
    revs['cm1b'] = await e.put(`/registry/configmaps/kube-system/cm-1`, configMapProtobuf({ name: 'cm-1', namespace: 'kube-system' }, { a: '2' }));
    revs['crd'] = await e.put(
      `/registry/example.com/widgets/${NS}/w1`,
      jsonObject('example.com/v1', 'Widget', { name: 'w1', namespace: NS, uid: 'uid-w1', created: 1700000100 }, { spec: { size: 3 } }),
    );
    revs['cbor'] = await e.put(
      `/registry/configmaps/${NS}/cbor-cm`,
      cborObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cbor-cm', namespace: NS }, data: { x: 'y' } }),
    );
    revs['enc'] = await e.put(`/registry/secrets/${NS}/enc-1`, encryptedValue('aescbc', 'key1'));
    revs['plainThenEnc1'] = await e.put(`/registry/secrets/${NS}/db-creds`, secretProtobuf({ name: 'db-creds', namespace: NS }, { password: 'S3cr3t-db' }));
    revs['plainThenEnc2'] = await e.put(`/registry/secrets/${NS}/db-creds`, encryptedValue('aescbc', 'key2'));
    revs['gone'] = await e.put(`/registry/secrets/${NS}/gone`, secretProtobuf({ name: 'gone', namespace: NS }, { token: 'T0ken-gone' }));
    await e.del(`/registry/secrets/${NS}/gone`);
    revs['cmGone'] = await e.put(`/registry/configmaps/${NS}/tmp`, configMapProtobuf({ name: 'tmp', namespace: NS }, {}));
    await e.del(`/registry/configmaps/${NS}/tmp`);
    revs['kms'] = await e.put(`/registry/secrets/kube-system/kms-1`, encryptedValue('kms', 'kms-plugin', 120, 'v2'));
    const lease = await e.leaseGrant(3600);
    revs['event'] = await e.put(
      `/registry/events/${NS}/web-1.17a`,
      jsonObject('v1', 'Event', { name: 'web-1.17a', namespace: NS }, { reason: 'Started' }),
      lease,
    );
    await e.put('compact_rev_key', '0');

    snapPath = join(tmp.dir, 'snapshot.db');
    e.snapshot(snapPath);
    const text = e.etcdctl(['get', '', '--prefix', '-w', 'json']);
    // lease ids exceed 2^53: keep them as strings before JSON.parse rounds them
    const parsed = JSON.parse(text.replace(/"lease":(\d+)/g, '"lease":"$1"')) as { kvs: EtcdctlKv[] };
    etcdctlKvs = parsed.kvs;

    // Second snapshot: a plaintext Secret overwritten by an encrypted one, then history
    // compacted away. Only free pages can still hold the plaintext (until bbolt reuses them).
    await e.put(`/registry/secrets/${NS}/leaked`, secretProtobuf({ name: 'leaked', namespace: NS }, { key: LEAKED }));
    const last = await e.put(`/registry/secrets/${NS}/leaked`, encryptedValue('aescbc', 'key2'));
    await e.compact(last, true);
    compactedPath = join(tmp.dir, 'compacted.db');
    e.snapshot(compactedPath);
  }, 60000);

  afterAll(async () => {
    await etcd?.stop();
    tmp.cleanup();
  });

  function liveByKey(): Map<string, EtcdKeyRecord> {
    const snap = openEtcdSnapshot(snapPath);
    const m = new Map([...snap.liveKeys()].map((r) => [r.key, r]));
    snap.close();
    return m;
  }

  it('returns the same live keys, revisions, versions, leases and values as etcdctl get', () => {
    const live = liveByKey();
    const expected = new Map(etcdctlKvs.map((kv) => [Buffer.from(kv.key, 'base64').toString('utf8'), kv]));
    expect([...live.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, kv] of expected) {
      const r = live.get(key)!;
      expect({ key, c: r.createRevision, m: r.modRevision, v: r.version, lease: r.lease }).toEqual({
        key,
        c: kv.create_revision,
        m: kv.mod_revision,
        v: kv.version,
        lease: BigInt(kv.lease ?? 0),
      });
      const value = Buffer.from(kv.value ?? '', 'base64');
      expect(r.valueSize).toBe(value.length);
      expect(r.valueSha256).toBe(value.length ? createHash('sha256').update(value).digest('hex') : null);
    }
    expect(live.get(`/registry/events/${NS}/web-1.17a`)!.lease).toBeGreaterThan(0n);
  });

  it('matches etcdctl snapshot status exactly', () => {
    const snap = openEtcdSnapshot(snapPath);
    expect(snap.status()).toEqual(snapshotStatus(snapPath));
    const snap2 = openEtcdSnapshot(compactedPath);
    expect(snap2.status()).toEqual(snapshotStatus(compactedPath));
    expect(snap2.info().compactRevision).toBeGreaterThan(0);
    snap.close();
    snap2.close();
  });

  it('verifies the sha256 etcdctl appended and reports a clean file', () => {
    const snap = openEtcdSnapshot(snapPath);
    expect(snap.integrity()).toMatchObject({ sha256: { present: true, valid: true }, metaUsed: 0, truncated: false, problems: [], ok: true });
    snap.close();
  });

  it('classifies protobuf, JSON, CBOR and encrypted values', () => {
    const live = liveByKey();
    expect(live.get(`/registry/pods/${NS}/web-1`)).toMatchObject({
      valueKind: 'protobuf',
      k8s: { apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'web-1', uid: 'uid-web-1', creationTimestamp: '2023-11-14T22:13:20Z' },
    });
    expect(live.get(`/registry/example.com/widgets/${NS}/w1`)).toMatchObject({
      valueKind: 'json',
      k8s: { apiVersion: 'example.com/v1', kind: 'Widget', namespace: NS, name: 'w1', uid: 'uid-w1' },
    });
    expect(live.get(`/registry/configmaps/${NS}/cbor-cm`)).toMatchObject({ valueKind: 'cbor', k8s: { kind: 'ConfigMap', name: 'cbor-cm', namespace: NS } });
    expect(live.get(`/registry/secrets/${NS}/enc-1`)).toMatchObject({
      valueKind: 'encrypted',
      encrypted: { provider: 'aescbc', version: 'v1', keyName: 'key1' },
      isSecret: true,
      plaintextSecretData: false,
    });
    expect(live.get(`/registry/secrets/${NS}/enc-1`)?.registry).toEqual({ resource: 'secrets', namespace: NS, name: 'enc-1' });
    expect(live.get(`/registry/secrets/kube-system/kms-1`)?.encrypted).toEqual({ provider: 'kms', version: 'v2', keyName: 'kms-plugin' });
    expect(live.get('compact_rev_key')).toMatchObject({ valueKind: 'unknown', k8s: null, isSecret: false });
  });

  it('reveals in history that a Secret now encrypted was stored in plaintext, and deleted keys', () => {
    const snap = openEtcdSnapshot(snapPath);
    const history = [...snap.history()];
    const live = new Map([...snap.liveKeys()].map((r) => [r.key, r]));
    expect(live.get(`/registry/secrets/${NS}/db-creds`)).toMatchObject({ valueKind: 'encrypted', plaintextSecretData: false, version: 2 });
    const old = history.find((r) => r.key === `/registry/secrets/${NS}/db-creds`);
    expect(old).toMatchObject({ level: 'history', modRevision: revs['plainThenEnc1'], valueKind: 'protobuf', plaintextSecretData: true, k8s: { kind: 'Secret', name: 'db-creds' } });

    expect(live.has(`/registry/secrets/${NS}/gone`)).toBe(false);
    const gone = history.filter((r) => r.key === `/registry/secrets/${NS}/gone`);
    expect(gone.map((r) => [r.tombstone, r.plaintextSecretData])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(live.has(`/registry/configmaps/${NS}/tmp`)).toBe(false);
    expect(history.filter((r) => r.key === `/registry/configmaps/${NS}/tmp`)).toHaveLength(2);
    snap.close();
  });

  it('never carries Secret values in its output', () => {
    const snap = openEtcdSnapshot(snapPath);
    const out = JSON.stringify(
      { r: [...snap.records()], s: snap.status(), i: snap.integrity(), f: snap.scanFreePages() },
      (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    );
    for (const secret of ['S3cr3t-db', 'T0ken-gone', LEAKED, Buffer.from('S3cr3t-db').toString('base64')]) expect(out).not.toContain(secret);
    snap.close();
  });

  it('finds a compacted plaintext Secret only on free pages', () => {
    const snap = openEtcdSnapshot(compactedPath);
    const records = [...snap.records()];
    const leaked = records.filter((r) => r.key === `/registry/secrets/${NS}/leaked`);
    expect(leaked.map((r) => [r.level, r.valueKind])).toEqual([['live', 'encrypted']]);
    const scan = snap.scanFreePages();
    expect(scan.treeComplete).toBe(true);
    expect(scan.freePages).toBeGreaterThan(0);
    const orphans = scan.findings.filter((f) => f.match === 'secret-record' && f.alsoInTree === false && f.plaintextSecretData);
    // Every page where the test (not the reader) sees the plaintext must be reported.
    const bytes = readFileSync(compactedPath);
    const plaintextPages = new Set<number>();
    for (let i = bytes.indexOf(LEAKED); i >= 0; i = bytes.indexOf(LEAKED, i + 1)) plaintextPages.add(Math.floor(i / 4096));
    expect(plaintextPages.size).toBeGreaterThan(0); // etcd 3.4 leaves the freed page in the file
    const orphanPages = new Set(orphans.map((f) => f.pageId));
    for (const page of plaintextPages) expect(orphanPages).toContain(page);
    // The compaction also dropped the plaintext history of db-creds and gone: found as well.
    const names = orphans.map((f) => {
      expect(Math.floor(f.fileOffset / 4096)).toBe(f.pageId);
      const at = bytes.subarray(f.fileOffset, f.fileOffset + 64).toString('latin1');
      return /\/registry\/secrets\/default\/([a-z-]+)/.exec(at)?.[1];
    });
    expect(new Set(names)).toEqual(new Set(['leaked', 'db-creds', 'gone']));
    // and the tree itself no longer has any plaintext Secret
    expect(records.filter((r) => r.plaintextSecretData)).toEqual([]);
    snap.close();
  });

  it('falls back to meta page 1 of a real snapshot whose meta page 0 is broken', () => {
    const f = readFileSync(snapPath);
    f[16 + 48] = f[16 + 48]! ^ 0xff; // txid byte: checksum fails
    const p = join(tmp.dir, 'meta0.db');
    writeFileSync(p, f);
    const snap = openEtcdSnapshot(p);
    expect(snap.integrity().metaUsed).toBe(1);
    expect([...snap.liveKeys()].map((r) => r.key).sort()).toEqual([...liveByKey().keys()].sort());
    const st = snap.status();
    expect({ ...st }).toEqual(snapshotStatus(snapPath));
    snap.close();
  });

  it('refuses a real snapshot with both meta pages broken or cut short, with typed errors', () => {
    const f = readFileSync(snapPath);
    f[16 + 48] = f[16 + 48]! ^ 0xff;
    f[4096 + 16 + 48] = f[4096 + 16 + 48]! ^ 0xff;
    const both = join(tmp.dir, 'meta-both.db');
    writeFileSync(both, f);
    expect(() => openEtcdSnapshot(both)).toThrow(EtcdSnapshotError);
    try {
      openEtcdSnapshot(both);
    } catch (err) {
      expect((err as EtcdSnapshotError).code).toBe('ETCD_SNAPSHOT_BAD_META');
    }
    const cut = join(tmp.dir, 'cut.db');
    writeFileSync(cut, readFileSync(snapPath).subarray(0, 3 * 4096 + 100));
    try {
      openEtcdSnapshot(cut);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EtcdSnapshotError);
      expect((err as EtcdSnapshotError).code).toBe('ETCD_SNAPSHOT_TRUNCATED');
    }
  });

  it('keeps working when the API server uses random-looking binary keys', async () => {
    const key = Buffer.concat([Buffer.from('/registry/odd/'), randomBytes(8), Buffer.from([0xff, 0xfe])]);
    await etcd!.put(key, 'x');
    const p = join(tmp.dir, 'binary-key.db');
    etcd!.snapshot(p);
    const snap = openEtcdSnapshot(p);
    const rec = [...snap.liveKeys()].find((r) => r.keyHex === key.toString('hex'));
    expect(rec).toBeDefined();
    expect(snap.status()).toEqual(snapshotStatus(p));
    snap.close();
  });
});
