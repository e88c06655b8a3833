/**
 * Gives every distinct string one small integer, shared by all the sequences interned with the
 * same table, so the diff compares numbers instead of strings. Unlike diff-match-patch's line
 * mode, which packs lines into UTF-16 code units, there is no limit on distinct values.
 */
export class InternTable {
  private readonly ids = new Map<string, number>();

  intern(items: readonly string[]): Int32Array {
    const out = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as string;
      let id = this.ids.get(item);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(item, id);
      }
      out[i] = id;
    }
    return out;
  }
}
