import { defineRule, type EvidenceRef, type FindingRow } from '../../src/engine/rule.js';
import { effectiveFalcoRules, type EffectiveRule } from '../../src/ingest/runtime/falco-ruleset.js';

interface Category {
  key: string;
  what: string;
  /** Judged on the rule's name and description (all `falco -L` text gives). */
  byName: RegExp;
  /** Judged on the condition with macros and lists expanded. */
  byCondition(c: string): boolean;
}

const WRITE = /evt\.is_open_write\s*=\s*true|\bopen_write\b|o_wronly|o_rdwr|evt\.arg\.flags\s+contains\s+o_(wr|rdwr)/;
const CATEGORIES: Category[] = [
  {
    key: 'shell-in-container',
    what: 'a shell started in a container',
    byName: /shell.*container|container.*shell/i,
    byCondition: (c) =>
      /\b(bash|sh|zsh|dash|ash|ksh|csh|tcsh)\b|shell_binaries|shell_procs/.test(c) && /container\.id\s*!=\s*host|\bcontainer\.(id|name)\b/.test(c) && /execve|spawned_process/.test(c),
  },
  {
    key: 'outbound-connection',
    what: 'an outbound network connection from a container or host',
    byName: /outbound|egress|\bc2\b|command and control|miner pool/i,
    byCondition: (c) => /evt\.type\s*=\s*connect\b|evt\.type\s+in\s*\([^)]*\bconnect\b/.test(c) && /fd\.(snet|sip|rip|net|sport|rport|sip\.name)\b|rfc_1918/.test(c),
  },
  {
    key: 'write-below-etc',
    what: 'a write below /etc',
    byName: /write below etc|write.*\/etc/i,
    byCondition: (c) => WRITE.test(c) && /fd\.name\s+(startswith|pmatch|glob)\s*\(?\s*['"]?\/etc|fd\.directory\s*(=|in)\s*\(?\s*['"]?\/etc\b/.test(c),
  },
  {
    key: 'write-below-root',
    what: 'a write directly below / or below /root',
    byName: /write below root|write.*\/root/i,
    byCondition: (c) => WRITE.test(c) && /fd\.name\s+startswith\s+['"]?\/root|fd\.directory\s*=\s*['"]?\/(\s|\)|['"]|$)/.test(c),
  },
  {
    key: 'sensitive-mount',
    what: 'a container started with a sensitive host path (docker.sock, /proc, /, /etc) mounted',
    byName: /sensitive mount|mount.*sensitive/i,
    byCondition: (c) => /container\.mount(\.|s\b)/.test(c),
  },
  {
    key: 'privileged-container',
    what: 'a privileged container started',
    byName: /privileged container/i,
    byCondition: (c) => /container\.privileged\s*=\s*true/.test(c),
  },
];

export default defineRule({
  meta: {
    id: 'runtime.falco-rule-gap',
    title: 'Loaded Falco rules do not cover a key container attack behaviour',
    severity: 'INFO',
    group: 'runtime',
    attack: [],
    description:
      'Falco only alerts on what its loaded rules describe. Recent Falco releases ship only the "stable" rules by default; the rules for outbound connections, writes below /etc and /root, sensitive mounts and privileged containers live in the incubating and sandbox sets and are often absent or disabled. A missing category means the absence of Falco alerts for that behaviour proves nothing.',
    remediation:
      'Enable or add rules for the missing behaviours (falcosecurity/rules incubating and sandbox sets, or local rules), tuned with exceptions rather than disabled, and keep the rules files with the incident evidence.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    for (const set of effectiveFalcoRules(db)) {
      const enabled = set.rules.filter((r) => r.enabled && (r.source === null || r.source === 'syscall'));
      const nameOnly = set.rules.length > 0 && set.rules.every((r) => r.format === 'list-text');
      for (const category of CATEGORIES) {
        const covers = (r: EffectiveRule) => category.byName.test(r.name) || (r.expanded !== null && category.byCondition(r.expanded.toLowerCase()));
        if (enabled.some(covers)) continue;
        const disabled = set.rules.filter((r) => !r.enabled && covers(r));
        const evidence: EvidenceRef[] = disabled.length > 0 ? disabled.map((r) => r.disabledAt ?? { file_id: r.file_id, locator: r.locator }) : set.files.map((f) => ({ file_id: f.id, locator: null }));
        const why =
          disabled.length > 0
            ? `rule(s) ${disabled.map((r) => `"${r.name}"`).join(', ')} would detect it but are disabled`
            : `none of the ${enabled.length} enabled rule(s) detects it`;
        rows.push({
          subject_kind: 'falco-rules',
          subject_name: 'loaded Falco rules',
          subject_host: set.host,
          key: category.key,
          reason: `no enabled Falco rule for ${category.what}: ${why} (${set.files.map((f) => f.path).join(', ')})${nameOnly ? '; judged by rule names only, as `falco -L` text gives no conditions' : ''}`,
          evidence,
          details: { category: category.key, enabled_rules: enabled.length, rules_files: set.files.map((f) => f.path) },
        });
      }
    }
    return rows;
  },
});
