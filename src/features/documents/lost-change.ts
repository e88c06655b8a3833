/**
 * Bringing a lost change back: the lost save's edit (its parent → its text) merged into the text
 * there is now. Pure, and loaded only once a lost change is shown (it brings the merge engine).
 */
import { merge3, toText } from '../../merge/index.ts';

/** `base`: what the lost save started from; `lost`: what it saved; `current`: the text now. */
export function replayLostChange(base: string, lost: string, current: string): string {
  return toText(merge3(base, lost, current));
}
