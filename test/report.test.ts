import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../src/analyze.js';
import { FindingsDocumentSchema } from '../src/report/findings-schema.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { md, terminal } from '../src/report/escape.js';

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS with a default export: take the class from require.
const Ajv = (require('ajv-draft-04') as { default: typeof import('ajv-draft-04').default }).default;
const fixtures = join(import.meta.dirname, 'fixtures');
let work: string;
let result: AnalysisResult;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cf-report-'));
  result = await analyze([join(fixtures, 'docker/inspect-risky.json'), join(fixtures, 'docker/inspect-clean.json')], {
    outDir: work,
    now: new Date('2026-12-03T18:00:00Z'),
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('findings document', () => {
  it('is valid cf-findings/1 and lists red flags first', () => {
    const doc = FindingsDocumentSchema.parse(JSON.parse(JSON.stringify(result.document)));
    expect(doc.findings.length).toBeGreaterThan(3);
    const firstNonRed = doc.findings.findIndex((f) => !f.red_flag);
    expect(doc.findings.slice(firstNonRed).some((f) => f.red_flag)).toBe(false);
    expect(doc.summary.red_flags).toBe(doc.findings.filter((f) => f.red_flag).length);
  });

  it('gives the same finding ids on a second run', async () => {
    const again = await analyze([join(fixtures, 'docker/inspect-risky.json'), join(fixtures, 'docker/inspect-clean.json')], { write: false });
    expect(again.document.findings.map((f) => f.id)).toEqual(result.document.findings.map((f) => f.id));
  });

  it('writes the Markdown document where users of the original skill expect it', () => {
    const path = join(work, '.aiwg/forensics/findings/container-forensics.md');
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# Container forensics findings/);
    const order = ['## Red flags', '## Docker / containerd', '## eBPF runtime events', '## Kubernetes', '## etcd / API server', '## Escape indicators', '## Evidence integrity and coverage'];
    const positions = order.map((h) => text.indexOf(h));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('copies evidence under its expected name with a checkable manifest', () => {
    const evidence = join(work, '.aiwg/forensics/evidence');
    expect(existsSync(join(evidence, 'docker-inspect.json'))).toBe(true);
    expect(existsSync(join(evidence, 'docker-inspect-2.json'))).toBe(true);
    const sums = readFileSync(join(evidence, 'SHA256SUMS'), 'utf8');
    expect(sums).toMatch(/^[0-9a-f]{64} {2}docker-inspect\.json$/m);
    const original = readFileSync(join(fixtures, 'docker/inspect-risky.json'));
    expect(readFileSync(join(evidence, 'docker-inspect.json')).equals(original)).toBe(true);
  });

  it('SARIF output is valid against the SARIF 2.1.0 schema', () => {
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const sarif = renderSarif(result.document, result.rules);
    const ok = validate(JSON.parse(JSON.stringify(sarif)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const results = (sarif as { runs: { results: { level: string }[] }[] }).runs[0]!.results;
    expect(results.length).toBe(result.document.findings.length);
  });
});

describe('attacker-controlled strings', () => {
  const evilName = '/x\u001b[31m*bold*_u_ `code` <img src=x onerror=alert(1)> [link](http://evil) | cell \u202eevil\n# heading';

  it('are escaped in Markdown and the terminal, and kept exact in JSON', async () => {
    const inspect = JSON.parse(readFileSync(join(fixtures, 'docker/inspect-risky.json'), 'utf8')) as { Name: string }[];
    inspect[0]!.Name = evilName;
    const dir = mkdtempSync(join(work, 'evil-'));
    writeFileSync(join(dir, 'inspect.json'), JSON.stringify(inspect));
    const r = await analyze([join(dir, 'inspect.json')], { write: false });
    const finding = r.document.findings.find((f) => f.rule === 'container.privileged')!;
    expect(finding.subject.name).toBe(evilName.slice(1));
    const line = r.markdown.split('\n').find((l) => l.includes('x\\\\u{1b}'))!;
    expect(line).toBeDefined();
    expect(r.markdown).not.toContain('\u001b');
    expect(r.markdown).not.toContain('\u202e');
    expect(r.markdown).not.toMatch(/(^|[^\\])<img/);
    expect(r.markdown).not.toMatch(/^# heading/m);
    expect(line).toContain('\\*bold\\*');
    expect(line).toContain('\\[link\\]');
    expect(line).toContain('\\|');
  });

  it('md and terminal escape what they must', () => {
    expect(md('a|b*c\nd')).toBe('a\\|b\\*c d');
    expect(terminal('ok\u001b]0;title\u0007\r\nnext')).toBe('ok\\u{1b}]0;title\\u{7} next');
  });
});

describe('long inventories', () => {
  it('list at most 200 INFO findings of a rule, and say where the rest are', () => {
    const base = result.document.findings[0]!;
    const many = Array.from({ length: 250 }, (_, i) => ({ ...base, id: i.toString(16).padStart(16, '0'), severity: 'INFO' as const, red_flag: false, rule: 'container.runs-as-root', subject: { ...base.subject, name: `c-${i}` } }));
    const text = renderMarkdown({ ...result.document, findings: many });
    expect(text).toContain('c-199');
    expect(text).not.toContain('c-200**');
    expect(text).toContain("and 50 more: all are in the JSON output (--json) and in the case database");
  });

  it('keeps every finding in the case database', async () => {
    const r = await analyze([join(fixtures, 'docker/inspect-risky.json')], { write: false, keepDb: true });
    try {
      const n = (r.db!.sql.prepare('select count(*) as n from findings').get() as { n: number }).n;
      expect(n).toBe(r.document.findings.length);
      const red = r.db!.sql.prepare("select rule, subject_name from findings where red_flag = 1").all();
      expect(red).toEqual([{ rule: 'container.runtime-socket-mount', subject_name: 'cf-fixture-mounts' }]);
    } finally {
      r.db!.close();
    }
  });
});

