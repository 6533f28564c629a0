/**
 * Reads an etcd snapshot with the native reader and prints counts and timings as JSON: the
 * benchmark for keys/s and memory, and a quick way to look at a snapshot while debugging.
 * Prints no keys and no values.
 *
 *   npm run build && /usr/bin/time -v node dist/scripts/etcd-snapshot-stats.js /tmp/100k.db
 */
import { parseArgs } from 'node:util';

import { isEtcdSnapshotError, openEtcdSnapshot } from '../src/etcd-snapshot/index.js';

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'free-pages': { type: 'boolean', default: true }, 'key-prefix': { type: 'string' } },
  });
  const path = positionals[0];
  if (!path) {
    process.stderr.write('usage: etcd-snapshot-stats SNAPSHOT [--no-free-pages] [--key-prefix /registry]\n');
    process.exit(2);
  }
  const opts = values['key-prefix'] ? { keyPrefix: values['key-prefix'] } : {};
  const snap = openEtcdSnapshot(path, opts);
  const time = <T>(fn: () => T): [T, number] => {
    const t = process.hrtime.bigint();
    const r = fn();
    return [r, Number(process.hrtime.bigint() - t) / 1e9];
  };

  const [status, statusSeconds] = time(() => snap.status());
  const counts = { live: 0, history: 0, tombstones: 0, secrets: 0, plaintextSecretsLive: 0, plaintextSecretsHistory: 0 };
  const kinds: Record<string, number> = {};
  const [, recordSeconds] = time(() => {
    for (const r of snap.records()) {
      counts[r.level]++;
      if (r.tombstone) counts.tombstones++;
      if (r.isSecret && r.level === 'live') counts.secrets++;
      if (r.plaintextSecretData) counts[r.level === 'live' ? 'plaintextSecretsLive' : 'plaintextSecretsHistory']++;
      kinds[r.valueKind] = (kinds[r.valueKind] ?? 0) + 1;
    }
  });
  const [scan, freeSeconds] = values['free-pages'] ? time(() => snap.scanFreePages()) : [null, 0];
  const [integrity, hashSeconds] = time(() => snap.integrity());
  const entries = counts.live + counts.history;
  process.stdout.write(
    JSON.stringify(
      {
        path,
        status,
        counts,
        valueKinds: kinds,
        freePages: scan && { free: scan.freePages, slack: scan.slackPages, findings: scan.findings.length, treeComplete: scan.treeComplete },
        integrity: { ok: integrity.ok, sha256: integrity.sha256, metaUsed: integrity.metaUsed, problems: integrity.problems.length },
        seconds: { status: statusSeconds, records: recordSeconds, freePages: freeSeconds, sha256: hashSeconds },
        entriesPerSecond: Math.round(entries / recordSeconds),
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
      null,
      2,
    ) + '\n',
  );
  snap.close();
}

try {
  main();
} catch (err) {
  process.stderr.write(`etcd-snapshot-stats: ${isEtcdSnapshotError(err) ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
