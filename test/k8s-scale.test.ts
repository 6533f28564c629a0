import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadRules } from '../src/engine/load-rules.js';
import { writePodsJson } from '../scripts/make-k8s-pods-json.js';

// Opt-in (CF_K8S_SCALE=1, ~1 min): `kubectl get pods -A -o json` of 50,000 pods (~450 MB, kubectl's
// exact format) is streamed into a case database on disk in bounded memory, then the pod rules
// run over it. Measure from outside too:
//   npx tsc -p tsconfig.json && node dist/scripts/make-k8s-pods-json.js /tmp/pods.json 50000
//   /usr/bin/time -v node bin/cf-analyze.js analyze /tmp/pods.json --out /tmp/cf --no-evidence-copies --rule k8s.pod.privileged --json >/dev/null
const ENABLED = process.env.CF_K8S_SCALE === '1';
const PODS = Number(process.env.CF_K8S_SCALE_PODS ?? 50_000);

describe.skipIf(!ENABLED)(`scale: ${PODS} pods`, () => {
  it('ingests in bounded memory and finds the privileged ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-k8s-scale-'));
    try {
      const file = join(dir, 'pods.json');
      await writePodsJson(file, PODS);
      expect(statSync(file).size).toBeGreaterThan(64 * 1024 * 1024); // over the buffer limit: streamed
      const rssBefore = process.memoryUsage().rss;
      const rules = (await loadRules()).filter((r) => r.meta.id === 'k8s.pod.privileged' || r.meta.id === 'k8s.pod.sensitive-hostpath');
      const started = Date.now();
      const result = await analyze([file], { write: false, caseDbPath: join(dir, 'case.db'), rules, keepDb: true });
      const seconds = (Date.now() - started) / 1000;
      const db = result.db!;
      try {
        const specs = db.sql.prepare("select count(*) as n from k8s_pod_specs where source = 'pod'").get() as { n: number };
        expect(specs.n).toBe(PODS);
        expect(db.sql.prepare('select count(*) as n from input_problems').get()).toEqual({ n: 0 });
        expect(db.sql.prepare("select max(locator) as last from k8s_objects where locator = ?").get(`/items/${PODS - 1}`)).toEqual({ last: `/items/${PODS - 1}` });
      } finally {
        db.close();
      }
      // one pod in 1,000 is privileged with the node's / mounted
      const privileged = result.document.findings.filter((f) => f.rule === 'k8s.pod.privileged');
      expect(privileged.length).toBe(Math.floor(PODS / 1000));
      expect(result.document.findings.filter((f) => f.rule === 'k8s.pod.sensitive-hostpath').length).toBe(Math.floor(PODS / 1000));
      const grown = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
      process.stderr.write(`${PODS} pods: ${seconds.toFixed(1)} s, RSS grew ${grown.toFixed(0)} MB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
      expect(grown).toBeLessThan(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
