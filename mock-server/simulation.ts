/**
 * The demo controls of src/protocol/simulation.ts on the server side: checking their request
 * bodies, the bot that edits a document on a timer, and the edits the guided scenarios make.
 * The edits are pure functions of the text (and a random source), so they are tested directly.
 */
import type { FieldError } from '../src/protocol/problems.ts';
import { parseEntityTagCondition } from '../src/protocol/etag.ts';
import { concurrencyModes, isConcurrencyMode } from '../src/protocol/concurrency.ts';
import type {
  BotRequest,
  BotState,
  ScenarioRequest,
  SimulationSettingsPatch,
} from '../src/protocol/simulation.ts';
import type { PresenceRequest } from '../src/protocol/presence.ts';
import { CONTROL, MAX_USER_LENGTH } from '../src/protocol/user-header.ts';
import { splitWords } from '../src/merge/tokens.ts';
import type { BodyResult } from './request-body.ts';
import type { Store } from './storage/types.ts';

export const MAX_DELAY_MS = 10_000;
export const MIN_BOT_INTERVAL_S = 1;
export const MAX_BOT_INTERVAL_S = 3_600;
export const DEFAULT_BOT_USER = 'Bot';
export const DEFAULT_SCENARIO_USER = 'Bob';
/** Client ids and document ids: plain tokens, never anything an object key could misuse. */
export const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

type Body = Record<string, unknown>;

function invalid<T>(errors: FieldError[]): BodyResult<T> {
  return { ok: false, failure: { kind: 'validation-failed', errors } };
}

/** The body as an object with only known fields, or the errors that say why not. */
function objectWith(body: unknown, known: readonly string[], what: string): { record: Body } | { errors: FieldError[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { errors: [{ field: '', message: `The body must be a JSON object (${what}).` }] };
  }
  const record = body as Body;
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    return {
      errors: unknown.map((key) => ({ field: key, message: `"${key}" is not a setting here; use ${known.map((k) => `"${k}"`).join(', ')}.` })),
    };
  }
  return { record };
}

function own(record: Body, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function wholeNumber(value: unknown, field: string, label: string, min: number, max: number, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push({ field, message: `The ${label} must be a whole number from ${min} to ${max.toLocaleString('en')}.` });
    return undefined;
  }
  return value;
}

function name(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || [...value.trim()].length > MAX_USER_LENGTH || CONTROL.test(value)) {
    errors.push({ field, message: `The ${field} must be a name of 1 to ${MAX_USER_LENGTH} characters, without control characters.` });
    return undefined;
  }
  return value.trim();
}

export function validateSettingsPatch(body: unknown): BodyResult<SimulationSettingsPatch> {
  const checked = objectWith(body, ['conflictStatus', 'latencyMs', 'jitterMs', 'concurrency'], 'conflictStatus, latencyMs, jitterMs, concurrency');
  if ('errors' in checked) return invalid(checked.errors);
  const { record } = checked;
  const errors: FieldError[] = [];
  const patch: SimulationSettingsPatch = {};
  const status = own(record, 'conflictStatus');
  if (status !== undefined) {
    if (status === 409 || status === 412) patch.conflictStatus = status;
    else errors.push({ field: 'conflictStatus', message: 'The status of a failed If-Match must be 409 or 412.' });
  }
  const latency = wholeNumber(own(record, 'latencyMs'), 'latencyMs', 'latency (ms)', 0, MAX_DELAY_MS, errors);
  if (latency !== undefined) patch.latencyMs = latency;
  const jitter = wholeNumber(own(record, 'jitterMs'), 'jitterMs', 'jitter (ms)', 0, MAX_DELAY_MS, errors);
  if (jitter !== undefined) patch.jitterMs = jitter;
  const concurrency = own(record, 'concurrency');
  if (concurrency !== undefined) {
    if (isConcurrencyMode(concurrency)) patch.concurrency = concurrency;
    else errors.push({ field: 'concurrency', message: `The concurrency mode must be one of ${concurrencyModes.join(', ')}.` });
  }
  return errors.length > 0 ? invalid(errors) : { ok: true, value: patch };
}

