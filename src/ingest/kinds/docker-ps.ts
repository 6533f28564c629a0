import { eachJsonLine, firstLineHasKeys, str } from '../jsonl.js';
import { Confidence, type Ingester } from '../types.js';

/** `docker ps -a --no-trunc --format '{{json .}}'`: one container per line. */
export const dockerPs: Ingester = {
  kind: 'docker-ps',
  description: "docker ps -a --format '{{json .}}' (JSON lines)",
  detect: (head) => (firstLineHasKeys(head, ['Names', 'Image', 'Command', 'Status']) ? Confidence.CERTAIN : Confidence.NONE),
  async ingest(source, ctx) {
    await eachJsonLine(source, ctx, (r, lineNo) => {
      const id = str(r.ID);
      if (!id) return ctx.problem('schema', 'container line without ID', `line ${lineNo}`);
      ctx.db.insert('docker_ps', {
        file_id: ctx.fileId,
        locator: `line ${lineNo}`,
        container_id: id,
        name: str(r.Names),
        image: str(r.Image),
        command: str(r.Command),
        state: str(r.State),
        status: str(r.Status),
        created_at: str(r.CreatedAt),
        mounts: str(r.Mounts),
        ports: str(r.Ports),
      });
    });
  },
};
