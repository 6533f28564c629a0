/**
 * A small, bounded CBOR (RFC 8949) decoder: enough to read the identity fields of a Kubernetes
 * object stored with the CBOR serializer (Kubernetes 1.32+). Kubernetes encodes Go strings as
 * byte strings, so callers should accept both text and byte strings as "strings".
 * Limits on depth, item count and lengths keep a hostile value from exhausting memory or stack.
 */

export class CborError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborError';
  }
}

export type CborValue =
  | number
  | bigint
  | string
  | Uint8Array
  | boolean
  | null
  | undefined
  | CborValue[]
  | Map<CborValue, CborValue>
  | { tag: number | bigint; value: CborValue };

const MAX_DEPTH = 64;
const MAX_ITEMS = 1_000_000;
const BREAK = Symbol('break');
const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeCbor(buf: Uint8Array, start = 0): CborValue {
  let pos = start;
  let items = 0;

  const need = (n: number): void => {
    if (n > buf.length - pos) throw new CborError('CBOR item runs past end of value');
  };

  const readArg = (info: number): number | bigint => {
    if (info < 24) return info;
    switch (info) {
      case 24:
        need(1);
        return buf[pos++]!;
      case 25:
        need(2);
        pos += 2;
        return (buf[pos - 2]! << 8) | buf[pos - 1]!;
      case 26: {
        need(4);
        const v = ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
        pos += 4;
        return v;
      }
      case 27: {
        need(8);
        let v = 0n;
        for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(buf[pos + i]!);
        pos += 8;
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      default:
        throw new CborError(`reserved additional information ${info}`);
    }
  };

  const length = (info: number): number => {
    const n = readArg(info);
    if (typeof n !== 'number' || n > buf.length) throw new CborError('CBOR length larger than the value');
    return n;
  };

  const item = (depth: number): CborValue | typeof BREAK => {
    if (depth > MAX_DEPTH) throw new CborError('CBOR nesting too deep');
    if (++items > MAX_ITEMS) throw new CborError('too many CBOR items');
    need(1);
    const ib = buf[pos++]!;
    const major = ib >> 5;
    const info = ib & 0x1f;
    if (ib === 0xff) return BREAK;
    switch (major) {
      case 0:
        return readArg(info);
      case 1: {
        const n = readArg(info);
        return typeof n === 'number' ? -1 - n : -1n - n;
      }
      case 2:
      case 3: {
        let bytes: Uint8Array;
        if (info === 31) {
          const chunks: Uint8Array[] = [];
          for (;;) {
            const c = item(depth + 1);
            if (c === BREAK) break;
            if (!(c instanceof Uint8Array) && typeof c !== 'string') throw new CborError('bad indefinite string chunk');
            chunks.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
          }
          bytes = Buffer.concat(chunks);
        } else {
          const n = length(info);
          need(n);
          bytes = buf.subarray(pos, pos + n);
          pos += n;
        }
        return major === 3 ? utf8.decode(bytes) : bytes;
      }
      case 4: {
        const out: CborValue[] = [];
        if (info === 31) {
          for (;;) {
            const v = item(depth + 1);
            if (v === BREAK) break;
            out.push(v);
          }
        } else {
          const n = length(info);
          for (let i = 0; i < n; i++) out.push(value(depth + 1));
        }
        return out;
      }
      case 5: {
        const out = new Map<CborValue, CborValue>();
        const put = (k: CborValue, v: CborValue): void => {
          // Byte-string keys become strings so lookups by name work whichever way they were encoded.
          out.set(k instanceof Uint8Array ? utf8.decode(k) : k, v);
        };
        if (info === 31) {
          for (;;) {
            const k = item(depth + 1);
            if (k === BREAK) break;
            put(k, value(depth + 1));
          }
        } else {
          const n = length(info);
          for (let i = 0; i < n; i++) put(value(depth + 1), value(depth + 1));
        }
        return out;
      }
      case 6: {
        const tag = readArg(info);
        return { tag, value: value(depth + 1) };
      }
      default: {
        // major 7: simple values and floats
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        if (info === 23) return undefined;
        if (info === 24) {
          need(1);
          pos++;
          return undefined;
        }
        if (info === 25 || info === 26 || info === 27) {
          const n = info === 25 ? 2 : info === 26 ? 4 : 8;
          need(n);
          const dv = new DataView(buf.buffer, buf.byteOffset + pos, n);
          pos += n;
          if (n === 2) return halfToNumber(dv.getUint16(0));
          return n === 4 ? dv.getFloat32(0) : dv.getFloat64(0);
        }
        if (info < 20) return info;
        throw new CborError(`unsupported simple value ${info}`);
      }
    }
  };

  const value = (depth: number): CborValue => {
    const v = item(depth);
    if (v === BREAK) throw new CborError('unexpected CBOR break');
    return v;
  };

  return value(0);
}

function halfToNumber(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
