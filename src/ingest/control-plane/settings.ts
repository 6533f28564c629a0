import type Database from 'better-sqlite3';
import { componentName, containerArgv, effectiveOccurrences, imageVersion, parseCommandLine, programName, splitCmdline } from './flags.js';

/**
 * Read side for the control-plane rules: each instance of a component with the settings in
 * force, defaults included. Instances come from this domain's tables (static pod manifests and
 * process command lines: component_instances / component_settings) and from the kubectl view of
 * the same static pods (the mirror pods `kube-system/<component>-<node>` in the Kubernetes
 * tables), which is all a responder with only kubectl access has.
 */
export interface Setting {
  value: string;
  /** Not on the command line: the component's documented default. */
  isDefault: boolean;
  /** manifest | cmdline | env | pod | default */
  source: string;
  file_id: number;
  locator: string;
}

export interface ComponentInstance {
  id: number;
  component: string;
  source: 'manifest' | 'cmdline' | 'pod';
  pid: number | null;
  /** Mirror pods: namespace/name. */
  pod: string | null;
  version: string | null;
  configFile: string | null;
  file_id: number;
  locator: string;
  path: string;
  host: string | null;
  inputId: number;
  settings: Map<string, Setting>;
}

export function componentInstances(db: Database.Database, component: string): ComponentInstance[] {
  return [...fromComponentTables(db, component), ...fromHostProcesses(db, component), ...fromMirrorPods(db, component)];
}

function fromComponentTables(db: Database.Database, component: string): ComponentInstance[] {
  const instances = db
    .prepare(
      `select c.id, c.component, c.source, c.pid, c.version, c.config_file, c.file_id, c.locator, f.path, c.subject_host, c.input_id
         from component_subjects c join files f on f.id = c.file_id where c.component = ? order by f.path, c.id`,
    )
    .all(component) as {
    id: number;
    component: string;
    source: 'manifest' | 'cmdline';
    pid: number | null;
    version: string | null;
    config_file: string | null;
    file_id: number;
    locator: string;
    path: string;
    subject_host: string | null;
    input_id: number;
  }[];
  const settings = db.prepare('select name, value, is_default, source, file_id, locator from component_settings where instance_id = ?');
  return instances.map((i) => ({
    id: i.id,
    component: i.component,
    source: i.source,
    pid: i.pid,
    pod: null,
    version: i.version,
    configFile: i.config_file,
    file_id: i.file_id,
    locator: i.locator,
    path: i.path,
    host: i.subject_host,
    inputId: i.input_id,
    settings: new Map(
      (settings.all(i.id) as { name: string; value: string; is_default: number; source: string; file_id: number; locator: string }[]).map((s) => [
        s.name,
        { value: s.value, isDefault: s.is_default === 1, source: s.source, file_id: s.file_id, locator: s.locator },
      ]),
    ),
  }));
}

interface PodContainerRow {
  id: number;
  file_id: number;
  locator: string;
  name: string;
  image: string | null;
  command: string | null;
  args: string | null;
  pod: string;
  namespace: string;
  node_name: string | null;
  path: string;
  input_id: number;
}

/** Static pods as kubectl shows them (k8s_pod_specs / k8s_containers of 30-kubernetes.sql). */
function fromMirrorPods(db: Database.Database, component: string): ComponentInstance[] {
  let rows: PodContainerRow[];
  try {
    rows = db
      .prepare(
        `select c.id, c.file_id, c.locator, c.name, c.image, c.command, c.args, s.name as pod, s.namespace, s.node_name, f.path, f.input_id
           from k8s_containers c join k8s_pod_specs s on s.id = c.spec_id join files f on f.id = c.file_id
          where s.source = 'pod' and s.namespace = 'kube-system' and c.container_type = 'container' order by f.path, c.id`,
      )
      .all() as PodContainerRow[];
  } catch {
    return []; // the Kubernetes tables are another domain's: without them there is no kubectl view
  }
  const defaults = flagDefaults(db, component);
  const out: ComponentInstance[] = [];
  for (const r of rows) {
    const { argv, locator: argLocator } = containerArgv(r.locator, r.name, r.command ? (JSON.parse(r.command) as string[]) : [], r.args ? (JSON.parse(r.args) as string[]) : []);
    if (componentName(programName(argv[0] ?? ''), r.name) !== component) continue;
    const settings = settingsOf(argv, 'pod', defaults, r.file_id, r.locator, argLocator);
    out.push({
      id: -1_000_000_000 - r.id,
      component,
      source: 'pod',
      pid: null,
      pod: `${r.namespace}/${r.pod}`,
      version: imageVersion(r.image),
      configFile: configFileOf(settings),
      file_id: r.file_id,
      locator: r.locator,
      path: r.path,
      host: r.node_name,
      inputId: r.input_id,
      settings,
    });
  }
  return out;
}

