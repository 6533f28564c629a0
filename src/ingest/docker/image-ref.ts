/** A Docker image reference split the way the registry sees it. */
export interface ImageRef {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

/**
 * Parses `nginx`, `nginx:1.25`, `ghcr.io/org/app@sha256:...`, `localhost:5000/app:1`. Without a
 * registry component (no `.` or `:` in the first part, and not `localhost`) the registry is
 * docker.io, as the docker client assumes.
 */
export function parseImageRef(reference: string): ImageRef | null {
  const ref = reference.trim();
  if (ref === '' || ref.startsWith('sha256:') || /^[0-9a-f]{64}$/.test(ref)) return null;
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0]!;
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? rest.slice(first.length + 1) : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (tag === '<none>') tag = null;
  return { registry, repository: `${registry}/${repository}`, tag, digest };
}

/** docker history / images sizes: "12.6MB", "3.23kB", "0B" (decimal units, as docker prints). */
export function parseHumanSize(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^([\d.]+)\s*([kKMGTP]?i?B)$/.exec(text.trim());
  if (!m) return null;
  const units: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };
  const unit = units[m[2]!];
  return unit === undefined ? null : Math.round(Number(m[1]) * unit);
}

/** The 64-hex image or container id named by a bundle path (images/<hex>/…, containers/<hex>/…). */
export function idFromPath(path: string, folder: 'images' | 'containers'): string | null {
  const m = new RegExp(`(?:^|/)${folder}/([0-9a-f]{64})/`).exec(path);
  return m ? m[1]! : null;
}
