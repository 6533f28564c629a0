import { parseImageRef } from './image-ref.js';
import type { IngestContext } from '../types.js';

/** An image (table `images`), whichever source reported it; absent config fields are null. */
export interface ImageRecord {
  locator: string;
  image_id: string;
  repo_tags: string[];
  repo_digests: string[];
  created_at: string | null;
  size?: number | null;
  config_user?: string | null;
  entrypoint?: string[] | null;
  command?: string[] | null;
  labels?: Record<string, string> | null;
  source: 'inspect' | 'listing' | 'save';
}

/** Writes one images row and its image_refs (one per tag and digest), in one transaction. */
export function insertImage(ctx: IngestContext, image: ImageRecord): void {
  ctx.db.transaction(() => {
    ctx.db.insert('images', { file_id: ctx.fileId, ...image });
    insertImageRefs(ctx, image.image_id, image.repo_tags, image.repo_digests, image.locator);
  });
}

/**
 * Writes one image_refs row per tag and per digest naming an image, keeping each reference as the
 * source wrote it (`reference`) beside its parsed, registry-qualified form.
 */
export function insertImageRefs(ctx: IngestContext, imageId: string | null, tags: string[], digests: string[], pointer: string): void {
  const seen = new Set<string>();
  const digestByRepo = new Map<string, string>();
  for (const d of digests) {
    const r = parseImageRef(d);
    if (r?.digest) digestByRepo.set(r.repository, r.digest);
  }
  for (const t of tags) {
    const r = parseImageRef(t);
    if (!r) continue;
    seen.add(r.repository);
    ctx.db.insert('image_refs', { file_id: ctx.fileId, locator: pointer, image_id: imageId, repository: r.repository, tag: r.tag, digest: r.digest ?? digestByRepo.get(r.repository) ?? null, registry: r.registry, reference: t.trim() });
  }
  for (const d of digests) {
    const r = parseImageRef(d);
    if (!r || seen.has(r.repository)) continue;
    ctx.db.insert('image_refs', { file_id: ctx.fileId, locator: pointer, image_id: imageId, repository: r.repository, tag: null, digest: r.digest, registry: r.registry, reference: d.trim() });
  }
}
