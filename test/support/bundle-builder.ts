import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface BundleEntry {
  name: string;
  content?: string | Buffer;
  type?: tar.Header['type'];
  linkname?: string;
}

/**
 * Builds a bundle in memory the way collect.sh lays it out (one top-level directory, a
 * SHA256SUMS covering every file), or deliberately not, for hostile-input tests.
 */
export async function buildTar(entries: BundleEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    const content = e.content === undefined ? undefined : Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content);
    const header: Partial<tar.Header> & { name: string } = { name: e.name, type: e.type ?? 'file', mode: 0o600, mtime: new Date('2026-12-03T17:54:34Z') };
    if (e.linkname) header.linkname = e.linkname;
    if (content && (e.type ?? 'file') === 'file') pack.entry(header, content);
    else pack.entry({ ...header, size: 0 });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A collect.sh-shaped bundle: files under `<root>/`, with SHA256SUMS over all of them. */
export async function buildBundle(
  files: Record<string, string | Buffer>,
  options: { root?: string; manifest?: boolean; extra?: BundleEntry[]; tamper?: Record<string, string | Buffer> } = {},
): Promise<Buffer> {
  const root = options.root ?? 'cf-bundle-node-1-20261203T175434Z';
  // `tamper`: content that replaces a file after its hash went into the manifest.
  const entries: BundleEntry[] = Object.entries(files).map(([name, content]) => ({ name: `${root}/${name}`, content: options.tamper?.[name] ?? content }));
  if (options.manifest ?? true) {
    const sums = Object.entries(files)
      .map(([name, content]) => `${createHash('sha256').update(content).digest('hex')}  ${name}\n`)
      .join('');
    entries.push({ name: `${root}/SHA256SUMS`, content: sums });
  }
  entries.push(...(options.extra ?? []));
  return gzipSync(await buildTar(entries));
}

export const META_ENV = 'CF_BUNDLE_FORMAT=1\nCF_COLLECTOR_VERSION=0.1.0\nHOST=node-1\nSTART_UTC=2026-12-03T17:54:34Z\nEND_UTC=2026-12-03T17:55:10Z\nENV_DOCKER=yes\nENV_KUBERNETES=no\nPARTIAL=no\n';
