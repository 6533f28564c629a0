import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEtcdSnapshotError, openEtcdSnapshot, type EtcdKeyRecord, type EtcdSnapshot } from '../../etcd-snapshot/index.js';
import { errorMessage } from '../../errors.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';

const BBOLT_MAGIC = 0xed0cdaed;
/** etcd_values rows per transaction. */
const BATCH = 10_000;

/**
 * `etcdctl snapshot save` files (bbolt): live keys, older revisions and Secrets left on free
 * pages, as facts about each value (kind, encryption, plaintext-or-not), never the values.
 * The reader needs random access, so the snapshot is read from its evidence copy (or a private
 * temporary file when copies are off).
 */
export const etcdSnapshot: Ingester = {
  kind: 'etcd-snapshot',
  description: 'etcd snapshot (etcdctl snapshot save / member/snap/db), read natively',
  evidenceCopy: 'etcd-snapshot-{time}.db',
  detect(head) {
    const b = head.bytes;
    if (b.length < 24) return Confidence.NONE;
    // Meta page 0: 16-byte page header, then the meta struct starting with its magic (host-endian).
    return b.readUInt32LE(16) === BBOLT_MAGIC || b.readUInt32BE(16) === BBOLT_MAGIC ? Confidence.CERTAIN : Confidence.NONE;
  },
  async ingest(source, ctx) {
    let scratch: string | undefined;
    let path = ctx.evidenceCopyPath;
    if (path) await source.consume();
    else {
      scratch = mkdtempSync(join(tmpdir(), 'cf-etcd-'));
      path = join(scratch, 'snapshot.db');
      await source.saveTo(path);
    }
    try {
      readSnapshot(path, ctx);
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  },
};

function readSnapshot(path: string, ctx: IngestContext): void {
  let snap: EtcdSnapshot;
  try {
    snap = openEtcdSnapshot(path);
  } catch (error) {
    const truncated = isEtcdSnapshotError(error) && error.code === 'ETCD_SNAPSHOT_TRUNCATED';
    if (!truncated) {
      ctx.problem('corrupt', `etcd snapshot unreadable: ${errorMessage(error)}`);
      return;
    }
    // Salvage what is there, but say so.
    ctx.problem('truncated', `etcd snapshot cut short: ${errorMessage(error)}; the pages present were read`);
    try {
      snap = openEtcdSnapshot(path, { allowTruncated: true });
    } catch (again) {
      ctx.problem('corrupt', `etcd snapshot unreadable: ${errorMessage(again)}`);
      return;
    }
  }
  try {
    const insert = ctx.db.batch(
      `insert into etcd_values (file_id, locator, level, key, resource, namespace, name, kind, value_kind, provider, key_name,
                                plaintext_secret_data, revision, value_sha256)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      BATCH,
    );
    let live = 0;
    let history = 0;
    try {
      for (const record of snap.records()) {
        if (record.level === 'live') live++;
        else history++;
        insert.add(valueRow(ctx.fileId, record));
      }
    } catch (error) {
      ctx.problem('corrupt', `etcd snapshot: reading stopped early: ${errorMessage(error)}`);
    }
    const scan = snap.scanFreePages();
    for (const f of scan.findings) {
      insert.add([
        ctx.fileId, `page ${f.pageId} offset ${f.fileOffset}`, 'free-page', `(free page ${f.pageId})`, 'secrets', null, null, 'Secret',
        f.match, null, null, f.plaintextSecretData ? 1 : 0, null, null,
      ]);
    }
    insert.flush();
    ctx.progress(live + history);

    const integrity = snap.integrity();
    let status: ReturnType<EtcdSnapshot['status']> | null = null;
    try {
      status = snap.status();
    } catch {
      /* a damaged tree: etcdctl would refuse too; the problems say why */
    }
    const info = snap.info();
    ctx.db.insert('etcd_snapshots', {
      file_id: ctx.fileId,
      status_hash: status?.hash ?? null,
      revision: status?.revision ?? null,
      total_keys: status?.totalKey ?? null,
      total_size: status?.totalSize ?? null,
      sha256_present: integrity.sha256.present,
      sha256_valid: integrity.sha256.valid,
      meta_used: integrity.metaUsed,
      compact_revision: info.compactRevision,
      live_keys: live,
      history_entries: history,
      free_page_findings: scan.findings.length,
      tree_complete: scan.treeComplete,
      problems: integrity.problems.map((p) => ({ code: p.code, message: p.message, pageId: p.pageId ?? null })),
    });
    if (integrity.sha256.present && integrity.sha256.valid === false) {
      ctx.problem('corrupt', 'etcd snapshot: the sha256 etcdctl appended does not match the content (altered after it was saved)');
    }
    const fallback = integrity.metaPages.find((m) => !m.valid);
    if (fallback) ctx.problem('corrupt', `etcd snapshot: meta page ${fallback.pageId} invalid (${fallback.reason}); read with the other one`);
    for (const p of integrity.problems.slice(0, 20)) ctx.problem('corrupt', `etcd snapshot: ${p.code}: ${p.message}`, p.pageId === undefined ? undefined : `page ${p.pageId}`);
  } finally {
    snap.close();
  }
}

function valueRow(fileId: number, r: EtcdKeyRecord): (string | number | null)[] {
  return [
    fileId,
    `revision ${r.revision.main}.${r.revision.sub}`,
    r.level,
    r.key,
    r.registry?.resource ?? null,
    r.registry?.namespace ?? r.k8s?.namespace ?? null,
    r.registry?.name ?? r.k8s?.name ?? null,
    r.k8s?.kind ?? null,
    r.tombstone ? 'tombstone' : r.valueKind,
    r.encrypted?.provider ?? null,
    r.encrypted?.keyName ?? null,
    r.plaintextSecretData ? 1 : 0,
    r.modRevision,
    r.valueSha256,
  ];
}
