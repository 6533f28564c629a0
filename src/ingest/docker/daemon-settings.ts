/**
 * dockerd settings from its command line and daemon.json, under one vocabulary: daemon.json
 * keys (`hosts`, `tlsverify`, `insecure-registries`, `userns-remap`, `icc`, `live-restore`,
 * `experimental`, ...). Flags map to keys: -H/--host → hosts, --insecure-registry →
 * insecure-registries, --tlsverify → tlsverify, ...
 */
const FLAG_TO_KEY: Record<string, string> = {
  H: 'hosts',
  host: 'hosts',
  'insecure-registry': 'insecure-registries',
  'registry-mirror': 'registry-mirrors',
  'authorization-plugin': 'authorization-plugins',
  'add-runtime': 'runtimes',
  'config-file': 'config-file',
};
const BOOLEAN_FLAGS = new Set(['tlsverify', 'tls', 'icc', 'live-restore', 'experimental', 'selinux-enabled', 'no-new-privileges', 'iptables', 'ip-forward', 'userland-proxy', 'debug', 'D']);

export interface DaemonSetting {
  name: string;
  value: string;
}

/** `--flag=value`, `--flag value`, `-H value`, `--bool`, `--bool=false`. */
export function parseDaemonArgs(argv: string[]): DaemonSetting[] {
  const out: DaemonSetting[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const flag = m[1]!;
    const name = FLAG_TO_KEY[flag] ?? (flag === 'D' ? 'debug' : flag);
    let value = m[2];
    if (value === undefined) {
      if (BOOLEAN_FLAGS.has(flag)) value = 'true';
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) value = argv[++i]!;
      else value = 'true';
    }
    out.push({ name, value });
  }
  return out;
}

/** daemon.json: top-level keys; arrays become one row per element, objects their JSON. */
export function daemonJsonSettings(document: Record<string, unknown>): (DaemonSetting & { pointer: string })[] {
  const out: (DaemonSetting & { pointer: string })[] = [];
  for (const [key, value] of Object.entries(document)) {
    const pointer = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (Array.isArray(value)) value.forEach((v, i) => out.push({ name: key, value: typeof v === 'string' ? v : JSON.stringify(v), pointer: `${pointer}/${i}` }));
    else out.push({ name: key, value: typeof value === 'string' ? value : JSON.stringify(value), pointer });
  }
  return out;
}
