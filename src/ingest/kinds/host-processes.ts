import { Confidence, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, intOrNull } from '../tsv.js';

const HEADER = ['pid', 'ppid', 'uid', 'user', 'start_epoch', 'start_utc', 'state', 'comm', 'args'];

/** host/processes.tsv: one row per process, from /proc (docs/bundle-format.md). */
export const hostProcesses: Ingester = {
  kind: 'host-processes',
  description: 'collect.sh host/processes.tsv (pid, ppid, uid, start time, comm, args)',
  detect: (head) => (hasTsvHeader(head, HEADER) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    const batch = ctx.db.batch(
      'insert into host_processes (file_id, locator, pid, ppid, uid, user, start_epoch, start_utc, state, comm, args) values (?,?,?,?,?,?,?,?,?,?,?)',
    );
    await eachTsvRow(source, ctx, (get, lineNo) => {
      const pid = intOrNull(get('pid'));
      if (pid === null) return ctx.problem('parse-error', 'row without a numeric pid', `line ${lineNo}`);
      batch.add([ctx.fileId, `line ${lineNo}`, pid, intOrNull(get('ppid')), intOrNull(get('uid')), get('user'), intOrNull(get('start_epoch')), get('start_utc'), get('state'), get('comm'), get('args') ?? '']);
      ctx.progress(1);
    });
    batch.flush();
  },
};
