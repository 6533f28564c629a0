import { z } from 'zod';
import { insertImage } from '../docker/images.js';
import { Confidence, type Ingester } from '../types.js';

const Strings = z.array(z.string()).nullish();
const DockerImageInspect = z.looseObject({
  Id: z.string(),
  RepoTags: Strings,
  RepoDigests: Strings,
  Created: z.string().nullish(),
  Size: z.number().nullish(),
  Config: z
    .looseObject({
      User: z.string().nullish(),
      Entrypoint: Strings,
      Cmd: Strings,
      Labels: z.record(z.string(), z.string()).nullish(),
    })
    .nullish(),
  RootFS: z.looseObject({ Layers: Strings }).nullish(),
});

/** `docker image inspect <image>...`: a JSON array of image objects. */
export const dockerImageInspect: Ingester = {
  kind: 'docker-image-inspect',
  description: 'docker image inspect (JSON array)',
  detect(head) {
    if (!head.trimmed.startsWith('[')) return Confidence.NONE;
    const whole = head.wholeValue;
    if (Array.isArray(whole)) return whole.length > 0 && whole.every(looksLikeImage) ? Confidence.CERTAIN : Confidence.NONE;
    return /"RepoTags"\s*:/.test(head.text) && /"RootFS"\s*:/.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    for await (const { value, pointer } of source.jsonItems()) {
      const parsed = DockerImageInspect.safeParse(value);
      if (!parsed.success) {
        ctx.problem('schema', `not a docker image record: ${z.prettifyError(parsed.error).split('\n')[0]}`, pointer);
        continue;
      }
      const i = parsed.data;
      insertImage(ctx, {
        locator: pointer,
        image_id: i.Id,
        repo_tags: i.RepoTags ?? [],
        repo_digests: i.RepoDigests ?? [],
        created_at: i.Created ?? null,
        size: i.Size ?? null,
        config_user: i.Config?.User ?? null,
        entrypoint: i.Config?.Entrypoint ?? null,
        command: i.Config?.Cmd ?? null,
        labels: i.Config?.Labels ?? null,
        source: 'inspect',
      });
      ctx.progress(1);
    }
  },
};

function looksLikeImage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'Id' in value && 'RootFS' in value && 'RepoTags' in value;
}
