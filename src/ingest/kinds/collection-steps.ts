import { eachTsvRow, hasTsvHeader, intOrNull } from '../tsv.js';
import { Confidence, type Ingester } from '../types.js';

const HEADER = ['source', 'command', 'status', 'exit'];

/** commands.tsv of a collect.sh bundle: one row per collection step (docs/bundle-format.md). */
export const collectionSteps: Ingester = {
  kind: 'collection-steps',
  description: 'collect.sh commands.tsv (what was run, exit status, timing, output file)',
  detect: (head) => (hasTsvHeader(head, HEADER) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    await eachTsvRow(source, ctx, (get, lineNo) => {
      ctx.db.insert('collection_steps', {
        input_id: ctx.inputId,
        file_id: ctx.fileId,
        locator: `line ${lineNo}`,
        source: get('source'),
        command: get('command'),
        exit_status: intOrNull(get('exit')),
        status: get('status'),
        started_at: get('start_utc'),
        ended_at: get('end_utc'),
        bytes: intOrNull(get('bytes')) ?? 0,
        output_file: get('output'),
      });
    });
  },
};
