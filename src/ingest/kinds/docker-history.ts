import { idFromPath, parseHumanSize } from '../docker/image-ref.js';
import { eachJsonLine, firstLineHasKeys, str } from '../jsonl.js';
import { Confidence, type Ingester } from '../types.js';

/**
 * `docker history --no-trunc --format '{{json .}}' <image>`: newest step first, as docker prints.
 * Steps are renumbered oldest = 0. The image is the one named by the bundle path
 * (docker/images/<hex>/history.jsonl), else the newest step's ID when it is a real id.
 */
export const dockerHistory: Ingester = {
  kind: 'docker-history',
  description: "docker history --no-trunc --format '{{json .}}' (JSON lines)",
  detect: (head) => (firstLineHasKeys(head, ['CreatedBy', 'CreatedSince', 'ID', 'Size']) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    const rows: { lineNo: number; r: Record<string, unknown> }[] = [];
    await eachJsonLine(source, ctx, (r, lineNo) => {
      // A history has tens of steps, never millions; cap what we keep all the same.
      if (rows.length < 10_000) rows.push({ lineNo, r });
    });
    const fromPath = idFromPath(ctx.path, 'images');
    const newest = str(rows[0]?.r.ID);
    const imageId = fromPath ? `sha256:${fromPath}` : newest?.startsWith('sha256:') ? newest : null;
    ctx.db.transaction(() => {
      rows.forEach(({ lineNo, r }, i) => {
        const size = parseHumanSize(str(r.Size));
        const createdBy = str(r.CreatedBy) ?? '';
        ctx.db.insert('image_history', {
          file_id: ctx.fileId,
          locator: `line ${lineNo}`,
          image_id: imageId,
          step: rows.length - 1 - i,
          layer_id: str(r.ID),
          created_at: str(r.CreatedAt),
          created_by: createdBy,
          comment: str(r.Comment),
          size_bytes: size,
          empty_layer: size === 0 || /#\(nop\)/.test(createdBy),
        });
      });
    });
  },
};
