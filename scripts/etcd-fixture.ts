/**
 * Test and benchmark fixtures for the etcd snapshot reader: run a throwaway etcd on loopback,
 * write Kubernetes-shaped values into it, and snapshot it with etcdctl.
 *
 * Used by test/etcd-snapshot/*.test.ts and scripts/make-etcd-snapshot.ts. Needs `etcd` and
 * `etcdctl` (3.4+) on PATH; nothing here is used by the analyser itself.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// ---------------------------------------------------------------- protobuf encoding

/** Minimal protobuf writer: only what the Kubernetes fixtures need. */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private varint(n: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(n));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.parts.push(Buffer.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, value: Uint8Array | string): this {
    const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.tag(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }

  /** A string field, skipped when empty (as proto3 does). */
  string(field: number, value: string | undefined): this {
    return value ? this.bytes(field, value) : this;
  }

  int(field: number, value: number | bigint | undefined): this {
    if (value === undefined || value === 0 || value === 0n) return this;
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  /** map<string, bytes|string> as repeated entry messages {key=1, value=2}. */
  map(field: number, entries: Record<string, Uint8Array | string>): this {
    for (const [k, v] of Object.entries(entries)) this.message(field, new ProtoWriter().bytes(1, k).bytes(2, v));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

// ---------------------------------------------------------------- Kubernetes values

export interface FixtureMeta {
  name: string;
  namespace?: string;
  uid?: string;
  /** Unix seconds. */
  created?: number;
  labels?: Record<string, string>;
}

/**
 * ObjectMeta: name=1, generateName=2, namespace=3, selfLink=4, uid=5, resourceVersion=6,
 * generation=7, creationTimestamp=8 {seconds=1, nanos=2}, labels=11. Kubernetes' gogo-protobuf
 * (proto2, non-nullable) writes empty strings too, so the fixture does the same.
 */
export function objectMeta(m: FixtureMeta): ProtoWriter {
  const w = new ProtoWriter()
    .bytes(1, m.name)
    .bytes(2, '')
    .bytes(3, m.namespace ?? '')
    .bytes(4, '')
    .bytes(5, m.uid ?? '')
    .bytes(6, '');
  if (m.created !== undefined) w.message(8, new ProtoWriter().int(1, m.created).int(2, 0));
  if (m.labels) w.map(11, m.labels);
  return w;
}

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function k8sProtobuf(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const unknown = new ProtoWriter()
    .message(1, new ProtoWriter().string(1, apiVersion).string(2, kind))
    .bytes(2, raw)
    .bytes(3, '') // contentEncoding
    .bytes(4, '') // contentType
    .finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
}

/** v1 Secret: metadata=1, data=2 (map<string,bytes>), type=3. */
export function secretProtobuf(m: FixtureMeta, data: Record<string, Uint8Array | string>, type = 'Opaque'): Buffer {
  const raw = new ProtoWriter().message(1, objectMeta(m)).map(2, data).string(3, type).finish();
  return k8sProtobuf('v1', 'Secret', raw);
}

/** v1 ConfigMap: metadata=1, data=2 (map<string,string>). */
export function configMapProtobuf(m: FixtureMeta, data: Record<string, string>): Buffer {
  const raw = new ProtoWriter().message(1, objectMeta(m)).map(2, data).finish();
  return k8sProtobuf('v1', 'ConfigMap', raw);
}

/** v1 Pod: metadata=1, spec=2 {containers=2 [{name=1, image=2}], nodeName=10}. */
export function podProtobuf(m: FixtureMeta, image: string, node = 'node-1'): Buffer {
  const container = new ProtoWriter().string(1, 'main').string(2, image);
  const spec = new ProtoWriter().message(2, container).string(10, node);
  const raw = new ProtoWriter().message(1, objectMeta(m)).message(2, spec).finish();
  return k8sProtobuf('v1', 'Pod', raw);
}

/** A CRD-style object stored as JSON. */
export function jsonObject(apiVersion: string, kind: string, m: FixtureMeta, extra: Record<string, unknown> = {}): Buffer {
  const metadata: Record<string, unknown> = { name: m.name };
  if (m.namespace) metadata['namespace'] = m.namespace;
  if (m.uid) metadata['uid'] = m.uid;
  if (m.created !== undefined) metadata['creationTimestamp'] = new Date(m.created * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return Buffer.from(JSON.stringify({ apiVersion, kind, metadata, ...extra }) + '\n', 'utf8');
}

/**
 * Kubernetes' CBOR storage form (1.32+): the self-describe tag 55799, then a map; like
 * Kubernetes, strings are written as byte strings. Supports strings, integers, maps.
 */
export function cborObject(obj: Record<string, unknown>): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  const enc = (v: unknown): Buffer => {
    if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8');
      return Buffer.concat([head(2, b.length), b]);
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return head(0, v);
    if (v && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, x]) => [enc(k), enc(x)])]);
    }
    throw new Error(`cborObject: unsupported value ${String(v)}`);
  };
  return Buffer.concat([Buffer.from([0xd9, 0xd9, 0xf7]), enc(obj)]);
}

/** What the aescbc provider writes: the prefix, then IV + ciphertext (random bytes here). */
export function encryptedValue(provider: string, keyName: string, size = 256, version = 'v1'): Buffer {
  return Buffer.concat([Buffer.from(`k8s:enc:${provider}:${version}:${keyName}:`, 'latin1'), randomBytes(size)]);
}

// ---------------------------------------------------------------- etcd process

