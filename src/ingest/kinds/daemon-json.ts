import { daemonJsonSettings } from '../docker/daemon-settings.js';
import { Confidence, type Ingester } from '../types.js';

/** Keys only dockerd's daemon.json has (a few are enough to be sure). */
const KEYS = ['hosts', 'tlsverify', 'tlscacert', 'insecure-registries', 'registry-mirrors', 'userns-remap', 'live-restore', 'icc', 'log-driver', 'storage-driver', 'data-root', 'experimental', 'default-runtime', 'runtimes', 'exec-opts', 'cgroup-parent', 'iptables', 'bip', 'dns', 'no-new-privileges', 'seccomp-profile', 'authorization-plugins'];

/** /etc/docker/daemon.json (docker/daemon.json in a bundle). */
export const daemonJson: Ingester = {
  kind: 'daemon-json',
  description: 'dockerd configuration file (daemon.json)',
  detect(head) {
    const whole = head.wholeValue;
    if (typeof whole !== 'object' || whole === null || Array.isArray(whole)) return head.name === 'daemon.json' ? Confidence.NAME_ONLY : Confidence.NONE;
    const keys = Object.keys(whole);
    const known = keys.filter((k) => KEYS.includes(k)).length;
    if (known >= 2 || (known >= 1 && head.name === 'daemon.json')) return Confidence.CERTAIN;
    if (head.name === 'daemon.json') return Confidence.PLAUSIBLE;
    return known === 1 && keys.length === 1 ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const text = await source.text(4 * 1024 * 1024);
    if (text === undefined) return ctx.problem('oversize', 'daemon.json larger than 4 MiB ignored');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      return ctx.problem('parse-error', `daemon.json is not valid JSON (dockerd would refuse to start with it): ${(error as Error).message}`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) return ctx.problem('schema', 'daemon.json is not a JSON object');
    for (const s of daemonJsonSettings(document as Record<string, unknown>)) {
      ctx.db.insert('daemon_settings', { file_id: ctx.fileId, locator: s.pointer, daemon: 'dockerd', pid: null, source: 'daemon.json', name: s.name, value: s.value });
    }
  },
};
