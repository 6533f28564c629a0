import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { expectedRows, findingRows } from './support/finding-rows.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

// Regression over a bundle that collect.sh took from a real dockerd host staged by
// scripts/make-docker-host-bundle.sh. The findings of the docker / escape groups are checked in
// (rule + severity + subject + red flag); `UPDATE_EXPECTED=1 npx vitest run test/docker-host-bundle.test.ts`
// regenerates them after a deliberate change.
const BUNDLE = join(FIXTURES_DIR, 'docker-host', 'cf-bundle-docker-host.tgz');
const EXPECTED = join(PACKAGE_ROOT, 'test', 'expected', 'docker-host.findings.json');
const MINE = /^(container|image|volume|daemon|escape|correlate\.config-vs-reality)\b/;

/** Rules of these groups that a real host cannot produce here, and why. */
const NOT_PRODUCIBLE: Record<string, string> = {
  'escape.runtime-process-anomaly': 'needs a hijacked runtime process tree (rule cases cover it)',
  'image.untrusted-registry': 'only with trusted_registries configured (run below with a config)',
};

describe('docker host regression bundle (real dockerd, collect.sh)', async () => {
  const rules = (await loadRules()).filter((r) => MINE.test(r.meta.id));
  const result = await analyze([BUNDLE], { write: false, rules, now: new Date('2026-12-03T18:30:00Z') });
  const rows = findingRows(result.document.findings);

  it('no rule fails on it', () => {
    expect(result.document.rule_failures).toEqual([]);
  });

  it('matches the checked-in findings', () => {
    expect(rows).toEqual(expectedRows(EXPECTED, rows));
  });

  it('every rule of the docker and escape groups that a real host can produce fires', () => {
    const fired = new Set(rows.map((r) => r.rule));
    const silent = rules.map((r) => r.meta.id).filter((id) => !fired.has(id) && !(id in NOT_PRODUCIBLE));
    expect(silent).toEqual([]);
  });

  it('flags the host process placed into the target container as an escape', () => {
    const target = rows.filter((r) => r.subject === 'container/cf-bundle-target');
    expect(target).toContainEqual({ rule: 'escape.namespace-mismatch', severity: 'MALICIOUS', red_flag: true, subject: 'container/cf-bundle-target' });
    expect(target).toContainEqual({ rule: 'escape.cgroup-anomaly', severity: 'MALICIOUS', red_flag: true, subject: 'container/cf-bundle-target' });
    expect(target).toContainEqual({ rule: 'correlate.config-vs-reality', severity: 'MALICIOUS', red_flag: false, subject: 'container/cf-bundle-target' });
  });

  it('the plain container from a clean image gets nothing at SUSPICIOUS or above', () => {
    const web = rows.filter((r) => r.subject === 'container/cf-bundle-web');
    expect(web.length).toBeGreaterThan(0); // it is analysed (writable rootfs is INFO)
    expect(web.filter((r) => r.severity !== 'INFO')).toEqual([]);
    expect(rows.filter((r) => r.subject.startsWith('image/cf-bundle/clean') && r.severity !== 'INFO')).toEqual([]);
  });

  it('image.untrusted-registry fires on it once trusted registries are configured', async () => {
    const r = await analyze([BUNDLE], { write: false, rules: rules.filter((x) => x.meta.id === 'image.untrusted-registry'), config: { trusted_registries: ['registry.example.com'] } });
    expect(r.document.findings.map((f) => f.subject.name)).toContain('cf-bundle/dropper:1');
  });
});
