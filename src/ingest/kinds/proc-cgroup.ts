import { containerFromCgroupPath } from '../docker/cgroup-path.js';
import { Confidence, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, intOrNull } from '../tsv.js';

const HEADER = ['pid', 'line'];

/** host/proc-cgroup.tsv: every line of /proc/<pid>/cgroup, mapped to the container it names. */
export const procCgroup: Ingester = {
  kind: 'proc-cgroup',
  description: 'collect.sh host/proc-cgroup.tsv (cgroup membership of every process)',
  detect: (head) => (hasTsvHeader(head, HEADER) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    const batch = ctx.db.batch(
      'insert into proc_cgroup (file_id, locator, pid, hierarchy, controllers, path, container_id, pod_uid) values (?,?,?,?,?,?,?,?)',
    );
    await eachTsvRow(source, ctx, (get, lineNo) => {
      const pid = intOrNull(get('pid'));
      const line = get('line');
      // "4:memory:/docker/<id>" — the path itself may contain ':'.
      const match = line ? /^(\d+):([^:]*):(.*)$/.exec(line) : null;
      if (pid === null || !match) return ctx.problem('parse-error', 'not a /proc/<pid>/cgroup line', `line ${lineNo}`);
      const path = match[3]!;
      const owner = containerFromCgroupPath(path);
      batch.add([ctx.fileId, `line ${lineNo}`, pid, match[1]!, match[2]!, path, owner.containerId, owner.podUid]);
    });
    batch.flush();
  },
};
