import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOptions } from '../src/analyze.js';
import { FIXTURES_DIR } from './support/rule-cases.js';

// The crictl and dive ingesters over their fixtures (test/fixtures/cri, test/fixtures/dive):
// what lands in the case DB, laid out as collect.sh lays these files out.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const WEB = '1f521a0034996bf89ffbd97e476a62dfcdc68a339e3e96553765f8d7362c34e3';
const SHELL = 'e1045dce8dd5be98dda55e0d7835b67fe7a06a70b1dff7a94582a28fc1ee5674';
const DROPPER = '9999a037c3638fb79b31b5dce2c50b16a6d25a50d34ff3c6b97449cfbb3fb827';

async function load(files: Record<string, string | Buffer>, options: AnalyzeOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cf-cri-dive-ingest-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof content === 'string') cpSync(join(FIXTURES_DIR, content), join(dir, path));
    else writeFileSync(join(dir, path), content);
  }
  const result = await analyze([dir], { write: false, keepDb: true, rules: [], ...options });
  const db = result.db!.sql;
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Record<string, unknown>[];
  return { all, kinds: Object.fromEntries(all('select path, kind from files').map((r) => [r.path, r.kind])), close: () => result.db!.close() };
}

const CRI_BUNDLE = {
  [`cri/containers/${WEB}/inspect.json`]: 'cri/inspect-web.json',
  [`cri/containers/${SHELL}/inspect.json`]: 'cri/inspect-node-shell.json',
  'cri/pods/50b0e1435810cbad9541d7a273717d01458f8bc9e8833d46ec71fdc216698fbd/inspectp.json': 'cri/inspectp-web.json',
  'cri/pods/0e6862c7abed2288a1c341e2d8513716e683949ff496c03328cf803d5d8c4526/inspectp.json': 'cri/inspectp-node-shell.json',
  'cri/ps.json': 'cri/ps.json',
  'cri/pods.json': 'cri/pods.json',
  'cri/images.json': 'cri/images.json',
  'cri/images/83f26b5abfb1213694f11943b828b608fbf3880268f85f9920663e074bab3238/inspecti.json': 'cri/inspecti-alpine.json',
};

