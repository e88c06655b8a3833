/**
 * The user's choices for the conflicts of a merge, and the result text they produce.
 * Pure: the dialog renders from these functions and the tests check them directly.
 */
import { toText } from '../../merge/index.ts';
import type { Hunk, MergeResult } from '../../merge/index.ts';

export type ConflictHunk = Extract<Hunk, { kind: 'conflict' }>;

/** What a "Take …" button puts in place of a conflict. */
export type TakeOption = 'mine' | 'theirs' | 'mine-then-theirs' | 'theirs-then-mine' | 'base';

export type Choice = { kind: 'take'; take: TakeOption } | { kind: 'edit'; text: string };

/** Choices by conflict key (see `conflictRefs`). */
export type Choices = ReadonlyMap<string, Choice>;

export const takeOptions: readonly TakeOption[] = [
  'mine',
  'theirs',
  'mine-then-theirs',
  'theirs-then-mine',
  'base',
];

export const takeLabels: Record<TakeOption, string> = {
  mine: 'Take mine',
  theirs: 'Take theirs',
  'mine-then-theirs': 'Take both (mine first)',
  'theirs-then-mine': 'Take both (theirs first)',
  base: 'Take base',
};

/** One conflict of a merge: where it sits among the hunks and the key its choice is stored under. */
export interface ConflictRef {
  /** Index into `MergeResult.hunks`. */
  hunkIndex: number;
  /** 0-based position among the conflicts. */
  ordinal: number;
  /**
   * Built from the conflict's base, mine and theirs text (plus which repeat of that text it is),
   * not from its position: when a further save recomputes the merge, a conflict whose three texts
   * did not change finds its choice again even if hunks before it appeared or vanished.
   */
  key: string;
  hunk: ConflictHunk;
  /** Whether the conflict spans whole lines; decides how "Take both" joins the two sides. */
  lineLevel: boolean;
}

export function conflictRefs(result: MergeResult): ConflictRef[] {
  const refs: ConflictRef[] = [];
  const seen = new Map<string, number>();
  const { hunks } = result;
  let atLineStart = true;
  hunks.forEach((hunk, hunkIndex) => {
    if (hunk.kind === 'conflict') {
      const content = JSON.stringify([hunk.base, hunk.mine, hunk.theirs]);
      const repeat = seen.get(content) ?? 0;
      seen.set(content, repeat + 1);
      const isLast = hunkIndex === hunks.length - 1;
      const endsAtLineEnd = isLast || hunk.mine.endsWith('\n') || hunk.theirs.endsWith('\n');
      refs.push({
        hunkIndex,
        ordinal: refs.length,
        key: `${content}#${repeat}`,
        hunk,
        lineLevel: atLineStart && endsAtLineEnd,
      });
    }
    const end = hunk.kind === 'conflict' ? hunk.mine : hunk.text;
    if (end !== '') atLineStart = end.endsWith('\n');
  });
  return refs;
}

/**
 * Both sides one after the other. Whole lines are joined on a line break, words on a space, so
 * "Take both" never glues the last word of one side to the first word of the other.
 */
export function joinBoth(first: string, second: string, lineLevel: boolean): string {
  if (first === '' || second === '') return first + second;
  if (lineLevel) {
    if (first.endsWith('\n')) return first + second;
    // The document's own line ending, so a Windows text stays all \r\n.
    const eol = /\r\n/.test(first) || /\r\n/.test(second) ? '\r\n' : '\n';
    return `${first}${eol}${second}`;
  }
  return /\s$/.test(first) || /^\s/.test(second) ? first + second : `${first} ${second}`;
}

export function resolveConflict(ref: ConflictRef, choice: Choice): string {
  const { hunk } = ref;
  if (choice.kind === 'edit') return choice.text;
  switch (choice.take) {
    case 'mine':
      return hunk.mine;
    case 'theirs':
      return hunk.theirs;
    case 'mine-then-theirs':
      return joinBoth(hunk.mine, hunk.theirs, ref.lineLevel);
    case 'theirs-then-mine':
      return joinBoth(hunk.theirs, hunk.mine, ref.lineLevel);
    case 'base':
      return hunk.base;
  }
}

