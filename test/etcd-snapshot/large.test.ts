/**
 * 100,000 keys from a real etcd, read by page. Opt-in (about 15 s with etcd on PATH):
 *   CF_ETCD_LARGE=1 npx vitest run test/etcd-snapshot/large.test.ts
 * Throughput and memory are printed, not asserted: measure them with
 * scripts/etcd-snapshot-stats.ts under /usr/bin/time -v (see src/etcd-snapshot/README.md).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { EtcdServer, etcdAvailable, fillKubernetesKeys, snapshotStatus } from '../../scripts/etcd-fixture.js';
import { openEtcdSnapshot } from '../../src/etcd-snapshot/index.js';
import { tempDir } from './helpers/files.js';

const N = Number(process.env['CF_ETCD_LARGE_KEYS'] ?? 100_000);
const enabled = process.env['CF_ETCD_LARGE'] === '1' && etcdAvailable();

describe.skipIf(!enabled)(`a ${N}-key snapshot from a real etcd`, () => {
  // Created in the test, not here: a skipped suite's body still runs, its afterAll does not.
  let tmp: ReturnType<typeof tempDir> | undefined;
  let etcd: EtcdServer | undefined;
  afterAll(async () => {
    await etcd?.stop();
    tmp?.cleanup();
  });

  it('reads every key, matching etcdctl, by page', async () => {
    tmp = tempDir();
    etcd = await EtcdServer.start();
    const fill = await fillKubernetesKeys(etcd, N);
    await fillKubernetesKeys(etcd, Math.floor(N / 10)); // overwrite 10 %: history
    const path = join(tmp.dir, 'large.db');
    etcd.snapshot(path);
    const keysOnly = JSON.parse(etcd.etcdctl(['get', '', '--prefix', '--keys-only', '-w', 'json'])) as {
      kvs: { key: string; create_revision: number; mod_revision: number; version: number }[];
    };
    await etcd.stop();
    etcd = undefined;

    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const snap = openEtcdSnapshot(path);
    const live = new Map<string, [number, number, number]>();
    let history = 0;
    let plaintext = 0;
    for (const r of snap.records()) {
      if (r.level === 'live') live.set(r.key, [r.createRevision, r.modRevision, r.version]);
      else history++;
      if (r.level === 'live' && r.plaintextSecretData) plaintext++;
    }
    const seconds = (performance.now() - t0) / 1000;
    const status = snap.status();
    snap.close();

    expect(live.size).toBe(N);
    expect(history).toBe(Math.floor(N / 10));
    expect(plaintext).toBe(fill.plaintextSecrets);
    for (const kv of keysOnly.kvs) {
      expect(live.get(Buffer.from(kv.key, 'base64').toString('utf8'))).toEqual([kv.create_revision, kv.mod_revision, kv.version]);
    }
    expect(status).toEqual(snapshotStatus(path));
    console.log(
      `${N + history} entries in ${seconds.toFixed(2)} s = ${Math.round((N + history) / seconds)} entries/s; ` +
        `heap growth ${((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toFixed(0)} MiB (includes the test's own map)`,
    );
  }, 180_000);
});