describe('crictl evidence', () => {
  it('recognises every crictl output by its content', async () => {
    const { kinds, all, close } = await load(CRI_BUNDLE);
    expect(Object.values(kinds).sort()).toEqual(['crictl-images', 'crictl-images', 'crictl-inspect', 'crictl-inspect', 'crictl-inspectp', 'crictl-inspectp', 'crictl-pods', 'crictl-ps']);
    expect(all('select problem, detail from input_problems')).toEqual([]);
    close();
  });

  it('normalises crictl inspect into pod containers: pod name and namespace, container name, settings with their JSON pointers', async () => {
    const { all, close } = await load(CRI_BUNDLE);
    const rows = all(
      `select subject_kind, subject_name, subject_namespace, subject_container, subject_id, runtime, image, image_id, state, pid, started_at,
              privileged, pid_mode, network_mode, uts_mode, user, readonly_rootfs, seccomp_profile, no_new_privileges, field_locators
         from container_subjects order by subject_name`,
    );
    expect(rows).toHaveLength(2);
    const [shell, web] = rows as [Record<string, unknown>, Record<string, unknown>];
    expect(web).toMatchObject({
      subject_kind: 'pod', subject_name: 'web-6d4cf56db6-2xk9m', subject_namespace: 'shop', subject_container: 'web', subject_id: WEB,
      runtime: 'cri', image: 'docker.io/nginxinc/nginx-unprivileged:1.25.3', state: 'running', pid: 4163,
      privileged: 0, pid_mode: 'private', user: '101', readonly_rootfs: 1, seccomp_profile: 'runtime/default', no_new_privileges: 1,
    });
    // the image id the kubelet resolved (info.config.image), not the repo digest of status.imageRef
    expect(web.image_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(shell).toMatchObject({
      subject_kind: 'pod', subject_name: 'node-shell-8fj2k', subject_namespace: 'kube-system', subject_container: 'shell', subject_id: SHELL,
      image: 'docker.io/library/alpine:3.19', state: 'running', started_at: '2026-11-28T10:02:44.208871630Z',
      privileged: 1, pid_mode: 'host', network_mode: 'host', uts_mode: 'host', user: '0', readonly_rootfs: 0, seccomp_profile: 'unconfined', no_new_privileges: 0,
    });
    expect(JSON.parse(String(shell.field_locators))).toMatchObject({
      privileged: '/info/config/linux/security_context/privileged',
      pid_mode: '/info/config/linux/security_context/namespace_options/pid',
      network_mode: '/info/config/linux/security_context/namespace_options/network',
      image: '/status/image/image',
    });
    expect(all("select c.name, k.capability, k.action, k.locator from container_capabilities k join containers c on c.id = k.container_row order by c.name")).toEqual([
      { name: 'shell', capability: 'SYS_ADMIN', action: 'add', locator: '/info/config/linux/security_context/capabilities/add_capabilities/0' },
      { name: 'web', capability: 'ALL', action: 'drop', locator: '/info/config/linux/security_context/capabilities/drop_capabilities/0' },
    ]);
    expect(all("select m.source, m.destination, m.read_only, m.locator from container_mounts m join containers c on c.id = m.container_row where c.name = 'shell' and m.source glob '*.sock'")).toEqual([
      { source: '/var/run/docker.sock', destination: '/var/run/docker.sock', read_only: 0, locator: '/status/mounts/0' },
      { source: '/run/containerd/containerd.sock', destination: '/run/containerd/containerd.sock', read_only: 0, locator: '/status/mounts/1' },
    ]);
    // kubelet's service-account token mount is read-only
    expect(all("select read_only from container_mounts where destination = '/var/run/secrets/kubernetes.io/serviceaccount'")).toEqual([{ read_only: 1 }, { read_only: 1 }]);
    close();
  });

  it('loads sandboxes (inspectp), the container and pod lists, and images with their references and history', async () => {
    const { all, close } = await load(CRI_BUNDLE);
    expect(all('select pod_name, pod_namespace, state, pid, network_mode, pid_mode, ipc_mode, image from pod_sandboxes order by pod_name')).toEqual([
      { pod_name: 'node-shell-8fj2k', pod_namespace: 'kube-system', state: 'SANDBOX_READY', pid: 5210, network_mode: 'host', pid_mode: 'host', ipc_mode: null, image: 'registry.k8s.io/pause:3.6' },
      { pod_name: 'web-6d4cf56db6-2xk9m', pod_namespace: 'shop', state: 'SANDBOX_READY', pid: 4101, network_mode: null, pid_mode: 'private', ipc_mode: null, image: 'registry.k8s.io/pause:3.6' },
    ]);
    expect(all('select container_id, name, state, created_at, pod_name, pod_namespace, locator from cri_containers order by name')).toEqual([
      { container_id: SHELL, name: 'shell', state: 'CONTAINER_RUNNING', created_at: '2026-11-28T10:02:44.019385177Z', pod_name: 'node-shell-8fj2k', pod_namespace: 'kube-system', locator: '/containers/1' },
      { container_id: WEB, name: 'web', state: 'CONTAINER_RUNNING', created_at: '2026-11-28T09:14:05.904117365Z', pod_name: 'web-6d4cf56db6-2xk9m', pod_namespace: 'shop', locator: '/containers/0' },
    ]);
    expect(all('select pod_name, pod_namespace, pod_uid, state, created_at from cri_pods order by pod_name').map((r) => [r.pod_name, r.state, r.created_at])).toEqual([
      ['node-shell-8fj2k', 'SANDBOX_READY', '2026-11-28T10:02:41.550130902Z'],
      ['web-6d4cf56db6-2xk9m', 'SANDBOX_READY', '2026-11-28T09:14:02.318562211Z'],
    ]);
    expect(all("select count(*) n from images where source = 'listing'")).toEqual([{ n: 4 }]);
    expect(all("select repo_tags, size, config_user, command from images where source = 'inspect'")).toEqual([
      { repo_tags: '["docker.io/library/alpine:3.19"]', size: 3408729, config_user: null, command: '["/bin/sh"]' },
    ]);
    expect(all("select config_user from images where repo_tags like '%nginx-unprivileged%'")).toEqual([{ config_user: '101' }]);
    expect(all('select step, empty_layer, locator from image_history order by step')).toEqual([
      { step: 0, empty_layer: 0, locator: '/info/imageSpec/history/0' },
      { step: 1, empty_layer: 1, locator: '/info/imageSpec/history/1' },
    ]);
    // one subject per image: the reference the pod used, its id in subject_id
    const alpine = all("select s.subject_name, s.subject_id from image_subjects s join containers c on c.image_id = s.image_id where c.name = 'shell'");
    expect(alpine).toEqual([{ subject_name: 'docker.io/library/alpine:3.19', subject_id: expect.stringMatching(/^sha256:/) }]);
    expect(all("select reference, digest from image_refs where locator = '/status/image/image' and reference like '%alpine%'")).toEqual([
      { reference: 'docker.io/library/alpine:3.19', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    ]);
    close();
  });

  it('names the image as the pod spec wrote it when the runtime says (CRI userSpecifiedImage)', async () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES_DIR, 'cri/inspect-web.json'), 'utf8')) as { status: { image: Record<string, string> } };
    doc.status.image.userSpecifiedImage = 'nginxinc/nginx-unprivileged:1.25.3';
    const { all, close } = await load({ [`cri/containers/${WEB}/inspect.json`]: Buffer.from(JSON.stringify(doc, null, 2)) });
    expect(all('select image from containers')).toEqual([{ image: 'nginxinc/nginx-unprivileged:1.25.3' }]);
    expect(all('select subject_name from image_subjects')).toEqual([{ subject_name: 'nginxinc/nginx-unprivileged:1.25.3' }]);
    expect(all('select reference, repository from image_refs order by reference')).toEqual([
      { reference: 'docker.io/nginxinc/nginx-unprivileged:1.25.3', repository: 'docker.io/nginxinc/nginx-unprivileged' },
      { reference: 'nginxinc/nginx-unprivileged:1.25.3', repository: 'docker.io/nginxinc/nginx-unprivileged' },
    ]);
    close();
  });

  it('keeps the rest of a listing when one element is bad, and streams a listing larger than the buffer limit', async () => {
    const ps = JSON.parse(readFileSync(join(FIXTURES_DIR, 'cri/ps.json'), 'utf8')) as { containers: Record<string, unknown>[] };
    const bad = { containers: [ps.containers[0], { podSandboxId: 'x', metadata: { name: 'no-id' } }, ps.containers[1]] };
    const one = await load({ 'cri/ps.json': Buffer.from(JSON.stringify(bad, null, 2)) });
    expect(one.all('select name from cri_containers order by name').map((r) => r.name)).toEqual(['shell', 'web']);
    expect(one.all('select problem, locator from input_problems')).toEqual([{ problem: 'schema', locator: '/containers/1' }]);
    one.close();

    // 600 containers (~700 KB) with a 100 KB buffer limit: read element by element
    const many = { containers: Array.from({ length: 600 }, (_, i) => ({ ...ps.containers[i % 2], id: i.toString(16).padStart(64, '0') })) };
    const big = await load({ 'cri/ps.json': Buffer.from(JSON.stringify(many, null, 2)) }, { limits: { maxBufferBytes: 100_000 } });
    expect(big.kinds['cri/ps.json']).toBe('crictl-ps');
    expect(big.all('select count(*) n, count(distinct container_id) d, max(locator) m from cri_containers')).toEqual([{ n: 600, d: 600, m: '/containers/99' }]);
    big.close();
  });
});

