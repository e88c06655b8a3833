/**
 * The inputs of the cases in `git-cases.json`, rebuilt from their seeds: git's answers for them
 * are recorded there (by scripts/record-merge-git-cases.ts) and `../git-recorded.test.ts` compares with them,
 * so those tests need no git and spawn nothing. Each family aims at one part of git's diff
 * (../xdiff.ts): ties between repeated lines, lines left out of the search, the cut to a
 * good-enough split when the search grows costly, the sliding of changed groups.
 *
 * Changing anything here changes the inputs: record the answers again.
 */
import { seededRandom } from '../../lib/seeded-random.ts';

type Next = () => number;
const below = (next: Next, n: number) => Math.floor(next() * n);
const pick = <T>(next: Next, items: readonly T[]): T => items[below(next, items.length)] as T;

/** Lines that repeat in real documents, so a change can sit in several places. */
const REPEATED = ['\n', '\n', '}\n', '{\n', '  }\n', '----\n', '```\n', '- item\n', '  return x;\n', 'end\n', '# Title\n', 'x\n'];

/** `count` random insertions, deletions and replacements, each of a line from `line()`. */
function edit(next: Next, lines: readonly string[], count: number, line: () => string): string[] {
  const out = [...lines];
  for (let k = 0; k < count; k++) {
    const at = below(next, out.length + 1);
    const op = next();
    if (op < 0.4 || at === out.length) out.splice(at, 0, line());
    else if (op < 0.7) out.splice(at, 1);
    else out[at] = line();
  }
  return out;
}

