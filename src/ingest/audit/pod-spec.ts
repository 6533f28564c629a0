import type { Config } from '../../config.js';
import { normaliseCapability } from '../../config.js';
import { pointerToken } from '../source.js';

/**
 * Escape-enabling settings in a pod spec as an audit requestObject carries it: a Pod, a pod
 * template (Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job), a
 * CronJob's job template, or a patch body holding a fragment of any of these.
 */
export interface SpecExposure {
  exposure: 'privileged' | 'host-pid' | 'host-network' | 'host-ipc' | 'sensitive-mount' | 'runtime-socket' | 'capability';
  detail: string;
  /** JSON pointer inside the requestObject. */
  pointer: string;
  container: string | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);

/** The pod spec(s) inside an object, with their JSON pointers. */
export function podSpecsOf(object: unknown): { spec: Obj; pointer: string }[] {
  const root = obj(object);
  if (!root) return [];
  const candidates: [unknown, string][] = [
    [root.spec, '/spec'],
    [obj(obj(root.spec)?.template)?.spec, '/spec/template/spec'],
    [obj(obj(obj(obj(root.spec)?.jobTemplate)?.spec)?.template)?.spec, '/spec/jobTemplate/spec/template/spec'],
  ];
  const specs: { spec: Obj; pointer: string }[] = [];
  for (const [candidate, pointer] of candidates) {
    const spec = obj(candidate);
    if (spec && ('containers' in spec || 'initContainers' in spec || 'ephemeralContainers' in spec || 'volumes' in spec || 'hostPID' in spec || 'hostNetwork' in spec || 'hostIPC' in spec)) {
      specs.push({ spec, pointer });
    }
  }
  return specs;
}

export function isSensitiveHostPath(path: string, config: Config): { sensitive: boolean; socket: boolean } {
  const socket = path.endsWith('.sock') && /(docker|containerd|crio|cri-dockerd)/.test(path);
  const trimmed = path === '/' ? '/' : path.replace(/\/+$/, '');
  const sensitive =
    socket ||
    trimmed === '/' ||
    config.sensitive_host_paths.some((s) => s === trimmed || s.startsWith(`${trimmed}/`));
  return { sensitive, socket };
}

export function specExposures(object: unknown, config: Config): SpecExposure[] {
  const out: SpecExposure[] = [];
  for (const { spec, pointer } of podSpecsOf(object)) {
    for (const [field, exposure] of [
      ['hostPID', 'host-pid'],
      ['hostNetwork', 'host-network'],
      ['hostIPC', 'host-ipc'],
    ] as const) {
      if (spec[field] === true) out.push({ exposure, detail: `${field}: true`, pointer: `${pointer}/${field}`, container: null });
    }
    const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
    const hostPaths = new Map<string, string>();
    volumes.forEach((v, i) => {
      const volume = obj(v);
      const path = obj(volume?.hostPath)?.path;
      if (typeof path !== 'string') return;
      const { sensitive, socket } = isSensitiveHostPath(path, config);
      if (typeof volume?.name === 'string') hostPaths.set(volume.name, path);
      if (sensitive) {
        out.push({
          exposure: socket ? 'runtime-socket' : 'sensitive-mount',
          detail: `hostPath ${path} (volume ${String(volume?.name ?? i)})`,
          pointer: `${pointer}/volumes/${i}/hostPath/path`,
          container: null,
        });
      }
    });
    for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
      const containers = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
      containers.forEach((c, i) => {
        const container = obj(c);
        if (!container) return;
        const name = typeof container.name === 'string' ? container.name : null;
        const sc = obj(container.securityContext);
        const at = `${pointer}/${list}/${pointerToken(i)}`;
        if (sc?.privileged === true) out.push({ exposure: 'privileged', detail: `container ${name ?? i} privileged: true`, pointer: `${at}/securityContext/privileged`, container: name });
        const add = obj(sc?.capabilities)?.add;
        if (Array.isArray(add)) {
          add.forEach((cap, j) => {
            if (typeof cap === 'string' && config.dangerous_capabilities.includes(normaliseCapability(cap))) {
              out.push({ exposure: 'capability', detail: `container ${name ?? i} adds capability ${cap}`, pointer: `${at}/securityContext/capabilities/add/${j}`, container: name });
            }
          });
        }
      });
    }
  }
  return out;
}
