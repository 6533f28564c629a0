import { baseName, commandLine } from './normalise.js';

/**
 * How runtime events map to the finding severities (docs: rule catalog, group runtime), done at
 * ingest so that the timeline and every rule read the same verdict from runtime_events.severity.
 */
export type RuntimeSeverity = 'INFO' | 'SUSPICIOUS' | 'MALICIOUS';

/** Falco priority → severity: Emergency/Alert/Critical → MALICIOUS, Error/Warning → SUSPICIOUS, lower → INFO. */
export function falcoSeverity(priority: string | null | undefined): RuntimeSeverity {
  switch ((priority ?? '').toLowerCase()) {
    case 'emergency':
    case 'alert':
    case 'critical':
      return 'MALICIOUS';
    case 'error':
    case 'warning':
    case 'warn':
      return 'SUSPICIOUS';
    default:
      return 'INFO';
  }
}

const TRACEE_SEVERITY_NAMES: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Tracee signature severity (0 info, 1 low, 2 medium, 3 high, 4 critical; number or name) as a number. */
export function traceeSeverityLevel(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value);
    const named = TRACEE_SEVERITY_NAMES[value.toLowerCase()];
    if (named !== undefined) return named;
  }
  return null;
}

/** Tracee signature severity → finding severity: 3-4 MALICIOUS, 1-2 SUSPICIOUS, 0 INFO; unknown → SUSPICIOUS (a signature fired). */
export function traceeSeverity(level: number | null): RuntimeSeverity {
  if (level === null) return 'SUSPICIOUS';
  if (level >= 3) return 'MALICIOUS';
  return level >= 1 ? 'SUSPICIOUS' : 'INFO';
}

const MITRE_TACTICS: Record<string, string> = {
  reconnaissance: 'TA0043',
  resource_development: 'TA0042',
  initial_access: 'TA0001',
  execution: 'TA0002',
  persistence: 'TA0003',
  privilege_escalation: 'TA0004',
  defense_evasion: 'TA0005',
  credential_access: 'TA0006',
  discovery: 'TA0007',
  lateral_movement: 'TA0008',
  collection: 'TA0009',
  command_and_control: 'TA0011',
  exfiltration: 'TA0010',
  impact: 'TA0040',
};

/**
 * ATT&CK ids from Falco rule tags: technique tags (`T1059`, `T1059.004`) as they are, tactic tags
 * (`mitre_execution`, `TA0002`) as tactic ids. Other tags (container, shell, maturity_stable) are dropped.
 */
