import type Database from 'better-sqlite3';
import type { Config } from '../../config.js';
import { Dict, inIds } from './rule-support.js';
import { specExposures } from './pod-spec.js';

/** Why a pod counts as exposed, and where the bundle shows it. */
export interface PodExposure {
  exposure: string;
  detail: string;
  file_id: number;
  locator: string;
  /** runtime (docker / CRI inspect), kubernetes (kubectl pods), audit (the pod's create request). */
  source: 'runtime' | 'kubernetes' | 'audit';
}

/**
 * Pods with an escape-enabling exposure (privileged, host namespaces, sensitive host paths,
 * dangerous capabilities), keyed `namespace/pod`, from every source the bundle has: the
 * container runtime's view (container_exposures), the Kubernetes pod specs (pod_exposures)
 * and the requestObject of the pod's own create request
 * in the audit log.
 */
export function exposedPods(db: Database.Database, config: Config, dict: Dict): Map<string, PodExposure[]> {
  const out = new Map<string, PodExposure[]>();
  const add = (namespace: string | null, pod: string | null, e: PodExposure) => {
    if (!pod) return;
    const key = `${namespace ?? ''}/${pod}`;
    const list = out.get(key) ?? [];
    if (!list.some((x) => x.exposure === e.exposure && x.file_id === e.file_id && x.locator === e.locator)) list.push(e);
    out.set(key, list);
  };
  const containerRows = db
    .prepare('select pod_namespace, pod_name, name, exposure, detail, file_id, locator from container_exposures where pod_name is not null')
    .all() as { pod_namespace: string | null; pod_name: string; name: string | null; exposure: string; detail: string; file_id: number; locator: string }[];
  for (const r of containerRows) add(r.pod_namespace, r.pod_name, { exposure: r.exposure, detail: `${r.detail}${r.name ? ` (container ${r.name})` : ''}`, file_id: r.file_id, locator: r.locator, source: 'runtime' });
  const podRows = db.prepare('select namespace, pod, container, exposure, detail, file_id, locator from pod_exposures').all() as {
    namespace: string | null;
    pod: string;
    container: string | null;
    exposure: string;
    detail: string;
    file_id: number;
    locator: string;
  }[];
  for (const r of podRows) add(r.namespace, r.pod, { exposure: r.exposure, detail: `${r.detail}${r.container ? ` (container ${r.container})` : ''}`, file_id: r.file_id, locator: r.locator, source: 'kubernetes' });
  const pods = dict.id('pods');
  const create = dict.id('create');
  if (pods !== null && create !== null) {
    const rows = db
      .prepare(
        `select e.file_id, e.line, e.namespace, e.name, o.object from audit_objects o join audit_events e on e.id = o.event_id
          where e.resource = ? and e.verb = ? and e.subresource is null and (e.code is null or e.code < 400)`,
      )
      .all(pods, create) as { file_id: number; line: number; namespace: number | null; name: number | null; object: string }[];
    for (const r of rows) {
      type PodObject = { metadata?: { name?: unknown; namespace?: unknown } } | null;
      let object: PodObject = null;
      try {
        object = JSON.parse(r.object) as PodObject;
      } catch {
        continue;
      }
      const name = dict.value(r.name) ?? (typeof object?.metadata?.name === 'string' ? object.metadata.name : null);
      const namespace = dict.value(r.namespace) ?? (typeof object?.metadata?.namespace === 'string' ? object.metadata.namespace : null);
      for (const x of specExposures(object, config)) {
        add(namespace, name, { exposure: x.exposure, detail: `${x.detail} in the pod's create request (requestObject${x.pointer})`, file_id: r.file_id, locator: `line ${r.line}`, source: 'audit' });
      }
    }
  }
  const rank = (e: PodExposure) => ['privileged', 'runtime-socket', 'sensitive-mount', 'host-pid', 'host-network', 'host-ipc', 'capability'].indexOf(e.exposure) >>> 0;
  for (const list of out.values()) list.sort((a, b) => rank(a) - rank(b));
  return out;
}

/** exec / attach / portforward requests (and nodes/proxy), optionally only exec and attach. */
export function execEventsCondition(dict: Dict, kinds: readonly string[] = ['exec', 'attach', 'portforward']): string {
  const pods = dict.id('pods');
  const nodes = dict.id('nodes');
  const subs = kinds.map((k) => dict.id(k));
  const proxy = dict.id('proxy');
  const parts: string[] = [];
  if (pods !== null) parts.push(`(e.resource = ${pods} and e.subresource ${inIds(subs)})`);
  if (nodes !== null && proxy !== null && kinds.includes('portforward')) parts.push(`(e.resource = ${nodes} and e.subresource = ${proxy})`);
  return parts.length > 0 ? `(${parts.join(' or ')})` : '0';
}
