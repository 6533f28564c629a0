/**
 * Command patterns for image history steps (`docker history --no-trunc` CreatedBy, image config
 * history) and container commands (entrypoint / cmd / args, live process args). Kept here as
 * data, in one place: image.suspicious-history, container.suspicious-command,
 * image.tooling-install and k8s.workload.persistence read this file.
 *
 * Each pattern: a stable id (shown in findings), a category, a case-insensitive regular
 * expression over the whole command text, and the ATT&CK technique it points to. `container`
 * patterns describe what a running container's command should never be (MALICIOUS there);
 * `history` patterns are what an image review flags (SUSPICIOUS in a build step, where package
 * installs and chmod are sometimes legitimate).
 *
 * Adding a pattern: add an entry, then a hit and a miss in the cases of a rule that uses it.
 */
export interface CommandPattern {
  id: string;
  category: 'download-execute' | 'reverse-shell' | 'miner' | 'network-tool' | 'decode-execute' | 'ssh-key' | 'permissions' | 'tool-install';
  description: string;
  regex: RegExp;
  attack: string[];
  /** Where the pattern applies. */
  scope: ('history' | 'container')[];
}

const FETCH = String.raw`(?:curl|wget|fetch|busybox\s+wget|python[23]?\s+-c\s+\S*urllib)`;
const SHELL = String.raw`(?:sh|bash|dash|ash|zsh|ksh|busybox\s+sh|python[23]?|perl|ruby|php|node)`;

export const COMMAND_PATTERNS: readonly CommandPattern[] = [
  {
    id: 'download-pipe-shell',
    category: 'download-execute',
    description: 'downloads a script and pipes it into an interpreter',
    regex: new RegExp(String.raw`\b${FETCH}\b[^|;&]*\|\s*(?:sudo\s+)?(?:/\S*/)?${SHELL}\b`, 'i'),
    attack: ['T1059', 'T1105'],
    scope: ['history', 'container'],
  },
  {
    id: 'download-then-execute',
    category: 'download-execute',
    description: 'downloads a file, then makes it executable or runs it',
    regex: new RegExp(String.raw`\b${FETCH}\b[^;|]*?(?:-o|-O|--output(?:-document)?)\s*(\S+).*?(?:&&|;|\|\|)\s*(?:chmod\s+[+0-7]*x?\S*\s+\1|(?:sh|bash|\.)\s+\1|\1\b)`, 'i'),
    attack: ['T1059', 'T1105'],
    scope: ['history', 'container'],
  },
  {
    id: 'reverse-shell-nc',
    category: 'reverse-shell',
    description: 'netcat/ncat with -e or -c (spawns a shell for the remote end)',
    regex: /\b(?:nc|ncat|netcat)\b[^;|&]*\s-(?:e|c)\s*\S+/i,
    attack: ['T1059'],
    scope: ['history', 'container'],
  },
  {
    id: 'reverse-shell-dev-tcp',
    category: 'reverse-shell',
    description: 'shell redirected to /dev/tcp (bash reverse shell)',
    regex: /\/dev\/(?:tcp|udp)\/[^/\s]+\/\d+/i,
    attack: ['T1059'],
    scope: ['history', 'container'],
  },
  {
    id: 'reverse-shell-socat',
    category: 'reverse-shell',
    description: 'socat connecting a shell (exec:/system:) to the network',
    regex: /\bsocat\b.*\b(?:exec|system):/i,
    attack: ['T1059'],
    scope: ['history', 'container'],
  },
  {
    id: 'reverse-shell-interpreter',
    category: 'reverse-shell',
    description: 'python/perl/php/ruby one-liner connecting a socket to a shell',
    regex: /\b(?:python[23]?|perl|php|ruby)\b.*\bsocket\b.*(?:\/bin\/(?:ba)?sh|pty\.spawn|dup2|exec)/i,
    attack: ['T1059'],
    scope: ['history', 'container'],
  },
  {
    id: 'miner',
    category: 'miner',
    description: 'cryptocurrency miner binary or mining pool URL',
    regex: /\b(?:xmrig|xmr-stak|minerd|cpuminer|cgminer|bfgminer|ethminer|nbminer|t-rex|lolminer|phoenixminer|kdevtmpfsi|kinsing)\b|stratum\+(?:tcp|ssl|tls):\/\/|--donate-level|\bnicehash\b|\b(?:supportxmr|minexmr|nanopool|2miners|moneroocean)\b/i,
    attack: ['T1496'],
    scope: ['history', 'container'],
  },
  {
    id: 'network-tool',
    category: 'network-tool',
    description: 'netcat, socat or nmap invoked or installed',
    regex: /(?:^|[\s;&|/(])(?:nc|ncat|netcat|socat|nmap|masscan|zmap)(?:\s|$)/i,
    attack: ['T1046', 'T1059'],
    scope: ['history'],
  },
  {
    id: 'base64-decode-execute',
    category: 'decode-execute',
    description: 'base64 (or similar) decoded and executed',
    regex: new RegExp(String.raw`\b(?:base64\s+(?:-d|--decode|-D)|openssl\s+(?:base64|enc)\s+[^|]*-d|xxd\s+-r)\b[^|;]*\|\s*(?:sudo\s+)?(?:/\S*/)?${SHELL}\b|\beval\b[^;]*\b(?:base64|b64decode)|exec\(\s*(?:base64\.)?b64decode`, 'i'),
    attack: ['T1140', 'T1059'],
    scope: ['history', 'container'],
  },
  {
    id: 'base64-decode',
    category: 'decode-execute',
    description: 'base64 data decoded during the build (hidden content)',
    regex: /\bbase64\s+(?:-d|--decode|-D)\b/i,
    attack: ['T1140'],
    scope: ['history'],
  },
  {
    id: 'ssh-authorized-key',
    category: 'ssh-key',
    description: 'an SSH key written into authorized_keys (a backdoor login)',
    regex: /authorized_keys|\bssh-(?:rsa|ed25519|dss)\s+AAAA|\becdsa-sha2-nistp\d+\s+AAAA/i,
    attack: ['T1098.004'],
    scope: ['history', 'container'],
  },
  {
    id: 'chmod-world-writable',
    category: 'permissions',
    description: 'chmod 777 / o+w (world-writable files or directories)',
    regex: /\bchmod\s+(?:-R\s+)?(?:0?777|[0-7]?[0-7][0-7][2367]\b|(?:a|o)\+w)/i,
    attack: ['T1222.002'],
    scope: ['history'],
  },
  {
    id: 'chmod-setuid',
    category: 'permissions',
    description: 'chmod setting the setuid/setgid bit (4755, u+s, g+s)',
    regex: /\bchmod\s+(?:-R\s+)?(?:[2467][0-7]{3}\b|[ug]*\+s)/i,
    attack: ['T1548.001'],
    scope: ['history'],
  },
  {
    id: 'package-install-tooling',
    category: 'tool-install',
    description: 'a package manager installing attack or build tooling',
    regex: /\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper|pacman|pip3?|gem|npm)\s+(?:-\S+\s+)*(?:install|add|-S)\b[^;&|]*?\b(curl|wget|netcat(?:-\S+)?|nc|ncat|nmap|socat|python[23]?(?:-minimal)?|gcc|g\+\+|make|clang|openssh(?:-client|-server)?|ssh|tcpdump|masscan|gdb|strace)(?=\s|$|;|&|\|)/i,
    attack: ['T1525'],
    scope: ['history'],
  },
];

