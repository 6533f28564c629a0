/**
 * Writes test/fixtures/dive/: what `dive <image> --json out.json` (dive v0.12) exports for the
 * images of this machine's real `docker save` fixtures (test/fixtures/docker/save-*.tar.gz, made
 * by scripts/make-docker-fixtures.sh from dockerd 20.10). dive is not installed on the build
 * machine, so its analysis is reproduced here from the same archive dive itself would read
 * (dive's docker engine source runs `docker save`), following dive's code:
 *   - layers in manifest order: index, id (first path component of the layer tar: the legacy
 *     layer directory), digestId (the layer's diff_id, matched to the non-empty history steps),
 *     sizeBytes (sum of the sizes of the layer's tar entries), command (created_by without
 *     "/bin/sh -c "), fileList (every node of the layer's file tree, depth first, children in
 *     byte order and before their parent: {path, typeFlag, linkName, size, fileMode, uid, gid,
 *     isDir}, path as in the tar (relative, cleaned), typeFlag the tar type byte, fileMode Go's
 *     os.FileMode: permission bits | ModeDir 1<<31 | ModeSymlink 1<<27 | ModeSetuid 1<<23 |
 *     ModeSetgid 1<<22 | ModeSticky 1<<20; intermediate directories without a tar entry have an
 *     empty record; `.wh..wh..opq` markers are dropped, `.wh.<name>` whiteouts kept);
 *   - image: sizeBytes (sum of layer sizes), inefficientBytes and efficiencyScore (dive's
 *     Efficiency(): paths seen in more than one layer; a whited-out file counts 0 bytes, a
 *     whited-out directory the size of what it removes), fileReference (those paths, largest
 *     first: {count, sizeBytes, file});
 *   - json.MarshalIndent with two spaces; <, >, & escaped as \u003c, \u003e, \u0026.
 *
 *   npm run build && node dist/scripts/make-dive-fixtures.js
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { PACKAGE_ROOT } from '../src/paths.js';

const OUT = join(PACKAGE_ROOT, 'test', 'fixtures', 'dive');

const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_STICKY = 2 ** 20;
const TYPE_FLAG: Record<string, number> = { file: 48, link: 49, symlink: 50, 'character-device': 51, 'block-device': 52, directory: 53, fifo: 54 };

async function entries(buffer: Buffer): Promise<{ header: tar.Header; data: Buffer }[]> {
  const out: { header: tar.Header; data: Buffer }[] = [];
  const extract = tar.extract();
  Readable.from([buffer]).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ header: entry.header, data: Buffer.concat(chunks) });
  }
  return out;
}

/** dive's filetree.FileInfo, as its JSON export writes it. */
interface FileInfo { path: string; typeFlag: number; linkName: string; size: number; fileMode: number; uid: number; gid: number; isDir: boolean }

/** filetree.NewFileInfoFromTarHeader */
function fileInfo(h: tar.Header, name: string): FileInfo {
  const bits = h.mode ?? 0;
  let mode = bits & 0o777;
  if (bits & 0o4000) mode += MODE_SETUID;
  if (bits & 0o2000) mode += MODE_SETGID;
  if (bits & 0o1000) mode += MODE_STICKY;
  if (h.type === 'directory') mode += MODE_DIR;
  if (h.type === 'symlink') mode += MODE_SYMLINK;
  return {
    path: name,
    typeFlag: TYPE_FLAG[h.type ?? ''] ?? 48,
    linkName: h.linkname ?? '',
    size: h.type === 'file' || h.type === 'link' ? h.size ?? 0 : 0,
    fileMode: mode,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    isDir: h.type === 'directory',
  };
}
const EMPTY: FileInfo = { path: '', typeFlag: 0, linkName: '', size: 0, fileMode: 0, uid: 0, gid: 0, isDir: false };

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

class Node {
  readonly children = new Map<string, Node>();
  constructor(
    readonly name: string,
    readonly parent: Node | null,
    public info: FileInfo,
  ) {}
  path(): string {
    const names: string[] = [];
    for (let n: Node = this; n.parent; n = n.parent) names.unshift(n === this ? n.name.replace(/^\.wh\./, '') : n.name);
    return `/${names.join('/')}`;
  }
  isWhiteout(): boolean {
    return this.name.startsWith('.wh.');
  }
  /** VisitDepthChildFirst: children in byte order, then the node itself; never the root. */
  *childFirst(): Generator<Node> {
    for (const key of [...this.children.keys()].sort(byteOrder)) yield* this.children.get(key)!.childFirst();
    if (this.parent) yield this;
  }
}

class Tree {
  root = new Node('', null, EMPTY);
  fileSize = 0;
  constructor(readonly name: string) {}
  /** FileTree.AddPath */
  add(path: string, info: FileInfo): void {
    const names = posix.normalize(path).replace(/^\/+|\/+$/g, '').split('/').filter(Boolean);
    let node = this.root;
    for (const [i, name] of names.entries()) {
      const existing = node.children.get(name);
      if (existing) node = existing;
      else {
        if (name.startsWith('.wh..wh..')) return;
        const child = new Node(name, node, { ...EMPTY });
        node.children.set(name, child);
        node = child;
      }
      if (i === names.length - 1) node.info = info;
    }
  }
  get(path: string): Node | null {
    let node = this.root;
    for (const name of path.split('/').filter(Boolean)) {
      const child = node.children.get(name);
      if (!child) return null;
      node = child;
    }
    return node;
  }
  remove(path: string): void {
    const node = this.get(path);
    if (node && node.parent) node.parent.children.delete(node.name);
  }
  copy(): Tree {
    const t = new Tree(this.name);
    const clone = (src: Node, parent: Node | null): Node => {
      const n = new Node(src.name, parent, { ...src.info });
      for (const [k, c] of src.children) n.children.set(k, clone(c, n));
      return n;
    };
    t.root = clone(this.root, null);
    return t;
  }
  /** FileTree.Stack */
  stack(upper: Tree): void {
    for (const node of upper.root.childFirst()) {
      if (node.isWhiteout()) this.remove(node.path());
      else this.add(node.path(), node.info);
    }
  }
}

