/**
 * Splits a Kubernetes storage key into resource, namespace and name, so that objects whose value
 * cannot be decoded (encrypted Secrets above all) can still be inventoried by type and namespace.
 *
 * Layouts under the prefix (default /registry):
 *   <resource>/<name>                      cluster-scoped core resource (namespaces, nodes as "minions")
 *   <resource>/<namespace>/<name>          namespaced core resource
 *   <group>/<resource>/[<namespace>/]<name> resources of API groups (group names contain a dot)
 *   services/specs/<ns>/<name>, services/endpoints/<ns>/<name>  historical two-part resources
 * The split is a best effort: the key alone does not say whether a resource is namespaced.
 */

export interface RegistryKey {
  /** `secrets`, `services/specs`, `apiregistration.k8s.io/apiservices`, ... */
  resource: string;
  namespace: string | null;
  name: string;
}

const TWO_PART = new Set(['services/specs', 'services/endpoints']);

export function parseRegistryKey(key: string, prefix: string): RegistryKey | null {
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!key.startsWith(p)) return null;
  const parts = key.slice(p.length).split('/');
  if (parts.length < 2 || parts.some((s) => s === '')) return null;
  let resourceParts = 1;
  if (parts[0]!.includes('.') || TWO_PART.has(`${parts[0]}/${parts[1]}`)) resourceParts = 2;
  const rest = parts.length - resourceParts;
  if (rest < 1) return null;
  const resource = parts.slice(0, resourceParts).join('/');
  if (rest === 1) return { resource, namespace: null, name: parts[resourceParts]! };
  // More than two segments left: keep the last two as namespace/name, the rest is resource.
  return {
    resource: parts.slice(0, parts.length - 2).join('/'),
    namespace: parts[parts.length - 2]!,
    name: parts[parts.length - 1]!,
  };
}
