import { insertImage } from '../docker/images.js';
import { parseHumanSize } from '../docker/image-ref.js';
import { eachJsonLine, firstLineHasKeys, str } from '../jsonl.js';
import { Confidence, type Ingester } from '../types.js';

/** `docker images --digests --no-trunc --format '{{json .}}'`: one image/tag per line. */
export const dockerImages: Ingester = {
  kind: 'docker-images',
  description: "docker images --format '{{json .}}' (JSON lines)",
  detect: (head) => (firstLineHasKeys(head, ['Repository', 'Tag', 'ID', 'CreatedSince']) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    await eachJsonLine(source, ctx, (r, lineNo) => {
      const locator = `line ${lineNo}`;
      const id = str(r.ID);
      if (!id) return ctx.problem('schema', 'image line without ID', locator);
      const imageId = id.startsWith('sha256:') ? id : /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
      const repo = str(r.Repository);
      const tag = str(r.Tag);
      const digest = str(r.Digest);
      const tags = repo && repo !== '<none>' && tag && tag !== '<none>' ? [`${repo}:${tag}`] : [];
      const digests = repo && repo !== '<none>' && digest && digest.startsWith('sha256:') ? [`${repo}@${digest}`] : [];
      insertImage(ctx, {
        locator,
        image_id: imageId,
        repo_tags: tags,
        repo_digests: digests,
        created_at: str(r.CreatedAt),
        size: parseHumanSize(str(r.Size)),
        source: 'listing',
      });
    });
  },
};
