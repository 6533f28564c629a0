import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { isKubernetesList } from '../source.js';
import type { IngestContext } from '../types.js';
import { Confidence, type Ingester } from '../types.js';

const MAX_YAML_BYTES = 16 * 1024 * 1024;
const KINDS = new Set(['TracingPolicy', 'TracingPolicyNamespaced']);

const Selectors = z.array(z.looseObject({ matchActions: z.array(z.looseObject({ action: z.string().nullish() })).nullish() })).nullish();
// cilium.io/v1alpha1 TracingPolicy(Namespaced): the hooks it attaches and what its selectors do.
const TracingPolicy = z.looseObject({
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().nullish(), creationTimestamp: z.string().nullish() }),
  spec: z
    .looseObject({
      kprobes: z.array(z.looseObject({ call: z.string().nullish(), selectors: Selectors })).nullish(),
      tracepoints: z.array(z.looseObject({ subsystem: z.string().nullish(), event: z.string().nullish(), selectors: Selectors })).nullish(),
      uprobes: z.array(z.looseObject({ path: z.string().nullish(), symbols: z.array(z.string()).nullish(), selectors: Selectors })).nullish(),
      lsmhooks: z.array(z.looseObject({ hook: z.string().nullish(), selectors: Selectors })).nullish(),
      podSelector: z.unknown().optional(),
      containerSelector: z.unknown().optional(),
    })
    .nullish(),
});

function isPolicy(value: unknown): boolean {
  return typeof value === 'object' && value !== null && KINDS.has(String((value as { kind?: unknown }).kind));
}

/** Tetragon TracingPolicies: `kubectl get tracingpolicies[namespaced] -o json`, or policy YAML files. */
export const tetragonPolicies: Ingester = {
  kind: 'tetragon-policies',
  description: 'Tetragon TracingPolicy / TracingPolicyNamespaced objects (kubectl JSON or YAML)',
  detect(head) {
    if (head.isBinary) return Confidence.NONE;
    const text = head.trimmed;
    if (text.startsWith('{') || text.startsWith('[')) {
      const whole = head.wholeValue;
      if (whole !== undefined) {
        const items = Array.isArray(whole) ? whole : isKubernetesList(whole) ? (whole as { items: unknown[] }).items : [whole];
        if (items.length > 0) return items.every(isPolicy) ? Confidence.CERTAIN : Confidence.NONE;
        // An empty kubectl List says nothing by itself; collect.sh names it tracingpolicies*.json.
        return /tracingpolic/i.test(head.name) ? Confidence.PLAUSIBLE + 10 : Confidence.NONE;
      }
      return /"kind"\s*:\s*"TracingPolicy(Namespaced)?"/.test(text) && /"apiVersion"\s*:\s*"cilium\.io\//.test(text) ? Confidence.CERTAIN : Confidence.NONE;
    }
    return /^kind:\s*["']?TracingPolicy(Namespaced)?["']?\s*$/m.test(text) && /^apiVersion:\s*["']?cilium\.io\//m.test(text) ? Confidence.CERTAIN : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const text = source.head.trimmed;
    if (text.startsWith('{') || text.startsWith('[')) {
      for await (const { value, pointer } of source.jsonItems()) insertPolicy(ctx, value, pointer);
      return;
    }
    const yaml = await source.text(MAX_YAML_BYTES);
    if (yaml === undefined) {
      ctx.problem('oversize', `tetragon-policies: larger than ${MAX_YAML_BYTES} bytes, not parsed`);
      return;
    }
    const docs = parseAllDocuments(yaml);
    (Array.isArray(docs) ? docs : [docs]).forEach((doc, d) => {
      if (doc.errors.length > 0) {
        ctx.problem('parse-error', `tetragon-policies: YAML: ${doc.errors[0]!.message.split('\n')[0]}`, `/${d}`, doc.errors.length);
        return;
      }
      const value: unknown = doc.toJS();
      const items = isKubernetesList(value) ? (value as { items: unknown[] }).items.map((v, i) => [v, `/${d}/items/${i}`] as const) : [[value, `/${d}`] as const];
      for (const [item, pointer] of items) insertPolicy(ctx, item, pointer);
    });
  },
};

function insertPolicy(ctx: IngestContext, value: unknown, pointer: string): void {
  if (!isPolicy(value)) return;
  const parsed = TracingPolicy.safeParse(value);
  if (!parsed.success) {
    ctx.problem('schema', `tetragon-policies: TracingPolicy with unexpected field types: ${parsed.error.issues[0]?.path.join('.')}`, pointer);
    return;
  }
  const p = parsed.data;
  const spec = p.spec ?? {};
  const hooks: string[] = [];
  const actions = new Set<string>();
  const collect = (selectors: z.infer<typeof Selectors>) => {
    for (const s of selectors ?? []) for (const a of s.matchActions ?? []) if (a.action) actions.add(a.action);
  };
  for (const k of spec.kprobes ?? []) {
    hooks.push(`kprobe:${k.call ?? '?'}`);
    collect(k.selectors);
  }
  for (const t of spec.tracepoints ?? []) {
    hooks.push(`tracepoint:${t.subsystem ?? '?'}/${t.event ?? '?'}`);
    collect(t.selectors);
  }
  for (const u of spec.uprobes ?? []) {
    for (const symbol of u.symbols?.length ? u.symbols : ['?']) hooks.push(`uprobe:${u.path ?? '?'}:${symbol}`);
    collect(u.selectors);
  }
  for (const l of spec.lsmhooks ?? []) {
    hooks.push(`lsm:${l.hook ?? '?'}`);
    collect(l.selectors);
  }
  const selectors = spec.podSelector !== undefined || spec.containerSelector !== undefined ? { podSelector: spec.podSelector, containerSelector: spec.containerSelector } : null;
  ctx.db.insert('tetragon_policies', {
    file_id: ctx.fileId,
    locator: pointer || '',
    kind: p.kind,
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? null,
    created: p.metadata.creationTimestamp ?? null,
    hooks,
    actions: [...actions].sort(),
    selectors,
  });
  ctx.progress(1);
}
