/**
 * Requests that some audit rule looks at, flagged while ingesting (a few string comparisons per
 * request) so that rules read a small table instead of scanning every request: over a gigabyte
 * log, eight full scans cost more than all the rules' own work. Each flag is a superset of what
 * its rules select; the rules still apply their exact conditions.
 */
export const Notable = {
  SECRETS: 1,
  /** pods/exec, pods/attach, pods/portforward, nodes/proxy */
  EXEC: 2,
  /** roles, clusterroles, rolebindings, clusterrolebindings */
  RBAC: 4,
  /** 401 and 403 answers */
  DENIED: 8,
  /** system:anonymous, group system:unauthenticated, failed authentication */
  ANONYMOUS: 16,
  /** impersonatedUser set, or serviceaccounts/token */
  IMPERSONATION: 32,
  /** create or delete of an object (no subresource) */
  CREATE_DELETE: 64,
  /** a service account outside kube-system */
  SERVICE_ACCOUNT: 128,
} as const;

const RBAC = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

export function notableFlags(
  username: string | null,
  groups: string | null,
  impersonated: string | null,
  verb: string | null,
  resource: string | null,
  subresource: string | null,
  code: number | null,
): number {
  let flags = 0;
  if (resource !== null) {
    if (resource === 'secrets') flags |= Notable.SECRETS;
    else if (RBAC.has(resource)) flags |= Notable.RBAC;
    if (subresource !== null) {
      if (subresource === 'exec' || subresource === 'attach' || subresource === 'portforward' || (subresource === 'proxy' && resource === 'nodes')) flags |= Notable.EXEC;
      else if (subresource === 'token' && resource === 'serviceaccounts') flags |= Notable.IMPERSONATION;
    } else if (verb === 'create' || verb === 'delete') flags |= Notable.CREATE_DELETE;
  }
  if (code === 401 || code === 403) flags |= Notable.DENIED;
  if (username === null ? code === 401 : username === 'system:anonymous') flags |= Notable.ANONYMOUS;
  else if (groups !== null && groups.includes('system:unauthenticated')) flags |= Notable.ANONYMOUS;
  if (impersonated !== null) flags |= Notable.IMPERSONATION;
  if (username !== null && username.startsWith('system:serviceaccount:') && !username.startsWith('system:serviceaccount:kube-system:')) flags |= Notable.SERVICE_ACCOUNT;
  return flags;
}
