/**
 * The scripted race of the modes page: the same people, the same edits and the same timing, run
 * once per concurrency mode (docs/protocol.md §1.11). Pure: what is sent when, and what each save
 * carries in each mode; the runner (run-race.ts) sends it.
 */
import { BASED_ON_HEADER, formatHttpDate, type ConcurrencyMode } from '../../../protocol/concurrency.ts';

/**
 * When the saves go out, counted from the moment the document both start from is made:
 * - `same-second`: one after the other as soon as the last answer is in, all within a second;
 * - `two-seconds`: the first 2 s after that version, each next one 2 s after the one before;
 * - `overlapping`: all at once, in flight together, so the server alone decides their order.
 */
export const raceTimings = ['same-second', 'two-seconds', 'overlapping'] as const;
export type RaceTiming = (typeof raceTimings)[number];

export const TIMING_LABELS: Record<RaceTiming, string> = {
  'same-second': 'Same second',
  'two-seconds': '2 s apart',
  overlapping: 'Overlapping',
};

export const TIMING_HINTS: Record<RaceTiming, string> = {
  'same-second': 'Each save goes out as soon as the one before is answered, all within the second the document was made.',
  'two-seconds': 'The first save 2 s after the document was made, each next one 2 s later.',
  overlapping: 'All saves go out at the same moment; the server decides their order.',
};

/** One person in the race: the one line they change in the text all of them read. */
export interface Racer {
  name: string;
  /** The line as it is in the starting text. */
  line: string;
  /** The same line after their edit: unique to them, so the final text tells whether it survived. */
  edited: string;
}

export interface RaceOptions {
  timing: RaceTiming;
  /** Carol joins: she changes the same line as Alice, differently (a real conflict). */
  thirdUser: boolean;
}

export interface RaceScript {
  options: RaceOptions;
  /** The text everyone starts from (version 1). */
  base: string;
  racers: Racer[];
  /** When each racer's save goes out, in ms after version 1 (null: right after the answer before). */
  saveDelays: Array<number | null>;
  /** Whether the saves go out together instead of one after the other. */
  together: boolean;
}

/** Who makes and inspects the race's documents (never one of the racers). */
export const RACE_HOST = 'Lab';

const BASE_LINES = ['Field trip: Thursday 4 December', 'Meet at the main gate at 8:15.', 'Bring a packed lunch.', 'Back at school by 15:30.'];

/**
 * Alice and Bob change lines apart from each other (a merge keeps both); Carol changes Alice's line
 * in another way (no merge can keep both: it is a real conflict).
 */
const RACERS: readonly Racer[] = [
  { name: 'Alice', line: 'Meet at the main gate at 8:15.', edited: 'Meet at the main gate at 8:00.' },
  { name: 'Bob', line: 'Back at school by 15:30.', edited: 'Back at school by 16:00, after the planetarium.' },
  { name: 'Carol', line: 'Meet at the main gate at 8:15.', edited: 'Meet at the main gate at 8:30.' },
];

export const TWO_SECONDS = 2_000;

export function raceScript(options: RaceOptions): RaceScript {
  const racers = RACERS.slice(0, options.thirdUser ? 3 : 2);
  const saveDelays = racers.map((_, i) => (options.timing === 'two-seconds' ? TWO_SECONDS * (i + 1) : options.timing === 'overlapping' ? 0 : null));
  return { options, base: `${BASE_LINES.join('\n')}\n`, racers, saveDelays, together: options.timing === 'overlapping' };
}

/** The racer's edit applied to the text they read; a text without their line gets it appended. */
export function applyEdit(text: string, racer: Racer): string {
  const lines = text.split('\n');
  const at = lines.indexOf(racer.line);
  if (at === -1) return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${racer.edited}\n`;
  lines[at] = racer.edited;
  return lines.join('\n');
}

/** Whether the racer's change is in a text (their edited line, as a whole line). */
export function containsEdit(text: string, racer: Racer): boolean {
  return text.split('\n').includes(racer.edited);
}

/** What a racer read: the version's tag and date, the two validators a save can name. */
export interface ReadVersion {
  etag: string;
  /** The `Last-Modified` header as sent, or null. */
  lastModified: string | null;
  updatedAt: string;
}

/**
 * The headers a save in `mode` carries, as the mode asks (docs/protocol.md §1.11):
 * `none` sends no condition, only which version it read (`X-Based-On`, so the server can tell a
 * lost update); `timestamp` sends `If-Unmodified-Since` with the date it read, and `X-Based-On`;
 * the others send `If-Match` with the tag it read.
 */
export function saveHeaders(mode: ConcurrencyMode, read: ReadVersion): Record<string, string> {
  switch (mode) {
    case 'none':
      return { [BASED_ON_HEADER]: read.etag };
    case 'timestamp':
      return { 'If-Unmodified-Since': read.lastModified ?? formatHttpDate(read.updatedAt), [BASED_ON_HEADER]: read.etag };
    case 'etag':
    case 'lock':
    case 'server-merge':
      return { 'If-Match': read.etag };
  }
}

/** Whether the mode wants the racers to take the lock before they edit. */
export const takesLock = (mode: ConcurrencyMode) => mode === 'lock';

/** What a write needs in each mode, in a few words for the column heading. */
export const MODE_NEEDS: Record<ConcurrencyMode, string> = {
  none: 'Saves carry no condition: last write wins.',
  timestamp: 'Saves carry If-Unmodified-Since: the date they read.',
  etag: 'Saves carry If-Match: the tag they read.',
  lock: 'Each takes the lock before editing; saves carry If-Match.',
  'server-merge': 'Saves carry If-Match; the server merges a stale one when it can.',
};
