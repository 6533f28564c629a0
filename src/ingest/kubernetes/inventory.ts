import type Database from 'better-sqlite3';
import { md } from '../../report/escape.js';
import { renderTable, type Appendix } from '../../report/markdown.js';

const MAX_ROWS = 1000;

function hasRows(db: Database.Database, table: string): boolean {
  try {
    return db.prepare(`select 1 from ${table} limit 1`).get() !== undefined;
  } catch {
    return false; // schema without the Kubernetes tables
  }
}

function capped(rows: unknown[][], what: string): string[] {
  return rows.length > MAX_ROWS ? [`First ${MAX_ROWS} of ${rows.length} ${what} (all are in the case database).`, ''] : [];
}

/**
 * Kubernetes inventory for the findings document: the nodes (version, OS, runtime, when they
 * joined) and the namespaces (pods, Pod Security Admission level, NetworkPolicies), so that the
 * reader sees the cluster the Kubernetes findings are about.
 */
export function kubernetesInventory(db: Database.Database): Appendix | null {
  const parts: string[] = [];
  if (hasRows(db, 'k8s_nodes')) {
    const nodes = db
      .prepare(
        `select name, roles, created, kubelet_version, os_image, kernel_version, container_runtime, internal_ip, ready
           from k8s_nodes group by name order by created, name`,
      )
      .all() as Record<string, string | null>[];
    const rows = nodes.map((n) => [n.name, (JSON.parse(n.roles ?? '[]') as string[]).join(', '), n.created, n.kubelet_version, n.os_image, n.kernel_version, n.container_runtime, n.internal_ip, n.ready]);
    parts.push('### Nodes', '', ...capped(rows, 'nodes'), ...renderTable(['node', 'roles', 'created', 'kubelet', 'OS image', 'kernel', 'runtime', 'internal IP', 'Ready'], rows.slice(0, MAX_ROWS)), '');
  }
  if (hasRows(db, 'k8s_pod_specs') || hasRows(db, 'k8s_namespace_security')) {
    const namespaces = db
      .prepare(
        `with names as (select namespace as name from k8s_namespace_security
                        union select namespace from k8s_pod_specs where namespace is not null)
         select n.name,
                (select count(*) from k8s_pod_specs p where p.namespace = n.name and p.source = 'pod') as pods,
                (select count(*) from k8s_pod_specs p where p.namespace = n.name and p.source = 'template') as templates,
                (select psa_enforce from k8s_namespace_security s where s.namespace = n.name limit 1) as enforce,
                (select count(*) from k8s_network_policies np where np.namespace = n.name) as policies,
                (select created from k8s_namespace_security s where s.namespace = n.name limit 1) as created
           from names n order by n.name`,
      )
      .all() as Record<string, string | number | null>[];
    const rows = namespaces.map((n) => [n.name, n.pods, n.templates, n.enforce ?? '(none)', n.policies, n.created]);
    if (rows.length > 0) {
      parts.push('### Namespaces', '', ...capped(rows, 'namespaces'), ...renderTable(['namespace', 'pods', 'pod templates', 'PSA enforce', 'NetworkPolicies', 'created'], rows.slice(0, MAX_ROWS)), '');
    }
  }
  if (parts.length === 0) return null;
  return {
    title: 'Kubernetes inventory',
    markdown: [`From the kubectl output in the evidence (${md('k8s_*')} tables of the case database).`, '', ...parts].join('\n'),
  };
}
