import { z } from 'zod';
import { toSql } from '../../case-db/case-db.js';
import { Confidence, type Ingester } from '../types.js';
import { criTime, eachListItem, stringMap } from './crictl-list.js';

const CriPod = z.looseObject({
  id: z.string(),
  metadata: z.looseObject({ name: z.string().nullish(), uid: z.string().nullish(), namespace: z.string().nullish(), attempt: z.number().nullish() }).nullish(),
  state: z.string().nullish(),
  createdAt: z.union([z.string(), z.number()]).nullish(),
  labels: z.unknown(),
  annotations: z.unknown(),
  runtimeHandler: z.string().nullish(),
});

/**
 * `crictl pods -o json`: protobuf JSON of ListPodSandboxResponse, `{"items": [...]}` (no
 * apiVersion/kind: not a kubectl List), each `{id, metadata{name, uid, namespace, attempt}, state,
 * createdAt, labels, annotations, runtimeHandler}`.
 */
export const crictlPods: Ingester = {
  kind: 'crictl-pods',
  description: 'crictl pods -o json (CRI pod sandbox list)',
  detect(head) {
    const whole = head.wholeValue as Record<string, unknown> | undefined;
    if (whole && typeof whole === 'object' && Array.isArray(whole.items)) {
      if ('apiVersion' in whole || 'kind' in whole) return Confidence.NONE;
      const first = whole.items[0] as Record<string, unknown> | undefined;
      if (first === undefined) return /(?:^|\/)cri\/pods\.json$/.test(head.path) ? Confidence.PLAUSIBLE : Confidence.NONE;
      return typeof first === 'object' && first !== null && typeof first.id === 'string' && /^SANDBOX_/.test(String(first.state)) ? Confidence.CERTAIN : Confidence.NONE;
    }
    return /^\{\s*"items"\s*:\s*\[\s*\{\s*"id"\s*:\s*"[^"]*"\s*,\s*"metadata"\s*:/.test(head.trimmed) && /"state"\s*:\s*"SANDBOX_/.test(head.text)
      ? Confidence.CERTAIN
      : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const insert = ctx.db.batch(
      'insert into cri_pods (file_id, locator, sandbox_id, pod_name, pod_namespace, pod_uid, attempt, state, created_at, runtime_handler, labels, annotations) values (?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    await eachListItem(source, ctx, 'items', CriPod, 'CRI pod sandbox', (p, pointer) => {
      insert.add([
        ctx.fileId, pointer, p.id, p.metadata?.name ?? null, p.metadata?.namespace ?? null, p.metadata?.uid ?? null, p.metadata?.attempt ?? null,
        p.state ?? null, criTime(p.createdAt), p.runtimeHandler ?? null,
        toSql(stringMap(p.labels)), toSql(stringMap(p.annotations)),
      ]);
    });
    insert.flush();
  },
};
