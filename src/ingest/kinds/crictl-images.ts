import { z } from 'zod';
import { insertImage } from '../docker/images.js';
import { obj } from '../docker/json.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';
import { eachListItem } from './crictl-list.js';

const Strings = z.array(z.string()).nullish();
/** CRI Image (protobuf JSON): size is a uint64 printed as a string, uid an Int64Value or null. */
const CriImage = z.looseObject({
  id: z.string(),
  repoTags: Strings,
  repoDigests: Strings,
  size: z.union([z.string(), z.number()]).nullish(),
  uid: z.looseObject({ value: z.union([z.string(), z.number()]).nullish() }).nullish(),
  username: z.string().nullish(),
  pinned: z.boolean().nullish(),
});
/** containerd's verbose image info: {chainID, imageSpec: OCI image config}. */
const ImageInfo = z.looseObject({
  imageSpec: z
    .looseObject({
      created: z.string().nullish(),
      config: z.looseObject({ User: z.string().nullish(), Entrypoint: Strings, Cmd: Strings, Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
      history: z.array(z.looseObject({ created: z.string().nullish(), created_by: z.string().nullish(), comment: z.string().nullish(), empty_layer: z.boolean().nullish() })).nullish(),
    })
    .nullish(),
});

/**
 * CRI images: `crictl images -o json` (`{"images": [...]}`, source listing) and `crictl inspecti
 * <id>` (`{"status": <Image>, "info": {chainID, imageSpec}}`, source inspect, with the image's
 * build history from its OCI config).
 */
export const crictlImages: Ingester = {
  kind: 'crictl-images',
  description: 'crictl images -o json / crictl inspecti (CRI images)',
  detect(head) {
    const whole = head.wholeValue;
    if (whole !== undefined) {
      const w = obj(whole);
      if (Array.isArray(w.images)) {
        const first = obj(w.images[0]);
        if (w.images.length === 0) return Object.keys(w).length === 1 ? Confidence.PLAUSIBLE : Confidence.NONE;
        return typeof first.id === 'string' && Array.isArray(first.repoTags) ? Confidence.CERTAIN : Confidence.NONE;
      }
      const status = obj(w.status);
      return typeof status.id === 'string' && Array.isArray(status.repoTags) && 'repoDigests' in status ? Confidence.CERTAIN : Confidence.NONE;
    }
    const text = head.trimmed;
    if (/^\{\s*"images"\s*:\s*\[\s*\{\s*"id"\s*:\s*"[^"]*"\s*,\s*"repoTags"\s*:/.test(text)) return Confidence.CERTAIN;
    return /^\{\s*"status"\s*:\s*\{\s*"id"\s*:\s*"[^"]*"\s*,\s*"repoTags"\s*:/.test(text) ? Confidence.CERTAIN : Confidence.NONE;
  },
  async ingest(source, ctx) {
    if (/^\{\s*"images"\s*:/.test(source.head.trimmed)) {
      await eachListItem(source, ctx, 'images', CriImage, 'CRI image', (image, pointer) => insertCriImage(ctx, image, pointer, 'listing', null));
      return;
    }
    const text = await source.text();
    if (text === undefined) return ctx.problem('oversize', 'crictl inspecti output larger than the buffer limit');
    const doc = obj(JSON.parse(text));
    const info = ImageInfo.safeParse(doc.info ?? {});
    if (!info.success) ctx.problem('schema', `crictl inspecti info not understood: ${z.prettifyError(info.error).split('\n')[0]}`, '/info');
    const spec = info.success ? info.data.imageSpec ?? null : null;
    const status = CriImage.safeParse(doc.status);
    if (!status.success) ctx.problem('schema', `not a CRI image: ${z.prettifyError(status.error).split('\n')[0]}`, '/status');
    ctx.db.transaction(() => {
      const imageId = status.success ? insertCriImage(ctx, status.data, '/status', 'inspect', spec) : null;
      (spec?.history ?? []).forEach((h, i) => {
        ctx.db.insert('image_history', {
          file_id: ctx.fileId,
          locator: `/info/imageSpec/history/${i}`,
          image_id: imageId,
          step: i, // OCI config history is oldest first
          layer_id: null,
          created_at: h.created ?? null,
          created_by: h.created_by ?? '',
          comment: h.comment ?? null,
          size_bytes: null,
          empty_layer: h.empty_layer === true,
        });
      });
    });
    ctx.progress(1);
  },
};

/** Writes one images row and its references; returns the image id. */
function insertCriImage(ctx: IngestContext, i: z.infer<typeof CriImage>, pointer: string, source: 'listing' | 'inspect', spec: z.infer<typeof ImageInfo>['imageSpec'] | null): string {
  const size = i.size === null || i.size === undefined || i.size === '' ? null : Number(i.size);
  const uid = i.uid?.value;
  insertImage(ctx, {
    locator: pointer,
    image_id: i.id,
    repo_tags: i.repoTags ?? [],
    repo_digests: i.repoDigests ?? [],
    created_at: spec?.created ?? null,
    size: size !== null && Number.isFinite(size) ? size : null,
    // the image's USER: the config when inspected, else the uid / user name the runtime reports
    config_user: spec?.config?.User ?? (uid !== null && uid !== undefined ? String(uid) : i.username || null),
    entrypoint: spec?.config?.Entrypoint ?? null,
    command: spec?.config?.Cmd ?? null,
    labels: spec?.config?.Labels ?? null,
    source,
  });
  return i.id;
}
