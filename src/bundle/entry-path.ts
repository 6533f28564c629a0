/**
 * Entry paths come from the bundle, i.e. from the attacker. They are only ever used as labels
 * and lookup keys, never to open or create files; this module decides which ones are even
 * accepted as evidence.
 */
export type UnsafePathReason = 'absolute-path' | 'parent-reference' | 'control-character' | 'empty-path';

export interface CheckedPath {
  /** The path with `./` segments and duplicate slashes removed. */
  readonly path: string;
  readonly unsafe?: UnsafePathReason;
}

export function checkEntryPath(raw: string): CheckedPath {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { path: raw, unsafe: 'control-character' };
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw)) return { path: raw, unsafe: 'absolute-path' };
  const segments = raw.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { path: raw, unsafe: 'parent-reference' };
  if (segments.length === 0) return { path: raw, unsafe: 'empty-path' };
  return { path: segments.join('/') };
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}
