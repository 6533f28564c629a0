import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { CaseDb } from '../src/case-db/case-db.js';
import type { Finding } from '../src/engine/finding.js';
import { loadRules } from '../src/engine/load-rules.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

// A permission that reaches a subject ONLY through an aggregated ClusterRole and a group binding:
// ClusterRole monitoring-reader has no rules of its own (the aggregation controller had not
// filled them in when kubectl ran); its aggregationRule selects ClusterRole secret-peek by label;
// the binding names no service account, only Group system:serviceaccounts:monitoring.
const K8S = join(FIXTURES_DIR, 'k8s');
const RBAC_FILES = ['clusterroles.json', 'clusterrolebindings.json', 'roles.json', 'rolebindings.json', 'serviceaccounts.json'];

function list(items: unknown[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
}

function clusterRole(name: string, o: { labels?: Record<string, string>; selectors?: unknown[]; rules?: unknown[] | null }): unknown {
  return {
    ...(o.selectors ? { aggregationRule: { clusterRoleSelectors: o.selectors } } : {}),
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { creationTimestamp: '2026-01-15T11:00:00Z', ...(o.labels ? { labels: o.labels } : {}), name, resourceVersion: '7001', uid: `00000000-0000-4000-a000-${name.padEnd(12, '0').slice(0, 12).replace(/[^0-9a-f]/g, 'a')}` },
    rules: o.rules === undefined ? [] : o.rules,
  };
}

describe('RBAC graph', () => {
  let db: CaseDb;
  let findings: Finding[];
  beforeAll(async () => {
    const rules = (await loadRules()).filter((r) => r.meta.id.startsWith('k8s.rbac.') || r.meta.id === 'k8s.sa.automount-token');
    const inputs = [...RBAC_FILES.map((f) => join(K8S, 'kubeadm', f)), ...RBAC_FILES.map((f) => join(K8S, 'attack', f)), join(K8S, 'attack', 'pods.json')];
    const result = await analyze(inputs, { write: false, keepDb: true, rules, now: new Date('2026-02-04T10:00:00Z') });
    db = result.db!;
    findings = result.document.findings;
  });
  afterAll(() => db.close());

  it('finds secrets access that only an aggregated ClusterRole and a group binding give, with the whole chain', () => {
    const f = findings.find((x) => x.rule === 'k8s.rbac.secrets-access' && x.subject.name === 'system:serviceaccounts:monitoring');
    expect(f, 'finding on the group').toBeDefined();
    expect(f!.subject.kind).toBe('group');
    expect(f!.reasons.join('\n')).toContain(
      'Group system:serviceaccounts:monitoring → ClusterRoleBinding monitoring-readers → ClusterRole monitoring-reader → aggregates ClusterRole secret-peek → rules[0]: get,list secrets [core]',
    );
    expect(f!.reasons.join('\n')).toContain('every service account of namespace monitoring (default, node-agent, prom-agent)');
    // Evidence: the group subject in the binding, the binding's roleRef, the rule in the aggregated role.
    expect(f!.evidence.map((e) => `${e.path.replace(/^.*\/(kubeadm|attack)\//, '$1/')}#${e.locator}`)).toEqual([
      'attack/clusterrolebindings.json#/items/1/subjects/0',
      'attack/clusterrolebindings.json#/items/1/roleRef',
      'attack/clusterroles.json#/items/3/rules/0',
    ]);
  });

  it('answers the same question per service account through the views', () => {
    const rows = db.sql
      .prepare(
        `select sa_name, via_group, role_name, via_role_name, verbs from k8s_service_account_capabilities
          where sa_namespace = 'monitoring' and capability = 'secrets-read' and full_wildcard = 0 order by sa_name`,
      )
      .all();
    expect(rows).toEqual([
      { sa_name: 'default', via_group: 'system:serviceaccounts:monitoring', role_name: 'monitoring-reader', via_role_name: 'secret-peek', verbs: 'get,list' },
      { sa_name: 'node-agent', via_group: 'system:serviceaccounts:monitoring', role_name: 'monitoring-reader', via_role_name: 'secret-peek', verbs: 'get,list' },
      { sa_name: 'prom-agent', via_group: 'system:serviceaccounts:monitoring', role_name: 'monitoring-reader', via_role_name: 'secret-peek', verbs: 'get,list' },
    ]);
    // A service account of another namespace is not a member of that group.
    const other = db.sql.prepare("select count(*) as n from k8s_service_account_capabilities where sa_namespace = 'shop' and via_role_name = 'secret-peek'").get() as { n: number };
    expect(other.n).toBe(0);
    const auto = findings.find((x) => x.rule === 'k8s.sa.automount-token' && x.subject.name === 'prom-agent');
    expect(auto?.severity).toBe('SUSPICIOUS');
  });

  it('the built-in bindings of a kubeadm cluster produce no RBAC finding; only the added subjects do', () => {
    const subjects = [...new Set(findings.filter((f) => f.rule.startsWith('k8s.rbac.') && f.rule !== 'k8s.rbac.high-value-binding').map((f) => `${f.subject.kind}:${f.subject.name}`))].sort();
    expect(subjects).toEqual(['group:system:serviceaccounts:monitoring', 'group:system:unauthenticated', 'serviceaccount:node-agent', 'serviceaccount:web', 'user:dev@example.com', 'user:jenkins']);
  });
});

describe('RBAC aggregation semantics', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cf-k8s-rbac-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function grants(roles: unknown[], subjectRole: string): Promise<{ via_role_name: string; verb: string; resource: string }[]> {
    const path = mkdtempSync(join(dir, 'case-'));
    writeFileSync(join(path, 'clusterroles.json'), list(roles));
    writeFileSync(
      join(path, 'clusterrolebindings.json'),
      list([
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { creationTimestamp: '2026-01-15T11:00:00Z', name: 'b', resourceVersion: '7100', uid: '00000000-0000-4000-a000-00000000000b' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: subjectRole },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
        },
      ]),
    );
    const result = await analyze([path], { write: false, keepDb: true, rules: [] });
    try {
      return result.db!.sql
        .prepare("select distinct via_role_name, verb, resource from k8s_effective_permissions where subject_name = 'alice' order by via_role_name, verb, resource")
        .all() as { via_role_name: string; verb: string; resource: string }[];
    } finally {
      result.db!.close();
    }
  }

  it('is transitive (a role aggregating a role that aggregates another) and terminates on cycles', async () => {
    const rows = await grants(
      [
        clusterRole('top', { labels: { tier: 'top' }, selectors: [{ matchLabels: { tier: 'mid' } }], rules: null }),
        clusterRole('mid', { labels: { tier: 'mid' }, selectors: [{ matchLabels: { tier: 'leaf' } }, { matchLabels: { tier: 'top' } }] }),
        clusterRole('leaf', { labels: { tier: 'leaf' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }),
        clusterRole('unrelated', { labels: { tier: 'other' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }] }),
      ],
      'top',
    );
    expect(rows).toEqual([{ via_role_name: 'leaf', verb: 'get', resource: 'secrets' }]);
  });

  it('honours matchExpressions (In, NotIn, Exists, DoesNotExist) in clusterRoleSelectors', async () => {
    const rows = await grants(
      [
        clusterRole('agg', {
          selectors: [
            {
              matchExpressions: [
                { key: 'team', operator: 'In', values: ['a', 'b'] },
                { key: 'env', operator: 'NotIn', values: ['dev'] },
                { key: 'aggregate', operator: 'Exists' },
                { key: 'deprecated', operator: 'DoesNotExist' },
              ],
            },
          ],
          rules: null,
        }),
        clusterRole('yes', { labels: { team: 'a', env: 'prod', aggregate: 'true' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] }),
        clusterRole('wrong-team', { labels: { team: 'c', aggregate: 'true' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }),
        clusterRole('dev-env', { labels: { team: 'b', env: 'dev', aggregate: 'true' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] }),
        clusterRole('no-flag', { labels: { team: 'a' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }),
        clusterRole('deprecated', { labels: { team: 'a', aggregate: 'true', deprecated: 'yes' }, rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }] }),
      ],
      'agg',
    );
    expect(rows).toEqual([{ via_role_name: 'yes', verb: 'list', resource: 'secrets' }]);
  });
});
