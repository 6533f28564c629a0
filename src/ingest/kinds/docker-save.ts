import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { errorMessage } from '../../errors.js';
import { insertImage } from '../docker/images.js';
import { layerChange } from '../docker/layers.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';

/** JSON members (manifest.json, index.json, configs, OCI manifests) are small; layers are not. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

/**
 * A `docker save` archive, in both layouts: docker ≤ 24 (`<hex>/layer.tar`, `<hex>.json`,
 * manifest.json, repositories) and the OCI layout of docker ≥ 25 (`blobs/sha256/<hex>`,
 * index.json, oci-layout, manifest.json). Each layer is itself a tar, possibly gzip'd: it is read
 * as a stream inside the outer stream, entry headers only, so memory stays bounded whatever the
 * image size. Every layer entry becomes a layer_files row (whiteouts as deletions); the manifest,
 * which may come last, then gives each layer its position and its history step.
 */
export const dockerSave: Ingester = {
  kind: 'docker-save',
  description: 'docker save archive (image layers, config and manifest)',
  detect(head) {
    const b = head.bytes;
    if (b.length < 512 || b.toString('latin1', 257, 262) !== 'ustar') return Confidence.NONE;
    const name = b.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    if (/^(?:[0-9a-f]{64}(?:\/|\.json$)|blobs\/|oci-layout$|index\.json$|manifest\.json$|repositories$)/.test(name)) return Confidence.CERTAIN;
    return /\.tar$/.test(head.name) && /(?:^|\/)save\//.test(head.path) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const state = new SaveState(ctx);
    const extract = tar.extract();
    const input = Readable.from(source.chunks());
    input.on('error', (error) => extract.destroy(error));
    input.pipe(extract);
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^\.\//, '');
      if (entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      await state.member(name, entry.header.size ?? 0, entry as unknown as AsyncIterable<Buffer>);
    }
    state.finish();
  },
};

interface ManifestEntry {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

class SaveState {
  private readonly layerRows = new Map<string, number>();
  private readonly json = new Map<string, unknown>();
  private readonly files;
  private readonly setCounts;

  constructor(private readonly ctx: IngestContext) {
    this.files = ctx.db.batch('insert into layer_files (layer_row, path, op, type, mode, size, link_target) values (?,?,?,?,?,?,?)');
    this.setCounts = ctx.db.sql.prepare('update image_layers set files_added = ?, files_deleted = ? where id = ?');
  }

  async member(name: string, size: number, stream: AsyncIterable<Buffer>): Promise<void> {
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
    const rest = (async function* () {
      if (head.length > 0) yield head;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    })();
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const isTar = head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
    if ((head[0] === 0x7b || head[0] === 0x5b) && size <= MAX_JSON_BYTES) {
      const parts: Buffer[] = [];
      for await (const chunk of rest) parts.push(chunk);
      try {
        this.json.set(name, JSON.parse(Buffer.concat(parts).toString('utf8')));
      } catch {
        this.ctx.problem('parse-error', `docker save member ${name} is not valid JSON`, name);
      }
      return;
    }
    if (isTar || gzip || name.endsWith('/layer.tar')) {
      await this.layer(name, size, gzip ? Readable.from(rest).pipe(createGunzip()) : Readable.from(rest));
      return;
    }
    for await (const _ of rest) void _; // VERSION files, unknown members: hashed by the caller, not analysed
  }

  private async layer(name: string, size: number, stream: NodeJS.ReadableStream): Promise<void> {
    const row = this.ctx.db.insert('image_layers', { file_id: this.ctx.fileId, locator: name, bytes: size });
    this.layerRows.set(name, row);
    const inner = tar.extract();
    stream.on('error', (error) => inner.destroy(error as Error));
    stream.pipe(inner);
    let added = 0;
    let deleted = 0;
    try {
      for await (const entry of inner) {
        const h = entry.header;
        const change = layerChange(`/${h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`);
        if (change.op === 'opaque') {
          this.files.add([row, change.path, 'opaque', 'directory', null, null, null]);
        } else if (change.op === 'delete') {
          deleted++;
          this.files.add([row, change.path, 'delete', null, null, null, null]);
        } else if (change.path !== '/') {
          added++;
          const type = h.type === 'file' ? 'file' : h.type === 'directory' ? 'directory' : h.type === 'symlink' ? 'symlink' : h.type === 'link' ? 'link' : 'other';
          this.files.add([row, change.path, 'add', type, h.mode ?? null, h.size ?? 0, h.linkname ?? null]);
        }
        entry.resume();
      }
    } catch (error) {
      this.ctx.problem('parse-error', `layer ${name} could not be read to its end: ${errorMessage(error)}`, name);
    }
    this.files.flush();
    this.setCounts.run(added, deleted, row);
  }

  finish(): void {
    this.files.flush();
    let manifest = this.json.get('manifest.json') as ManifestEntry[] | undefined;
    if (!Array.isArray(manifest)) manifest = this.ociManifests();
    if (manifest.length === 0) this.ctx.problem('schema', 'docker save archive without manifest.json or index.json: layer order unknown');
    const update = this.ctx.db.sql.prepare('update image_layers set image_id = ?, layer_index = ?, created_by = ? where id = ? and layer_index is null');
    manifest.forEach((m, mi) => {
      const configName = m.Config ?? '';
      const imageId = `sha256:${(/([0-9a-f]{64})(?:\.json)?$/.exec(configName)?.[1] ?? '')}`;
      const config = (this.json.get(configName) ?? {}) as { history?: { created_by?: string; empty_layer?: boolean }[]; created?: string; config?: { User?: string; Entrypoint?: string[]; Cmd?: string[]; Labels?: Record<string, string> } };
      const steps = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
      const pointer = `manifest.json#/${mi}`;
      insertImage(this.ctx, {
        locator: pointer,
        image_id: imageId,
        repo_tags: m.RepoTags ?? [],
        repo_digests: [],
        created_at: config.created ?? null,
        config_user: config.config?.User ?? null,
        entrypoint: config.config?.Entrypoint ?? null,
        command: config.config?.Cmd ?? null,
        labels: config.config?.Labels ?? null,
        source: 'save',
      });
      (m.Layers ?? []).forEach((layer, li) => {
        const row = this.layerRows.get(layer);
        if (row === undefined) {
          this.ctx.problem('missing-layer', `manifest names layer ${layer}, which is not in the archive`, pointer);
          return;
        }
        update.run(imageId, li, steps[li] ?? null, row);
      });
    });
  }

  /** OCI layout: index.json → manifest blob(s) → config + layers. */
  private ociManifests(): ManifestEntry[] {
    const index = this.json.get('index.json') as { manifests?: { digest?: string; annotations?: Record<string, string> }[] } | undefined;
    const blob = (digest: string | undefined) => (digest ? `blobs/${digest.replace(':', '/')}` : '');
    return (index?.manifests ?? []).flatMap((d) => {
      const m = this.json.get(blob(d.digest)) as { config?: { digest?: string }; layers?: { digest?: string }[] } | undefined;
      if (!m) return [];
      const tag = d.annotations?.['io.containerd.image.name'] ?? d.annotations?.['org.opencontainers.image.ref.name'];
      return [{ Config: blob(m.config?.digest), RepoTags: tag && tag.includes(':') ? [tag] : [], Layers: (m.layers ?? []).map((l) => blob(l.digest)) }];
    });
  }
}
