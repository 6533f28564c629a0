import { Confidence, type Ingester } from '../types.js';

/** meta.env of a collect.sh bundle: KEY=value lines (docs/bundle-format.md). */
export const bundleMeta: Ingester = {
  kind: 'bundle-meta',
  description: 'collect.sh meta.env (bundle format, host, collection times, environment)',
  detect(head) {
    if (/^CF_BUNDLE_FORMAT=/m.test(head.text)) return Confidence.CERTAIN;
    return head.name === 'meta.env' && /^[A-Z_][A-Z0-9_]*=/m.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    await source.eachLine((line, lineNo) => {
      const eq = line.indexOf('=');
      if (eq <= 0) return;
      ctx.db.insert('bundle_meta', {
        input_id: ctx.inputId,
        file_id: ctx.fileId,
        key: line.slice(0, eq),
        value: line.slice(eq + 1),
        locator: `line ${lineNo}`,
      });
    });
  },
};
