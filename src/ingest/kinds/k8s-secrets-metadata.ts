import { eachTsvRow, hasTsvHeader } from '../tsv.js';
import { Confidence, type Ingester } from '../types.js';

const HEADER = ['namespace', 'name', 'type', 'created', 'uid', 'service_account', 'labels'];

/**
 * collect.sh k8s/secrets-metadata.tsv (docs/bundle-format.md): one row per Secret from a
 * kubectl jsonpath template that names no data field — names, types, service-account
 * annotation, labels; never values.
 */
export const k8sSecretsMetadata: Ingester = {
  kind: 'k8s-secrets-metadata',
  description: 'Kubernetes Secrets metadata, no values (collect.sh secrets-metadata.tsv)',
  detect: (head) => (hasTsvHeader(head, HEADER) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    const batch = ctx.db.batch(
      'insert into k8s_secrets (file_id, locator, namespace, name, type, created, uid, service_account, labels) values (?,?,?,?,?,?,?,?,?)',
    );
    let rows = 0;
    await eachTsvRow(source, ctx, (get, lineNo) => {
      const name = get('name');
      if (!name) return;
      rows++;
      batch.add([ctx.fileId, `line ${lineNo}`, get('namespace') || null, name, get('type') || null, get('created') || null, get('uid') || null, get('service_account') || null, get('labels') || null]);
    });
    batch.flush();
    ctx.progress(rows);
  },
};
