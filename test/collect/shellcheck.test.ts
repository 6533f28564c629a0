// collect.sh is one POSIX sh file: shellcheck-clean, and usable (usage, argument errors) under
// every shell a responder may have.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECT, which } from './collect-harness.js';

describe('collect.sh static checks', () => {
  it('is clean under shellcheck -s sh (no warnings, no notes)', () => {
    const sc = which('shellcheck');
    expect(sc, 'shellcheck must be installed (apt-get install shellcheck)').toBeTruthy();
    const r = spawnSync(sc!, ['-s', 'sh', COLLECT], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('parses under dash, bash --posix and busybox ash (sh -n)', () => {
    for (const argv of [['dash'], ['bash', '--posix'], ['busybox', 'sh']]) {
      const r = spawnSync(argv[0]!, [...argv.slice(1), '-n', COLLECT], { encoding: 'utf8' });
      expect(r.status, `${argv.join(' ')} -n: ${r.stderr}`).toBe(0);
    }
  });

  for (const argv of [['dash'], ['bash', '--posix'], ['busybox', 'sh']]) {
    it(`-h prints usage and exits 0; a bad flag exits 2 (${argv.join(' ')})`, () => {
      const h = spawnSync(argv[0]!, [...argv.slice(1), COLLECT, '-h'], { encoding: 'utf8' });
      expect(h.status).toBe(0);
      expect(h.stdout).toMatch(/^Usage: sh collect\.sh/);
      for (const flag of ['--etcd-snapshot', '--docker-save', '--skip', '--since', '--kubeconfig', '--context', '--namespace', '--max-file-size', '--timeout', '--audit-log']) {
        expect(h.stdout).toContain(flag);
      }
      const bad = spawnSync(argv[0]!, [...argv.slice(1), COLLECT, '--no-such-flag'], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('unknown argument');
      const badSkip = spawnSync(argv[0]!, [...argv.slice(1), COLLECT, '--skip', 'docker,nonsense'], { encoding: 'utf8' });
      expect(badSkip.status).toBe(2);
      const badTime = spawnSync(argv[0]!, [...argv.slice(1), COLLECT, '--since', 'yesterday'], { encoding: 'utf8' });
      expect(badTime.status).toBe(2);
    });
  }

  it('never calls a state-changing docker/kubectl/crictl/ctr verb (static scan)', () => {
    const src = readFileSync(COLLECT, 'utf8');
    const code = src.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    for (const bad of [/docker"?\s+(exec|rm|rmi|stop|kill|start|restart|run|cp|commit|pause|unpause|prune|update|rename|create|build|pull|push|tag)\b/,
      /kubectl[^\n]*\b(exec|delete|apply|create|patch|edit|scale|cordon|drain|annotate|label|cp|port-forward)\b/,
      /crictl"?\s+(exec|rm|rmp|stop|stopp|start|run|runp|create|pull|rmi)\b/,
      /ctrc?[^\n]*\b(tasks?|t)\s+(kill|exec|start|delete|rm|pause)\b/]) {
      expect(code).not.toMatch(bad);
    }
  });
});