/** Binaries that, when they appear in an image layer, mean network / build tooling was added. */
export const TOOLING_BINARIES: readonly string[] = ['curl', 'wget', 'nc', 'ncat', 'netcat', 'nmap', 'socat', 'python', 'python2', 'python3', 'gcc', 'cc', 'ssh', 'sshd', 'tcpdump', 'masscan'];

/** Image labels / names whose purpose needs such tooling (a build or debug image). */
export const TOOLING_PURPOSE = /\b(?:build(?:er)?|sdk|devel?|toolbox|debug|netshoot|ci|jenkins|gitlab-runner|python|gcc|golang|node|ruby|php|curl|wget|alpine\/git)\b/i;

export function matchPatterns(text: string, scope: 'history' | 'container'): CommandPattern[] {
  return COMMAND_PATTERNS.filter((p) => p.scope.includes(scope) && p.regex.test(text));
}

/** Categories whose match makes a command the attack itself, not merely risky tooling. */
const HOSTILE_CATEGORIES: ReadonlySet<CommandPattern['category']> = new Set(['download-execute', 'reverse-shell', 'miner', 'decode-execute', 'ssh-key']);

/** The patterns named by a comma list of ids (as stored in k8s_container_execs.hostile_patterns). */
export function patternsByIds(ids: string): CommandPattern[] {
  return ids.split(',').flatMap((id) => COMMAND_PATTERNS.filter((p) => p.id === id));
}

/** The patterns that make a command run in a container hostile (download-and-run, reverse shell, miner, decode-and-run, SSH key planting). */
export function hostilePatterns(command: string): CommandPattern[] {
  return matchPatterns(command, 'container').filter((p) => HOSTILE_CATEGORIES.has(p.category));
}
