import type { EvidenceSource } from '../source.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, headRows, intOrNull } from '../tsv.js';

const HEADER = ['pid', 'ns', 'link'];

/** host/proc-ns.tsv: every /proc/<pid>/ns/* link of every process. */
export const procNs: Ingester = {
  kind: 'proc-ns',
  description: 'collect.sh host/proc-ns.tsv (namespace links of every process)',
  detect(head) {
    if (!hasTsvHeader(head, HEADER)) return Confidence.NONE;
    if (head.name === 'ns-reference.tsv') return Confidence.NONE;
    return head.name === 'proc-ns.tsv' ? Confidence.CERTAIN : Confidence.PLAUSIBLE;
  },
  ingest: (source, ctx) => ingestNs(source, ctx, 0),
};

/** host/ns-reference.tsv: the host's reference namespaces (/proc/1/ns or the collector's own). */
export const nsReference: Ingester = {
  kind: 'ns-reference',
  description: "collect.sh host/ns-reference.tsv (the host's reference namespaces)",
  detect(head) {
    if (!hasTsvHeader(head, HEADER)) return Confidence.NONE;
    if (head.name === 'ns-reference.tsv') return Confidence.CERTAIN;
    // Same columns as proc-ns.tsv; one process only is what a reference file looks like.
    const pids = new Set(headRows(head).map((r) => r[0]));
    return head.complete && pids.size === 1 && head.name !== 'proc-ns.tsv' ? Confidence.PLAUSIBLE + 5 : Confidence.NONE;
  },
  ingest: (source, ctx) => ingestNs(source, ctx, 1),
};

async function ingestNs(source: EvidenceSource, ctx: IngestContext, reference: number): Promise<void> {
  const batch = ctx.db.batch('insert into proc_ns (file_id, locator, pid, ns, inode, link, reference) values (?,?,?,?,?,?,?)');
  await eachTsvRow(source, ctx, (get, lineNo) => {
    const pid = intOrNull(get('pid'));
    const ns = get('ns');
    if (pid === null || !ns) return ctx.problem('parse-error', 'row without pid or namespace name', `line ${lineNo}`);
    const link = get('link');
    // readlink prints "pid:[4026531836]"; keep only the inode for comparisons.
    const inode = link ? (/\[(\d+)\]/.exec(link)?.[1] ?? null) : null;
    batch.add([ctx.fileId, `line ${lineNo}`, pid, ns, inode, link, reference]);
  });
  batch.flush();
}
