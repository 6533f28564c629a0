import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { PACKAGE_ROOT } from '../src/paths.js';

const BUNDLE = join(PACKAGE_ROOT, 'sample-bundles', 'k8s-audit-attack.tgz');

/** Minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  return rows;
}

describe('incident timeline', () => {
  it('merges audit requests behind findings with pod lifecycle, in time order, in the document and timeline.csv', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cf-timeline-'));
    try {
      const rules = (await loadRules()).filter((r) => r.meta.id.startsWith('audit.') || r.meta.id.startsWith('correlate.exec'));
      const result = await analyze([BUNDLE], { outDir: out, rules, config: { operators: ['group:sre'] }, evidenceCopies: false, now: new Date('2026-12-01T00:00:00Z') });
      const rows = parseCsv(readFileSync(join(out, '.aiwg', 'forensics', 'findings', 'timeline.csv'), 'utf8'));
      expect(rows[0]).toEqual(['time', 'source', 'event', 'severity', 'rules', 'subject', 'detail', 'path', 'locator']);
      const body = rows.slice(1);
      const times = body.map((r) => r[0]!);
      expect([...times].sort()).toEqual(times);
      const exec = body.find((r) => r[1] === 'audit' && r[2] === 'create pods/exec default/node-debugger')!;
      expect(exec[3]).toBe('MALICIOUS');
      expect(exec[4]!.split(' ')).toEqual(expect.arrayContaining(['audit.exec-non-operator', 'correlate.exec-into-exposed-pod']));
      expect(exec[7]).toMatch(/control-plane\/audit\/audit\.log$/);
      expect(exec[8]).toMatch(/^line \d+$/);
      const created = body.find((r) => r[1] === 'pod' && r[5] === 'pod default/node-debugger')!;
      expect(created[0]).toBe('2026-11-30T10:14:02.000000Z');
      expect(created[7]).toMatch(/k8s\/pods\.json$/);
      // the anonymous probe comes before the exec, the token harvest between them
      const order = (event: string) => body.findIndex((r) => r[2] === event);
      expect(order('list pods in shop')).toBeLessThan(order('get secrets kube-system/bootstrap-token-abcdef'));
      expect(order('get secrets kube-system/bootstrap-token-abcdef')).toBeLessThan(order('create pods/exec default/node-debugger'));
      expect(result.markdown).toContain('## Incident timeline');
      expect(result.markdown).toContain('create pods/exec default/node-debugger');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('timeline with runtime events', () => {
  it('lists each runtime alert once, skips INFO noise, and keeps file and locator together', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cf-timeline-runtime-'));
    try {
      await analyze([join(PACKAGE_ROOT, 'sample-bundles', 'runtime-falco-socket.tgz')], { outDir: out, evidenceCopies: false });
      const rows = readFileSync(join(out, '.aiwg/forensics/findings/timeline.csv'), 'utf8').trim().split('\r\n').slice(1);
      const runtime = rows.filter((r) => r.startsWith('"') && r.split('","')[1] === 'runtime');
      expect(runtime.length).toBeGreaterThan(0);
      expect(new Set(runtime.map((r) => r.split('","').slice(0, 3).join())).size).toBe(runtime.length);
      expect(runtime.every((r) => r.split('","')[3] !== 'INFO')).toBe(true);
      expect(runtime.some((r) => r.includes('Drop and execute new binary in container') && /ebpf\/falco\/journal\.txt","line \d+"$/.test(r))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('timeline with containers', () => {
  it('lists each container lifecycle event once, although ctr lists docker containers again (real dockerd bundle)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cf-timeline-docker-'));
    try {
      await analyze([join(PACKAGE_ROOT, 'sample-bundles', 'docker-host.tgz')], { outDir: out, evidenceCopies: false });
      const rows = parseCsv(readFileSync(join(out, '.aiwg/forensics/findings/timeline.csv'), 'utf8')).slice(1);
      const created = rows.filter((r) => r[1] === 'container' && r[2] === 'container created');
      expect(created.length).toBeGreaterThan(3);
      expect(created.every((r) => r[6]!.startsWith('docker '))).toBe(true);
      const ids = created.map((r) => r[6]!.split(' ')[1]);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
