/**
 * etcd's mvcc layer on top of bbolt: the `key` bucket maps revision keys to mvccpb.KeyValue.
 *
 * A revision key is 8-byte big-endian main revision, `_`, 8-byte big-endian sub revision, and a
 * trailing `t` when the entry is a tombstone (the key was deleted at that revision). Entries are
 * therefore sorted by revision, not by user key: the latest state of a key is its entry with the
 * highest revision, and it is deleted when that entry is a tombstone.
 */
import { ProtoReader, ProtobufError, WIRE_LEN, WIRE_VARINT } from './protobuf.js';

export const REVISION_KEY_SIZE = 17;
const SEP = 0x5f; // '_'
const TOMBSTONE = 0x74; // 't'

export interface RevisionKey {
  main: number;
  sub: number;
  tombstone: boolean;
}

function be64(b: Uint8Array, off: number): number {
  const hi = ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  const lo = ((b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!) >>> 0;
  return hi * 4294967296 + lo;
}

/** Parses a `key` bucket key; null when it is not a well-formed revision key. */
export function parseRevisionKey(k: Uint8Array): RevisionKey | null {
  if (k.length !== REVISION_KEY_SIZE && k.length !== REVISION_KEY_SIZE + 1) return null;
  if (k[8] !== SEP) return null;
  if (k.length === REVISION_KEY_SIZE + 1 && k[17] !== TOMBSTONE) return null;
  // Revisions are int64; a set top bit would be negative and is never written by etcd.
  if (k[0]! & 0x80 || k[9]! & 0x80) return null;
  const main = be64(k, 0);
  const sub = be64(k, 9);
  if (!Number.isSafeInteger(main) || !Number.isSafeInteger(sub)) return null;
  return { main, sub, tombstone: k.length === REVISION_KEY_SIZE + 1 };
}

/** mvccpb.KeyValue: key=1 bytes, create_revision=2, mod_revision=3, version=4, value=5 bytes, lease=6. */
export interface MvccKeyValue {
  key: Uint8Array;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Uint8Array;
  /** Lease ids are random int64s that routinely exceed 2^53, hence BigInt; 0n = no lease. */
  lease: bigint;
}

const EMPTY = new Uint8Array(0);

export function decodeKeyValue(buf: Uint8Array): MvccKeyValue {
  const r = new ProtoReader(buf);
  const kv: MvccKeyValue = { key: EMPTY, createRevision: 0, modRevision: 0, version: 0, value: EMPTY, lease: 0n };
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        expectWire(wire, WIRE_LEN, 'key');
        kv.key = r.bytes();
        break;
      case 2:
        expectWire(wire, WIRE_VARINT, 'create_revision');
        kv.createRevision = r.varint();
        break;
      case 3:
        expectWire(wire, WIRE_VARINT, 'mod_revision');
        kv.modRevision = r.varint();
        break;
      case 4:
        expectWire(wire, WIRE_VARINT, 'version');
        kv.version = r.varint();
        break;
      case 5:
        expectWire(wire, WIRE_LEN, 'value');
        kv.value = r.bytes();
        break;
      case 6:
        expectWire(wire, WIRE_VARINT, 'lease');
        kv.lease = r.varintBig();
        break;
      default:
        r.skip(wire);
    }
  }
  return kv;
}

function expectWire(got: number, want: number, name: string): void {
  if (got !== want) throw new ProtobufError(`KeyValue.${name} has wire type ${got}, expected ${want}`);
}
