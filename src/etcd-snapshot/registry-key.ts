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
  const plen = prefix.endsWith('/') ? prefix.length : prefix.length + 1;
  if (key.length <= plen || !key.startsWith(prefix) || key.charCodeAt(plen - 1) !== 0x2f) return null;
  // Runs once per record: slash positions by indexOf rather than split/join.
  const slashes: number[] = [];
  for (let i = key.indexOf('/', plen); i >= 0; i = key.indexOf('/', i + 1)) {
    if (i === plen || i === key.length - 1 || i === slashes[slashes.length - 1]! + 1) return null; // empty segment
    slashes.push(i);
  }
  if (slashes.length === 0) return null;
  const seg0 = key.slice(plen, slashes[0]);
  let resourceEnd = slashes[0]!; // end of the resource part
  let taken = 1;
  if (seg0.includes('.') || (slashes.length >= 2 && TWO_PART.has(key.slice(plen, slashes[1])))) {
    if (slashes.length < 2) return null;
    resourceEnd = slashes[1]!;
    taken = 2;
  }
  const rest = slashes.length + 1 - taken;
  if (rest === 1) return { resource: key.slice(plen, resourceEnd), namespace: null, name: key.slice(resourceEnd + 1) };
  // More than two segments left: keep the last two as namespace/name, the rest is resource.
  const nsStart = slashes[slashes.length - 2]!;
  const nameStart = slashes[slashes.length - 1]!;
  return { resource: key.slice(plen, nsStart), namespace: key.slice(nsStart + 1, nameStart), name: key.slice(nameStart + 1) };
}
