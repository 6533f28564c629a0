import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { expectedRows, findingRows } from './support/finding-rows.js';

// The README's demo bundle (sample-bundles/docker-host.tgz, scripts/make-sample-docker-bundle.sh,
// described in sample-bundles/README.md): the findings of the docker / escape groups on it are
// checked in (rule + severity + subject + red flag), and each staged trace must be found while
// nothing else is. `UPDATE_EXPECTED=1 npx vitest run test/sample-docker-bundle.test.ts`
// regenerates the expected file after a deliberate change (review its diff).
const BUNDLE = join(PACKAGE_ROOT, 'sample-bundles', 'docker-host.tgz');
const EXPECTED = join(PACKAGE_ROOT, 'test', 'expected', 'sample-docker-host.findings.json');
const MINE = /^(container|image|volume|daemon|escape|correlate\.config-vs-reality)\b/;

describe('sample-bundles/docker-host.tgz (the demo bundle)', async () => {
  const rules = (await loadRules()).filter((r) => MINE.test(r.meta.id));
  const result = await analyze([BUNDLE], { write: false, rules, now: new Date('2026-12-03T18:30:00Z') });
  const findings = result.document.findings;
  const rows = findingRows(findings);
  const of = (name: string) => rows.filter((r) => r.subject === `container/cf-sample-${name}`);
  const rulesOf = (name: string) => [...new Set(of(name).map((r) => r.rule))].sort();

  it('verifies and no rule fails on it', () => {
    expect(result.document.inputs.map((i) => i.integrity)).toEqual(['verified']);
    expect(result.document.rule_failures).toEqual([]);
  });

  it('matches the checked-in findings', () => {
    expect(rows).toEqual(expectedRows(EXPECTED, rows));
  });

  it('finds every staged trace the README lists', () => {
    expect(of('ci-runner')).toContainEqual({ rule: 'container.runtime-socket-mount', severity: 'SUSPICIOUS', red_flag: true, subject: 'container/cf-sample-ci-runner' });
    expect(rulesOf('debug')).toEqual(expect.arrayContaining(['container.dangerous-capability', 'container.filesystem-change-sensitive']));
    expect(rulesOf('hostns')).toEqual(expect.arrayContaining(['container.host-pid', 'container.host-network', 'escape.host-namespace-shared']));
    expect(findings.find((f) => f.rule === 'container.no-security-profile' && f.subject.name === 'cf-sample-unconfined')?.reasons).toEqual(['seccomp profile is unconfined (docker)']);
    expect(of('miner')).toContainEqual({ rule: 'container.suspicious-command', severity: 'MALICIOUS', red_flag: false, subject: 'container/cf-sample-miner' });
    expect(rulesOf('priv')).toEqual(expect.arrayContaining(['container.privileged', 'container.sensitive-mount']));
    expect(of('victim')).toContainEqual({ rule: 'escape.namespace-mismatch', severity: 'MALICIOUS', red_flag: true, subject: 'container/cf-sample-victim' });
    expect(of('victim')).toContainEqual({ rule: 'correlate.config-vs-reality', severity: 'MALICIOUS', red_flag: false, subject: 'container/cf-sample-victim' });
    const dropper = rows.filter((r) => r.subject === 'image/cf-sample-dropper:latest').map((r) => r.rule);
    expect(dropper).toEqual(expect.arrayContaining(['image.suspicious-history', 'image.wipe-pattern']));
  });

  it('flags nothing it should not', () => {
    // the clean baseline: only inventory
    expect(of('web').length).toBeGreaterThan(0);
    expect(of('web').filter((r) => r.severity !== 'INFO')).toEqual([]);
    // escape verdicts only where the staged host process is; a host-network/-pid container whose
    // processes share the host's namespaces as configured is exposure, not escape
    expect(rows.filter((r) => r.rule.startsWith('escape.') && r.severity === 'MALICIOUS').map((r) => r.subject)).toEqual(['container/cf-sample-victim']);
    expect(rows.filter((r) => r.rule === 'correlate.config-vs-reality').every((r) => r.subject === 'container/cf-sample-victim')).toBe(true);
    // ctr lists docker's containers again (namespace moby): each container is one subject
    const names = new Set(rows.filter((r) => r.subject.startsWith('container/')).map((r) => r.subject));
    expect([...names].every((n) => /^container\/cf-sample-[a-z-]+$/.test(n))).toBe(true);
    expect(findings.find((f) => f.rule === 'image.orphaned')?.reasons.join()).toMatch(/none of the 9 containers/);
  });

  it('names every image finding the same way: the reference as written, the image id in subject.id', () => {
    const images = findings.filter((f) => f.subject.kind === 'image');
    expect(images.length).toBeGreaterThan(0);
    for (const f of images) {
      expect(f.subject.name, f.rule).not.toMatch(/^docker\.io\//);
      expect(f.subject.id, `${f.rule} ${f.subject.name}`).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const idsByName = new Map<string, Set<string | null>>();
    for (const f of images) idsByName.set(f.subject.name, (idsByName.get(f.subject.name) ?? new Set()).add(f.subject.id));
    for (const [name, ids] of idsByName) expect(ids.size, name).toBe(1);
  });
});
