/**
 * Writes a sample bundle exactly as collect.sh lays one out (docs/bundle-format.md): the files,
 * a SHA256SUMS over them, one top-level directory, packed byte-for-byte reproducibly (GNU tar
 * --sort=name with a fixed mtime and owner, gzip -n). Shared by the make-sample-*-bundle scripts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** meta.env keys in collect.sh's order; a sample gives the ones it has. */
const META_ORDER = [
  'CF_BUNDLE_FORMAT', 'CF_COLLECTOR_VERSION', 'HOST', 'START_UTC', 'END_UTC', 'UID', 'EUID', 'USER', 'ROOT',
  'ENV_DOCKER', 'ENV_CONTAINERD', 'ENV_CRIO', 'ENV_KUBERNETES', 'ENV_IN_CONTAINER', 'PARTIAL', 'PARTIAL_REASON',
  'HOST_NS_SOURCE', 'HOST_NS_REASON', 'CGROUP_VERSION', 'KERNEL', 'SINCE', 'UNTIL', 'NAMESPACE', 'TIMEOUT',
  'MAX_FILE_SIZE', 'SKIP', 'ETCD_SNAPSHOT', 'HASH_TOOL', 'TIMEOUT_TOOL', 'ARGS', 'LIMITS',
] as const;

/** What a root run of collect.sh 0.1.0 with default options records. */
const META_DEFAULTS: Partial<Record<(typeof META_ORDER)[number], string>> = {
  CF_BUNDLE_FORMAT: '1', CF_COLLECTOR_VERSION: '0.1.0', UID: '0', EUID: '0', USER: 'root', ROOT: 'yes',
  PARTIAL: 'no', PARTIAL_REASON: '', TIMEOUT: '60', MAX_FILE_SIZE: '104857600', ETCD_SNAPSHOT: 'no',
  HASH_TOOL: 'sha256sum', TIMEOUT_TOOL: 'timeout', LIMITS: '',
};

/** meta.env text: the defaults overridden by `values`, in collect.sh's key order. */
export function metaEnv(values: Partial<Record<(typeof META_ORDER)[number], string>>): string {
  const merged = { ...META_DEFAULTS, ...values };
  return `${META_ORDER.filter((k) => merged[k] !== undefined).map((k) => `${k}=${merged[k]}`).join('\n')}\n`;
}

export function writeSampleBundle(options: { dir: string; files: [string, string | Buffer][]; mtime: string; out: string }): void {
  const work = mkdtempSync(join(tmpdir(), 'cf-sample-bundle-'));
  try {
    const root = join(work, options.dir);
    const sums: string[] = [];
    for (const [name, content] of options.files) {
      const full = join(root, name);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      sums.push(`${createHash('sha256').update(content).digest('hex')}  ${name}`);
    }
    writeFileSync(join(root, 'SHA256SUMS'), `${sums.join('\n')}\n`);
    mkdirSync(dirname(options.out), { recursive: true });
    execFileSync('sh', [
      '-c',
      `tar --sort=name --mtime='${options.mtime}' --owner=0 --group=0 --numeric-owner -C "${work}" -cf - "${options.dir}" | gzip -9 -n > "${options.out}"`,
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