export function attackFromTags(tags: readonly string[] | null | undefined): string[] {
  const ids: string[] = [];
  for (const tag of tags ?? []) {
    const t = tag.trim();
    let id: string | undefined;
    if (/^T\d{4}(\.\d{3})?$/i.test(t) || /^TA\d{4}$/i.test(t)) id = t.toUpperCase();
    else if (/^mitre_/i.test(t)) id = MITRE_TACTICS[t.slice(6).toLowerCase()];
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export interface Indicator {
  /** shell | network-tool | escape-tool | sensitive-file | sensitive-syscall | kernel-integrity | enforcement */
  indicator: string;
  /** The value that matched, for the finding's reason. */
  detail: string;
  attack: string[];
  /** True when the indicator matters on the host too (not only inside a container). */
  anywhere?: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish']);
// Falco's network_tool_binaries and remote file copy tools, plus the usual scanners.
const NETWORK_TOOLS = new Set([
  'nc', 'ncat', 'netcat', 'nmap', 'masscan', 'zmap', 'socat', 'telnet', 'dig', 'tcpdump', 'tshark', 'ngrep',
  'mitmproxy', 'curl', 'wget', 'tftp', 'ftp', 'scp', 'sftp', 'ssh', 'rsync',
]);
// Tools that talk to the container runtime or the kernel's isolation from inside a container.
const ESCAPE_TOOLS = new Set([
  'nsenter', 'unshare', 'chroot', 'mount', 'insmod', 'modprobe', 'docker', 'ctr', 'crictl', 'nerdctl', 'podman',
  'kubectl', 'runc', 'capsh', 'setcap', 'debugfs',
]);

const SENSITIVE_PATHS: { test: RegExp; label: string; attack: string[] }[] = [
  { test: /^\/etc\/(g?shadow|sudoers)(\.d\/|$)/, label: 'credential store', attack: ['T1003.008'] },
  { test: /^\/(root|home\/[^/]+)\/\.ssh\/|^\/etc\/ssh\/ssh_host_/, label: 'SSH keys', attack: ['T1552.004'] },
  { test: /^\/(var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\//, label: 'service account token', attack: ['T1528'] },
  { test: /^\/etc\/kubernetes\/|^\/var\/lib\/kubelet\/(pki|pods)\//, label: 'Kubernetes credentials', attack: ['T1552.001'] },
  { test: /(^|\/)(docker|containerd|crio|cri-dockerd|podman)\.sock$/, label: 'container runtime socket', attack: ['T1552.007', 'T1611'] },
  { test: /^\/proc\/sys\/kernel\/(core_pattern|modprobe)$|\/release_agent$|^\/sys\/kernel\/uevent_helper$/, label: 'host escape knob', attack: ['T1611'] },
  { test: /^\/etc\/(crontab|cron\.[^/]+)(\/|$)|^\/var\/spool\/cron\//, label: 'cron', attack: ['T1053.003'] },
  { test: /^\/etc\/ld\.so\.preload$/, label: 'dynamic linker preload', attack: ['T1574.006'] },
];

const SENSITIVE_HOOKS: Record<string, { label: string; attack: string[]; anywhere?: boolean }> = {
  setns: { label: 'namespace switch', attack: ['T1611'] },
  unshare: { label: 'new namespaces', attack: ['T1611'] },
  mount: { label: 'mount', attack: ['T1611'] },
  security_sb_mount: { label: 'mount', attack: ['T1611'] },
  pivot_root: { label: 'pivot_root', attack: ['T1611'] },
  open_by_handle_at: { label: 'open_by_handle_at (host file access)', attack: ['T1611'] },
  init_module: { label: 'kernel module load', attack: ['T1547.006', 'T1611'] },
  finit_module: { label: 'kernel module load', attack: ['T1547.006', 'T1611'] },
  do_init_module: { label: 'kernel module load', attack: ['T1547.006', 'T1611'] },
  module_load: { label: 'kernel module load', attack: ['T1547.006', 'T1611'] },
  kexec_load: { label: 'kexec', attack: ['T1611'] },
  kexec_file_load: { label: 'kexec', attack: ['T1611'] },
  bpf: { label: 'BPF program load', attack: ['T1611'] },
  security_bpf_prog: { label: 'BPF program load', attack: ['T1611'] },
  call_usermode_helper: { label: 'kernel usermode helper', attack: ['T1611'] },
  ptrace: { label: 'ptrace', attack: ['T1055.008'] },
  process_vm_writev: { label: 'process memory write', attack: ['T1055'] },
  memfd_create: { label: 'fileless executable (memfd)', attack: ['T1620'] },
  hooked_syscall: { label: 'hooked syscall table', attack: ['T1014'], anywhere: true },
  hooked_syscalls: { label: 'hooked syscall table', attack: ['T1014'], anywhere: true },
  hidden_kernel_module: { label: 'hidden kernel module', attack: ['T1014'], anywhere: true },
  ftrace_hook: { label: 'ftrace hook', attack: ['T1014'], anywhere: true },
  hooked_proc_fops: { label: 'hooked /proc file operations', attack: ['T1014'], anywhere: true },
  hooked_seq_ops: { label: 'hooked seq_ops', attack: ['T1014'], anywhere: true },
  dirty_pipe_splice: { label: 'Dirty Pipe exploit pattern', attack: ['T1068'], anywhere: true },
};

/** `__x64_sys_setns`, `sys_enter_setns`, `syscalls/sys_enter_setns`, `ksys_mount` → `setns` / `mount`. */
export function normaliseHook(hook: string | null | undefined): string {
  if (!hook) return '';
  let h = hook.toLowerCase();
  const slash = h.lastIndexOf('/');
  if (slash !== -1) h = h.slice(slash + 1);
  return h.replace(/^__(x64|ia32|x32|arm64|s390x|riscv)_sys_/, '').replace(/^(sys_(enter_|exit_)?|ksys_|__sys_)/, '');
}

export function sensitivePath(path: string | null | undefined): { label: string; attack: string[] } | null {
  if (!path) return null;
  for (const p of SENSITIVE_PATHS) if (p.test.test(path)) return { label: p.label, attack: p.attack };
  return null;
}

export interface Activity {
  process: string | null;
  arguments: string | null;
  filePath: string | null;
  /** Syscall / kernel function / event name. */
  hook: string | null;
  /** Only process starts count for process-name indicators (not exits, not every syscall). */
  isExec: boolean;
}

/**
 * What makes a Tetragon or Tracee event worth a look: the most telling of a sensitive syscall or
 * kernel hook, an escape or runtime tool, a sensitive file, a network tool, a shell.
 */
export function classifyActivity(a: Activity): Indicator | null {
  const hook = SENSITIVE_HOOKS[normaliseHook(a.hook)];
  if (hook) return { indicator: hook.anywhere ? 'kernel-integrity' : 'sensitive-syscall', detail: `${a.hook} (${hook.label})`, attack: hook.attack, anywhere: hook.anywhere };
  const file = sensitivePath(a.filePath);
  let name = baseName(a.process);
  if (a.isExec) {
    if (name === 'busybox' && a.arguments) name = a.arguments.trim().split(/\s+/)[0] ?? name;
    if (ESCAPE_TOOLS.has(name)) return byCommand(a, 'escape-tool', ['T1611']);
  }
  if (file) return { indicator: 'sensitive-file', detail: `${a.filePath} (${file.label})`, attack: file.attack };
  if (a.isExec) {
    for (const arg of a.arguments?.split(/\s+/) ?? []) {
      const argFile = sensitivePath(arg);
      if (argFile) return { indicator: 'sensitive-file', detail: `${arg} (${argFile.label}) in the command line`, attack: argFile.attack };
    }
    if (NETWORK_TOOLS.has(name)) return byCommand(a, 'network-tool', ['T1105']);
    if (SHELLS.has(name)) return byCommand(a, 'shell', ['T1059.004']);
  }
  return null;
}

/** An indicator found in the program run: its command line is the detail. */
function byCommand(a: Activity, indicator: string, attack: string[]): Indicator {
  return { indicator, detail: commandLine(a.process, a.arguments).trim(), attack };
}