export function validateBotRequest(body: unknown): BodyResult<Required<BotRequest>> {
  const checked = objectWith(body, ['docId', 'intervalSeconds', 'user'], 'docId, intervalSeconds and an optional user');
  if ('errors' in checked) return invalid(checked.errors);
  const { record } = checked;
  const errors: FieldError[] = [];
  const docId = own(record, 'docId');
  if (typeof docId !== 'string' || !TOKEN.test(docId)) errors.push({ field: 'docId', message: 'Say which document the bot edits (its id).' });
  const interval = own(record, 'intervalSeconds');
  const seconds =
    interval === undefined
      ? (errors.push({ field: 'intervalSeconds', message: 'Say how often the bot saves (intervalSeconds).' }), undefined)
      : wholeNumber(interval, 'intervalSeconds', 'interval (seconds)', MIN_BOT_INTERVAL_S, MAX_BOT_INTERVAL_S, errors);
  const user = name(own(record, 'user'), 'user', errors) ?? DEFAULT_BOT_USER;
  if (errors.length > 0 || typeof docId !== 'string' || seconds === undefined) return invalid(errors);
  return { ok: true, value: { docId, intervalSeconds: seconds, user } };
}

export function validateScenarioRequest(body: unknown): BodyResult<Required<ScenarioRequest>> {
  const checked = objectWith(body ?? {}, ['user', 'line'], 'an optional user and line');
  if ('errors' in checked) return invalid(checked.errors);
  const { record } = checked;
  const errors: FieldError[] = [];
  const user = name(own(record, 'user'), 'user', errors) ?? DEFAULT_SCENARIO_USER;
  const line = wholeNumber(own(record, 'line'), 'line', 'line (0-based)', 0, Number.MAX_SAFE_INTEGER, errors) ?? 0;
  return errors.length > 0 ? invalid(errors) : { ok: true, value: { user, line } };
}

export function validatePresenceRequest(body: unknown): BodyResult<PresenceRequest> {
  const checked = objectWith(body, ['user', 'color', 'docId', 'token'], 'user, color, docId and token');
  if ('errors' in checked) return invalid(checked.errors);
  const { record } = checked;
  const errors: FieldError[] = [];
  const user = name(own(record, 'user'), 'user', errors);
  if (user === undefined && !errors.some((e) => e.field === 'user')) errors.push({ field: 'user', message: 'Say who this tab is (user).' });
  const color = own(record, 'color');
  if (typeof color !== 'string' || !COLOR.test(color)) errors.push({ field: 'color', message: 'The color must be a hex colour such as #0b57d0.' });
  const docId = own(record, 'docId');
  if (docId !== null && (typeof docId !== 'string' || !TOKEN.test(docId))) {
    errors.push({ field: 'docId', message: 'The docId must be the id of the open document, or null for the list.' });
  }
  const token = own(record, 'token');
  if (typeof token !== 'string' || token === '') {
    errors.push({ field: 'token', message: 'Send the token from the first event (presence-token) of this tab’s event stream.' });
  }
  if (errors.length > 0 || user === undefined || typeof color !== 'string' || typeof token !== 'string') return invalid(errors);
  return { ok: true, value: { user, color, docId: docId as string | null, token } };
}

// ---------------------------------------------------------------------------------------------
// The edits

function splitLines(content: string): string[] {
  return content.split('\n');
}

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.replace(/\r$/, '').trim() === '';
}

/** Replaces a line's text, keeping its `\r` when the document uses CRLF. */
function withText(line: string, text: string): string {
  return line.endsWith('\r') ? `${text}\r` : text;
}

function lineCount(content: string, lines: string[]): number {
  // A trailing newline leaves an empty last item that is not a line of its own.
  return content.endsWith('\n') ? lines.length - 1 : lines.length;
}

const REWRITES = (user: string) => [
  `${user} rewrote this line`,
  `${user} changed these words`,
  `Rewritten by ${user}`,
  'Different words altogether',
  'Quite another sentence',
];

/**
 * "Bob edits the same line": the line the person works on is rewritten with words it does not
 * contain (not even its punctuation), so the rewrite covers the whole line at word level and
 * whatever the person changed in it overlaps: the save meets a conflict on exactly that line.
 * Every other line stays as it was.
 */
export function editSameLine(content: string, line: number, user: string): string {
  const lines = splitLines(content);
  const at = Math.min(line, lineCount(content, lines) - 1);
  const original = lines[at] ?? '';
  const taken = new Set(splitWords(original).filter((token) => token.trim() !== ''));
  const candidates = REWRITES(user);
  const rewrite = candidates.find((text) => splitWords(text).every((token) => token.trim() === '' || !taken.has(token))) ?? candidates[0];
  lines[at] = withText(original, rewrite ?? '');
  return lines.join('\n');
}