/**
 * The merge with every chosen conflict replaced by its resolution; conflicts without a choice
 * stay conflicts. `toText` of this is the result the dialog shows and saves.
 */
export function applyChoices(result: MergeResult, refs: readonly ConflictRef[], choices: Choices): MergeResult {
  const hunks = result.hunks.slice();
  let clean = true;
  for (const ref of refs) {
    const choice = choices.get(ref.key);
    if (choice) hunks[ref.hunkIndex] = { kind: 'stable', text: resolveConflict(ref, choice) };
    else clean = false;
  }
  return { clean, hunks };
}

/** The result text: resolved conflicts as chosen, open ones with diff3 markers. */
export function resultText(result: MergeResult, refs: readonly ConflictRef[], choices: Choices): string {
  return toText(applyChoices(result, refs, choices));
}

export function openCount(refs: readonly ConflictRef[], choices: Choices): number {
  return refs.reduce((n, ref) => (choices.has(ref.key) ? n : n + 1), 0);
}

/** "2 of 3 conflicts left", for the live region that screen readers announce. */
export function counterText(open: number, total: number): string {
  if (total === 0) return 'No conflicts: every change merged on its own';
  if (open === 0) return total === 1 ? 'The conflict is resolved' : `All ${total} conflicts resolved`;
  return `${open} of ${total} ${total === 1 ? 'conflict' : 'conflicts'} left`;
}

/**
 * The conflict to go to from `current` in direction `step`, wrapping around. Forward, the nearest
 * open one (the next thing to decide), or the neighbour when none is open. Back, always the one
 * just before, resolved or not: going back is for looking at a choice again.
 */
export function nextConflict(
  refs: readonly ConflictRef[],
  choices: Choices,
  current: number,
  step: 1 | -1,
): number {
  const total = refs.length;
  if (total === 0) return -1;
  const from = current < 0 || current >= total ? (step === 1 ? -1 : total) : current;
  if (step === -1) return (from - 1 + total) % total;
  for (let i = 1; i <= total; i++) {
    const candidate = (((from + step * i) % total) + total) % total;
    if (!choices.has(refs[candidate].key)) return candidate;
  }
  return (((from + step) % total) + total) % total;
}

/**
 * What the user left per conflict (choices, drafts of hand edits), for the conflicts that still
 * exist; the rest belong to regions that changed since.
 */
export function keptFor<T>(byKey: ReadonlyMap<string, T>, refs: readonly ConflictRef[]): Map<string, T> {
  const kept = new Map<string, T>();
  if (byKey.size === 0) return kept;
  for (const ref of refs) {
    const value = byKey.get(ref.key);
    if (value !== undefined) kept.set(ref.key, value);
  }
  return kept;
}

/** The dialog's work on one merge, as `droppedEdits` compares it with the next merge. */
export interface MergeWork {
  merge: MergeResult;
  refs: readonly ConflictRef[];
  choices: Choices;
  /** Text typed into a conflict's editor before the user took a side instead, by conflict key. */
  drafts: ReadonlyMap<string, string>;
}

/** Every text a conflict has without anyone typing: its sides and what each "Take" makes of them. */
function untypedTexts(ref: ConflictRef): string[] {
  // Stryker disable next-line StringLiteral: resolveConflict reads `take` for every choice but an edit, whatever its kind says.
  return takeOptions.map((take) => resolveConflict(ref, { kind: 'take', take }));
}

/**
 * The texts the user typed for conflicts that a new merge no longer has (a further save changed
 * their region): hand edits (`'edit'` choices) and drafts whose conflict key vanished. They would
 * otherwise be dropped with their choice, so the dialog puts them aside for the user to copy.
 *
 * Left out: texts that are not typed (a side or a "Take" of their own conflict, or empty), texts
 * that live on in the new merge (its "mine", one of its conflicts' sides, a kept choice or draft),
 * texts already put aside (`aside`), and the hand edits when the new "mine" is exactly the result
 * those choices made (a Merge that met a further save: they were saved into it). Each text once,
 * in conflict order, edits before drafts.
 */
