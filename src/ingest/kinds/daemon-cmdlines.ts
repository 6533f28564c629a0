import { parseDaemonArgs } from '../daemon-settings.js';
import { Confidence, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, intOrNull } from '../tsv.js';

/**
 * host/daemon-cmdlines.tsv (`pid comm args`) and docker/dockerd-cmdline.tsv (`pid args`): the
 * command lines of container daemons; dockerd/containerd flags become daemon_settings rows.
 */
export const daemonCmdlines: Ingester = {
  kind: 'daemon-cmdlines',
  description: 'collect.sh daemon command lines (host/daemon-cmdlines.tsv, docker/dockerd-cmdline.tsv)',
  detect(head) {
    if (hasTsvHeader(head, ['pid', 'comm', 'args'])) return Confidence.CERTAIN;
    if (hasTsvHeader(head, ['pid', 'args']) && head.firstLine.split('\t').length === 2) return Confidence.CERTAIN;
    return Confidence.NONE;
  },
  async ingest(source, ctx) {
    await eachTsvRow(source, ctx, (get, lineNo) => {
      const locator = `line ${lineNo}`;
      const pid = intOrNull(get('pid'));
      const args = get('args') ?? '';
      const argv = args.split(' ').filter((a) => a !== '');
      const comm = get('comm') ?? (argv[0] ?? '').replace(/^.*\//, '');
      ctx.db.insert('daemon_processes', { file_id: ctx.fileId, locator, pid, comm, args });
      const daemon = /^dockerd/.test(comm) ? 'dockerd' : comm === 'containerd' ? 'containerd' : null;
      if (!daemon) return;
      for (const s of parseDaemonArgs(argv.slice(1))) {
        ctx.db.insert('daemon_settings', { file_id: ctx.fileId, locator, daemon, pid, source: 'cmdline', name: s.name, value: s.value });
      }
    });
  },
};