/**
 * "Bob edits another paragraph": a change as far as possible from the person's line, with at
 * least one untouched line between, so the two saves merge cleanly.
 */
export function editOtherParagraph(content: string, line: number, user: string): string {
  const lines = splitLines(content);
  const count = lineCount(content, lines);
  let best = -1;
  for (let i = 0; i < count; i++) {
    if (Math.abs(i - line) < 2 || isBlank(lines[i])) continue;
    if (best === -1 || Math.abs(i - line) > Math.abs(best - line)) best = i;
  }
  const note = `${user} added this.`;
  if (best !== -1) {
    const original = lines[best] ?? '';
    lines[best] = withText(original, `${original.replace(/\r$/, '')} (${note})`);
    return lines.join('\n');
  }
  // No line far enough away: a new paragraph at whichever end is farther from the person. Without
  // a final newline, appending rewrites the last line too, so it touches a person on either of the
  // last two lines (a line conflict, as git sees it): then the start.
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const touchesEnd = !content.endsWith('\n') && line >= count - 2;
  if (line >= count / 2 || touchesEnd) return `${note}${eol}${eol}${content}`;
  const body = content === '' || content.endsWith('\n') ? content : `${content}${eol}`;
  return `${body}${eol}${note}${eol}`;
}

const BOT_WORDS = ['quickly', 'again', 'together', 'carefully', 'today', 'later', 'maybe', 'first', 'also', 'soon'];

/**
 * One random line edit, as a person might make: a word added to a line, a line reworded, or a
 * new line inserted. `random` returns numbers in [0, 1), like Math.random.
 */
export function botEdit(content: string, user: string, random: () => number = Math.random): string {
  const lines = splitLines(content);
  const count = lineCount(content, lines);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = pick(BOT_WORDS);
  const filled = Array.from({ length: count }, (_, i) => i).filter((i) => !isBlank(lines[i]));
  const kind = filled.length === 0 ? 'insert' : pick(['append', 'append', 'reword', 'insert'] as const);
  if (kind === 'insert') {
    const eol = content.includes('\r\n') ? '\r' : '';
    const at = Math.floor(random() * (count + 1));
    lines.splice(at, 0, `${user} noted this ${word}.${eol}`);
    return lines.join('\n');
  }
  const at = pick(filled);
  const original = lines[at] ?? '';
  const text = original.replace(/\r$/, '');
  if (kind === 'append') {
    lines[at] = withText(original, `${text} ${word}`);
  } else {
    const words = text.split(' ');
    const i = Math.floor(random() * words.length);
    words[i] = word;
    const reworded = words.join(' ');
    lines[at] = withText(original, reworded === text ? `${text} ${word}` : reworded);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The bot

export class Bot {
  private timer: ReturnType<typeof setInterval> | null = null;
  private state: BotState = { docId: null, intervalSeconds: 5, user: DEFAULT_BOT_USER, saves: 0 };

  private readonly store: Store;
  private readonly random: () => number;

  constructor(store: Store, random: () => number = Math.random) {
    this.store = store;
    this.random = random;
  }

  get current(): BotState {
    return { ...this.state };
  }

  /** Starts the bot on a document, or re-aims it; the count starts again. */
  start({ docId, intervalSeconds, user }: Required<BotRequest>): void {
    this.stop();
    this.state = { docId, intervalSeconds, user, saves: 0 };
    this.timer = setInterval(() => void this.tick().catch(() => {}), intervalSeconds * 1000);
    // A bot alone must not keep a finished process (a test run) alive.
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.state = { ...this.state, docId: null };
  }

  /**
   * One save; a document that is gone stops the bot. A save that cannot be stored (a full disk)
   * is skipped: the next tick tries again.
   */
  async tick(): Promise<void> {
    const { docId, user } = this.state;
    if (docId === null) return;
    const found = await this.store.get(docId);
    if (this.state.docId !== docId) return; // stopped or re-aimed meanwhile
    if (found.kind !== 'found') {
      this.stop();
      return;
    }
    const { document, etag } = found.revision;
    const result = await this.store.update(
      docId,
      { title: document.title, content: botEdit(document.content, user, this.random) },
      parseEntityTagCondition(etag),
      user,
    );
    if (result.kind === 'updated' && this.state.docId === docId) this.state = { ...this.state, saves: this.state.saves + 1 };
  }

}
