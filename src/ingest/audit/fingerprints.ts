/**
 * A set of 64-bit string fingerprints in two typed arrays (open addressing, linear probing):
 * remembers every request already written (millions of them) in 8 bytes each instead of the
 * ~100 bytes a Set<string> entry costs. Two independent 32-bit FNV-1a lanes make a false
 * "already seen" about 1 in 2^64 per pair; zero marks an empty slot.
 */
export class FingerprintSet {
  private lo: Uint32Array;
  private hi: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(initialCapacity = 1 << 16) {
    let size = 1;
    while (size < initialCapacity * 2) size <<= 1;
    this.lo = new Uint32Array(size);
    this.hi = new Uint32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.used;
  }

  /**
   * Adds the fingerprint of `key` (or of `${key} ${second}`, without building that string);
   * returns false when it was already there.
   */
  add(key: string, second?: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ (second === undefined ? key.length : key.length + 1 + second.length);
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    if (second !== undefined) {
      a = Math.imul(a ^ 32, 0x01000193);
      b = Math.imul(b ^ 32, 0x5bd1e995) ^ (b >>> 15);
      for (let i = 0; i < second.length; i++) {
        const c = second.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
      }
    }
    a >>>= 0;
    b >>>= 0;
    if (a === 0 && b === 0) a = 1;
    let slot = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const l = this.lo[slot]!;
      const h = this.hi[slot]!;
      if (l === 0 && h === 0) break;
      if (l === a && h === b) return false;
      slot = (slot + 1) & this.mask;
    }
    this.lo[slot] = a;
    this.hi[slot] = b;
    if (++this.used * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const lo = this.lo;
    const hi = this.hi;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(hi.length * 2);
    this.mask = this.lo.length - 1;
    for (let i = 0; i < lo.length; i++) {
      const a = lo[i]!;
      const b = hi[i]!;
      if (a === 0 && b === 0) continue;
      let slot = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
      while (this.lo[slot] !== 0 || this.hi[slot] !== 0) slot = (slot + 1) & this.mask;
      this.lo[slot] = a;
      this.hi[slot] = b;
    }
  }
}
