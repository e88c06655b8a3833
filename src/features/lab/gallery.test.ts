import { describe, expect, it } from 'vitest';
import { annotate } from './annotate.ts';
import { GALLERY } from './gallery.ts';
import { RUN_SYNC } from './strategies/all.ts';
import { crdtMerge } from './strategies/crdt.ts';
import type { StrategyId, StrategyOutcome, Triple } from './strategies/types.ts';
import { verdictOf, type Tone } from './verdict.ts';

const RUN: Record<StrategyId, (triple: Triple) => StrategyOutcome> = { ...RUN_SYNC, crdt: crdtMerge };

interface Pin {
  tone: Tone;
  /** The fate of each of mine's changes, then theirs', in base order. */
  mine: string;
  theirs: string;
  /** The merged text, for the strategies that merge (last writer wins is one side's text). */
  text?: string;
}

/**
 * What every strategy makes of every gallery case, as the page shows it. A change here is a
 * change in what the page tells people: check the new verdict reads true before updating a pin.
 */
const PINS: Record<string, Record<StrategyId, Pin>> = {
  'lost-update': {
    'mine-wins': { tone: 'damaged', mine: 'kept kept', theirs: 'lost' },
    'theirs-wins': { tone: 'damaged', mine: 'lost lost', theirs: 'kept' },
    'line-merge': { tone: 'clean', mine: 'kept kept', theirs: 'kept', text: "Trip on Thursday, back by 16:00.\nMeet at the gate at 8:15.\nBring a packed lunch and a raincoat.\n" },
    'word-merge': { tone: 'clean', mine: 'kept kept', theirs: 'kept', text: "Trip on Thursday, back by 16:00.\nMeet at the gate at 8:15.\nBring a packed lunch and a raincoat.\n" },
    patch: { tone: 'clean', mine: 'kept kept', theirs: 'kept', text: "Trip on Thursday, back by 16:00.\nMeet at the gate at 8:15.\nBring a packed lunch and a raincoat.\n" },
    crdt: { tone: 'clean', mine: 'kept kept', theirs: 'kept', text: "Trip on Thursday, back by 16:00.\nMeet at the gate at 8:15.\nBring a packed lunch and a raincoat.\n" },
  },
  'two-rewrites': {
    'mine-wins': { tone: 'damaged', mine: 'kept', theirs: 'lost lost' },
    'theirs-wins': { tone: 'damaged', mine: 'lost', theirs: 'kept kept' },
    'line-merge': { tone: 'conflict', mine: 'conflict', theirs: 'conflict conflict' },
    'word-merge': { tone: 'conflict', mine: 'conflict', theirs: 'conflict conflict' },
    patch: { tone: 'damaged', mine: 'interleaved', theirs: 'interleaved lost', text: "We meet to Whurday instead.\n" },
    crdt: { tone: 'damaged', mine: 'interleaved', theirs: 'interleaved lost', text: "We meetmoves to Wednhursday instead.\n" },
  },
  'move-and-edit': {
    'mine-wins': { tone: 'damaged', mine: 'kept kept', theirs: 'lost' },
    'theirs-wins': { tone: 'damaged', mine: 'lost lost', theirs: 'kept' },
    'line-merge': { tone: 'conflict', mine: 'conflict kept', theirs: 'conflict' },
    'word-merge': { tone: 'conflict', mine: 'conflict kept', theirs: 'conflict' },
    patch: { tone: 'clean', mine: 'kept kept', theirs: 'kept', text: "- Call Ana\n- Pay rent\n- Buy oat milk\n" },
    crdt: { tone: 'damaged', mine: 'kept kept', theirs: 'misplaced', text: "oat - Call Ana\n- Pay rent\n- Buy milk\n" },
  },
  'same-insertion': {
    'mine-wins': { tone: 'clean', mine: 'kept', theirs: 'kept' },
    'theirs-wins': { tone: 'clean', mine: 'kept', theirs: 'kept' },
    'line-merge': { tone: 'clean', mine: 'kept', theirs: 'kept', text: "Apples\nPears\nPlums\n" },
    'word-merge': { tone: 'clean', mine: 'kept', theirs: 'kept', text: "Apples\nPears\nPlums\n" },
    patch: { tone: 'damaged', mine: 'duplicated', theirs: 'duplicated', text: "Apples\nPears\nPlums\nPlums\n" },
    crdt: { tone: 'damaged', mine: 'duplicated', theirs: 'duplicated', text: "Apples\nPears\nPlums\nPlums\n" },
  },
  'interleaving': {
    'mine-wins': { tone: 'damaged', mine: 'kept kept kept', theirs: 'lost lost' },
    'theirs-wins': { tone: 'damaged', mine: 'lost lost lost', theirs: 'kept kept' },
    'line-merge': { tone: 'conflict', mine: 'conflict conflict conflict', theirs: 'conflict conflict' },
    'word-merge': { tone: 'conflict', mine: 'conflict conflict conflict', theirs: 'conflict conflict' },
    patch: { tone: 'damaged', mine: 'kept lost lost', theirs: 'kept kept', text: "Meet at 11:45 in room 5.\n" },
    crdt: { tone: 'damaged', mine: 'kept interleaved interleaved', theirs: 'interleaved interleaved', text: "Meet at 11:345 in room B5.\n" },
  },
  'version-string': {
    'mine-wins': { tone: 'damaged', mine: 'kept kept', theirs: 'lost' },
    'theirs-wins': { tone: 'damaged', mine: 'lost lost', theirs: 'kept' },
    'line-merge': { tone: 'conflict', mine: 'conflict conflict', theirs: 'conflict' },
    'word-merge': { tone: 'conflict', mine: 'conflict conflict', theirs: 'conflict' },
    patch: { tone: 'damaged', mine: 'kept interleaved', theirs: 'interleaved', text: "version: 3.2.0.3\n" },
    crdt: { tone: 'damaged', mine: 'kept alongside', theirs: 'alongside', text: "version: 3.2.0.dev3\n" },
  },
  'deleted-and-edited': {
    'mine-wins': { tone: 'damaged', mine: 'kept', theirs: 'lost lost' },
    'theirs-wins': { tone: 'damaged', mine: 'lost', theirs: 'kept kept' },
    'line-merge': { tone: 'conflict', mine: 'conflict', theirs: 'conflict conflict' },
    'word-merge': { tone: 'conflict', mine: 'conflict', theirs: 'conflict conflict' },
    patch: { tone: 'conflict', mine: 'kept', theirs: 'lost lost' },
    crdt: { tone: 'damaged', mine: 'kept', theirs: 'misplaced lost', text: "Trip notes.\n\nback foBack by four.\n" },
  },
  'same-fix': {
    'mine-wins': { tone: 'clean', mine: 'kept', theirs: 'kept' },
    'theirs-wins': { tone: 'clean', mine: 'kept', theirs: 'kept' },
    'line-merge': { tone: 'clean', mine: 'kept', theirs: 'kept', text: "\"engines\": { \"node\": \">= 18\" }\n" },
    'word-merge': { tone: 'clean', mine: 'kept', theirs: 'kept', text: "\"engines\": { \"node\": \">= 18\" }\n" },
    patch: { tone: 'clean', mine: 'kept', theirs: 'kept', text: "\"engines\": { \"node\": \">= 18\" }\n" },
    crdt: { tone: 'damaged', mine: 'duplicated', theirs: 'duplicated', text: "\"engines\": { \"node\": \">= 1818\" }\n" },
  },
};