export function droppedEdits(
  before: MergeWork,
  after: { refs: readonly ConflictRef[]; mine: string },
  aside: readonly string[] = [],
): string[] {
  if (before.drafts.size === 0 && ![...before.choices.values()].some((choice) => choice.kind === 'edit')) return [];
  const newKeys = new Set(after.refs.map((ref) => ref.key));
  const candidates: Array<{ text: string; ref: ConflictRef | undefined; fromChoice: boolean }> = [];
  const oldRefs = new Map(before.refs.map((ref) => [ref.key, ref]));
  // In conflict order; then any kept from an earlier opening for conflicts this merge lacked.
  const keys = [...new Set([...oldRefs.keys(), ...before.choices.keys(), ...before.drafts.keys()])];
  for (const key of keys) {
    if (newKeys.has(key)) continue;
    const choice = before.choices.get(key);
    if (choice?.kind === 'edit') candidates.push({ text: choice.text, ref: oldRefs.get(key), fromChoice: true });
  }
  for (const key of keys) {
    const draft = before.drafts.get(key);
    if (draft !== undefined && !newKeys.has(key)) candidates.push({ text: draft, ref: oldRefs.get(key), fromChoice: false });
  }
  if (candidates.length === 0) return [];

  const surviving = new Set<string>([after.mine, ...aside]);
  for (const ref of after.refs) {
    surviving.add(ref.hunk.base).add(ref.hunk.mine).add(ref.hunk.theirs);
    const choice = before.choices.get(ref.key);
    if (choice) surviving.add(resolveConflict(ref, choice));
    const draft = before.drafts.get(ref.key);
    if (draft !== undefined) surviving.add(draft);
  }
  let choicesInMine: boolean | undefined;
  const dropped: string[] = [];
  for (const { text, ref, fromChoice } of candidates) {
    if (text.trim() === '' || surviving.has(text)) continue;
    if (ref && untypedTexts(ref).includes(text)) continue;
    if (fromChoice) {
      choicesInMine ??= after.mine === resultText(before.merge, before.refs, before.choices);
      if (choicesInMine) continue;
    }
    surviving.add(text);
    dropped.push(text);
  }
  return dropped;
}

const openingMarker = /^<<<<<<< mine\r?$/gm;

function countOpeningMarkers(text: string): number {
  return text.match(openingMarker)?.length ?? 0;
}

/**
 * True when a typed result still holds the markers of an open conflict, as `toText` writes them.
 * Markers the document itself already had (a page about git, say) do not count.
 */
// Stryker disable next-line StringLiteral: any default without an opening marker line counts none, as '' does.
export function hasConflictMarkers(text: string, mine = '', theirs = ''): boolean {
  return countOpeningMarkers(text) > Math.max(countOpeningMarkers(mine), countOpeningMarkers(theirs));
}

/** Words for a choice, e.g. in a conflict's status line. */
export function choiceDescription(choice: Choice | undefined): string {
  if (!choice) return 'Open';
  if (choice.kind === 'edit') return 'Resolved: edited by hand';
  // Stryker disable next-line Regex: every take label starts with its one "Take".
  return `Resolved: ${takeLabels[choice.take].replace(/^Take/, 'took')}`;
}

export type Side = 'mine' | 'theirs';

/**
 * The title as a three-way merge of one line: a side that kept the base title yields to the side
 * that changed it. When both changed it differently the title is a conflict like any other: no
 * side is taken until the user picks one (`side` is null).
 */
export function mergeTitle(base: string, mine: string, theirs: string): { side: Side | null; needsChoice: boolean } {
  if (mine === theirs || theirs === base) return { side: 'mine', needsChoice: false };
  if (mine === base) return { side: 'theirs', needsChoice: false };
  return { side: null, needsChoice: true };
}

/** The title one side changed that a whole-document action would drop, or null when none. */
export function titleLost(base: string, kept: string, dropped: string): string | null {
  return dropped !== base && dropped !== kept ? dropped : null;
}

