import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { idFromPath } from '../docker/image-ref.js';
import { layerChange } from '../docker/layers.js';
import type { EvidenceSource } from '../source.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';

const require = createRequire(import.meta.url);
// stream-json 2 is CommonJS; its `.asStream()` factories give plain Duplex streams.
const jsonParser = require('stream-json/parser.js') as { asStream(options?: object): NodeJS.ReadWriteStream };
const jsonPick = require('stream-json/filters/pick.js') as { asStream(options: object): NodeJS.ReadWriteStream };
const jsonStreamValues = require('stream-json/streamers/stream-values.js') as { asStream(): NodeJS.ReadWriteStream };

/** dive's filetree.FileInfo: `path` as in the layer tar (relative), Go os.FileMode bits, tar type byte. */
const DiveFile = z.looseObject({
  path: z.string(),
  typeFlag: z.number().nullish(),
  linkName: z.string().nullish(),
  size: z.number().nullish(),
  fileMode: z.number().nullish(),
  isDir: z.boolean().nullish(),
});
const DiveLayer = z.looseObject({
  index: z.number().nullish(),
  id: z.string().nullish(),
  digestId: z.string().nullish(),
  sizeBytes: z.number().nullish(),
  command: z.string().nullish(),
  fileList: z.array(z.unknown()).nullish(),
});
const DiveImage = z.looseObject({
  sizeBytes: z.number().nullish(),
  inefficientBytes: z.number().nullish(),
  efficiencyScore: z.number().nullish(),
  fileReference: z.array(z.looseObject({ count: z.number().nullish(), sizeBytes: z.number().nullish(), file: z.string().nullish() })).nullish(),
});

// Go's os.FileMode type and special bits (dive stores header.FileInfo().Mode()).
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_SETUID = 2 ** 23;
const GO_MODE_SETGID = 2 ** 22;
const GO_MODE_STICKY = 2 ** 20;

/** Go os.FileMode → unix mode bits as a tar header has them (permissions + 04000/02000/01000). */
function unixMode(goMode: number): number {
  let mode = goMode % 0o1000;
  if (Math.floor(goMode / GO_MODE_SETUID) % 2 === 1) mode |= 0o4000;
  if (Math.floor(goMode / GO_MODE_SETGID) % 2 === 1) mode |= 0o2000;
  if (Math.floor(goMode / GO_MODE_STICKY) % 2 === 1) mode |= 0o1000;
  return mode;
}

function fileType(typeFlag: number | null | undefined, goMode: number, isDir: boolean): string {
  // tar type bytes: '0' (48) or NUL = file, '1' = hard link, '2' = symlink, '5' = directory
  if (typeFlag === 53 || isDir || Math.floor(goMode / GO_MODE_DIR) % 2 === 1) return 'directory';
  if (typeFlag === 50 || Math.floor(goMode / GO_MODE_SYMLINK) % 2 === 1) return 'symlink';
  if (typeFlag === 49) return 'link';
  if (typeFlag === 48 || typeFlag === 0 || typeFlag === 55) return 'file';
  return 'other';
}

/**
 * `dive <image> --json FILE`: `{"layer": [{index, id, digestId, sizeBytes, command, fileList}],
 * "image": {sizeBytes, inefficientBytes, efficiencyScore, fileReference}}`. Each layer's file
 * list is what that layer's tar holds, so the layers go where docker save's go (image_layers and
 * layer_files, source dive): the layer rules (large layer, world-writable/setuid files, wipe
 * pattern, tooling) read both. The image is named by the file's path (docker/images/<hex>/dive.json);
 * dive itself does not say which image it analysed. Files over the buffer limit are streamed
 * layer by layer.
 */
