// The committed sample bundle (scripts/make-sample-docker-bundle.sh) stays valid and keeps the
// traces it was staged to hold: analysers' tests rely on both.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBundle, REPO, sha256 } from './collect-harness.js';
import { removeTempDirs } from './collect-harness.js';

afterAll(removeTempDirs);

const TGZ = join(REPO, 'sample-bundles', 'docker-host.tgz');

describe('sample-bundles/docker-host.tgz', () => {
  const b = openBundle(TGZ);
  const insp = (name: string) => {
    for (const f of b.files.filter((x) => /^docker\/containers\/[0-9a-f]{64}\/inspect\.json$/.test(x))) {
      const c = JSON.parse(b.text(f))[0];
      if (c.Name === `/cf-sample-${name}`) return c;
    }
    throw new Error(`no container cf-sample-${name}`);
  };

  it('is small, verifies, and its .sha256 matches', () => {
    expect(statSync(TGZ).size).toBeLessThan(1024 * 1024);
    expect(readFileSync(`${TGZ}.sha256`, 'utf8')).toBe(`${sha256(readFileSync(TGZ))}  docker-host.tgz\n`);
    const v = b.verify();
    expect(v.ok, v.output).toBe(true);
    expect(b.files.filter((f) => f !== 'SHA256SUMS' && !b.sums.has(f))).toEqual([]);
    expect(b.meta.PARTIAL).toBe('no');
  });

  it('holds the staged risky containers', () => {
    expect(insp('ci-runner').HostConfig.Binds).toContain('/var/run/docker.sock:/var/run/docker.sock');
    expect(insp('debug').HostConfig.CapAdd.join()).toMatch(/SYS_ADMIN/);
    expect(insp('hostns').HostConfig.PidMode).toBe('host');
    expect(insp('hostns').HostConfig.NetworkMode).toBe('host');
    expect(insp('unconfined').HostConfig.SecurityOpt).toContain('seccomp=unconfined');
    expect(insp('priv').HostConfig.Privileged).toBe(true);
    expect(insp('miner').Config.Cmd.join(' ')).toMatch(/wget -qO- http:\S+ \| sh/);
    expect(insp('web').HostConfig.Privileged).toBe(false);
  });

  it('shows a host-namespace process inside a container cgroup', () => {
    const victim = insp('victim').Id as string;
    const ref = new Map(b.text('host/ns-reference.tsv').split('\n').slice(1).filter(Boolean).map((l) => {
      const [, ns, link] = l.split('\t');
      return [ns!, link!];
    }));
    const containerPid = String(insp('victim').State.Pid);
    const inVictim = new Set(b.text('host/proc-cgroup.tsv').split('\n').filter((l) => l.includes(victim)).map((l) => l.split('\t')[0]));
    const nsOf = (pid: string, ns: string) => b.text('host/proc-ns.tsv').split('\n').find((l) => l.startsWith(`${pid}\t${ns}\t`))?.split('\t')[2];
    const intruders = [...inVictim].filter((pid) => pid !== containerPid && nsOf(pid!, 'pid') === ref.get('pid') && nsOf(pid!, 'mnt') === ref.get('mnt'));
    expect(intruders.length).toBe(1);
    expect(nsOf(containerPid, 'pid')).not.toBe(ref.get('pid'));
  });

  it('keeps the image history that fetches, chmods 4755 and deletes', () => {
    const hist = b.files.filter((f) => f.endsWith('/history.jsonl')).map((f) => b.text(f)).join('\n');
    expect(hist).toMatch(/wget -q -O \/tmp\/kworker\.sh http:\/\/127\.0\.0\.1:\d+\/kworker\.sh/);
    expect(hist).toMatch(/chmod 4755 \/usr\/local\/bin\/kworker \\u0026\\u0026 rm -f \/tmp\/kworker\.sh/);
  });
});
