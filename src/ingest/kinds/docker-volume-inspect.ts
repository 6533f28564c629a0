import { z } from 'zod';
import { Confidence, type Ingester } from '../types.js';

const Volume = z.looseObject({
  Name: z.string(),
  Driver: z.string().nullish(),
  Mountpoint: z.string().nullish(),
  CreatedAt: z.string().nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
  Options: z.record(z.string(), z.string()).nullish(),
  Scope: z.string().nullish(),
});

/** `docker volume inspect <volume>...`: a JSON array of volume objects. */
export const dockerVolumeInspect: Ingester = {
  kind: 'docker-volume-inspect',
  description: 'docker volume inspect (JSON array)',
  detect(head) {
    const whole = head.wholeValue;
    const looks = (v: unknown) => typeof v === 'object' && v !== null && 'Mountpoint' in v && 'Driver' in v && 'Name' in v && 'Scope' in v;
    if (Array.isArray(whole)) return whole.length > 0 && whole.every(looks) ? Confidence.CERTAIN : Confidence.NONE;
    return head.trimmed.startsWith('[') && /"Mountpoint"\s*:/.test(head.text) && /"Scope"\s*:/.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    for await (const { value, pointer } of source.jsonItems()) {
      const parsed = Volume.safeParse(value);
      if (!parsed.success) {
        ctx.problem('schema', `not a docker volume record: ${z.prettifyError(parsed.error).split('\n')[0]}`, pointer);
        continue;
      }
      const v = parsed.data;
      ctx.db.insert('volumes', { file_id: ctx.fileId, locator: pointer, name: v.Name, driver: v.Driver ?? null, mountpoint: v.Mountpoint ?? null, created_at: v.CreatedAt ?? null, labels: v.Labels ?? null, options: v.Options ?? null });
    }
  },
};
