import type Database from 'better-sqlite3';

/**
 * Read side of component_instances / component_settings for the control-plane rules: each
 * instance (a manifest container or a process) with the settings in force, defaults included.
 */
export interface Setting {
  value: string;
  /** Not on the command line: the component's documented default. */
  isDefault: boolean;
  /** manifest | cmdline | env | default */
  source: string;
  file_id: number;
  locator: string;
}

export interface ComponentInstance {
  id: number;
  component: string;
  source: 'manifest' | 'cmdline';
  pid: number | null;
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

/** Where an instance was seen, for reasons: `static pod manifest` / `running process (pid 812)`. */
export function seenAs(instance: ComponentInstance): string {
  return instance.source === 'manifest' ? `static pod manifest ${instance.path}` : `running process${instance.pid ? ` (pid ${instance.pid})` : ''}`;
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
