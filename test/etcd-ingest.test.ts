import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { buildBundle, META_ENV } from './support/bundle-builder.js';

// Damaged etcd snapshots in the evidence: a clear finding each time, never a crash, and the
// rest of the evidence still analysed.
const snapshot = readFileSync(join(import.meta.dirname, 'fixtures/etcd/snapshot-plaintext.db'));
const inspect = join(import.meta.dirname, 'fixtures/docker/inspect-risky.json');
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cf-etcd-ingest-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(name: string, data: Buffer) {
  const path = join(work, name);
  writeFileSync(path, data);
  const r = await analyze([path, inspect], { write: false });
  return {
    r,
    rules: r.document.findings.map((f) => f.rule),
    reasons: (rule: string) => r.document.findings.filter((f) => f.rule === rule).flatMap((f) => f.reasons),
  };
}

/** Page size from the first meta page (offset 16 + 8 (magic, version) → pageSize u32). */
const pageSize = snapshot.readUInt32LE(24);

describe('etcd snapshots in the evidence', () => {
  it('an intact snapshot is inventoried and its plaintext Secrets proven', async () => {
    const { rules } = await run('ok.db', snapshot);
    expect(rules).toContain('etcd.snapshot-inventory');
    expect(rules).toContain('etcd.secrets-unencrypted');
    expect(rules).toContain('container.privileged');
  });

  it('one broken meta page: read with the other, and the damage reported', async () => {
    const damaged = Buffer.from(snapshot);
    damaged.fill(0xff, 16 + 32, 16 + 48); // inside meta page 0, after the magic
    const { rules, reasons } = await run('meta0.db', damaged);
    expect(rules).toContain('etcd.snapshot-inventory');
    expect(reasons('evidence.truncated').some((r) => /meta page 0 invalid/.test(r))).toBe(true);
  });

  it('both meta pages broken: a clear finding, the rest analysed', async () => {
    const damaged = Buffer.from(snapshot);
    damaged.fill(0xff, 16 + 32, 16 + 48);
    damaged.fill(0xff, pageSize + 16 + 32, pageSize + 16 + 48);
    const { rules, reasons } = await run('metas.db', damaged);
    expect(rules).not.toContain('etcd.snapshot-inventory');
    expect(reasons('evidence.truncated').some((r) => /etcd snapshot unreadable: .*meta/i.test(r))).toBe(true);
    expect(rules).toContain('container.privileged');
  });

  it('cut short: salvaged, and reported as truncated', async () => {
    const { rules, reasons } = await run('cut.db', snapshot.subarray(0, pageSize * 3));
    expect(reasons('evidence.truncated').some((r) => /etcd snapshot cut short/.test(r))).toBe(true);
    expect(rules).toContain('container.privileged');
  });
});

describe('the etcd snapshot evidence copy', () => {
  it('is named after the time its collection step started', async () => {
    const steps =
      'source\tcommand\tstatus\texit\tstart_utc\tend_utc\tbytes\toutput\tnote\n' +
      `etcd\tetcdctl snapshot save etcd/snapshot.db\tok\t0\t2026-12-03T17:55:02Z\t2026-12-03T17:55:04Z\t${snapshot.length}\tetcd/snapshot.db\t\n`;
    const bundle = await buildBundle({ 'meta.env': META_ENV, 'commands.tsv': steps, 'etcd/snapshot.db': snapshot });
    const path = join(work, 'with-snapshot.tgz');
    writeFileSync(path, bundle);
    const out = join(work, 'copy-out');
    const r = await analyze([path], { outDir: out });
    expect(r.document.findings.some((f) => f.rule === 'etcd.snapshot-inventory')).toBe(true);
    expect(readdirSync(join(out, '.aiwg/forensics/evidence')).filter((n) => n.startsWith('etcd-snapshot'))).toEqual(['etcd-snapshot-20261203T175502Z.db']);
    expect(readFileSync(join(out, '.aiwg/forensics/evidence/etcd-snapshot-20261203T175502Z.db')).equals(snapshot)).toBe(true);
  });
});