describe('gallery: every strategy on every case', () => {
  it('pins every case', () => {
    expect(Object.keys(PINS).sort()).toEqual(GALLERY.map((c) => c.id).sort());
  });

  for (const galleryCase of GALLERY) {
    describe(galleryCase.name, () => {
      for (const [strategy, run] of Object.entries(RUN) as [StrategyId, (t: Triple) => StrategyOutcome][]) {
        it(strategy, () => {
          const pin = PINS[galleryCase.id]?.[strategy];
          const outcome = run(galleryCase);
          const annotation = annotate(galleryCase, outcome);
          expect({
            tone: verdictOf(outcome, annotation).tone,
            mine: annotation.mine.map((c) => c.fate).join(' '),
            theirs: annotation.theirs.map((c) => c.fate).join(' '),
            ...(pin?.text !== undefined ? { text: outcome.text } : {}),
          }).toEqual(pin);
        });
      }
    });
  }

  it('keeps the behaviours the page is there to show', () => {
    const verdict = (id: string, strategy: StrategyId) => {
      const galleryCase = GALLERY.find((c) => c.id === id) as Triple;
      const outcome = RUN[strategy](galleryCase);
      return verdictOf(outcome, annotate(galleryCase, outcome)).headline;
    };
    expect(verdict('lost-update', 'mine-wins')).toBe('Clean, but lost 1 edit of theirs');
    expect(verdict('same-fix', 'crdt')).toBe('Clean, but duplicated 1 edit of mine; duplicated 1 edit of theirs');
    expect(verdict('same-insertion', 'patch')).toBe('Clean (reported as applied), but duplicated 1 edit of mine; duplicated 1 edit of theirs');
    expect(verdict('two-rewrites', 'word-merge')).toBe('Conflict: 1 place (3 edits) left for a person to decide');
    expect(verdict('interleaving', 'crdt')).toBe('Clean, but interleaved 2 edits of mine with other text; interleaved 2 edits of theirs with other text');
    expect(verdict('deleted-and-edited', 'patch')).toBe("Not applied: 2 of theirs' patches could not be placed");
    expect(verdict('move-and-edit', 'patch')).toBe('Clean: every edit of both sides kept');
    expect(verdict('move-and-edit', 'crdt')).toBe('Clean, but put 1 edit of theirs in the wrong place');
    expect(verdict('version-string', 'crdt')).toBe(
      "Clean, but kept a rewrite of mine next to the other side's rewrite of the same words; kept a rewrite of theirs next to the other side's rewrite of the same words",
    );
  });
});
