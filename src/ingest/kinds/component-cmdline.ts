import { componentName, programName, recordComponent, splitCmdline } from '../control-plane/flags.js';
import { Confidence, type Ingester } from '../types.js';

/** Programs whose command line this kind is certain about (others are left to their own kinds). */
const CONTROL_PLANE = /^(kube-apiserver|etcd|kubelet|kube-controller-manager|kube-scheduler)$/;

/**
 * Process command lines as collect.sh records them (docs/bundle-format.md): the control-plane
 * files `control-plane/<daemon>-cmdline.tsv` (`pid	args`) and `host/daemon-cmdlines.tsv`
 * (`pid	comm	args`), args being /proc/<pid>/cmdline with NULs turned into spaces. Each row
 * becomes a component instance with its flags (component_instances, component_flags).
 */
export const componentCmdline: Ingester = {
  kind: 'component-cmdline',
  description: 'process command lines of control-plane components and daemons (pid, [comm,] args TSV)',
  detect(head) {
    const header = head.firstLine.replace(/\r$/, '');
    if (header !== 'pid\targs' && header !== 'pid\tcomm\targs') return Confidence.NONE;
    const rows = head.text.split('\n').slice(1, 200);
    const programs = rows.map((line) => {
      const fields = line.split('\t');
      return programName(splitCmdline(fields[fields.length - 1] ?? '')[0] ?? '');
    });
    if (programs.some((p) => CONTROL_PLANE.test(p))) return Confidence.CERTAIN;
    // A header-only file (no such process), or another daemon's: ours unless a more specific kind wants it.
    return /(kube-apiserver|etcd|kubelet)-cmdline/.test(head.name) ? Confidence.CERTAIN : Confidence.PLAUSIBLE;
  },
  async ingest(source, ctx) {
    let columns: string[] = [];
    const rows: { lineNo: number; fields: string[] }[] = [];
    await source.eachLine((line, lineNo) => {
      if (lineNo === 1) {
        columns = line.split('\t');
        return;
      }
      if (line.trim() !== '') rows.push({ lineNo, fields: line.split('\t') });
    });
    const pidAt = columns.indexOf('pid');
    const commAt = columns.indexOf('comm');
    const argsAt = columns.indexOf('args');
    ctx.db.transaction(() => {
      for (const { lineNo, fields } of rows) {
        const locator = `line ${lineNo}`;
        const args = fields[argsAt] ?? '';
        if (fields.length !== columns.length || args === '' || args === '-') {
          // Kernel threads have no cmdline; an unreadable one is written '-'.
          if (fields.length !== columns.length) ctx.problem('schema', `expected ${columns.length} tab-separated fields, got ${fields.length}`, locator);
          continue;
        }
        const argv = splitCmdline(args);
        const comm = commAt === -1 ? null : (fields[commAt] ?? null);
        const pid = /^\d+$/.test(fields[pidAt] ?? '') ? Number(fields[pidAt]) : null;
        recordComponent(ctx, {
          locator,
          source: 'cmdline',
          argv,
          argLocator: () => locator,
          component: componentName(programName(argv[0] ?? ''), comm),
          pid,
        });
        ctx.progress(1);
      }
    });
  },
};