export function etcdAvailable(): boolean {
  const a = spawnSync('etcd', ['--version'], { stdio: 'ignore' });
  const b = spawnSync('etcdctl', ['version'], { stdio: 'ignore', env: { ...process.env, ETCDCTL_API: '3' } });
  return a.status === 0 && b.status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class EtcdServer {
  private constructor(
    readonly endpoint: string,
    readonly dir: string,
    private readonly proc: ChildProcess,
    private readonly log: string[],
  ) {}

  /** Starts etcd on 127.0.0.1 with free ports and a fresh data dir; resolves once it answers. */
  static async start(opts: { quotaBytes?: number } = {}): Promise<EtcdServer> {
    const dir = mkdtempSync(join(tmpdir(), 'cf-etcd-'));
    const client = await freePort();
    const peer = await freePort();
    const endpoint = `http://127.0.0.1:${client}`;
    const args = [
      '--name', 'cf-test',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `cf-test=http://127.0.0.1:${peer}`,
      '--log-level', 'error',
      '--quota-backend-bytes', String(opts.quotaBytes ?? 4 * 1024 ** 3),
    ];
    const proc = spawn('etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    // Safety net: never leave our etcd behind if the test runner exits without calling stop().
    const reap = (): void => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    };
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
    const log: string[] = [];
    proc.stderr?.on('data', (d: Buffer) => {
      log.push(d.toString());
      if (log.length > 200) log.shift();
    });
    const server = new EtcdServer(endpoint, dir, proc, log);
    const deadline = Date.now() + 20000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`etcd exited with ${proc.exitCode}: ${log.join('')}`);
      try {
        const res = await fetch(`${endpoint}/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`etcd did not become healthy: ${log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return server;
  }

  /** Kills this etcd (only the process we started) and removes its data dir. */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async call<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async put(key: string | Uint8Array, value: Uint8Array | string, lease?: string): Promise<number> {
    const body: Record<string, unknown> = { key: b64(key), value: b64(value) };
    if (lease) body['lease'] = lease;
    const r = await this.call<{ header: { revision: string } }>('/v3/kv/put', body);
    return Number(r.header.revision);
  }

  /** Puts many keys in one transaction (etcd allows 128 operations per txn by default). */
  async putMany(items: { key: string; value: Uint8Array | string }[]): Promise<void> {
    await this.call('/v3/kv/txn', {
      success: items.map((i) => ({ requestPut: { key: b64(i.key), value: b64(i.value) } })),
    });
  }

  async del(key: string): Promise<void> {
    await this.call('/v3/kv/deleterange', { key: b64(key) });
  }

  async leaseGrant(ttlSeconds: number): Promise<string> {
    const r = await this.call<{ ID: string }>('/v3/lease/grant', { TTL: ttlSeconds });
    return r.ID;
  }

  async compact(revision: number, physical = true): Promise<void> {
    await this.call('/v3/kv/compaction', { revision: String(revision), physical });
  }

  /** `etcdctl <args>` against this server, stdout as text. */
  etcdctl(args: string[]): string {
    return execFileSync('etcdctl', ['--endpoints', this.endpoint, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  snapshot(path: string): void {
    this.etcdctl(['snapshot', 'save', path]);
  }
}

/** `etcdctl snapshot status -w json` on a file (no server needed). */
export function snapshotStatus(path: string): { hash: number; revision: number; totalKey: number; totalSize: number } {
  const out = execFileSync('etcdctl', ['snapshot', 'status', path, '-w', 'json'], {
    env: { ...process.env, ETCDCTL_API: '3' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as { hash: number; revision: number; totalKey: number; totalSize: number };
}

function b64(v: string | Uint8Array): string {
  return (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)).toString('base64');
}

// ---------------------------------------------------------------- bulk filling

export interface FillStats {
  keys: number;
  secrets: number;
  plaintextSecrets: number;
}

/**
 * Writes `n` Kubernetes-shaped keys: a mix of Pods, ConfigMaps (protobuf), CRDs (JSON) and
 * Secrets (mostly aescbc-encrypted, one in fifty plaintext). Deterministic names.
 */
export async function fillKubernetesKeys(etcd: EtcdServer, n: number, opts: { concurrency?: number; batch?: number } = {}): Promise<FillStats> {
  const batch = opts.batch ?? 128;
  const concurrency = opts.concurrency ?? 8;
  const stats: FillStats = { keys: 0, secrets: 0, plaintextSecrets: 0 };
  const make = (i: number): { key: string; value: Buffer } => {
    const ns = `ns-${i % 50}`;
    const meta: FixtureMeta = { name: `obj-${i}`, namespace: ns, uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, created: 1700000000 + i };
    switch (i % 4) {
      case 0:
        return { key: `/registry/pods/${ns}/obj-${i}`, value: podProtobuf(meta, `registry.example/app:${i % 97}`) };
      case 1:
        return { key: `/registry/configmaps/${ns}/obj-${i}`, value: configMapProtobuf(meta, { 'app.conf': 'x'.repeat(200 + (i % 300)) }) };
      case 2:
        return {
          key: `/registry/example.com/widgets/${ns}/obj-${i}`,
          value: jsonObject('example.com/v1', 'Widget', meta, { spec: { size: i % 10, note: 'y'.repeat(100) } }),
        };
      default: {
        stats.secrets++;
        if (i % 50 === 3) {
          stats.plaintextSecrets++;
          return { key: `/registry/secrets/${ns}/obj-${i}`, value: secretProtobuf(meta, { token: randomBytes(32) }) };
        }
        return { key: `/registry/secrets/${ns}/obj-${i}`, value: encryptedValue('aescbc', 'key1', 300) };
      }
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const start = next;
      if (start >= n) return;
      next = Math.min(n, start + batch);
      const items = [];
      for (let i = start; i < next; i++) items.push(make(i));
      await etcd.putMany(items);
      stats.keys += items.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return stats;
}
