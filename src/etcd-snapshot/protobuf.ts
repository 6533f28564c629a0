/**
 * Minimal protobuf wire-format reader: enough for mvccpb.KeyValue and the Kubernetes envelope.
 * Every read is bounds-checked against the message end and throws ProtobufError instead of
 * reading past it, because values come from untrusted (possibly corrupt or hostile) files.
 */

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const TWO_POW_32 = 4294967296;

export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new ProtobufError('message range outside buffer');
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; returns field number and wire type. */
  tag(): { field: number; wire: number } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new ProtobufError('field number 0');
    return { field, wire };
  }

  /** Varint as a number; values beyond 2^53 lose precision (use varintBig for ids). */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('varint runs past end of message');
      const b = this.buf[this.pos++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if ((b & 0x80) === 0) return (hi >>> 0) * TWO_POW_32 + (lo >>> 0);
      shift += 7;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** Varint as a signed 64-bit BigInt (int64 two's complement). */
  varintBig(): bigint {
    let v = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('varint runs past end of message');
      const b = this.buf[this.pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, v);
      shift += 7n;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** Length-delimited payload as a view into the buffer (no copy). */
  bytes(): Uint8Array {
    const len = this.varint();
    if (len > this.end - this.pos) throw new ProtobufError('length-delimited field runs past end of message');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Start/end of a length-delimited payload, for nested decoding without copying. */
  range(): [number, number] {
    const len = this.varint();
    if (len > this.end - this.pos) throw new ProtobufError('length-delimited field runs past end of message');
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.range();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        // Groups (3/4) are not used by etcd or Kubernetes; treat as corruption.
        throw new ProtobufError(`unsupported wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new ProtobufError('fixed-width field runs past end of message');
    this.pos += n;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
