/**
 * The two non-cryptographic checksums the format needs, written out because Node has neither:
 * FNV-1a 64 (bbolt's meta page checksum) and CRC-32C / Castagnoli (the hash printed by
 * `etcdctl snapshot status`).
 */

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a 64; only ever run over a 56-byte meta struct, so BigInt speed does not matter. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV64_OFFSET;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h;
}

// Slice-by-8 tables: the status hash runs over every key and value in the file, so a
// byte-at-a-time loop would dominate the status() time on large snapshots.
const CASTAGNOLI_REFLECTED = 0x82f63b78;
const TABLES: Uint32Array[] = (() => {
  const t: Uint32Array[] = [];
  for (let k = 0; k < 8; k++) t.push(new Uint32Array(256));
  const t0 = t[0]!;
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REFLECTED : c >>> 1;
    t0[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = t0[i]!;
    for (let k = 1; k < 8; k++) {
      c = (t0[c & 0xff]! ^ (c >>> 8)) >>> 0;
      t[k]![i] = c;
    }
  }
  return t;
})();

/** Incremental CRC-32C, same result as Go's crc32.New(crc32.MakeTable(crc32.Castagnoli)). */
export class Crc32c {
  private crc = 0xffffffff;

  update(buf: Uint8Array): this {
    const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [
      Uint32Array, Uint32Array, Uint32Array, Uint32Array,
      Uint32Array, Uint32Array, Uint32Array, Uint32Array,
    ];
    let crc = this.crc;
    let i = 0;
    const n = buf.length;
    const end8 = n - (n % 8);
    while (i < end8) {
      const a = (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) ^ crc;
      crc =
        t7[a & 0xff]! ^
        t6[(a >>> 8) & 0xff]! ^
        t5[(a >>> 16) & 0xff]! ^
        t4[a >>> 24]! ^
        t3[buf[i + 4]!]! ^
        t2[buf[i + 5]!]! ^
        t1[buf[i + 6]!]! ^
        t0[buf[i + 7]!]!;
      i += 8;
    }
    while (i < n) {
      crc = t0[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
      i++;
    }
    this.crc = crc >>> 0;
    return this;
  }

  digest(): number {
    return (this.crc ^ 0xffffffff) >>> 0;
  }
}

export function crc32c(buf: Uint8Array): number {
  return new Crc32c().update(buf).digest();
}
