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
    const rows: Record<string, string | null>[] = [];
    await eachTsvRow(source, ctx, (get, lineNo) => {
      const name = get('name');
      if (!name) return;
      rows.push({
        file_id: String(ctx.fileId),
        locator: `line ${lineNo}`,
        namespace: get('namespace') || null,
        name,
        type: get('type') || null,
        created: get('created') || null,
        uid: get('uid') || null,
        service_account: get('service_account') || null,
        labels: get('labels') || null,
      });
    });
    ctx.db.transaction(() => {
      for (const row of rows) ctx.db.insert('k8s_secrets', { ...row, file_id: ctx.fileId });
    });
    ctx.progress(rows.length);
  },
};
