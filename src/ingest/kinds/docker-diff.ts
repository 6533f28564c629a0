import { idFromPath } from '../docker/image-ref.js';
import { Confidence, type Ingester } from '../types.js';

const LINE = /^([ACD]) (\/.*)$/;

/** `docker diff <container>`: `A|C|D <path>` per line; the container id comes from the path. */
export const dockerDiff: Ingester = {
  kind: 'docker-diff',
  description: 'docker diff (A/C/D + path per line)',
  detect(head) {
    const lines = head.trimmed.split('\n').filter((l) => l !== '');
    if (!head.complete) lines.pop();
    if (lines.length === 0) return Confidence.NONE;
    if (!lines.every((l) => LINE.test(l))) return Confidence.NONE;
    return head.name === 'diff.txt' || lines.length >= 3 ? Confidence.CERTAIN : Confidence.PLAUSIBLE;
  },
  async ingest(source, ctx) {
    const containerId = idFromPath(ctx.path, 'containers');
    const batch = ctx.db.batch('insert into container_diffs (file_id, locator, container_id, change, path) values (?,?,?,?,?)');
    let bad = 0;
    await source.eachLine((line, lineNo) => {
      if (line === '') return;
      const m = LINE.exec(line);
      if (!m) return void bad++;
      batch.add([ctx.fileId, `line ${lineNo}`, containerId, m[1]!, m[2]!]);
    });
    batch.flush();
    if (bad > 0) ctx.problem('parse-error', 'line(s) not in docker diff format', undefined, bad);
    if (!containerId) ctx.problem('no-subject', 'docker diff output outside containers/<id>/: the container it belongs to is unknown');
  },
};
