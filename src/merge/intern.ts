/**
 * Gives every distinct string one small integer, shared by all the sequences interned with the
 * same table, so the diff compares numbers instead of strings. Unlike diff-match-patch's line
 * mode, which packs lines into UTF-16 code units, there is no limit on distinct values.
 *
 * An open-addressing table over an FNV-1a hash of the characters: for the hundreds of
 * thousands of distinct lines of a large document it is several times faster than a Map,
 * whose insertions dominated the whole merge.
 */
export class InternTable {
  private readonly values: string[] = [];
  private hashes = new Int32Array(256);
  /** Slot → id + 1 (0 = empty). */
  private slots = new Int32Array(512);

  intern(items: readonly string[]): Int32Array {
    const out = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = this.idOf(items[i] as string);
    return out;
  }

  /**
   * Interns a version of `reference` (already interned as `referenceIds`). Most of its items
   * equal the reference item at the same place give or take the edits so far, and comparing two
   * strings is much cheaper than hashing one, so each item is first compared there; only the
   * others are hashed, and a unique one re-aligns the guess after an insertion or deletion.
   */
  internAlong(items: readonly string[], reference: readonly string[], referenceIds: Int32Array): Int32Array {
    // Where each id sits in the reference: -1 nowhere, -2 more than once (no use for aligning).
    const place = new Int32Array(this.values.length).fill(-1);
    referenceIds.forEach((id, r) => {
      place[id] = place[id] === -1 ? r : -2;
    });
    const out = new Int32Array(items.length);
    let shift = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as string;
      // Past either end the reference has no item, and no item equals that.
      const r = i + shift;
      if (reference[r] === item) {
        out[i] = referenceIds[r] as number;
        continue;
      }
      const id = this.idOf(item);
      out[i] = id;
      // An id new to the table has no place.
      const at = place[id] ?? -1;
      if (at >= 0) shift = at - i;
    }
    return out;
  }

  private idOf(value: string): number {
    let hash = 0x811c9dc5 | 0;
    for (let k = 0; k < value.length; k++) hash = Math.imul(hash ^ value.charCodeAt(k), 0x01000193);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot] as number;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.values[id] === value) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.values.length;
    this.values.push(value);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    this.slots[slot] = id + 1;
    // Keep the table at most half full so probes stay short.
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return id;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.values.length; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}
