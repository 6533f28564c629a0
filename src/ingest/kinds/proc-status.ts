import { Confidence, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, intOrNull } from '../tsv.js';

const HEADER = ['pid', 'name', 'uid', 'gid', 'cap_eff', 'cap_prm', 'cap_bnd', 'seccomp', 'no_new_privs'];

/** host/proc-status.tsv: uids, capability masks and seccomp mode of every process. */
export const procStatus: Ingester = {
  kind: 'proc-status',
  description: 'collect.sh host/proc-status.tsv (uids, capabilities, seccomp, no_new_privs per process)',
  detect: (head) => (hasTsvHeader(head, HEADER) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    const batch = ctx.db.batch(
      'insert into proc_status (file_id, locator, pid, name, uid, euid, cap_eff, cap_prm, cap_bnd, seccomp, no_new_privs) values (?,?,?,?,?,?,?,?,?,?,?)',
    );
    await eachTsvRow(source, ctx, (get, lineNo) => {
      const pid = intOrNull(get('pid'));
      if (pid === null) return ctx.problem('parse-error', 'row without a numeric pid', `line ${lineNo}`);
      const uid = get('uid');
      batch.add([ctx.fileId, `line ${lineNo}`, pid, get('name'), uid, intOrNull(uid?.split(',')[1] ?? null), get('cap_eff'), get('cap_prm'), get('cap_bnd'), intOrNull(get('seccomp')), intOrNull(get('no_new_privs'))]);
    });
    batch.flush();
  },
};
