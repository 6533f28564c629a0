import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { checkedInFindings } from './support/expected-findings.js';

// sample-bundles/k8s-compromised.tgz (scripts/make-sample-k8s-bundle.ts): a collect.sh bundle of a
// compromised kubeadm cluster that also holds every normal kubeadm system object. The findings of
// the k8s.* rules and correlate.token-to-power are checked in; UPDATE_EXPECTED=1 rewrites them.
// Other domains' rules are left out so that their changes do not churn this file.
const BUNDLE = join(PACKAGE_ROOT, 'sample-bundles', 'k8s-compromised.tgz');
const EXPECTED = join(PACKAGE_ROOT, 'test', 'expected', 'k8s-compromised.findings.json');
const MINE = (id: string) => id.startsWith('k8s.') || id === 'correlate.token-to-power';
const WINDOW = { since: '2026-02-03T00:00:00Z', until: '2026-02-04T00:00:00Z' };

describe('regression: k8s-compromised bundle', () => {
  it('finds the compromise, and nothing about the normal kubeadm system objects', async () => {
    const rules = (await loadRules()).filter((r) => MINE(r.meta.id));
    const result = await analyze([BUNDLE], { write: false, rules, ...WINDOW, now: new Date('2026-02-04T12:00:00Z') });
    expect(result.document.rule_failures).toEqual([]);
    const { actual, expected } = checkedInFindings(result, BUNDLE, EXPECTED);
    expect(actual).toEqual(expected);
    const findings = actual.findings;

    // The story, independent of the checked-in file.
    expect(actual.inputs[0]!.integrity).toBe('verified');
    const by = (rule: string, name?: string) => findings.filter((f) => f.rule === rule && (name === undefined || f.subject.name === name));
    expect(by('k8s.rbac.cluster-admin').map((f) => `${f.subject.namespace}/${f.subject.name}`)).toEqual(['monitoring/node-agent']);
    expect(by('k8s.rbac.secrets-access', 'system:serviceaccounts:monitoring')[0]!.reasons[0]).toContain('aggregates ClusterRole secret-peek');
    expect(by('k8s.workload.persistence', 'log-rotate')[0]!.severity).toBe('MALICIOUS');
    expect(by('k8s.pod.sensitive-hostpath', 'docker-builder')[0]!.red_flag).toBe(true);
    expect(by('k8s.node.unexpected').map((f) => f.subject.name)).toEqual(['worker-3']);
    expect(by('k8s.sa.long-lived-token').map((f) => [f.subject.name, f.severity])).toEqual([['node-agent-token', 'SUSPICIOUS']]);
    expect(by('k8s.workload.persistence').map((f) => `${f.subject.kind}/${f.subject.name}`).sort()).toEqual([
      'cronjob/log-rotate',
      'daemonset/kube-proxy',
      'daemonset/node-agent',
      'mutatingwebhookconfiguration/pod-defaults',
      'pod/etcd-worker-1',
    ]);

    // No finding about the kubeadm system objects: control-plane static pods, kube-system's
    // kube-proxy and coredns, the bootstrap RBAC policy and kubeadm's bindings. Only the
    // namespace-level INFO inventory of kube-system (no NetworkPolicy, no PSA label) remains.
    const system = /^(etcd-cp-1|kube-apiserver-cp-1|kube-controller-manager-cp-1|kube-scheduler-cp-1|coredns-.*|kube-proxy-.*|coredns|kube-proxy)$/;
    const aboutSystem = findings.filter(
      (f) =>
        (f.subject.namespace === 'kube-system' && system.test(f.subject.name)) ||
        /^system:(?!serviceaccounts:monitoring$|unauthenticated$)|^kubeadm:|^cluster-admin$/.test(f.subject.name) ||
        (f.subject.kind === 'serviceaccount' && f.subject.namespace === 'kube-system' && f.subject.name !== 'default'),
    );
    expect(aboutSystem.map((f) => `${f.rule} ${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}`)).toEqual([]);
    const kubeSystemNamespace = findings.filter((f) => f.subject.kind === 'namespace' && f.subject.name === 'kube-system');
    expect(kubeSystemNamespace.map((f) => [f.rule, f.severity])).toEqual([
      ['k8s.netpol.missing', 'INFO'],
      ['k8s.pod-security.missing', 'INFO'],
    ]);
    // The look-alikes get no free pass.
    expect(by('k8s.pod.privileged').some((f) => f.subject.namespace === 'default' && f.subject.name.startsWith('kube-proxy-'))).toBe(true);
    // Every finding points at evidence inside the bundle, with a locator.
    for (const f of findings) {
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const e of f.evidence) expect(e.path).toMatch(/^cf-bundle-cp-1-20260204T100001Z\/k8s\/[a-z-]+\.(json|tsv)$/);
    }
  });

  it('adds the Kubernetes inventory (nodes, namespaces) to the findings document', async () => {
    const result = await analyze([BUNDLE], { write: false, rules: [], ...WINDOW, now: new Date('2026-02-04T12:00:00Z') });
    const section = result.markdown.slice(result.markdown.indexOf('## Kubernetes inventory'));
    expect(section).toContain('| worker-3 |  | 2026-02-03T03:05:12Z | v1.27.3 | Alpine Linux v3.19 | 6.6.14-0-lts | containerd://1.7.11 | 10.0.0.23 | True |');
    expect(section).toContain('| payments | 1 | 1 | restricted | 1 | 2026-01-20T08:59:00Z |');
  });
});
