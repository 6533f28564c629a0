import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { containerArgv, recordComponent } from '../control-plane/flags.js';
import { Confidence, type Ingester } from '../types.js';

/** Manifests are a few KiB; anything far larger is not a static pod manifest worth parsing whole. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

// YAML lets `- 2379` be a number and `- true` a boolean: keep every scalar, as text.
const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const Container = z.looseObject({
  name: z.string().nullish(),
  image: z.string().nullish(),
  command: z.array(Scalar).nullish(),
  args: z.array(Scalar).nullish(),
  env: z.array(z.looseObject({ name: z.string(), value: Scalar.nullish() })).nullish(),
});
export const StaticPod = z.looseObject({
  kind: z.literal('Pod'),
  metadata: z.looseObject({ name: z.string().nullish(), namespace: z.string().nullish() }).nullish(),
  spec: z.looseObject({
    containers: z.array(Container).nullish(),
    initContainers: z.array(Container).nullish(),
  }),
});

/**
 * A static pod manifest (/etc/kubernetes/manifests/*.yaml, copied by collect.sh into
 * control-plane/manifests/): each container's command + args becomes a component instance with
 * its flags. Locators are JSON pointers into the document (prefixed by the document index when
 * the file holds several YAML documents).
 */
export const staticPodManifest: Ingester = {
  kind: 'static-pod-manifest',
  description: 'Kubernetes static pod manifest (YAML Pod, e.g. kube-apiserver.yaml, etcd.yaml)',
  detect(head) {
    const text = head.trimmed;
    if (text.startsWith('{') || text.startsWith('[') || head.isBinary) return Confidence.NONE;
    if (!/^kind:[ \t]*["']?Pod["']?[ \t]*(#.*)?$/m.test(text)) return Confidence.NONE;
    return /^spec:/m.test(text) || /^\s*containers:/m.test(text) ? Confidence.CERTAIN : Confidence.PLAUSIBLE;
  },
  async ingest(source, ctx) {
    const text = await source.text(MAX_MANIFEST_BYTES);
    if (text === undefined) {
      ctx.problem('oversize', `manifest larger than ${MAX_MANIFEST_BYTES} bytes not parsed`);
      return;
    }
    const documents = parseAllDocuments(text);
    const docs = Array.isArray(documents) ? documents : [documents];
    ctx.db.transaction(() => {
      docs.forEach((doc, d) => {
        const prefix = docs.length > 1 ? `/${d}` : '';
        if (doc.errors.length > 0) {
          ctx.problem('parse-error', `YAML: ${doc.errors[0]!.message.split('\n')[0]}`, prefix || undefined, doc.errors.length);
          return;
        }
        const value: unknown = doc.toJS();
        if (value === null || value === undefined) return;
        const parsed = StaticPod.safeParse(value);
        if (!parsed.success) {
          ctx.problem('schema', `not a Pod manifest: ${z.prettifyError(parsed.error).split('\n')[0]}`, prefix || undefined);
          return;
        }
        const pod = parsed.data;
        for (const field of ['initContainers', 'containers'] as const) {
          (pod.spec[field] ?? []).forEach((c, i) => {
            const at = `${prefix}/spec/${field}/${i}`;
            const command = c.command ?? [];
            const args = c.args ?? [];
            if (command.length + args.length === 0) return; // the image's entrypoint: nothing to read here
            const { argv, locator } = containerArgv(at, c.name, command, args);
            recordComponent(ctx, {
              locator: at,
              source: 'manifest',
              argv,
              argLocator: locator,
              containerName: c.name ?? null,
              podName: pod.metadata?.name ?? null,
              podNamespace: pod.metadata?.namespace ?? null,
              image: c.image ?? null,
              env: (c.env ?? []).flatMap((e, k) => (e.value === null || e.value === undefined ? [] : [{ name: e.name, value: e.value, locator: `${at}/env/${k}/value` }])),
            });
            ctx.progress(1);
          });
        }
      });
    });
  },
};
