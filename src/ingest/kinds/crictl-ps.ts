import { z } from 'zod';
import { toSql } from '../../case-db/case-db.js';
import { Confidence, type Ingester } from '../types.js';
import { criTime, eachListItem, stringMap } from './crictl-list.js';

const CriContainer = z.looseObject({
  id: z.string(),
  podSandboxId: z.string().nullish(),
  metadata: z.looseObject({ name: z.string().nullish(), attempt: z.number().nullish() }).nullish(),
  image: z.looseObject({ image: z.string().nullish() }).nullish(),
  imageRef: z.string().nullish(),
  state: z.string().nullish(),
  createdAt: z.union([z.string(), z.number()]).nullish(),
  labels: z.unknown(),
  annotations: z.unknown(),
});

/**
 * `crictl ps -a -o json`: protobuf JSON of ListContainersResponse, `{"containers": [...]}` in
 * proto field order (id, podSandboxId, metadata, image, imageRef, state, createdAt, ...).
 * Every container the CRI runtime knows, also those nobody inspected.
 */
export const crictlPs: Ingester = {
  kind: 'crictl-ps',
  description: 'crictl ps -a -o json (CRI container list)',
  detect(head) {
    const whole = head.wholeValue as { containers?: unknown } | undefined;
    if (whole && typeof whole === 'object' && Array.isArray(whole.containers)) {
      const first = whole.containers[0] as Record<string, unknown> | undefined;
      if (first === undefined) return Object.keys(whole).length === 1 ? Confidence.PLAUSIBLE : Confidence.NONE;
      return typeof first === 'object' && first !== null && 'podSandboxId' in first && 'id' in first ? Confidence.CERTAIN : Confidence.NONE;
    }
    return /^\{\s*"containers"\s*:\s*\[\s*\{\s*"id"\s*:\s*"[^"]*"\s*,\s*"podSandboxId"\s*:/.test(head.trimmed) ? Confidence.CERTAIN : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const insert = ctx.db.batch(
      'insert into cri_containers (file_id, locator, container_id, pod_sandbox_id, name, attempt, image, image_ref, state, created_at, pod_name, pod_namespace, labels, annotations) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    await eachListItem(source, ctx, 'containers', CriContainer, 'CRI container', (c, pointer) => {
      const labels = stringMap(c.labels);
      insert.add([
        ctx.fileId, pointer, c.id, c.podSandboxId || null, c.metadata?.name ?? null, c.metadata?.attempt ?? null,
        c.image?.image || null, c.imageRef || null, c.state ?? null, criTime(c.createdAt),
        labels?.['io.kubernetes.pod.name'] ?? null, labels?.['io.kubernetes.pod.namespace'] ?? null,
        toSql(labels), toSql(stringMap(c.annotations)),
      ]);
    });
    insert.flush();
  },
};
