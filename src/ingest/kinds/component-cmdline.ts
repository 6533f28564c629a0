import { programName, recordComponent, splitCmdline } from '../control-plane/flags.js';
import { Confidence, type Ingester } from '../types.js';

/** Programs whose command line this kind is certain about (others are left to their own kinds). */
const CONTROL_PLANE = /^(kube-apiserver|etcd|kubelet|kube-controller-manager|kube-scheduler)$/;

/**
 * Above the generic daemon-cmdlines kind, which reads the same `pid	args` layout for container
 * daemons: a file that holds a control-plane component's command line is ours.
 */
const MORE_SPECIFIC = Confidence.CERTAIN + 5;

/**
 * Control-plane command lines as collect.sh records them (docs/bundle-format.md):
 * `control-plane/<kube-apiserver|etcd|kubelet>-cmdline.tsv`, `pid	args`, args being
 * /proc/<pid>/cmdline with NULs turned into spaces. Each row becomes a component instance with
 * its flags (component_instances, component_flags).
 */
export const componentCmdline: Ingester = {
  kind: 'component-cmdline',
  description: 'control-plane process command lines (kube-apiserver, etcd, kubelet: pid, args TSV)',
  detect(head) {
    if (head.firstLine.replace(/\r$/, '') !== 'pid\targs') return Confidence.NONE;
    const programs = head.text
      .split('\n')
      .slice(1, 200)
      .map((line) => programName(splitCmdline(line.slice(line.indexOf('\t') + 1))[0] ?? ''));
    if (programs.some((p) => CONTROL_PLANE.test(p))) return MORE_SPECIFIC;
    // Header only: no such process was running; the file name says whose it was.
    return programs.every((p) => p === '') && /(kube-apiserver|etcd|kubelet)-cmdline/.test(head.name) ? MORE_SPECIFIC : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const rows: { lineNo: number; fields: string[] }[] = [];
    await source.eachLine((line, lineNo) => {
      if (lineNo > 1 && line.trim() !== '') rows.push({ lineNo, fields: line.split('\t') });
    });
    ctx.db.transaction(() => {
      for (const { lineNo, fields } of rows) {
        const locator = `line ${lineNo}`;
        const [pid, args] = fields;
        if (fields.length !== 2) ctx.problem('schema', `expected pid and args, got ${fields.length} field(s)`, locator);
        // An unreadable cmdline is written '-'.
        if (args === undefined || args === '' || args === '-') continue;
        recordComponent(ctx, {
          locator,
          source: 'cmdline',
          argv: splitCmdline(args),
          argLocator: () => locator,
          pid: /^\d+$/.test(pid ?? '') ? Number(pid) : null,
        });
        ctx.progress(1);
      }
    });
  },
};
