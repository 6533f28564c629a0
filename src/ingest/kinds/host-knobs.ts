import type { EvidenceSource } from '../source.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, headRows } from '../tsv.js';

const HEADER = ['path', 'value'];

/** host/cgroup-release-agent.tsv: cgroup v1 release_agent and notify_on_release values. */
export const cgroupReleaseAgent: Ingester = {
  kind: 'cgroup-release-agent',
  description: 'collect.sh host/cgroup-release-agent.tsv (cgroup v1 release_agent / notify_on_release)',
  detect(head) {
    if (!hasTsvHeader(head, HEADER)) return Confidence.NONE;
    const rows = headRows(head);
    if (rows.length > 0 && rows.every((r) => /\/(release_agent|notify_on_release)$/.test(r[0] ?? ''))) return Confidence.CERTAIN;
    return head.name === 'cgroup-release-agent.tsv' ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  ingest: (source, ctx) => ingestKnobs(source, ctx, 'cgroup-release-agent'),
};

/** host/kernel-knobs.tsv: core_pattern, modprobe, uevent_helper, binfmt_misc interpreters… */
export const kernelKnobs: Ingester = {
  kind: 'kernel-knobs',
  description: 'collect.sh host/kernel-knobs.tsv (core_pattern, modprobe, uevent_helper, binfmt_misc)',
  detect(head) {
    if (!hasTsvHeader(head, HEADER)) return Confidence.NONE;
    const rows = headRows(head);
    if (rows.length > 0 && rows.every((r) => /^\/(proc\/sys|sys\/kernel)\//.test(r[0] ?? ''))) return Confidence.CERTAIN;
    return head.name === 'kernel-knobs.tsv' ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  ingest: (source, ctx) => ingestKnobs(source, ctx, 'kernel-knobs'),
};

async function ingestKnobs(source: EvidenceSource, ctx: IngestContext, kind: string): Promise<void> {
  await eachTsvRow(source, ctx, (get, lineNo) => {
    const path = get('path');
    if (!path) return ctx.problem('parse-error', 'row without a path', `line ${lineNo}`);
    // '-' is "unreadable"; an empty value (release_agent not set) stays ''.
    ctx.db.insert('host_knobs', { file_id: ctx.fileId, locator: `line ${lineNo}`, source: kind, path, value: get('value') });
  });
}
