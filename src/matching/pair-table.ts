/**
 * An open-addressing hash table from a pair of 32-bit integers to a non-negative int.
 * Used for token hash → token id and (trie node, token id) → child node: no strings,
 * no boxing, one or two array probes per lookup.
 */
export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keysA = new Int32Array(size);
    this.keysB = new Int32Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  private slot(a: number, b: number): number {
    // Mix both halves: trie keys are small consecutive ints, hash keys are already mixed.
    let h = Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The value for (a, b), or -1. */
  get(a: number, b: number): number {
    const mask = this.mask;
    const keysA = this.keysA;
    const keysB = this.keysB;
    const values = this.values;
    let i = this.slot(a, b);
    for (;;) {
      const v = values[i]!;
      if (v < 0) return -1;
      if (keysA[i] === a && keysB[i] === b) return v;
      i = (i + 1) & mask;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.mask) this.grow();
    let i = this.slot(a, b);
    for (;;) {
      const v = this.values[i]!;
      if (v < 0) {
        this.keysA[i] = a;
        this.keysB[i] = b;
        this.values[i] = value;
        this.count++;
        return;
      }
      if (this.keysA[i] === a && this.keysB[i] === b) {
        this.values[i] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const size = (this.mask + 1) * 2;
    this.keysA = new Int32Array(size);
    this.keysB = new Int32Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.count = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v >= 0) this.set(keysA[i]!, keysB[i]!, v);
    }
  }
}
