/**
 * Classifies a value stored by the Kubernetes API server in etcd, without ever returning the
 * value itself. Storage formats:
 * - `k8s\0` + runtime.Unknown protobuf: typeMeta=1 {apiVersion=1, kind=2}, raw=2 (the object's
 *   own protobuf, whose field 1 is ObjectMeta for every top-level object), contentEncoding=3,
 *   contentType=4;
 * - JSON (`{`): CRDs and anything stored with the JSON serializer;
 * - CBOR with the self-describing tag 55799 (`d9 d9 f7`): Kubernetes 1.32+ CBOR serializer;
 * - `k8s:enc:<provider>:<v1|v2>:<key name>:` + ciphertext: encryption at rest (aescbc, aesgcm,
 *   secretbox, kms). The identity provider writes plaintext with no prefix.
 */
import { type CborValue, decodeCbor } from './cbor.js';
import { ProtoReader, WIRE_LEN, WIRE_VARINT, decodeUtf8 } from './protobuf.js';

export type ValueKind = 'protobuf' | 'json' | 'cbor' | 'encrypted' | 'empty' | 'unknown';

/** Identity of a Kubernetes object, as far as it could be decoded (null fields = not present). */
export interface K8sObjectIdentity {
  apiVersion: string | null;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  uid: string | null;
  /** RFC 3339, second precision, as Kubernetes prints it. */
  creationTimestamp: string | null;
}

export interface EncryptionInfo {
  /** aescbc, aesgcm, secretbox, kms... */
  provider: string;
  /** v1 or v2 (kms v2 differs from v1); empty when the prefix is malformed. */
  version: string;
  /** The key (or KMS plugin) name from the EncryptionConfiguration. */
  keyName: string;
}

export interface ClassifiedValue {
  valueKind: ValueKind;
  k8s: K8sObjectIdentity | null;
  encrypted: EncryptionInfo | null;
  /**
   * For a Secret (or a value the caller says is one): whether it carries any data/stringData
   * entry in plaintext. null when the value could not be decoded far enough to tell.
   */
  secretData: boolean | null;
  /** Why decoding stopped early (the classification still stands). */
  decodeError: string | null;
}

export const K8S_PROTOBUF_PREFIX = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
export const K8S_ENCRYPTED_PREFIX = Buffer.from('k8s:enc:', 'latin1');
export const CBOR_SELF_DESCRIBE = Buffer.from([0xd9, 0xd9, 0xf7]);

/**
 * Fields read per message level before giving up. Real envelopes have 4 top-level fields and
 * ObjectMeta's identity fields come first; the cap keeps the free-page scan, which decodes at
 * every candidate offset of attacker-controlled bytes, linear instead of quadratic.
 */
const MAX_FIELDS = 64;

function startsWith(v: Uint8Array, prefix: Uint8Array): boolean {
  if (v.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (v[i] !== prefix[i]) return false;
  return true;
}

/**
 * @param assumeSecret decode the object as a Secret (data/stringData) even when its kind says
 *   otherwise or is unknown: the key path (/registry/secrets/...) is the stronger signal.
 */
export function classifyValue(value: Uint8Array, assumeSecret = false): ClassifiedValue {
  if (value.length === 0) return result('empty');
  if (startsWith(value, K8S_ENCRYPTED_PREFIX)) {
    return { ...result('encrypted'), encrypted: parseEncryptionPrefix(value) };
  }
  if (startsWith(value, K8S_PROTOBUF_PREFIX)) return classifyProtobuf(value, K8S_PROTOBUF_PREFIX.length, assumeSecret);
  if (startsWith(value, CBOR_SELF_DESCRIBE)) return classifyCbor(value, assumeSecret);
  let i = 0;
  while (i < value.length && (value[i] === 0x20 || value[i] === 0x0a || value[i] === 0x0d || value[i] === 0x09)) i++;
  if (value[i] === 0x7b) return classifyJson(value, assumeSecret);
  return result('unknown');
}

function result(valueKind: ValueKind): ClassifiedValue {
  return { valueKind, k8s: null, encrypted: null, secretData: null, decodeError: null };
}

/** `k8s:enc:<provider>:<version>:<name>:` — fields are short ASCII; anything else is malformed. */
export function parseEncryptionPrefix(value: Uint8Array): EncryptionInfo {
  const fields: string[] = [];
  let start = K8S_ENCRYPTED_PREFIX.length;
  const limit = Math.min(value.length, start + 512);
  for (let i = start; i < limit && fields.length < 3; i++) {
    const c = value[i]!;
    if (c === 0x3a) {
      fields.push(Buffer.from(value.subarray(start, i)).toString('latin1'));
      start = i + 1;
    } else if (c < 0x20 || c > 0x7e) {
      break;
    }
  }
  return { provider: fields[0] ?? '', version: fields[1] ?? '', keyName: fields[2] ?? '' };
}

/** Decodes the runtime.Unknown envelope; `at` is where the protobuf starts (after `k8s\0`). */
export function classifyProtobuf(value: Uint8Array, at: number, assumeSecret: boolean): ClassifiedValue {
  const out = result('protobuf');
  const id: K8sObjectIdentity = { apiVersion: null, kind: null, namespace: null, name: null, uid: null, creationTimestamp: null };
  out.k8s = id;
  let raw: [number, number] | null = null;
  try {
    const r = new ProtoReader(value, at);
    // typeMeta (1) precedes raw (2): once raw is found the rest (content type/encoding) is not needed.
    for (let n = 0; !r.done() && !raw && n < MAX_FIELDS; n++) {
      const { field, wire } = r.tag();
      if (field === 1 && wire === WIRE_LEN) {
        const [s, e] = r.range();
        const t = new ProtoReader(value, s, e);
        for (let m = 0; !t.done() && m < MAX_FIELDS; m++) {
          const f = t.tag();
          if (f.field === 1 && f.wire === WIRE_LEN) id.apiVersion = decodeUtf8(t.bytes());
          else if (f.field === 2 && f.wire === WIRE_LEN) id.kind = decodeUtf8(t.bytes());
          else t.skip(f.wire);
        }
      } else if (field === 2 && wire === WIRE_LEN) {
        raw = r.range();
      } else {
        r.skip(wire);
      }
    }
  } catch (err) {
    out.decodeError = `runtime.Unknown: ${(err as Error).message}`;
  }
  if (raw) {
    try {
      decodeRawObject(value, raw[0], raw[1], id, out, assumeSecret || id.kind === 'Secret');
    } catch (err) {
      out.decodeError ??= `object: ${(err as Error).message}`;
    }
  }
  return out;
}

/** Top-level object protobuf: field 1 is ObjectMeta; for a Secret, 2 is data and 4 is stringData. */
function decodeRawObject(
  buf: Uint8Array,
  start: number,
  end: number,
  id: K8sObjectIdentity,
  out: ClassifiedValue,
  secret: boolean,
): void {
  const r = new ProtoReader(buf, start, end);
  if (secret) out.secretData = false;
  let metaSeen = false;
  for (let n = 0; !r.done() && n < MAX_FIELDS; n++) {
    if (metaSeen && (!secret || out.secretData)) return;
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_LEN) {
      const [s, e] = r.range();
      decodeObjectMeta(buf, s, e, id);
      metaSeen = true;
    } else if (secret && (field === 2 || field === 4) && wire === WIRE_LEN) {
      r.range(); // a map entry: its presence is all we record
      out.secretData = true;
    } else {
      r.skip(wire);
    }
  }
}

