/**
 * Whether a save of mine lives on in a later version, or someone's Overwrite replaced it. The
 * event stream says only who saved which version; the texts say whether my change is in it: it is
 * when merging my change into the later version changes nothing. Pure, and loaded only once this
 * tab has saved and someone saved after it (it brings the merge engine).
 */
import { merge3, toText } from '../../merge/index.ts';

type Text = { title: string; content: string };

/** `before`: what my save started from; `mine`: what it saved; `later`: a later version by someone else. */
export function myChangeSurvives(before: Text, mine: Text, later: Text): boolean {
  const titleSurvives = before.title === mine.title || later.title === mine.title;
  if (!titleSurvives) return false;
  if (before.content === mine.content || later.content === mine.content) return true;
  const merged = merge3(before.content, mine.content, later.content);
  return merged.clean && toText(merged) === later.content;
}
