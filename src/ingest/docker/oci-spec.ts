import { normaliseCapability } from '../../config.js';
import type { ContainerRecord } from '../containers.js';
import { pointerToken } from '../source.js';
import { arr, obj, strings } from './json.js';

/**
 * The OCI runtime spec (config.json) as ctr and crictl print it, read into the fields of the
 * container model. Facts the spec states implicitly:
 * - a namespace type absent from linux.namespaces, or present with a `path`, is not private:
 *   absent = the runtime's (host) namespace; a path = joined (e.g. /proc/1/ns/pid = host);
 * - there is no "privileged" flag: a privileged container is one with the full capability set
 *   and no masked paths;
 * - capabilities are listed in full: added/dropped ones are the difference to the runtime
 *   default set, which is the same for docker, containerd and CRI.
 */
const DEFAULT_CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID',
  'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

export type SpecFields = Pick<
  ContainerRecord,
  | 'privileged' | 'pid_mode' | 'network_mode' | 'ipc_mode' | 'uts_mode' | 'userns_mode' | 'cgroupns_mode' | 'user'
  | 'readonly_rootfs' | 'seccomp_profile' | 'apparmor_profile' | 'no_new_privileges' | 'cgroup_path' | 'command'
  | 'field_locators' | 'capabilities' | 'mounts'
>;

/** `base` is the JSON pointer of the spec object inside its file (e.g. /Spec or /info/runtimeSpec). */
export function fromOciSpec(specValue: unknown, base: string): SpecFields {
  const spec = obj(specValue);
  const process = obj(spec.process);
  const linux = obj(spec.linux);
  const namespaces = arr(linux.namespaces).map(obj);
  const nsIndex = (type: string) => namespaces.findIndex((n) => n.type === type);
  const mode = (type: string): string | null => {
    const i = nsIndex(type);
    if (i === -1) return 'host';
    const path = namespaces[i]!.path;
    if (typeof path === 'string' && path !== '') return /^\/proc\/1\/ns\//.test(path) ? 'host' : `path:${path}`;
    return null;
  };
  const caps = obj(process.capabilities);
  const effective = new Set([...strings(caps.bounding), ...strings(caps.effective)].map(normaliseCapability));
  const masked = strings(linux.maskedPaths);
  const privileged = effective.has('SYS_ADMIN') && effective.has('SYS_MODULE') && effective.has('SYS_RAWIO') && effective.has('MAC_ADMIN') && masked.length === 0;
  const capField = Array.isArray(caps.effective) ? 'effective' : 'bounding';
  const capList = strings(caps[capField]).map(normaliseCapability);
  const user = obj(process.user);
  const seccomp = linux.seccomp;
  const root = obj(spec.root);
  const nsLocator = (type: string) => (nsIndex(type) === -1 ? `${base}/linux/namespaces` : `${base}/linux/namespaces/${nsIndex(type)}`);
  return {
    privileged,
    pid_mode: mode('pid'),
    network_mode: mode('network'),
    ipc_mode: mode('ipc'),
    uts_mode: mode('uts'),
    userns_mode: nsIndex('user') === -1 ? null : 'private',
    cgroupns_mode: nsIndex('cgroup') === -1 ? 'host' : 'private',
    user: typeof user.uid === 'number' ? String(user.uid) : '',
    readonly_rootfs: root.readonly === true,
    seccomp_profile: seccomp === undefined || seccomp === null ? 'unconfined' : 'runtime/default',
    apparmor_profile: typeof process.apparmorProfile === 'string' && process.apparmorProfile !== '' ? process.apparmorProfile : null,
    no_new_privileges: process.noNewPrivileges === true,
    cgroup_path: typeof linux.cgroupsPath === 'string' && linux.cgroupsPath !== '' ? linux.cgroupsPath : null,
    command: strings(process.args),
    field_locators: {
      privileged: `${base}/process/capabilities/${capField}`,
      pid_mode: nsLocator('pid'),
      network_mode: nsLocator('network'),
      ipc_mode: nsLocator('ipc'),
      uts_mode: nsLocator('uts'),
      user: `${base}/process/user`,
      readonly_rootfs: `${base}/root`,
      seccomp_profile: `${base}/linux${seccomp === undefined ? '' : '/seccomp'}`,
      apparmor_profile: `${base}/process`,
      no_new_privileges: `${base}/process`,
      command: `${base}/process/args`,
    },
    capabilities: privileged
      ? []
      : [
          ...capList.flatMap((cap, i) => (DEFAULT_CAPABILITIES.includes(cap) ? [] : [{ capability: cap, action: 'add' as const, locator: `${base}/process/capabilities/${capField}/${i}` }])),
          ...DEFAULT_CAPABILITIES.filter((cap) => !capList.includes(cap)).map((cap) => ({ capability: cap, action: 'drop' as const, locator: `${base}/process/capabilities/${capField}` })),
        ],
    mounts: arr(spec.mounts).map(obj).flatMap((m, i) => {
      const options = strings(m.options);
      const bind = m.type === 'bind' || options.includes('bind') || options.includes('rbind');
      if (!bind) return [];
      return [{
        type: 'bind',
        source: typeof m.source === 'string' ? m.source : null,
        destination: typeof m.destination === 'string' ? m.destination : null,
        read_only: options.includes('ro'),
        propagation: options.find((o) => /^r?(shared|slave|private)$/.test(o)) ?? null,
        volume_name: null,
        locator: `${base}/mounts/${pointerToken(i)}`,
      }];
    }),
  };
}
