import { z } from 'zod';
import { insertContainer } from '../containers.js';
import { fromOciSpec } from '../docker/oci-spec.js';
import { Confidence, type Ingester } from '../types.js';

const CtrInfo = z.looseObject({
  ID: z.string(),
  Labels: z.record(z.string(), z.string()).nullish(),
  Image: z.string().nullish(),
  Runtime: z.looseObject({ Name: z.string().nullish() }).nullish(),
  SnapshotKey: z.string().nullish(),
  Snapshotter: z.string().nullish(),
  CreatedAt: z.string().nullish(),
  Spec: z.looseObject({ process: z.looseObject({}).nullish(), linux: z.looseObject({}).nullish() }),
});

/** `ctr -n <ns> containers info <id>`: containerd's container record with its OCI spec. */
export const ctrContainerInfo: Ingester = {
  kind: 'ctr-container-info',
  description: 'ctr containers info (containerd container record + OCI runtime spec)',
  detect(head) {
    const whole = head.wholeValue;
    if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
      return 'ID' in whole && 'Spec' in whole && 'Runtime' in whole && 'Snapshotter' in whole ? Confidence.CERTAIN : Confidence.NONE;
    }
    return /^\{\s*"ID"\s*:/.test(head.trimmed) && /"Spec"\s*:/.test(head.text) && /"Snapshotter"\s*:/.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const text = await source.text();
    if (text === undefined) return ctx.problem('oversize', 'ctr container info larger than the buffer limit');
    const parsed = CtrInfo.safeParse(JSON.parse(text));
    if (!parsed.success) return ctx.problem('schema', `not a ctr container record: ${z.prettifyError(parsed.error).split('\n')[0]}`, '');
    const c = parsed.data;
    const labels = c.Labels ?? {};
    // The containerd namespace is in the bundle path: containerd/<ns>/containers/<id>/info.json
    const ns = /(?:^|\/)containerd\/([^/]+)\/containers\//.exec(ctx.path)?.[1] ?? null;
    const spec = fromOciSpec(c.Spec, '/Spec');
    ctx.db.transaction(() =>
      insertContainer(ctx, {
        locator: '',
        runtime: 'containerd',
        container_id: c.ID,
        name: labels['io.kubernetes.container.name'] ?? c.ID,
        image: c.Image || null,
        image_id: null,
        pod_name: labels['io.kubernetes.pod.name'] ?? null,
        pod_namespace: labels['io.kubernetes.pod.namespace'] ?? null,
        pod_uid: labels['io.kubernetes.pod.uid'] ?? null,
        state: null,
        pid: null,
        created_at: c.CreatedAt ?? null,
        started_at: null,
        finished_at: null,
        ...spec,
        entrypoint: null,
        cgroup_parent: null,
        labels: ns ? { ...labels, 'containerd.namespace': ns } : labels,
        upper_dir: null,
      }),
    );
    ctx.progress(1);
  },
};