describe('dive evidence', () => {
  const DIVE_PATH = `docker/images/${DROPPER}/dive.json`;

  it('reads a dive export into image layers and files, the image named by the bundle path', async () => {
    // gzip'd content: its size is unknown, so it is streamed layer by layer
    const { kinds, all, close } = await load({ [DIVE_PATH]: 'dive/dive-dropper.json.gz', 'dive-clean.json': 'dive/dive-clean.json' });
    expect(kinds).toEqual({ [DIVE_PATH]: 'dive-json', 'dive-clean.json': 'dive-json' });
    const layers = all("select image_id, layer_index, bytes, files_added, files_deleted, created_by, locator from image_layers where source = 'dive' and image_id is not null order by layer_index");
    expect(layers).toHaveLength(8);
    expect(layers.every((l) => l.image_id === `sha256:${DROPPER}`)).toBe(true);
    expect(layers[7]).toMatchObject({ layer_index: 7, bytes: 12_582_912, locator: '/layer/7' });
    expect(String(layers[7]!.created_by)).toMatch(/^dd if=\/dev\/zero of=\/opt\/cache\.bin/);
    expect(layers[3]).toMatchObject({ files_deleted: 1 });
    const file = (path: string) => all('select l.layer_index, f.op, f.type, f.mode, f.size, f.link_target, f.locator from layer_files f join image_layers l on l.id = f.layer_row where f.path = ? and l.image_id is not null order by l.layer_index', path);
    expect(file('/usr/local/bin/kworker')).toEqual([{ layer_index: 3, op: 'add', type: 'file', mode: 0o4755, size: 63, link_target: null, locator: '/layer/3/fileList/2' }]);
    expect(file('/opt/drop').map((r) => [r.layer_index, r.type, r.mode])).toEqual([[5, 'directory', 0o777], [6, 'directory', 0o777]]);
    expect(file('/tmp/payload.sh').map((r) => [r.layer_index, r.op])).toEqual([[2, 'add'], [3, 'delete']]);
    expect(file('/usr/bin/nc')).toMatchObject([{ layer_index: 1, type: 'symlink', link_target: '/bin/busybox' }]);
    expect(all('select image_id, size_bytes, inefficient_bytes, inefficient_files from dive_images order by image_id')).toEqual([
      { image_id: null, size_bytes: 52, inefficient_bytes: 0, inefficient_files: '[]' },
      { image_id: `sha256:${DROPPER}`, size_bytes: 14_565_443, inefficient_bytes: 63, inefficient_files: '[{"file":"/tmp/payload.sh","count":2,"size_bytes":63}]' },
    ]);
    // a loose export names no image
    expect(all("select count(*) n from image_layers where image_id is null and source = 'dive'")).toEqual([{ n: 2 }]);
    close();
  });

  it('gives the same rows whether the export is parsed whole or streamed', async () => {
    const text = gunzipSync(readFileSync(join(FIXTURES_DIR, 'dive/dive-dropper.json.gz')));
    const rows = async (content: Buffer) => {
      const { all, close } = await load({ [DIVE_PATH]: content });
      const out = all('select l.layer_index, l.bytes, f.path, f.op, f.type, f.mode, f.locator from layer_files f join image_layers l on l.id = f.layer_row order by f.locator');
      close();
      return out;
    };
    const whole = await rows(text);
    expect(whole.length).toBeGreaterThan(250);
    expect(await rows(readFileSync(join(FIXTURES_DIR, 'dive/dive-dropper.json.gz')))).toEqual(whole);
  });
});
