/**
 * An open-addressing hash table from a pair of 32-bit integers to a non-negative int.
 * Used for token hash → token id and (trie node, token id) → child node: no strings,
 * no boxing, one or two array probes per lookup.
 *
 * Each slot is four ints in one array (key a, key b, value, unused), so a probe reads
 * one cache line, not one in each of three arrays: with the typo variants of issue 12 the
 * vocabulary outgrew the core's nearest caches and three misses per token cost the
 * matcher 27% on the feeder benchmark's posts (bench/feeder/ab-match.ts, same run).
 */
const STRIDE = 4;

export class PairTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = PairTable.empty(size);
    this.mask = size - 1;
  }

  private static empty(size: number): Int32Array {
    const slots = new Int32Array(size * STRIDE);
    for (let i = 2; i < slots.length; i += STRIDE) slots[i] = -1;
    return slots;
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
    const slots = this.slots;
    let i = this.slot(a, b);
    for (;;) {
      const at = i * STRIDE;
      const v = slots[at + 2]!;
      if (v < 0) return -1;
      if (slots[at] === a && slots[at + 1] === b) return v;
      i = (i + 1) & mask;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.mask) this.grow();
    const slots = this.slots;
    let i = this.slot(a, b);
    for (;;) {
      const at = i * STRIDE;
      const v = slots[at + 2]!;
      if (v < 0) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = value;
        this.count++;
        return;
      }
      if (slots[at] === a && slots[at + 1] === b) {
        slots[at + 2] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = PairTable.empty(size);
    this.mask = size - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      const v = old[at + 2]!;
      if (v >= 0) this.set(old[at]!, old[at + 1]!, v);
    }
  }
}
