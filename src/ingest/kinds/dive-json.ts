import { Confidence, type Ingester } from '../types.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** `dive --json FILE <image>`: per-layer sizes and commands, image efficiency. */
export const diveJson: Ingester = {
  kind: 'dive-json',
  description: 'dive --json image analysis (layers, sizes, commands)',
  detect(head) {
    const whole = obj(head.wholeValue);
    if (Array.isArray(whole.layer) && typeof whole.image === 'object') return Confidence.CERTAIN;
    return /^\{\s*"layer"\s*:\s*\[/.test(head.trimmed) && /"digestId"\s*:/.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const text = await source.text();
    if (text === undefined) return ctx.problem('oversize', 'dive JSON larger than the buffer limit');
    const doc = obj(JSON.parse(text));
    const layers = Array.isArray(doc.layer) ? doc.layer.map(obj) : [];
    layers.forEach((l, i) => {
      ctx.db.insert('dive_layers', {
        file_id: ctx.fileId,
        locator: `/layer/${i}`,
        layer_index: typeof l.index === 'number' ? l.index : i,
        layer_id: typeof l.id === 'string' ? l.id : null,
        digest: typeof l.digestId === 'string' ? l.digestId : null,
        size_bytes: typeof l.sizeBytes === 'number' ? l.sizeBytes : null,
        command: typeof l.command === 'string' ? l.command : null,
      });
    });
    if (layers.length === 0) ctx.problem('schema', 'dive JSON without layers');
  },
};
