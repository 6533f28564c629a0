/** What a layer tar entry does to the image's filesystem, by overlay whiteout convention. */
export interface LayerChange {
  op: 'add' | 'delete' | 'opaque';
  /** The path added, the path deleted (`.wh.<name>` → <name>) or the directory made opaque. */
  path: string;
}

/**
 * Reads an absolute layer path: `<dir>/.wh..wh..opq` hides everything lower layers put in <dir>
 * (opaque), `<dir>/.wh.<name>` deletes <dir>/<name>, anything else is added. Shared by docker save
 * (layer tars) and dive (its per-layer file lists) so both write layer_files alike.
 */
export function layerChange(path: string): LayerChange {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base === '.wh..wh..opq') return { op: 'opaque', path: dir || '/' };
  if (base.startsWith('.wh.')) return { op: 'delete', path: `${dir}/${base.slice(4)}` };
  return { op: 'add', path };
}
