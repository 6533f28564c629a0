import type Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { md } from './escape.js';
import { renderTable, type Appendix } from './markdown.js';
import { timelineAppendix } from './timeline.js';
import { kubernetesInventory } from '../ingest/kubernetes/inventory.js';
import { runtimeInventory } from '../ingest/runtime/inventory.js';
import type { Finding } from '../engine/finding.js';

/** Builds an extra section of the findings document from the case database (read-only) and the findings. */
export type AppendixBuilder = (db: Database.Database, config: Config, findings: readonly Finding[]) => Appendix | null;

/** What evidence was recognised, by kind: tells the reader what the findings could be based on. */
const evidenceInventory: AppendixBuilder = (db) => {
  const rows = db
    .prepare(
      `select i.path as input, f.kind, count(*) as files, sum(coalesce(f.bytes, 0)) as bytes
         from files f join inputs i on i.id = f.input_id
        where f.status <> 'missing' group by i.path, f.kind order by i.path, f.kind`,
    )
    .all() as { input: string; kind: string; files: number; bytes: number }[];
  if (rows.length === 0) return null;
  const table = renderTable(['input', 'evidence kind', 'files', 'bytes'], rows.map((r) => [r.input, r.kind, r.files, r.bytes]));
  return {
    title: 'Evidence recognised',
    markdown: [`Each file's kind is recognised from its content; ${md('unknown')} files are kept and hashed but not analysed.`, '', ...table].join('\n'),
  };
};

/** Later stages (timeline, audit activity) add their builders here. */
export const APPENDICES: AppendixBuilder[] = [evidenceInventory, timelineAppendix, kubernetesInventory, runtimeInventory];