/** Where a part of the merged result came from. */
export type Origin = 'mine' | 'theirs' | 'both' | 'base' | 'typed';

export type ResultPart =
  /** Text both sides left as it was. */
  | { kind: 'stable'; text: string }
  /** Text that one side, both, the base or the user's typing put there. */
  | { kind: 'part'; origin: Origin; text: string }
  /** A conflict not resolved yet: its place in the result, without markers. */
  | { kind: 'open'; ordinal: number };

function originOf(choice: Choice): Origin {
  if (choice.kind === 'edit') return 'typed';
  if (choice.take === 'mine-then-theirs' || choice.take === 'theirs-then-mine') return 'both';
  return choice.take;
}

/**
 * The merged result in parts, each with where it came from: changes merged on their own by
 * whose they are, resolved conflicts by the choice made, open conflicts as places still to
 * decide. Joining the texts gives the result without the open conflicts; parts that add nothing
 * (a removal) are left out.
 */
export function resultParts(result: MergeResult, refs: readonly ConflictRef[], choices: Choices): ResultPart[] {
  const byHunk = new Map(refs.map((ref) => [ref.hunkIndex, ref]));
  const parts: ResultPart[] = [];
  const push = (part: ResultPart) => {
    const last = parts[parts.length - 1];
    if (part.kind !== 'open' && part.text === '') return;
    if (last?.kind === 'stable' && part.kind === 'stable') last.text += part.text;
    // Stryker disable next-line LogicalOperator: only parts have an origin, so a stable or open one never matches it.
    else if (last?.kind === 'part' && part.kind === 'part' && last.origin === part.origin) last.text += part.text;
    else parts.push(part);
  };
  result.hunks.forEach((hunk, i) => {
    if (hunk.kind === 'stable') push({ kind: 'stable', text: hunk.text });
    else if (hunk.kind !== 'conflict') push({ kind: 'part', origin: hunk.kind, text: hunk.text });
    else {
      const ref = byHunk.get(i);
      const choice = ref && choices.get(ref.key);
      if (!ref) return;
      if (choice) push({ kind: 'part', origin: originOf(choice), text: resolveConflict(ref, choice) });
      else push({ kind: 'open', ordinal: ref.ordinal });
    }
  });
  return parts;
}

/**
 * A result the user typed, in parts: what it keeps of the result their choices made, and what
 * they typed into it (found with `diff`, which gives equal, insert and delete spans).
 */
export function typedParts(
  fromChoices: string,
  typed: string,
  diff: (before: string, after: string) => Array<{ kind: 'equal' | 'insert' | 'delete'; text: string }>,
): ResultPart[] {
  const parts: ResultPart[] = [];
  for (const span of diff(fromChoices, typed)) {
    if (span.kind === 'delete' || span.text === '') continue;
    parts.push(span.kind === 'equal' ? { kind: 'stable', text: span.text } : { kind: 'part', origin: 'typed', text: span.text });
  }
  return parts;
}

/** The key of a hunk merged word by word: its line conflict's three texts. */
export function wordMergeKey(hunk: Hunk): string | null {
  if (hunk.kind === 'stable' || hunk.kind === 'conflict' || !hunk.wordMerged) return null;
  const { base, mine, theirs } = hunk.wordMerged;
  return JSON.stringify([base, mine, theirs]);
}

/**
 * The merge with the word-by-word merges the user sent back (by `wordMergeKey`) turned into the
 * line conflicts they came from, to be resolved by hand.
 */
export function reopenWordMerges(result: MergeResult, keys: ReadonlySet<string>): MergeResult {
  if (keys.size === 0) return result;
  let reopened = false;
  const hunks = result.hunks.map((hunk): Hunk => {
    const key = wordMergeKey(hunk);
    if (key === null || !keys.has(key) || hunk.kind === 'stable' || hunk.kind === 'conflict' || !hunk.wordMerged) return hunk;
    reopened = true;
    return { kind: 'conflict', ...hunk.wordMerged };
  });
  return reopened ? { clean: false, hunks } : result;
}