interface PathData { path: string; nodes: number; cumulative: number; min: number }

function efficiency(trees: Tree[]): { score: number; matches: PathData[] } {
  const map = new Map<string, PathData>();
  const matches: PathData[] = [];
  trees.forEach((tree, current) => {
    for (const node of tree.root.childFirst()) {
      if (node.children.size > 0) continue; // leaves only
      const path = node.path();
      let data = map.get(path);
      if (!data) map.set(path, (data = { path, nodes: 0, cumulative: 0, min: -1 }));
      let size = 0;
      if (node.isWhiteout()) {
        const stacked = trees[0]!.copy();
        for (let i = 0; i <= current - 1; i++) stacked.stack(trees[i]!);
        const previous = stacked.get(path);
        if (previous?.info.isDir) for (const n of previous.childFirst()) size += n.info.size;
      } else size = node.info.size;
      data.cumulative += size;
      if (data.min < 0 || size < data.min) data.min = size;
      data.nodes++;
      if (data.nodes === 2) matches.push(data);
    }
  });
  let minimum = 0;
  let discovered = 0;
  for (const d of map.values()) {
    minimum += d.min;
    discovered += d.cumulative;
  }
  matches.sort((a, b) => a.cumulative - b.cumulative);
  return { score: discovered === 0 ? 1 : minimum / discovered, matches };
}

interface HistoryStep { created_by?: string; empty_layer?: boolean }

async function diveExport(archive: string) {
  const outer = await entries(gunzipSync(readFileSync(archive)));
  const files = new Map(outer.map((e) => [e.header.name.replace(/^\.\//, ''), e.data]));
  const member = (name: string): Buffer => {
    const data = files.get(name);
    if (!data) throw new Error(`${archive}: no ${name}`);
    return data;
  };
  const manifest = (JSON.parse(member('manifest.json').toString('utf8')) as { Config: string; Layers: string[] }[])[0]!;
  const config = JSON.parse(member(manifest.Config).toString('utf8')) as { history?: HistoryStep[]; rootfs: { diff_ids: string[] } };
  // config.go: each non-empty history step gets the next diff_id as its ID
  let layerIdx = 0;
  const history = (config.history ?? []).map((h) => ({ ...h, id: h.empty_layer ? '<missing>' : config.rootfs.diff_ids[layerIdx++] }));
  const trees: Tree[] = [];
  for (const name of manifest.Layers) {
    const tree = new Tree(name);
    for (const { header } of await entries(member(name))) {
      const clean = posix.normalize(header.name);
      if (clean === '.' || clean === './') continue;
      const info = fileInfo(header, clean.replace(/\/$/, ''));
      tree.fileSize += info.size;
      tree.add(info.path, info);
    }
    trees.push(tree);
  }
  const layers: { index: number; id: string; digestId: string | undefined; sizeBytes: number; command: string; fileList: FileInfo[] }[] = [];
  let histIdx = 0;
  trees.forEach((tree, index) => {
    let entry: HistoryStep & { id: string | undefined } = { created_by: '(missing)', id: '' };
    for (let next = histIdx; next < history.length; next++) {
      if (!history[next]!.empty_layer) {
        histIdx = next;
        break;
      }
    }
    const step = history[histIdx];
    if (step && !step.empty_layer) {
      entry = step;
      histIdx++;
    }
    layers.push({
      index,
      id: tree.name.split('/')[0]!,
      digestId: entry.id,
      sizeBytes: tree.fileSize,
      command: (entry.created_by ?? '').replace(/^\/bin\/sh -c /, ''),
      fileList: [...tree.root.childFirst()].map((n) => n.info),
    });
  });
  const { score, matches } = efficiency(trees);
  const references = [...matches].reverse().map((d) => ({ count: d.nodes, sizeBytes: d.cumulative, file: d.path }));
  return {
    layer: layers,
    image: {
      sizeBytes: layers.reduce((n, l) => n + l.sizeBytes, 0),
      inefficientBytes: matches.reduce((n, d) => n + d.cumulative, 0),
      efficiencyScore: score,
      fileReference: references,
    },
  };
}

/** Go's json.MarshalIndent with two spaces, and Go's HTML-safe string escaping. */
const goJson = (v: unknown): string => JSON.stringify(v, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

mkdirSync(OUT, { recursive: true });
for (const [archive, name] of [['save-dropper.tar.gz', 'dive-dropper.json.gz'], ['save-clean.tar.gz', 'dive-clean.json']] as const) {
  const text = goJson(await diveExport(join(PACKAGE_ROOT, 'test', 'fixtures', 'docker', archive))); // written as is: no trailing newline
  // the dropper's busybox layers list some 280 files: gzip'd (mtime 0, reproducible bytes)
  writeFileSync(join(OUT, name), name.endsWith('.gz') ? gzipSync(Buffer.from(text), { level: 9 }) : text);
  process.stdout.write(`wrote test/fixtures/dive/${name} (${text.length} bytes of JSON)\n`);
}