/** ObjectMeta: name=1, namespace=3, uid=5, creationTimestamp=8 {seconds=1, nanos=2}. */
function decodeObjectMeta(buf: Uint8Array, start: number, end: number, id: K8sObjectIdentity): void {
  const r = new ProtoReader(buf, start, end);
  for (let n = 0; !r.done() && n < MAX_FIELDS; n++) {
    const { field, wire } = r.tag();
    // gogo-protobuf writes fields in number order: past 8 there is nothing we read.
    if (field > 8) return;
    if (wire === WIRE_LEN && field === 1) id.name = decodeUtf8(r.bytes());
    else if (wire === WIRE_LEN && field === 3) id.namespace = decodeUtf8(r.bytes());
    else if (wire === WIRE_LEN && field === 5) id.uid = decodeUtf8(r.bytes());
    else if (wire === WIRE_LEN && field === 8) {
      const [s, e] = r.range();
      const t = new ProtoReader(buf, s, e);
      let seconds = 0;
      for (let m = 0; !t.done() && m < 4; m++) {
        const f = t.tag();
        if (f.field === 1 && f.wire === WIRE_VARINT) seconds = t.varint();
        else t.skip(f.wire);
      }
      id.creationTimestamp = formatTime(seconds);
    } else r.skip(wire);
  }
}

function formatTime(seconds: number): string | null {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.000Z, or ±YYYYYY-... far out
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return decodeUtf8(v);
  return null;
}

function nonEmpty(v: unknown): boolean {
  if (v instanceof Map) return v.size > 0;
  if (v && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v)) return Object.keys(v).length > 0;
  return false;
}

function classifyJson(value: Uint8Array, assumeSecret: boolean): ClassifiedValue {
  const out = result('json');
  let obj: unknown;
  try {
    obj = JSON.parse(decodeUtf8(value));
  } catch (err) {
    out.decodeError = `JSON: ${(err as Error).message}`;
    return out;
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return out;
  const o = obj as Record<string, unknown>;
  const meta = (o['metadata'] && typeof o['metadata'] === 'object' ? o['metadata'] : {}) as Record<string, unknown>;
  out.k8s = {
    apiVersion: str(o['apiVersion']),
    kind: str(o['kind']),
    namespace: str(meta['namespace']),
    name: str(meta['name']),
    uid: str(meta['uid']),
    creationTimestamp: str(meta['creationTimestamp']),
  };
  if (assumeSecret || out.k8s.kind === 'Secret') out.secretData = nonEmpty(o['data']) || nonEmpty(o['stringData']);
  return out;
}

function classifyCbor(value: Uint8Array, assumeSecret: boolean): ClassifiedValue {
  const out = result('cbor');
  let v: CborValue;
  try {
    v = decodeCbor(value);
  } catch (err) {
    out.decodeError = `CBOR: ${(err as Error).message}`;
    return out;
  }
  while (v && typeof v === 'object' && 'tag' in v && !(v instanceof Map)) v = v.value;
  if (!(v instanceof Map)) return out;
  const meta = v.get('metadata');
  const m = meta instanceof Map ? meta : new Map<CborValue, CborValue>();
  const ts = m.get('creationTimestamp');
  out.k8s = {
    apiVersion: str(v.get('apiVersion')),
    kind: str(v.get('kind')),
    namespace: str(m.get('namespace')),
    name: str(m.get('name')),
    uid: str(m.get('uid')),
    creationTimestamp: str(ts && typeof ts === 'object' && 'tag' in ts && !(ts instanceof Map) ? ts.value : ts),
  };
  if (assumeSecret || out.k8s.kind === 'Secret') out.secretData = nonEmpty(v.get('data')) || nonEmpty(v.get('stringData'));
  return out;
}
