import type { IngestContext } from '../types.js';

/**
 * Command-line flags of control-plane components, normalised: `--flag=value`, `--flag value`,
 * `-flag=value` (Go's flag package accepts one dash), a bare boolean `--flag`, repeated flags.
 * Go's flag parsers never let a boolean flag take the next argument as its value, so which
 * flags are boolean decides how `--flag value` is read: the lists below are those of etcd 3.4/3.5
 * and kube-apiserver / kubelet 1.2x that an analyst cares about.
 */
const BOOLEAN_FLAGS = new Set([
  // etcd
  'client-cert-auth', 'peer-client-cert-auth', 'auto-tls', 'peer-auto-tls', 'enable-v2', 'enable-pprof',
  'strict-reconfig-check', 'force-new-cluster', 'debug', 'enable-grpc-gateway', 'experimental-initial-corrupt-check',
  'experimental-enable-v2v3', 'client-crl-file-required', 'log-outputs-stderr', 'version',
  // kube-apiserver, kubelet, controller-manager, scheduler
  'anonymous-auth', 'profiling', 'contention-profiling', 'allow-privileged', 'enable-bootstrap-token-auth',
  'enable-aggregator-routing', 'service-account-lookup', 'enable-garbage-collector', 'audit-log-compress',
  'enable-priority-and-fairness', 'enable-logs-handler', 'use-service-account-credentials', 'leader-elect',
  'rotate-certificates', 'serialize-image-pulls', 'fail-swap-on', 'protect-kernel-defaults', 'read-only-port-enabled',
  'make-iptables-util-chains', 'tls-cert-auto-rotate', 'enable-debugging-handlers', 'authentication-skip-lookup',
  'logtostderr', 'alsologtostderr', 'help',
  // dockerd / containerd
  'tlsverify', 'tls', 'icc', 'live-restore', 'experimental', 'userland-proxy', 'no-new-privileges', 'selinux-enabled',
  'iptables', 'ip-forward', 'ip-masq', 'userns-remap-disabled',
]);

/**
 * kube-* flags declared as string slices: each repetition appends (`--authorization-mode=Node
 * --authorization-mode=RBAC` = `Node,RBAC`). Every other flag: the last occurrence wins.
 */
const APPENDING_FLAGS = new Set([
  'authorization-mode', 'enable-admission-plugins', 'disable-admission-plugins', 'admission-control',
  'tls-cipher-suites', 'api-audiences', 'service-account-issuer', 'service-account-key-file', 'etcd-servers',
  'feature-gates', 'runtime-config',
]);

export interface ParsedFlag {
  name: string;
  value: string;
  /** Index in argv of the flag itself. */
  position: number;
}

export interface ParsedCommandLine {
  /** Basename of argv[0] (`/usr/local/bin/etcd` → `etcd`). */
  program: string;
  flags: ParsedFlag[];
  /** Arguments that are not flags nor flag values. */
  positional: { value: string; position: number }[];
}

export function programName(argv0: string): string {
  return argv0.slice(argv0.lastIndexOf('/') + 1);
}

/** Parses argv (argv[0] = the program) into flags, as Go's flag / pflag packages read them. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const flags: ParsedFlag[] = [];
  const positional: { value: string; position: number }[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    const match = /^--?([A-Za-z0-9][A-Za-z0-9._-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!match) {
      positional.push({ value: arg, position: i });
      continue;
    }
    const name = match[1]!;
    if (match[2] !== undefined) {
      flags.push({ name, value: match[2], position: i });
      continue;
    }
    const next = argv[i + 1];
    if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith('-')) {
      flags.push({ name, value: next, position: i });
      i++;
    } else {
      flags.push({ name, value: 'true', position: i });
    }
  }
  for (; i < argv.length; i++) positional.push({ value: argv[i]!, position: i });
  return { program: programName(argv[0] ?? ''), flags, positional };
}

/**
 * Splits a cmdline as collect.sh writes it (NULs turned into spaces). Arguments that themselves
 * contained spaces cannot be told apart any more; flags of control-plane components rarely do.
 */
export function splitCmdline(args: string): string[] {
  return args.split(/ +/).filter((a) => a !== '');
}

const KNOWN_COMPONENT =
  /^(kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|kubelet|etcd|cloud-controller-manager)(?:-(?:amd64|arm64|arm|ppc64le|s390x))?$/;

/**
 * Component name from the program (`/usr/local/bin/kube-apiserver` → `kube-apiserver`), else from
 * a hint such as the container name when the program is a wrapper (`sh -c ...`), else the program.
 */
export function componentName(program: string, hint?: string | null): string {
  const known = KNOWN_COMPONENT.exec(program) ?? (hint ? KNOWN_COMPONENT.exec(hint) : null);
  if (known) return known[1]!;
  return program || hint || 'unknown';
}