/** The lines in a random order (Fisher–Yates). */
function shuffle(next: Next, lines: readonly string[]): string[] {
  const out = [...lines];
  for (let i = out.length - 1; i > 0; i--) {
    const j = below(next, i + 1);
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return out;
}

/** A block of `length` lines found nowhere else (named by `tag` and position). */
const unique = (tag: string, length: number) => Array.from({ length }, (_, i) => `${tag} ${i}\n`);

export interface TwoWayCase {
  seed: number;
  a: string[];
  b: string[];
}

/** `count` cases, each made by `make` from a generator seeded with `first + seed`. */
const seeded = <T>(first: number, count: number, make: (next: Next) => T) =>
  Array.from({ length: count }, (_, k) => ({ seed: k + 1, ...make(seededRandom(first + k + 1)) }));

/** The cases of the given seeds only, as `seeded` makes them. */
const seededOnly = <T>(first: number, seeds: number[], make: (next: Next) => T) =>
  seeds.map((seed) => ({ seed, ...make(seededRandom(first + seed)) }));

/**
 * Stretches of 21–30 shared lines (or `length`: a number, or a function drawing one for each),
 * each followed on each side by up to 39 lines drawn from a few.
 */
function stretches(next: Next, count: number, length?: number | (() => number)): { a: string[]; b: string[] } {
  const filler = Array.from({ length: 3 + below(next, 4) }, (_, i) => `filler ${i}\n`);
  const a: string[] = [];
  const b: string[] = [];
  for (let s = 0; s < count; s++) {
    const shared = unique(`stretch ${s}`, typeof length === 'function' ? length() : (length ?? 21 + below(next, 10)));
    a.push(...shared, ...Array.from({ length: below(next, 40) }, () => pick(next, filler)));
    b.push(...shared, ...Array.from({ length: below(next, 40) }, () => pick(next, filler)));
  }
  return { a, b };
}

/**
 * Two-way cases by family, every line ending in `\n` (so `git diff` compares exactly these
 * lines). Small enough to run for every mutant under mutation testing, where each step of the
 * diff is many times slower:
 * - `small`: up to 40 lines over 2–8 distinct ones, a few edits: ties and sliding.
 * - `short against long`: up to 15 lines against up to 80, over 2–6 distinct ones: searches
 *   that run along the edges of their box.
 * - `blocks`: 150–600 lines, a third of them blank, with runs of lines only one side has and
 *   lines that occur often: which lines the search leaves out, and the look around them.
 * - `lopsided`: 1,200 lines over three distinct ones against 300, nearly all of the short side
 *   found in order at one end of the long one: a search costly enough for git to split at the
 *   furthest-reaching point, where one path has passed the end of the short side.
 * - `huge`: 40 stretches of 21–30 shared lines, between lines each side draws at random from a
 *   few, at both ends of 31,000 shared lines, over 65,536 diagonals in all:
 *   only then may git's search pass a cost of 256, and at each end it takes a diagonal that
 *   went far and ends in a long common run. The shared middle is one snake, cheap to follow.
 *   Two seeds: the second is one where starting that look at a cost of 256 instead of 257
 *   picks another diagonal (few seeds tell them apart, and each case costs every mutant run).
 * - `huge, runs of 20`: the same with stretches of exactly 20 lines, one short of the common run
 *   that lets git look for that diagonal at all.
 * - `shuffled`: 100–400 lines found once on each side, in another order on the other: the
 *   cheapest inputs whose search passes a cost of 256 (about 2n edits, few common lines), so git
 *   cuts it at the furthest-reaching point of either search, again in each part.
 * - `lopsided, random`: 30–330 lines over 3–42 distinct ones, found again with a line slipped in
 *   here and there at the start, end or middle of 200–600 more: the cut where paths have run
 *   along an edge of their box, and a choice between a forward and a backward point.
 * - `huge, lines slipped in at the end`: short stretches (5–15 lines) at the start, so no
 *   diagonal there ends in a common run of 20, then 31,000 shared lines, then 300 runs of exactly
 *   21 shared lines with a line slipped in before each on the first side only: git takes the
 *   backward search's diagonal that went furthest, the outermost one, ending in a run of 21.
 */
export const twoWayFamilies: Record<string, () => TwoWayCase[]> = {
  small: () =>
    seeded(0, 300, (next) => {
      const alphabet = Array.from({ length: 2 + below(next, 7) }, (_, i) => `${String.fromCharCode(97 + i)}\n`);
      const a = Array.from({ length: below(next, 41) }, () => pick(next, alphabet));
      const b = edit(next, a, below(next, 9), () => (next() < 0.8 ? pick(next, alphabet) : `new ${below(next, 3)}\n`));
      return { a, b };
    }),
  'short against long': () =>
    seeded(500, 100, (next) => {
      const alphabet = Array.from({ length: 2 + below(next, 5) }, (_, i) => `s${i}\n`);
      const short = Array.from({ length: below(next, 16) }, () => pick(next, alphabet));
      const long = Array.from({ length: below(next, 81) }, () => pick(next, alphabet));
      return next() < 0.5 ? { a: short, b: long } : { a: long, b: short };
    }),
  blocks: () =>
    seeded(1000, 12, (next) => {
      const line = (side: string) => () => {
        const r = next();
        if (r < 0.35) return '\n';
        if (r < 0.5) return pick(next, REPEATED);
        return `${side} line ${below(next, 1_000_000)}\n`;
      };
      const a = Array.from({ length: 150 + below(next, 451) }, line('shared'));
      const side = (name: string) => {
        const lines = edit(next, a, below(next, 40), line(name));
        // Runs of lines only this side has, some longer than the look-around window.
        for (let k = below(next, 6); k > 0; k--) {
          const at = below(next, lines.length + 1);
          const run = unique(`${name} run ${k}`, 1 + below(next, 140)).flatMap((l) => (next() < 0.3 ? ['\n', l] : [l]));
          if (next() < 0.5) lines.splice(at, Math.min(run.length, lines.length - at), ...run);
          else lines.splice(at, 0, ...run);
        }
        return lines;
      };
      return { a: side('a'), b: side('b') };
    }),
  lopsided: () =>
    seeded(7000, 2, (next) => {
      const line = () => pick(next, ['p\n', 'q\n', 'r\n']);
      const b = Array.from({ length: 300 }, line);
      const extras = b.flatMap((l) => (next() < 0.25 ? [line(), l] : [l]));
      const rest = Array.from({ length: 900 }, line);
      // b all but contained in one end of a: a search from that end reaches b's edge early.
      const a = next() < 0.5 ? ['head\n', ...extras, ...rest] : [...rest, ...extras, 'tail\n'];
      return { a, b };
    }),
  huge: () =>
    seededOnly(6000, [1, 6], (next) => {
      const head = stretches(next, 40);
      const tail = stretches(next, 40);
      const middle = unique('shared middle', 31_000);
      return { a: [...head.a, ...middle, ...tail.a], b: [...head.b, ...middle, ...tail.b] };
    }),
  'huge, runs of 20': () =>
    seeded(6100, 1, (next) => {
      const head = stretches(next, 40, 20);
      const tail = stretches(next, 40, 20);
      const middle = unique('shared middle', 31_000);
      return { a: [...head.a, ...middle, ...tail.a], b: [...head.b, ...middle, ...tail.b] };
    }),
  shuffled: () =>
    seededOnly(0, [1, 22], (next) => {
      const a = unique('item', 100 + below(next, 300));
      return { a, b: shuffle(next, a) };
    }),
  'lopsided, random': () =>
    seededOnly(0, [20, 67, 109], (next) => {
      const long = 200 + below(next, 400);
      const distinct = 3 + below(next, 40);
      const line = () => `w${below(next, distinct)}\n`;
      const short = Array.from({ length: 30 + below(next, 300) }, line);
      const rest = Array.from({ length: long }, line);
      const at = below(next, 3);
      const slipped = short.flatMap((l) => (next() < 0.25 ? [line(), l] : [l]));
      const half = Math.floor(long / 2);
      const a =
        at === 0 ? [...slipped, ...rest] : at === 1 ? [...rest, ...slipped] : [...rest.slice(0, half), ...slipped, ...rest.slice(half)];
      return next() < 0.5 ? { a, b: short } : { a: short, b: a };
    }),
  'huge, lines slipped in at the end': () =>
    seededOnly(0, [1], (next) => {
      const head = stretches(next, 40, () => 5 + below(next, 11));
      const middle = unique('shared middle', 31_000);
      const a = [...head.a, ...middle];
      const b = [...head.b, ...middle];
      for (let r = 0; r < 300; r++) {
        const run = unique(`tail run ${r}`, 21);
        a.push(`filler ${below(next, 3)}\n`, ...run);
        b.push(...run);
      }
      return { a, b };
    }),
};

export interface ThreeWayCase {
  seed: number;
  base: string;
  mine: string;
  theirs: string;
}

/**
 * Three-way cases, base edited by each side (sometimes identically first), over repeated lines,
 * with CRLF endings or no final newline (in all three) now and then.
 */
export const threeWayFamilies: Record<string, () => ThreeWayCase[]> = {
  repeated: () =>
    seeded(4000, 200, (next) => {
      const ending = next() < 0.2 ? '\r\n' : '\n';
      const line = () => (next() < 0.85 ? pick(next, REPEATED) : `text ${below(next, 10)}\n`).replace('\n', ending);
      const base = Array.from({ length: below(next, 41) }, line);
      const common = next() < 0.3 ? edit(next, base, below(next, 4), line) : base;
      const mine = edit(next, common, below(next, 7), line);
      const theirs = edit(next, common, below(next, 7), line);
      const unterminated = next() < 0.15;
      const text = (lines: string[]) => (unterminated ? lines.join('').replace(/\r?\n$/, '') : lines.join(''));
      return { base: text(base), mine: text(mine), theirs: text(theirs) };
    }),
};
