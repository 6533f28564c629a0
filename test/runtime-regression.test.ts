import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { checkedInFindings } from './support/expected-findings.js';

// sample-bundles/runtime-falco-socket.tgz: a real docker inspect of a container holding
// /var/run/docker.sock and Falco alerts (journald form) inside it. Its findings from the runtime
// rules and their correlation are checked in; UPDATE_EXPECTED=1 rewrites them (after
// scripts/make-sample-runtime-bundle.ts has rebuilt the bundle).
const BUNDLE = join(PACKAGE_ROOT, 'sample-bundles', 'runtime-falco-socket.tgz');
const EXPECTED = join(PACKAGE_ROOT, 'test', 'expected', 'runtime-falco-socket.findings.json');

describe('regression: runtime-falco-socket bundle', () => {
  it('a Falco alert inside a container that mounts docker.sock is a MALICIOUS red flag', async () => {
    const rules = (await loadRules()).filter((r) => r.meta.id.startsWith('runtime.') || r.meta.id === 'correlate.runtime-in-exposed-container');
    const result = await analyze([BUNDLE], { write: false, rules, now: new Date('2026-01-01T00:00:00Z') });
    expect(result.document.rule_failures).toEqual([]);
    const { actual, expected } = checkedInFindings(result, BUNDLE, EXPECTED);
    expect(actual).toEqual(expected);
    const findings = actual.findings;

    // What the bundle is for, independent of the checked-in file.
    expect(actual.inputs[0]!.integrity).toBe('verified');
    const flag = findings.find((f) => f.rule === 'correlate.runtime-in-exposed-container');
    expect(flag).toMatchObject({ severity: 'MALICIOUS', red_flag: true, subject: { kind: 'container', name: 'cf-runtime-socket' } });
    expect(flag!.reasons.join(' ')).toContain('runtime-socket: host path /var/run/docker.sock mounted at /var/run/docker.sock');
    expect(flag!.evidence.some((e) => /ebpf\/falco\/journal\.txt$/.test(e.path) && /^line \d+$/.test(e.locator ?? ''))).toBe(true);
    expect(flag!.evidence.some((e) => /docker\/containers\/[0-9a-f]{64}\/inspect\.json$/.test(e.path) && e.locator === '/0/Mounts/0')).toBe(true);
    const drop = findings.find((f) => f.rule === 'runtime.falco-alert' && f.reasons[0]!.startsWith('Falco rule "Drop and execute new binary in container" (priority Critical)'));
    expect(drop?.severity).toBe('MALICIOUS');
    // Tetragon was missing on the host: no event gap for the window (none set), no policy finding.
    expect(findings.some((f) => f.rule === 'runtime.tetragon-policies')).toBe(false);
  });
});