export const diveJson: Ingester = {
  kind: 'dive-json',
  description: 'dive --json image analysis (layers, their files, efficiency)',
  detect(head) {
    const whole = head.wholeValue as Record<string, unknown> | undefined;
    if (whole && typeof whole === 'object') {
      return Array.isArray(whole.layer) && typeof whole.image === 'object' && whole.image !== null ? Confidence.CERTAIN : Confidence.NONE;
    }
    return /^\{\s*"layer"\s*:\s*\[/.test(head.trimmed) && /"digestId"\s*:/.test(head.text) ? Confidence.CERTAIN : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const hex = idFromPath(source.path, 'images');
    const state = new DiveState(ctx, hex ? `sha256:${hex}` : null);
    for await (const part of diveParts(source)) {
      if (part.kind === 'layer') state.layer(part.value, part.pointer);
      else state.image(part.value, part.pointer);
    }
    state.finish();
  },
};

type DivePart = { kind: 'layer' | 'image'; value: unknown; pointer: string };

/** The layers, then the image summary, of a dive export: parsed at once when small, else streamed. */
async function* diveParts(source: EvidenceSource): AsyncGenerator<DivePart> {
  const bufferable = (source.size !== null && source.size <= source.limits.maxBufferBytes) || source.head.complete;
  if (bufferable) {
    const text = await source.text();
    if (text === undefined) throw new Error('dive JSON larger than the buffer limit');
    const doc = JSON.parse(text) as { layer?: unknown; image?: unknown };
    const layers = Array.isArray(doc.layer) ? doc.layer : [];
    for (let i = 0; i < layers.length; i++) yield { kind: 'layer', value: layers[i], pointer: `/layer/${i}` };
    if (doc.image !== undefined) yield { kind: 'image', value: doc.image, pointer: '/image' };
    return;
  }
  // {"layer": [...], "image": {...}}: pick each layer element and the image object.
  const stream = Readable.from(source.chunks())
    .pipe(jsonParser.asStream())
    .pipe(jsonPick.asStream({ filter: /^(?:layer\.\d+|image)$/ }))
    .pipe(jsonStreamValues.asStream());
  let layer = 0;
  for await (const { value } of stream as AsyncIterable<{ key: number; value: unknown }>) {
    const v = value as Record<string, unknown> | null;
    if (v && typeof v === 'object' && ('fileList' in v || 'digestId' in v)) yield { kind: 'layer', value, pointer: `/layer/${layer++}` };
    else yield { kind: 'image', value, pointer: '/image' };
  }
}

class DiveState {
  private layers = 0;
  private readonly files;
  private readonly setCounts;

  constructor(
    private readonly ctx: IngestContext,
    private readonly imageId: string | null,
  ) {
    this.files = ctx.db.batch('insert into layer_files (layer_row, path, op, type, mode, size, link_target, locator) values (?,?,?,?,?,?,?,?)');
    this.setCounts = ctx.db.sql.prepare('update image_layers set files_added = ?, files_deleted = ? where id = ?');
  }

  layer(value: unknown, pointer: string): void {
    const parsed = DiveLayer.safeParse(value);
    if (!parsed.success) {
      this.ctx.problem('schema', `not a dive layer: ${z.prettifyError(parsed.error).split('\n')[0]}`, pointer);
      return;
    }
    const l = parsed.data;
    const row = this.ctx.db.insert('image_layers', {
      file_id: this.ctx.fileId,
      locator: pointer,
      image_id: this.imageId,
      layer_index: l.index ?? this.layers,
      created_by: l.command ?? null,
      bytes: l.sizeBytes ?? null,
      source: 'dive',
    });
    this.layers++;
    let added = 0;
    let deleted = 0;
    let bad = 0;
    (l.fileList ?? []).forEach((entry, i) => {
      const f = DiveFile.safeParse(entry);
      if (!f.success) {
        bad++;
        return;
      }
      // intermediate directories the layer tar had no entry for carry an empty record
      const rel = f.data.path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      if (rel === '' || rel === '.') return;
      const change = layerChange(`/${rel}`);
      const locator = `${pointer}/fileList/${i}`;
      if (change.op === 'opaque') {
        this.files.add([row, change.path, 'opaque', 'directory', null, null, null, locator]);
      } else if (change.op === 'delete') {
        deleted++;
        this.files.add([row, change.path, 'delete', null, null, null, null, locator]);
      } else {
        added++;
        const goMode = f.data.fileMode ?? 0;
        this.files.add([row, change.path, 'add', fileType(f.data.typeFlag, goMode, f.data.isDir === true), unixMode(goMode), f.data.size ?? 0, f.data.linkName || null, locator]);
      }
    });
    if (bad > 0) this.ctx.problem('schema', 'dive file entries without a path', `${pointer}/fileList`, bad);
    this.files.flush();
    this.setCounts.run(added, deleted, row);
    this.ctx.progress(1);
  }

  image(value: unknown, pointer: string): void {
    const parsed = DiveImage.safeParse(value);
    if (!parsed.success) {
      this.ctx.problem('schema', `dive image summary not understood: ${z.prettifyError(parsed.error).split('\n')[0]}`, pointer);
      return;
    }
    const i = parsed.data;
    this.ctx.db.insert('dive_images', {
      file_id: this.ctx.fileId,
      locator: pointer,
      image_id: this.imageId,
      size_bytes: i.sizeBytes ?? null,
      inefficient_bytes: i.inefficientBytes ?? null,
      efficiency_score: i.efficiencyScore ?? null,
      inefficient_files: (i.fileReference ?? []).map((r) => ({ file: r.file ?? null, count: r.count ?? null, size_bytes: r.sizeBytes ?? null })),
    });
  }

  finish(): void {
    this.files.flush();
    if (this.layers === 0) this.ctx.problem('schema', 'dive JSON without layers');
  }
}
