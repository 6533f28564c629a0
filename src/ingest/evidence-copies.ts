import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface EvidenceCopyRecord {
  /** File name under the evidence directory (ours, never taken from the bundle). */
  name: string;
  sha256: string;
  bytes: number;
  /** Where it came from. */
  input: string;
  sourcePath: string;
  sourceSha256: string | null;
  /** A name with a `{time}` placeholder, filled in once the input is read (see nameByTime). */
  template?: string;
}

/**
 * Normalised evidence copies under .aiwg/forensics/evidence/, named as users of the original
 * skill expect (docker-inspect.json, k8s-audit.log, ...). Names are chosen here from the
 * evidence kind, so nothing from the bundle decides where a file is written.
 */
export class EvidenceCopies {
  readonly records: EvidenceCopyRecord[] = [];
  private readonly used = new Set<string>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.removePreviousRun();
  }

  /** A re-run into the same output directory replaces the copies the previous run listed. */
  private removePreviousRun(): void {
    let previous: { copies?: { name?: unknown }[] };
    try {
      previous = JSON.parse(readFileSync(join(this.dir, 'manifest.json'), 'utf8')) as typeof previous;
    } catch {
      return;
    }
    for (const copy of previous.copies ?? []) {
      if (typeof copy.name === 'string' && /^[\w.-]+$/.test(copy.name)) rmSync(join(this.dir, copy.name), { force: true });
    }
  }

  open(preferredName: string, input: string, sourcePath: string): EvidenceCopyWriter {
    const template = preferredName.includes('{time}') ? preferredName : undefined;
    const name = this.uniqueName(preferredName.replace('{time}', 'pending'));
    return new EvidenceCopyWriter(this, join(this.dir, name), name, input, sourcePath, template);
  }

  /**
   * Names the copies of `input` whose name waits for a time (`etcd-snapshot-{time}.db`): the time
   * the evidence was taken, as `timeOf` knows it (YYYYmmddTHHMMSSZ), else `unknown-time`.
   */
  nameByTime(input: string, timeOf: (sourcePath: string) => string | null): void {
    for (const record of this.records) {
      if (record.input !== input || !record.template) continue;
      const time = timeOf(record.sourcePath);
      const compact = time ? time.replace(/[-:]/g, '').replace(/\.\d+/, '') : 'unknown-time';
      const name = this.uniqueName(record.template.replace('{time}', /^[0-9TZ]+$/.test(compact) ? compact : 'unknown-time'));
      renameSync(join(this.dir, record.name), join(this.dir, name));
      this.used.delete(record.name);
      record.name = name;
      delete record.template;
    }
  }

  /** Writes SHA256SUMS (checkable with `sha256sum -c`) and manifest.json (with provenance). */
  writeManifest(): void {
    const sorted = [...this.records].sort((a, b) => a.name.localeCompare(b.name));
    writeFileSync(join(this.dir, 'SHA256SUMS'), sorted.map((r) => `${r.sha256}  ${r.name}\n`).join(''));
    writeFileSync(join(this.dir, 'manifest.json'), `${JSON.stringify({ copies: sorted }, null, 2)}\n`);
  }

  private uniqueName(preferred: string): string {
    const dot = preferred.indexOf('.');
    const stem = dot === -1 ? preferred : preferred.slice(0, dot);
    const ext = dot === -1 ? '' : preferred.slice(dot);
    let name = preferred;
    // Never overwrite a file we did not write (the analyst may keep other evidence here).
    for (let n = 2; this.used.has(name) || existsSync(join(this.dir, name)); n++) name = `${stem}-${n}${ext}`;
    this.used.add(name);
    return name;
  }
}

export class EvidenceCopyWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(
    private readonly owner: EvidenceCopies,
    readonly path: string,
    readonly name: string,
    private readonly input: string,
    private readonly sourcePath: string,
    private readonly template?: string,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset);
  }

  close(sourceSha256: string | null): void {
    closeSync(this.fd);
    this.owner.records.push({
      name: this.name,
      sha256: this.hash.digest('hex'),
      bytes: this.bytes,
      input: this.input,
      sourcePath: this.sourcePath,
      sourceSha256,
      ...(this.template ? { template: this.template } : {}),
    });
  }
}
