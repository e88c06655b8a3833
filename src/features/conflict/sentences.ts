/**
 * The dialog's plain-words sentences: who saved what since your version, what a whole-document
 * action would lose. Pure, so they are tested without a browser. What went wrong with a save is
 * said by lib/problem-text.ts, where every problem is put into words.
 */
import type { LossExcerpt, LossSummary } from '../../merge/index.ts';
import type { ChangeSince } from '../../protocol/problems.ts';
import type { Document } from '../../protocol/types.ts';
import type { FormatTime } from '../../lib/clock.ts';

/** How many saves the header names one by one before it sums up the rest. */
const NAMED_SAVES = 3;

/**
 * "Bob saved version 7 at 12:03 · Carol saved version 6 at 12:01", newest first. When the server
 * no longer knows the saves in between, the current version speaks for them.
 */
export function changesSentence(changes: readonly ChangeSince[], theirs: Document, formatTime: FormatTime): string {
  const saves = changes.length > 0 ? [...changes].sort((a, b) => b.version - a.version) : [theirs];
  const named = saves
    .slice(0, NAMED_SAVES)
    .map((save) => `${save.updatedBy} saved version ${save.version} at ${formatTime(save.updatedAt)}`);
  const rest = saves.length - named.length;
  if (rest > 0) named.push(`${rest} earlier ${rest === 1 ? 'save' : 'saves'}`);
  return named.join(' · ');
}

/** "1 new change arrived" while the dialog was open, or null when none did. */
export function arrivedNote(count: number): string | null {
  if (count <= 0) return null;
  return count === 1 ? '1 new change arrived' : `${count} new changes arrived`;
}

/** The people behind "theirs", newest save first, each named once. */
export function theirAuthors(changes: readonly ChangeSince[], theirs: Document): string[] {
  const saves = changes.length > 0 ? [...changes].sort((a, b) => b.version - a.version) : [theirs];
  return [...new Set(saves.map((save) => save.updatedBy))];
}

/** "Bob", "Bob and Carol", "Bob, Carol and Dan". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'someone';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The label on their side and on the changes the merge took from them: "Theirs (Bob)". */
export function theirsLabel(authors: readonly string[]): string {
  return authors.length > 0 ? `Theirs (${listNames(authors)})` : 'Theirs';
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

function lineCount(n: number, what: string): string {
  return `${n} ${n === 1 ? 'line' : 'lines'} ${what}`;
}

/** The first excerpt, its text trimmed to one short line, or null when the summary has none. */
function excerptOf(summary: LossSummary, max = 40): LossExcerpt | null {
  const first = summary.excerpts.find((e) => e.text.trim() !== '');
  if (first === undefined) return null;
  // By code point, so an emoji is never cut in half.
  const oneLine = Array.from(first.text.trim().replace(/\s+/g, ' '));
  const text = oneLine.length > max ? `${oneLine.slice(0, max - 1).join('')}…` : oneLine.join('');
  return { text, removed: first.removed };
}

/**
 * " (2 lines added, 1 line removed): “new text”", or, when the quote is text the change removed,
 * " (1 line removed: “old text”)": what stands in quotes is always the document's own text.
 */
function lossDetails(summary: LossSummary): string {
  const parts: string[] = [];
  if (summary.linesAdded > 0) parts.push(lineCount(summary.linesAdded, 'added'));
  if (summary.linesRemoved > 0) parts.push(lineCount(summary.linesRemoved, 'removed'));
  const quote = excerptOf(summary);
  if (quote?.removed === true) {
    if (summary.linesRemoved > 0) return ` (${parts.join(', ')}: “${quote.text}”)`;
    return `${parts.length > 0 ? ` (${parts.join(', ')})` : ''}, removing “${quote.text}”`;
  }
  const counts = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return quote === null ? counts : `${counts}: “${quote.text}”`;
}

function changeCount(n: number): string {
  return n === 1 ? '1 change' : `${n} changes`;
}

/** "… and their title “Q3 plan”", or '' when the action keeps every title change. */
function titleDetails(title: string | null, hasChanges: boolean, whose: string): string {
  if (title === null) return '';
  return `${hasChanges ? ' and' : ''} ${whose} title “${title}”`;
}

/**
 * "Overwrite drops Bob's 2 changes (3 lines added): “foo…”", and the title Bob gave the document
 * when yours replaces it (`lostTitle`).
 */
export function overwriteLoss(summary: LossSummary, authors: readonly string[], lostTitle: string | null = null): string {
  const whose = authors.length > 0 ? possessive(listNames(authors)) : 'their';
  const count = summary.changedRegions;
  if (count === 0 && lostTitle === null) return 'Overwrite drops nothing: theirs has no change that yours lacks.';
  const changes = count === 0 ? '' : ` ${whose} ${count === 1 ? 'change' : `${count} changes`}${lossDetails(summary)}`;
  return `Overwrite drops${changes}${titleDetails(lostTitle, count > 0, whose)}.`;
}

/** "Discard drops 1 change of yours (2 lines added): “bar”", and your title when theirs replaces it. */
export function discardLoss(summary: LossSummary, lostTitle: string | null = null): string {
  const count = summary.changedRegions;
  if (count === 0 && lostTitle === null) return 'Discard drops nothing: yours has no change that theirs lacks.';
  const changes = count === 0 ? '' : ` ${changeCount(count)} of yours${lossDetails(summary)}`;
  return `Discard drops${changes}${titleDetails(lostTitle, count > 0, 'your')}.`;
}
