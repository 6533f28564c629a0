#!/usr/bin/env node
// Writes test/fixtures/dive/: what `dive <image> --json out.json` (dive v0.12) exports for the
// images of this machine's real `docker save` fixtures (test/fixtures/docker/save-*.tar.gz, made
// by scripts/make-docker-fixtures.sh from dockerd 20.10). dive is not installed on the build
// machine, so its analysis is reproduced here from the same archive dive itself would read
// (dive's docker engine source runs `docker save`), following dive's code:
//   - layers in manifest order: index, id (first path component of the layer tar: the legacy
//     layer directory), digestId (the layer's diff_id, matched to the non-empty history steps),
//     sizeBytes (sum of the sizes of the layer's tar entries), command (created_by without
//     "/bin/sh -c "), fileList (every node of the layer's file tree, depth first, children in
//     byte order and before their parent: {path, typeFlag, linkName, size, fileMode, uid, gid,
//     isDir}, path as in the tar (relative, cleaned), typeFlag the tar type byte, fileMode Go's
//     os.FileMode: permission bits | ModeDir 1<<31 | ModeSymlink 1<<27 | ModeSetuid 1<<23 |
//     ModeSetgid 1<<22 | ModeSticky 1<<20; intermediate directories without a tar entry have an
//     empty record; `.wh..wh..opq` markers are dropped, `.wh.<name>` whiteouts kept);
//   - image: sizeBytes (sum of layer sizes), inefficientBytes and efficiencyScore (dive's
//     Efficiency(): paths seen in more than one layer; a whited-out file counts 0 bytes, a
//     whited-out directory the size of what it removes), fileReference (those paths, largest
//     first: {count, sizeBytes, file});
//   - json.MarshalIndent with two spaces; <, >, & escaped as \u003c, \u003e, \u0026.
//
// Usage: node scripts/make-dive-fixtures.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test', 'fixtures', 'dive');

const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_STICKY = 2 ** 20;
const TYPE_FLAG = { file: 48, link: 49, symlink: 50, 'character-device': 51, 'block-device': 52, directory: 53, fifo: 54 };

async function entries(buffer) {
  const out = [];
  const extract = tar.extract();
  Readable.from([buffer]).pipe(extract);
  for await (const entry of extract) {
    const chunks = [];
    for await (const c of entry) chunks.push(c);
    out.push({ header: entry.header, data: Buffer.concat(chunks) });
  }
  return out;
}

/** filetree.NewFileInfoFromTarHeader */
function fileInfo(h, name) {
  let mode = h.mode & 0o777;
  if (h.mode & 0o4000) mode += MODE_SETUID;
  if (h.mode & 0o2000) mode += MODE_SETGID;
  if (h.mode & 0o1000) mode += MODE_STICKY;
  if (h.type === 'directory') mode += MODE_DIR;
  if (h.type === 'symlink') mode += MODE_SYMLINK;
  return {
    path: name,
    typeFlag: TYPE_FLAG[h.type] ?? 48,
    linkName: h.linkname ?? '',
    size: h.type === 'file' || h.type === 'link' ? h.size ?? 0 : 0,
    fileMode: mode,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    isDir: h.type === 'directory',
  };
}
const EMPTY = { path: '', typeFlag: 0, linkName: '', size: 0, fileMode: 0, uid: 0, gid: 0, isDir: false };

