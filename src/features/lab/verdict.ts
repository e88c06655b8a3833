import type { Annotation, AnnotatedChange, Fate, Side } from './annotate.ts';
import type { StrategyOutcome } from './strategies/types.ts';

export type Tone = 'clean' | 'conflict' | 'damaged';

export interface Verdict {
  tone: Tone;
  /** One line in plain words, e.g. "Clean, but lost 1 of theirs' edits". */
  headline: string;
  /** What the strategy itself reported (diff-match-patch's applied patches), one plain sentence each. */
  details: string[];
}

const edits = (n: number) => `${n} edit${n === 1 ? '' : 's'}`;

const DAMAGE: ReadonlyArray<{ fate: Fate; say: (n: number, side: Side) => string }> = [
  { fate: 'lost', say: (n, side) => `lost ${edits(n)} of ${side}` },
  { fate: 'duplicated', say: (n, side) => `duplicated ${edits(n)} of ${side}` },
  { fate: 'interleaved', say: (n, side) => `interleaved ${edits(n)} of ${side} with other text` },
  { fate: 'misplaced', say: (n, side) => `put ${edits(n)} of ${side} in the wrong place` },
  { fate: 'alongside', say: (n, side) => `kept ${n === 1 ? 'a rewrite' : `${n} rewrites`} of ${side} next to the other side's rewrite of the same words` },
];

function damage(annotation: Annotation): string[] {
  const out: string[] = [];
  for (const { fate, say } of DAMAGE) {
    for (const side of ['mine', 'theirs'] as const) {
      const n = annotation[side].filter((c: AnnotatedChange) => c.fate === fate).length;
      if (n) out.push(say(n, side));
    }
  }
  if (annotation.strays.length) out.push(`made ${edits(annotation.strays.length)} neither side made`);
  return out;
}

/** A strategy's outcome in plain words, from the computed annotation. */
export function verdictOf(outcome: StrategyOutcome, annotation: Annotation): Verdict {
  // The headline already says the damage; details add what only a strategy reports.
  const details: string[] = [];
  const conflicted = [...annotation.mine, ...annotation.theirs].filter((c) => c.fate === 'conflict').length;
  if (outcome.patches) {
    const { total, failed } = outcome.patches;
    details.unshift(
      failed
        ? `Reported ${failed} of ${total} patch${total === 1 ? '' : 'es'} as not applied.`
        : `Reported ${total === 1 ? 'its patch' : `all ${total} patches`} applied.`,
    );
  }
  if (!outcome.clean) {
    const places = outcome.conflicts.length;
    const headline = outcome.patches
      ? `Not applied: ${outcome.patches.failed} of theirs' patches could not be placed`
      : `Conflict: ${places} place${places === 1 ? '' : 's'} (${edits(conflicted)}) left for a person to decide`;
    return { tone: 'conflict', headline, details };
  }
  const problems = damage(annotation);
  if (!problems.length) return { tone: 'clean', headline: 'Clean: every edit of both sides kept', details };
  const silently = outcome.patches ? ' (reported as applied)' : '';
  return { tone: 'damaged', headline: `Clean${silently}, but ${problems.join('; ')}`, details };
}
