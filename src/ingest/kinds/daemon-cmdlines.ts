import { parseDaemonArgs } from '../docker/daemon-settings.js';
import { Confidence, type Ingester } from '../types.js';
import { eachTsvRow, hasTsvHeader, headRows, intOrNull } from '../tsv.js';

/**
 * host/daemon-cmdlines.tsv (`pid comm args`) and docker/dockerd-cmdline.tsv (`pid args`): the
 * command lines of container daemons; dockerd/containerd flags become daemon_settings rows.
 */
export const daemonCmdlines: Ingester = {
  kind: 'daemon-cmdlines',
  description: 'collect.sh daemon command lines (host/daemon-cmdlines.tsv, docker/dockerd-cmdline.tsv)',
  detect(head) {
    if (hasTsvHeader(head, ['pid', 'comm', 'args'])) return Confidence.CERTAIN;
    // `pid args` is also the control-plane cmdline format: only claim dockerd / containerd ones.
    if (!hasTsvHeader(head, ['pid', 'args']) || head.firstLine.split('\t').length !== 2) return Confidence.NONE;
    const programs = headRows(head).map((r) => (r[1] ?? '').split(' ')[0]!.replace(/^.*\//, ''));
    if (programs.length > 0 && programs.every((p) => /^(dockerd|containerd)$/.test(p))) return Confidence.CERTAIN;
    return programs.length === 0 && head.name === 'dockerd-cmdline.tsv' ? Confidence.PLAUSIBLE : Confidence.NONE;
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
