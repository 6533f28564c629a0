import { Confidence, type Ingester } from '../types.js';

const HEADER = ['source', 'command', 'status', 'exit'];

/** commands.tsv of a collect.sh bundle: one row per collection step (docs/bundle-format.md). */
export const collectionSteps: Ingester = {
  kind: 'collection-steps',
  description: 'collect.sh commands.tsv (what was run, exit status, timing, output file)',
  detect(head) {
    const columns = head.firstLine.split('\t');
    return HEADER.every((c, i) => columns[i] === c) ? Confidence.CERTAIN : Confidence.NONE;
  },
  async ingest(source, ctx) {
    let columns: string[] = [];
    await source.eachLine((line, lineNo) => {
      const fields = line.split('\t');
      if (lineNo === 1) {
        columns = fields;
        return;
      }
      if (line.trim() === '') return;
      const get = (name: string) => {
        const i = columns.indexOf(name);
        const value = i === -1 ? undefined : fields[i];
        return value === undefined || value === '-' ? null : value;
      };
      const exit = get('exit');
      ctx.db.insert('collection_steps', {
        input_id: ctx.inputId,
        file_id: ctx.fileId,
        locator: `line ${lineNo}`,
        source: get('source'),
        command: get('command'),
        exit_status: exit !== null && /^-?\d+$/.test(exit) ? Number(exit) : null,
        status: get('status'),
        started_at: get('start_utc'),
        ended_at: get('end_utc'),
        bytes: Number(get('bytes') ?? 0) || 0,
        output_file: get('output'),
      });
    });
  },
};
