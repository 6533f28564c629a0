/**
 * Fills a throwaway etcd with N Kubernetes-shaped keys and saves a snapshot with etcdctl:
 * the input for the reader's bounded-memory benchmark and the opt-in 100k-key test.
 *
 *   npm run build && node dist/scripts/make-etcd-snapshot.js --keys 100000 --out /tmp/100k.db
 *
 * Needs etcd and etcdctl (3.4+) on PATH. The etcd it starts listens on 127.0.0.1 on free ports,
 * uses a temp data dir, and is stopped (and the dir removed) before exit.
 */
import { parseArgs } from 'node:util';

import { EtcdServer, fillKubernetesKeys, snapshotStatus } from './etcd-fixture.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      keys: { type: 'string', default: '100000' },
      out: { type: 'string' },
      overwrite: { type: 'string', default: '0.1', short: 'w' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    process.stderr.write('usage: make-etcd-snapshot --out FILE [--keys N] [--overwrite FRACTION]\n');
    process.exit(values.help ? 0 : 2);
  }
  const n = Number(values.keys);
  const overwrite = Number(values.overwrite);
  if (!Number.isInteger(n) || n < 1 || !(overwrite >= 0 && overwrite <= 1)) {
    process.stderr.write('--keys must be a positive integer and --overwrite a fraction 0..1\n');
    process.exit(2);
  }

  const etcd = await EtcdServer.start();
  try {
    const t0 = Date.now();
    const stats = await fillKubernetesKeys(etcd, n);
    // Overwrite a share of the keys so the snapshot carries history as well.
    const rewrites = Math.floor(n * overwrite);
    if (rewrites > 0) await fillKubernetesKeys(etcd, rewrites);
    const filledMs = Date.now() - t0;
    etcd.snapshot(values.out);
    const status = snapshotStatus(values.out);
    process.stdout.write(
      JSON.stringify({ out: values.out, ...stats, overwritten: rewrites, fillSeconds: filledMs / 1000, etcdctlStatus: status }) + '\n',
    );
  } finally {
    await etcd.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`make-etcd-snapshot: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
