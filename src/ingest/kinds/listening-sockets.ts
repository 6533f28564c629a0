import { Confidence, type Ingester } from '../types.js';

/**
 * host/listening.txt: `ss -tlnp` or `netstat -tlnp` as printed. Columns differ between the two
 * (and between ss versions): find the local address by position after the header.
 */
export const listeningSockets: Ingester = {
  kind: 'listening-sockets',
  description: 'listening sockets (ss -tlnp / netstat -tlnp output)',
  detect(head) {
    const first = head.firstLine;
    if (/^State\s+Recv-Q\s+Send-Q\s+Local Address:Port\s+Peer Address:Port/.test(first)) return Confidence.CERTAIN;
    if (/^Netid\s+State\s+Recv-Q\s+Send-Q\s+Local Address:Port/.test(first)) return Confidence.CERTAIN;
    if (/^Active Internet connections/.test(first) && /Proto\s+Recv-Q\s+Send-Q\s+Local Address/.test(head.text)) return Confidence.CERTAIN;
    return Confidence.NONE;
  },
  async ingest(source, ctx) {
    let format: 'ss' | 'ss-netid' | 'netstat' | null = null;
    await source.eachLine((line, lineNo) => {
      if (/^State\s+Recv-Q/.test(line)) return void (format = 'ss');
      if (/^Netid\s+State/.test(line)) return void (format = 'ss-netid');
      if (/^Proto\s+Recv-Q/.test(line)) return void (format = 'netstat');
      if (!format || line.trim() === '' || /^Active /.test(line)) return;
      const f = line.trim().split(/\s+/);
      let proto = 'tcp';
      let local: string | undefined;
      let state: string | undefined;
      if (format === 'ss') [state, , , local] = f;
      else if (format === 'ss-netid') [proto = 'tcp', state, , , local] = f as [string, string, string, string, string];
      else {
        proto = f[0] ?? 'tcp';
        local = f[3];
        state = f[5];
      }
      if (!local || (state && !/^LISTEN/.test(state) && format !== 'netstat')) return;
      if (format === 'netstat' && state !== 'LISTEN') return;
      const at = local.lastIndexOf(':');
      const address = local.slice(0, at).replace(/%\S+$/, '');
      const port = Number(local.slice(at + 1));
      const rest = f.slice(format === 'netstat' ? 6 : format === 'ss' ? 5 : 6).join(' ');
      // ss: users:(("dockerd",pid=812,fd=9)); netstat: 812/dockerd
      const ssProc = /\(\("([^"]*)",pid=(\d+)/.exec(rest);
      const nsProc = /(\d+)\/(\S+)/.exec(rest);
      ctx.db.insert('listening_sockets', {
        file_id: ctx.fileId,
        locator: `line ${lineNo}`,
        proto,
        local_address: address,
        port: Number.isFinite(port) ? port : null,
        process: ssProc?.[1] ?? nsProc?.[2] ?? null,
        pid: ssProc ? Number(ssProc[2]) : nsProc ? Number(nsProc[1]) : null,
      });
    });
  },
};