/** Processes of the host tables not already read from the control-plane cmdline files. */
function fromHostProcesses(db: Database.Database, component: string): ComponentInstance[] {
  let rows: { file_id: number; locator: string; pid: number | null; args: string; input_id: number; host: string | null; path: string }[];
  try {
    rows = db
      .prepare('select p.file_id, p.locator, p.pid, p.args, p.input_id, p.host, f.path from component_processes p join files f on f.id = p.file_id where p.component = ? order by f.path, p.locator')
      .all(component) as typeof rows;
  } catch {
    return []; // the host tables belong to another domain
  }
  const defaults = flagDefaults(db, component);
  return rows.map((r, i) => {
    const settings = settingsOf(splitCmdline(r.args), 'cmdline', defaults, r.file_id, r.locator, () => r.locator);
    return {
      id: -1 - i,
      component,
      source: 'cmdline' as const,
      pid: r.pid,
      pod: null,
      version: null,
      configFile: configFileOf(settings),
      file_id: r.file_id,
      locator: r.locator,
      path: r.path,
      host: r.host,
      inputId: r.input_id,
      settings,
    };
  });
}

function flagDefaults(db: Database.Database, component: string): { name: string; value: string }[] {
  return db.prepare('select name, value from component_flag_defaults where component = ?').all(component) as { name: string; value: string }[];
}

/** --config / --config-file as given (not a default): settings the evidence may not show. */
function configFileOf(settings: Map<string, Setting>): string | null {
  const config = settings.get('config') ?? settings.get('config-file');
  return config && !config.isDefault ? config.value : null;
}

/**
 * The settings in force from an argv (last occurrence wins, lists accumulate) plus defaults.
 * What the component_settings view computes for component_flags rows; the argvs here (mirror
 * pods, host process tables) have no such rows, and rules run query_only, so they cannot be
 * staged for the view. The defaults come from the same table (component_flag_defaults).
 */
function settingsOf(
  argv: string[],
  source: string,
  defaults: { name: string; value: string }[],
  fileId: number,
  locator: string,
  argLocator: (index: number) => string,
): Map<string, Setting> {
  const flags = parseCommandLine(argv).flags.map((f) => ({ ...f, source }));
  const settings = new Map<string, Setting>();
  for (const { index, effectiveValue } of effectiveOccurrences(flags)) {
    const f = flags[index]!;
    if (effectiveValue !== null) settings.set(f.name, { value: effectiveValue, isDefault: false, source, file_id: fileId, locator: argLocator(f.position) });
  }
  for (const d of defaults) {
    if (!settings.has(d.name)) settings.set(d.name, { value: d.value, isDefault: true, source: 'default', file_id: fileId, locator });
  }
  return settings;
}

/** Where an instance was seen, for reasons: `static pod manifest` / `running process (pid 812)`. */
export function seenAs(instance: ComponentInstance): string {
  if (instance.source === 'manifest') return `static pod manifest ${instance.path}`;
  if (instance.source === 'pod') return `pod ${instance.pod} (kubectl, ${instance.path})`;
  return `running process${instance.pid ? ` (pid ${instance.pid})` : ''}`;
}

/** `--flag=value` as it reads in a reason, `(default)` when it was not given. */
export function describeSetting(name: string, setting: Setting | undefined): string {
  if (!setting) return `--${name} not set`;
  if (setting.source === 'env') return `ETCD_${name.toUpperCase().replace(/-/g, '_')}=${setting.value} (environment)`;
  return `--${name}=${setting.value}${setting.isDefault ? ' (default: not set)' : ''}`;
}

export function isTrue(setting: Setting | undefined): boolean {
  return setting !== undefined && /^(true|1|t|yes)$/i.test(setting.value.trim());
}

/** Evidence pointers of the settings that were given; a default's evidence is the instance itself. */
export function givenSettingsEvidence(settings: (Setting | undefined)[]): { file_id: number; locator: string }[] {
  return settings.flatMap((s) => (s && !s.isDefault ? [{ file_id: s.file_id, locator: s.locator }] : []));
}

/** A note for reasons when settings may come from a file the evidence does not show. */
export function configFileNote(instance: ComponentInstance): string {
  return instance.configFile ? `; note: settings in --config ${instance.configFile} are not in the evidence and may override these` : '';
}

export interface ListenUrl {
  url: string;
  scheme: string;
  host: string;
  /** Only reachable from this host (loopback address, localhost, a unix socket). */
  local: boolean;
  /** 0.0.0.0, ::, or no host: every interface. */
  allInterfaces: boolean;
}

/** etcd's comma-separated URL lists (`https://127.0.0.1:2379,https://10.0.0.10:2379`). */
export function parseUrlList(value: string): ListenUrl[] {
  return value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((url) => {
      const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:]*)(?::\d+)?/i.exec(url);
      const scheme = (m?.[1] ?? '').toLowerCase();
      const host = (m?.[2] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
      const unix = scheme === 'unix' || scheme === 'unixs';
      const loopback = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || /^(0+:){7}0*1$/.test(host);
      const allInterfaces = !unix && (host === '' || host === '0.0.0.0' || host === '::' || /^(0+:){7}0+$/.test(host));
      return { url, scheme, host, local: unix || loopback, allInterfaces };
    });
}
