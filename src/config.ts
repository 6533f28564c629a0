import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, errorMessage } from './errors.js';

/** Defaults from the rule catalog; a YAML file overrides any of them. */
export const DEFAULT_CONFIG = {
  dangerous_capabilities: ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'ALL'],
  sensitive_host_paths: [
    '/',
    '/etc',
    '/var/run/docker.sock',
    '/run/containerd/containerd.sock',
    '/proc',
    '/sys',
    '/root',
    '/var/lib/kubelet',
    '/home',
  ],
  high_value_namespaces: ['kube-system', 'kube-public', 'default'],
  trusted_registries: [] as string[],
  operators: [] as string[],
  expected_nodes: [] as string[],
  incident_window: { since: null as string | null, until: null as string | null },
  thresholds: {} as Record<string, number>,
};

const Timestamp = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a date/time: ${String(value)}` });
      return z.NEVER;
    }
    return date.toISOString();
  });

const StringList = z.array(z.string());

export const ConfigSchema = z.strictObject({
  dangerous_capabilities: StringList.optional(),
  sensitive_host_paths: StringList.optional(),
  high_value_namespaces: StringList.optional(),
  trusted_registries: StringList.optional(),
  operators: StringList.optional(),
  expected_nodes: StringList.optional(),
  incident_window: z
    .strictObject({ since: Timestamp.nullable().optional(), until: Timestamp.nullable().optional() })
    .optional(),
  thresholds: z.record(z.string(), z.number()).optional(),
});

export type Config = typeof DEFAULT_CONFIG;
export type ConfigOverrides = z.input<typeof ConfigSchema>;

/** Merges overrides (already validated or from code) over the defaults. Lists replace, not append. */
export function resolveConfig(overrides: ConfigOverrides = {}): Config {
  const parsed = ConfigSchema.safeParse(overrides);
  if (!parsed.success) throw new ConfigError(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const o = parsed.data;
  return {
    dangerous_capabilities: (o.dangerous_capabilities ?? DEFAULT_CONFIG.dangerous_capabilities).map(normaliseCapability),
    sensitive_host_paths: o.sensitive_host_paths ?? DEFAULT_CONFIG.sensitive_host_paths,
    high_value_namespaces: o.high_value_namespaces ?? DEFAULT_CONFIG.high_value_namespaces,
    trusted_registries: o.trusted_registries ?? DEFAULT_CONFIG.trusted_registries,
    operators: o.operators ?? DEFAULT_CONFIG.operators,
    expected_nodes: o.expected_nodes ?? DEFAULT_CONFIG.expected_nodes,
    incident_window: {
      since: o.incident_window?.since ?? null,
      until: o.incident_window?.until ?? null,
    },
    thresholds: { ...DEFAULT_CONFIG.thresholds, ...(o.thresholds ?? {}) },
  };
}

/**
 * Reads a YAML configuration file. Accepts the keys at top level or under
 * `container_forensics:` (the original skill's layout).
 */
export function loadConfigFile(path: string): ConfigOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${errorMessage(error)}`, { cause: error });
  }
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${errorMessage(error)}`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigError(`config file ${path} must be a YAML mapping`);
  }
  const body = (document as Record<string, unknown>).container_forensics ?? document;
  const parsed = ConfigSchema.safeParse(body);
  if (!parsed.success) throw new ConfigError(`invalid configuration in ${path}:\n${z.prettifyError(parsed.error)}`);
  return body as ConfigOverrides;
}

/** Docker says SYS_ADMIN or CAP_SYS_ADMIN, Kubernetes SYS_ADMIN; compare without the prefix. */
export function normaliseCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

/** A threshold from config, or the rule's default. */
export function threshold(config: Config, name: string, fallback: number): number {
  return config.thresholds[name] ?? fallback;
}
