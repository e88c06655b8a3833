import { diff_match_patch, DIFF_DELETE, DIFF_INSERT } from '@dmsnell/diff-match-patch';
import * as Y from 'yjs';
import type { StrategyOutcome, Triple } from './types.ts';

/**
 * A CRDT merge with Yjs: two replicas forked from one state holding the base, each applies one
 * side's edits (its character diff from the base) as Y.Text operations, then they exchange
 * updates. Concurrent operations always commute, so it never conflicts; what it does with two
 * edits of the same words is whatever the operations add up to.
 */
export function crdtMerge(triple: Triple): StrategyOutcome {
  const origin = new Y.Doc();
  // Fixed client ids: Yjs orders concurrent insertions at one place by client id, so fixed ids
  // give the same result every run (mine's insertion first).
  origin.clientID = 1;
  origin.getText('content').insert(0, triple.base);
  const start = Y.encodeStateAsUpdate(origin);

  const replica = (clientID: number, text: string) => {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    Y.applyUpdate(doc, start);
    applyEdits(doc, triple.base, text);
    return doc;
  };
  const mine = replica(2, triple.mine);
  const theirs = replica(3, triple.theirs);
  Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)));
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)));
  const text = mine.getText('content').toString();
  // Both replicas must agree: that is the whole promise of a CRDT.
  if (text !== theirs.getText('content').toString()) throw new Error('Yjs replicas diverged');
  for (const doc of [origin, mine, theirs]) doc.destroy();
  return { strategy: 'crdt', text, clean: true, conflicts: [] };
}

/** Turns `from` into `to` inside `doc` with the operations of a character diff. */
function applyEdits(doc: Y.Doc, from: string, to: string): void {
  const dmp = new diff_match_patch();
  const diffs = dmp.diff_main(from, to);
  dmp.diff_cleanupSemantic(diffs);
  // 🕙 and 🕚 share their first UTF-16 unit: a diff that keeps it and swaps only the second
  // would have Yjs edit half a character, and the two replicas then disagree.
  dmp.diff_cleanupSplitSurrogates(diffs);
  const text = doc.getText('content');
  doc.transact(() => {
    let at = 0;
    for (const [op, chunk] of diffs) {
      if (op === DIFF_DELETE) text.delete(at, chunk.length);
      else if (op === DIFF_INSERT) {
        text.insert(at, chunk);
        at += chunk.length;
      } else at += chunk.length;
    }
  });
}