/**
 * A container's argv (command + args; the container name standing for the image's entrypoint
 * when there is no command) and the JSON pointer of each argument under `at`.
 */
export function containerArgv(at: string, name: string | null | undefined, command: readonly string[], args: readonly string[]): { argv: string[]; locator: (index: number) => string } {
  return {
    argv: command.length > 0 ? [...command, ...args] : [name ?? 'unknown', ...args],
    locator: (i) => (command.length === 0 ? `${at}/args/${i - 1}` : i < command.length ? `${at}/command/${i}` : `${at}/args/${i - command.length}`),
  };
}

/** `registry.k8s.io/kube-apiserver:v1.28.3` → `v1.28.3`; `etcd:3.5.9-0` → `3.5.9-0`. */
export function imageVersion(image: string | null | undefined): string | null {
  if (!image) return null;
  const at = image.indexOf('@');
  const ref = at === -1 ? image : image.slice(0, at);
  const colon = ref.lastIndexOf(':');
  if (colon === -1 || ref.indexOf('/', colon) !== -1) return null;
  const tag = ref.slice(colon + 1);
  return /^v?\d+\.\d+/.test(tag) ? tag : null;
}

/**
 * One command line as the evidence shows it, before parsing: what recordComponent stores as a
 * component_instances row and its component_flags. (The read side, with the settings in force,
 * is settings.ts's ComponentInstance.)
 */
export interface ComponentCommandLine {
  locator: string;
  source: 'manifest' | 'cmdline';
  argv: string[];
  /** Locator of argv[i]. */
  argLocator: (index: number) => string;
  pid?: number | null;
  podName?: string | null;
  podNamespace?: string | null;
  containerName?: string | null;
  image?: string | null;
  /** etcd reads ETCD_<FLAG> variables: name → value and locator. */
  env?: { name: string; value: string; locator: string }[];
}

/** Inserts one component instance and its flags; returns the instance row id. */
export function recordComponent(ctx: IngestContext, instance: ComponentCommandLine): number {
  const parsed = parseCommandLine(instance.argv);
  const component = componentName(parsed.program, instance.containerName);
  const rows: { source: string; name: string; value: string; position: number; locator: string }[] = [];
  if (component === 'etcd') {
    for (const e of instance.env ?? []) {
      const m = /^ETCD_([A-Z0-9_]+)$/.exec(e.name);
      if (!m) continue;
      rows.push({ source: 'env', name: m[1]!.toLowerCase().replace(/_/g, '-'), value: e.value, position: -1, locator: e.locator });
    }
  }
  for (const f of parsed.flags) {
    rows.push({ source: instance.source, name: f.name, value: f.value, position: f.position, locator: instance.argLocator(f.position) });
  }
  const configFile = rows.filter((r) => r.name === 'config' || r.name === 'config-file').pop()?.value ?? null;
  const id = ctx.db.insert('component_instances', {
    file_id: ctx.fileId,
    locator: instance.locator,
    component,
    source: instance.source,
    pid: instance.pid ?? null,
    pod_name: instance.podName ?? null,
    pod_namespace: instance.podNamespace ?? null,
    container_name: instance.containerName ?? null,
    image: instance.image ?? null,
    version: imageVersion(instance.image),
    argv: instance.argv,
    config_file: configFile,
  });
  for (const { index, effectiveValue } of effectiveOccurrences(rows)) {
    const r = rows[index]!;
    ctx.db.insert('component_flags', {
      instance_id: id,
      component,
      source: r.source,
      name: r.name,
      value: r.value,
      position: r.position,
      effective: effectiveValue !== null,
      effective_value: effectiveValue,
      file_id: ctx.fileId,
      locator: r.locator,
    });
  }
  return id;
}

/**
 * For each occurrence: the value in force if it is the occurrence that counts (the last one;
 * command-line flags after environment variables), else null. Appending flags accumulate
 * their command-line occurrences.
 */
export function effectiveOccurrences(rows: readonly { name: string; value: string; position: number; source: string }[]): { index: number; effectiveValue: string | null }[] {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.position - rows[b]!.position);
  const last = new Map<string, number>();
  for (const i of order) last.set(rows[i]!.name, i);
  return rows.map((r, index) => {
    if (last.get(r.name) !== index) return { index, effectiveValue: null };
    if (!APPENDING_FLAGS.has(r.name)) return { index, effectiveValue: r.value };
    const all = order.filter((i) => rows[i]!.name === r.name && rows[i]!.source !== 'env').map((i) => rows[i]!.value);
    return { index, effectiveValue: (all.length > 0 ? all : [r.value]).join(',') };
  });
}
