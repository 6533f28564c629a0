/** SHA256SUMS in `sha256sum` text format: `<64 hex><space><space or *><path>`. */
export interface Manifest {
  /** Path (relative to the manifest's directory, without a leading `./`) → lower-case hex digest. */
  readonly entries: Map<string, string>;
  /** Lines that are not in sha256sum format (a tampered or foreign manifest). */
  readonly badLines: number[];
}

const LINE = /^(\\?)([0-9a-fA-F]{64}) [ *](.+)$/;

export function parseManifest(text: string): Manifest {
  const entries = new Map<string, string>();
  const badLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const match = LINE.exec(line);
    if (!match) {
      badLines.push(index + 1);
      return;
    }
    const [, escaped, digest, name] = match as unknown as [string, string, string, string];
    // sha256sum escapes names containing a backslash or newline and marks the line with a leading '\'.
    const path = escaped ? name.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) : name;
    entries.set(normaliseManifestPath(path), digest.toLowerCase());
  });
  return { entries, badLines };
}

export function normaliseManifestPath(path: string): string {
  let p = path;
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}
