import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { checkedInFindings } from './support/expected-findings.js';

// sample-bundles/k8s-audit-attack.tgz (scripts/make-sample-audit-bundle.ts): an API server audit
// log (rotated gzip part + live part) with an attack among background traffic, and the pods
// JSON. The findings of the audit rules and of correlate.exec-into-exposed-pod are checked in;
// UPDATE_EXPECTED=1 rewrites them. Other domains' rules are left out so that their changes do
// not churn this file.
const BUNDLE = join(PACKAGE_ROOT, 'sample-bundles', 'k8s-audit-attack.tgz');
const EXPECTED = join(PACKAGE_ROOT, 'test', 'expected', 'k8s-audit-attack.findings.json');
const MINE = (id: string) => id.startsWith('audit.') || id === 'correlate.exec-into-exposed-pod';

describe('regression: k8s-audit-attack bundle', () => {
  it('finds the attack story, and only it, among the background traffic', async () => {
    const rules = (await loadRules()).filter((r) => MINE(r.meta.id));
    const result = await analyze([BUNDLE], { write: false, rules, config: { operators: ['group:sre'] }, now: new Date('2026-12-01T00:00:00Z') });
    expect(result.document.rule_failures).toEqual([]);
    const { actual, expected } = checkedInFindings(result, BUNDLE, EXPECTED);
    expect(actual).toEqual(expected);
    const findings = actual.findings;

    // The story, independent of the checked-in file.
    expect(actual.inputs[0]!.integrity).toBe('verified');
    const by = (rule: string, name?: string) => findings.filter((f) => f.rule === rule && (name === undefined || f.subject.name === name));
    expect(by('audit.anonymous-request', '198.51.100.23').map((f) => f.severity).sort()).toEqual(['MALICIOUS', 'SUSPICIOUS']);
    expect(by('audit.sa-token-misuse', 'frontend').length).toBe(3);
    expect(by('audit.forbidden-burst', 'frontend').length).toBe(1);
    expect(by('audit.secrets-harvest', 'deployer')[0]!.reasons[0]).toContain('read 12 distinct secrets');
    expect(by('audit.privileged-workload-created', 'node-debugger').length).toBe(1);
    expect(by('audit.rapid-create-delete', 'tmp-shell-5f7c').length).toBe(1);
    expect(by('audit.rbac-escalation', 'system:monitoring-agent')[0]!.reasons[0]).toContain('cluster-admin');
    expect(by('audit.impersonation', 'deployer').length).toBe(1);
    // exec into the pod created privileged (proved by the audit log and pods.json) and into
    // kube-proxy (proved by pods.json only): red flags; the operator's shell is not reported.
    const flags = by('correlate.exec-into-exposed-pod');
    expect(flags.map((f) => `${f.subject.namespace}/${f.subject.name}`).sort()).toEqual(['default/node-debugger', 'kube-system/kube-proxy-7xk2p']);
    expect(flags.every((f) => f.red_flag && f.severity === 'MALICIOUS')).toBe(true);
    const debuggerFlag = flags.find((f) => f.subject.name === 'node-debugger')!;
    expect(debuggerFlag.evidence.some((e) => e.path.endsWith('control-plane/audit/audit.log') && /^line \d+$/.test(e.locator ?? ''))).toBe(true);
    expect(debuggerFlag.evidence.some((e) => e.path.endsWith('k8s/pods.json'))).toBe(true);
    expect(by('audit.exec-non-operator').some((f) => f.subject.name === 'cart-5b7c9d8f6-p4lqs')).toBe(false);
    // the early part of the log comes from the rotated .gz file
    const summary = by('audit.activity-summary')[0]!;
    expect(summary.first_seen).toBe('2026-11-30T09:00:00.000000Z');
  });
});