class Node {
  constructor(name, parent, info) {
    this.name = name;
    this.parent = parent;
    this.info = info;
    this.children = new Map();
  }
  path() {
    const names = [];
    for (let n = this; n.parent; n = n.parent) names.unshift(n === this ? n.name.replace(/^\.wh\./, '') : n.name);
    return `/${names.join('/')}`;
  }
  isWhiteout() {
    return this.name.startsWith('.wh.');
  }
  /** VisitDepthChildFirst: children in byte order, then the node itself; never the root. */
  *childFirst() {
    for (const key of [...this.children.keys()].sort(byteOrder)) yield* this.children.get(key).childFirst();
    if (this.parent) yield this;
  }
}
const byteOrder = (a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

class Tree {
  constructor(name) {
    this.name = name;
    this.root = new Node('', null, EMPTY);
    this.fileSize = 0;
  }
  /** FileTree.AddPath */
  add(path, info) {
    const names = posix.normalize(path).replace(/^\/+|\/+$/g, '').split('/').filter(Boolean);
    let node = this.root;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (node.children.has(name)) node = node.children.get(name);
      else {
        if (name.startsWith('.wh..wh..')) return;
        const child = new Node(name, node, { ...EMPTY });
        node.children.set(name, child);
        node = child;
      }
      if (i === names.length - 1) node.info = info;
    }
  }
  get(path) {
    let node = this.root;
    for (const name of path.split('/').filter(Boolean)) {
      node = node.children.get(name);
      if (!node) return null;
    }
    return node;
  }
  remove(path) {
    const node = this.get(path);
    if (node && node.parent) node.parent.children.delete(node.name);
  }
  copy() {
    const t = new Tree(this.name);
    const clone = (src, parent) => {
      const n = new Node(src.name, parent, { ...src.info });
      for (const [k, c] of src.children) n.children.set(k, clone(c, n));
      return n;
    };
    t.root = clone(this.root, null);
    return t;
  }
  /** FileTree.Stack */
  stack(upper) {
    for (const node of upper.root.childFirst()) {
      if (node.isWhiteout()) this.remove(node.path());
      else this.add(node.path(), node.info);
    }
  }
}

function efficiency(trees) {
  const map = new Map();
  const matches = [];
  trees.forEach((tree, current) => {
    for (const node of tree.root.childFirst()) {
      if (node.children.size > 0) continue; // leaves only
      const path = node.path();
      if (!map.has(path)) map.set(path, { path, nodes: 0, cumulative: 0, min: -1 });
      const data = map.get(path);
      let size = 0;
      if (node.isWhiteout()) {
        const stacked = trees[0].copy();
        for (let i = 0; i <= current - 1; i++) stacked.stack(trees[i]);
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

async function diveExport(archive) {
  const outer = await entries(gunzipSync(readFileSync(archive)));
  const files = new Map(outer.map((e) => [e.header.name.replace(/^\.\//, ''), e.data]));
  const manifest = JSON.parse(files.get('manifest.json').toString('utf8'))[0];
  const config = JSON.parse(files.get(manifest.Config).toString('utf8'));
  // config.go: each non-empty history step gets the next diff_id as its ID
  let layerIdx = 0;
  const history = (config.history ?? []).map((h) => ({ ...h, id: h.empty_layer ? '<missing>' : config.rootfs.diff_ids[layerIdx++] }));
  const trees = [];
  for (const name of manifest.Layers) {
    const tree = new Tree(name);
    for (const { header } of await entries(files.get(name))) {
      const clean = posix.normalize(header.name);
      if (clean === '.' || clean === './') continue;
      const info = fileInfo(header, clean.replace(/\/$/, ''));
      tree.fileSize += info.size;
      tree.add(info.path, info);
    }
    trees.push(tree);
  }
  const layers = [];
  let histIdx = 0;
  trees.forEach((tree, index) => {
    let entry = { created_by: '(missing)', id: '' };
    for (let next = histIdx; next < history.length; next++) {
      if (!history[next].empty_layer) {
        histIdx = next;
        break;
      }
    }
    if (histIdx < history.length && !history[histIdx].empty_layer) entry = history[histIdx++];
    layers.push({
      index,
      id: tree.name.split('/')[0],
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

const goJson = (v) => JSON.stringify(v, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

mkdirSync(OUT, { recursive: true });
for (const [archive, name] of [['save-dropper.tar.gz', 'dive-dropper.json.gz'], ['save-clean.tar.gz', 'dive-clean.json']]) {
  const text = goJson(await diveExport(join(ROOT, 'test', 'fixtures', 'docker', archive))); // written as is: no trailing newline
  // the dropper's busybox layers list some 280 files: gzip'd (mtime 0, reproducible bytes)
  writeFileSync(join(OUT, name), name.endsWith('.gz') ? gzipSync(Buffer.from(text), { level: 9 }) : text);
  console.log(`wrote test/fixtures/dive/${name} (${text.length} bytes of JSON)`);
}
