/**
 * Unsaved text lives in localStorage, per user name and document, until the server confirms it.
 * The draft owns its base (the text, version and ETag it was edited from): whatever the cache
 * learns later, a save sends this base's ETag as If-Match and a merge starts from this base text.
 */
import { parseEntityTag } from '../../../protocol/etag.ts';

export interface DraftBase {
  title: string;
  content: string;
  version: number;
  etag: string;
  /**
   * When that version was saved (its `Last-Modified`), for a document whose mode compares dates
   * (`If-Unmodified-Since`). Absent from drafts kept before it was recorded: those send If-Match.
   */
  updatedAt?: string;
}

/** The base a draft keeps of a version the server answered with. */
export function baseOf({ doc, etag }: { doc: { title: string; content: string; version: number; updatedAt: string }; etag: string }): DraftBase {
  return { title: doc.title, content: doc.content, version: doc.version, etag, updatedAt: doc.updatedAt };
}

export interface Draft {
  docId: string;
  title: string;
  content: string;
  /**
   * Null when the version the text was typed on is not known: a record kept without its base's
   * ETag, title or version (an older format, a record edited by hand or written in part). Its
   * text is kept; a save cannot name a version to replace, so it first compares it with the latest.
   */
  base: DraftBase | null;
  /**
   * When the user last typed (ms since epoch). Null when the record kept no time that is one (none,
   * text, a number too large to be a date): the text is kept, and the page says the time is not known.
   */
  editedAt: number | null;
}

/** Mine, put aside by "Discard", so the user can take it back for a while. */
export interface DiscardedDraft {
  draft: Draft;
  discardedAt: number;
}

const PREFIX = 'conflict-lab';
export const UNDO_DISCARD_MS = 5 * 60_000;

function draftKey(user: string, docId: string): string {
  return `${PREFIX}:draft:${user.toLowerCase()}:${docId}`;
}

function baseKey(user: string, docId: string): string {
  return `${PREFIX}:draft-base:${user.toLowerCase()}:${docId}`;
}

function discardKey(user: string, docId: string): string {
  return `${PREFIX}:discarded:${user.toLowerCase()}:${docId}`;
}

/** Text on no known base is unsaved whatever it says: nothing tells what it would leave unchanged. */
export function isDirty(draft: Draft | null): draft is Draft {
  return draft !== null && (draft.base === null || draft.title !== draft.base.title || draft.content !== draft.base.content);
}

/*
 * Stored as two records: the base (written only when it changes) and the rest, written on every
 * change. A keystroke in a 10,000-line document then serialises one copy of the text, not two.
 */
type StoredDraft = Omit<Draft, 'base'> & { base: StoredBase | null; author?: string };
/** As read back, the base's date may be anything: only a real instant is kept (see `readBase`). */
type StoredBase = Omit<DraftBase, 'content' | 'updatedAt'> & { updatedAt?: unknown };

/** Which base each draft key last wrote in this page, so an unchanged base is not written again. */
const writtenBases = new Map<string, string>();

// Another tab of the same user may clear or replace a base record: write ours again next time.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === null) writtenBases.clear();
    else if (event.key.startsWith(`${PREFIX}:draft-base:`)) writtenBases.delete(event.key.replace(':draft-base:', ':draft:'));
  });
}

export function readDraft(user: string, docId: string): Draft | null {
  const key = draftKey(user, docId);
  const stored = readJson(key);
  if (!isStoredDraft(stored) || stored.docId !== docId) return null;
  const { author: _author, base: storedBase, editedAt, ...text } = stored;
  const rest = { ...text, editedAt: timeOf(editedAt) };
  if (!isStoredBase(storedBase)) {
    // Whatever base record lies beside it cannot be matched to it without the draft's own ETag.
    writtenBases.set(key, '');
    return { ...rest, base: null };
  }
  const base = readJson(baseKey(user, docId));
  // Written base first, draft second: a mismatch means the page died in between. The typed text
  // is whole either way; an unknown base text only makes a later merge show more as changed.
  const content = isDraftBase(base) && base.etag === storedBase.etag ? base.content : '';
  writtenBases.set(key, content === '' ? '' : storedBase.etag);
  return { ...rest, base: readBase(storedBase, content) };
}

/**
 * The base as a save may use it. A date that names no real instant (a `null`, a number, text that
 * is no date) would go out as a 1970 or an "Invalid Date" If-Unmodified-Since: it is dropped, so
 * the draft, its text whole, saves with If-Match as one kept before the date was recorded does.
 */
function readBase({ updatedAt, ...base }: StoredBase, content: string): DraftBase {
  return { ...base, content, ...(isInstant(updatedAt) && { updatedAt }) };
}

/** An ISO 8601 instant as the server writes `updatedAt` (`2026-11-30T10:00:00.250Z`), naming a real moment (no 30 February). */
function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

/** False when the browser refused to store it (quota, privacy mode): the UI must say so. */
export function writeDraft(user: string, draft: Draft): boolean {
  const key = draftKey(user, draft.docId);
  cancelPending(key);
  return writeNow(key, user, draft);
}

/*
 * Typing into a long text writes the draft in a pause, not on every key. A draft is one JSON
 * record of the whole text: at 5,000 lines that is a third of a megabyte serialised and handed to
 * the browser's storage, several milliseconds of script on every keystroke. Below
 * `DEFERRED_DRAFT_CHARS` (about 700 lines of prose) a write costs a few hundredths of a millisecond
 * and still happens on every change. Above it, the write waits until typing pauses for
 * `DRAFT_WRITE_PAUSE_MS`, and never more than `DRAFT_WRITE_MAX_WAIT_MS` while typing goes on. A
 * waiting write is done at once when the page is hidden or left (closing, reloading, switching
 * tabs), when the editor closes, and before anything else writes or clears the same draft; so only
 * a crash of the page itself, within that wait, loses the last keys.
 */
export const DEFERRED_DRAFT_CHARS = 50_000;
export const DRAFT_WRITE_PAUSE_MS = 300;
export const DRAFT_WRITE_MAX_WAIT_MS = 2_000;

interface PendingWrite {
  user: string;
  draft: Draft;
  /** When the first change not yet written was made. */
  since: number;
  timer: ReturnType<typeof setTimeout>;
  onWritten: (stored: boolean) => void;
}

/** Writes waiting for a pause, by draft key. */
const pending = new Map<string, PendingWrite>();

/**
 * Keeps the draft in storage: at once for an ordinary text, in the next pause of typing for a long
 * one. `onWritten` hears whether the browser kept it (false: quota, privacy mode), when it is written.
 */
export function saveDraft(user: string, draft: Draft, onWritten: (stored: boolean) => void): void {
  const key = draftKey(user, draft.docId);
  if (draft.content.length < DEFERRED_DRAFT_CHARS) {
    cancelPending(key);
    onWritten(writeNow(key, user, draft));
    return;
  }
  const waiting = pending.get(key);
  if (waiting) clearTimeout(waiting.timer);
  const now = Date.now();
  const since = waiting?.since ?? now;
  const delay = Math.max(0, Math.min(DRAFT_WRITE_PAUSE_MS, since + DRAFT_WRITE_MAX_WAIT_MS - now));
  pending.set(key, { user, draft, since, onWritten, timer: setTimeout(() => flushKey(key), delay) });
}

/** Writes now the draft of `docId` that waits for a pause, if one does (the editor is closing). */
export function flushDraft(user: string, docId: string): void {
  flushKey(draftKey(user, docId));
}

/** Writes now every draft that waits for a pause (the page is hidden or going away). */
export function flushDraftWrites(): void {
  for (const key of [...pending.keys()]) flushKey(key);
}

function flushKey(key: string): void {
  const write = pending.get(key);
  if (!write) return;
  cancelPending(key);
  write.onWritten(writeNow(key, write.user, write.draft));
}

function cancelPending(key: string): void {
  const write = pending.get(key);
  if (!write) return;
  clearTimeout(write.timer);
  pending.delete(key);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', flushDraftWrites);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushDraftWrites();
  });
}

function writeNow(key: string, user: string, draft: Draft): boolean {
  const { base } = draft;
  if (base === null) {
    // No base to keep: a base record left from before would only be matched to it by mistake.
    removeKey(baseKey(user, draft.docId));
    writtenBases.set(key, '');
    return writeJson(key, { ...draft, base: null, author: user } satisfies StoredDraft);
  }
  const { content: _baseContent, ...baseRest } = base;
  if (writtenBases.get(key) !== base.etag) {
    if (!writeJson(baseKey(user, draft.docId), base)) return false;
    writtenBases.set(key, base.etag);
  }
  const stored: StoredDraft = { ...draft, base: baseRest, author: user };
  return writeJson(key, stored);
}

/** A draft of this document left on this device under another name (a closed tab, say). */
export interface OtherDraft {
  author: string;
  draft: Draft;
}

/**
 * Drafts of `docId` by other names. A tab's name lives in its sessionStorage, so a tab opened later
 * is someone new: without this, text typed in a closed tab would sit unseen in localStorage.
 */
export function findOtherDrafts(user: string, docId: string): OtherDraft[] {
  const prefix = `${PREFIX}:draft:`;
  const suffix = `:${docId}`;
  const found: OtherDraft[] = [];
  let keys: string[];
  try {
    // Stryker disable next-line StringLiteral: a missing key and any text without the draft prefix are skipped alike.
    keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '');
  } catch {
    return [];
  }
  for (const key of keys) {
    if (!key.startsWith(prefix) || !key.endsWith(suffix)) continue;
    const owner = key.slice(prefix.length, key.length - suffix.length);
    if (owner === user.toLowerCase()) continue;
    const draft = readDraft(owner, docId);
    if (!draft) continue;
    const stored = readJson(key) as Partial<StoredDraft> | null;
    found.push({ author: typeof stored?.author === 'string' ? stored.author : owner, draft });
  }
  // Newest first; one whose time is not known is no newer than any other, so it comes last.
  return found.sort((a, b) => (b.draft.editedAt ?? -Infinity) - (a.draft.editedAt ?? -Infinity) || 0);
}

export function clearDraft(user: string, docId: string): void {
  const key = draftKey(user, docId);
  cancelPending(key);
  removeKey(key);
  removeKey(baseKey(user, docId));
  writtenBases.delete(key);
}

export function readDiscarded(user: string, docId: string, now = Date.now()): DiscardedDraft | null {
  const value = readJson(discardKey(user, docId));
  if (typeof value !== 'object' || value === null) return null;
  const record = value as { draft?: unknown; discardedAt?: unknown };
  if (!isStoredDraft(record.draft)) return null;
  // Kept whole, in one record (it is written once); a base that lost its text keeps its version,
  // one that lost what names its version is not known, as in `readDraft`.
  const { base, author: _author, editedAt, ...text } = record.draft;
  const content = (base as { content?: unknown } | null)?.content;
  const known = isStoredBase(base) ? readBase(base, typeof content === 'string' ? content : '') : null;
  const draft: Draft = { ...text, editedAt: timeOf(editedAt), base: known };
  const discardedAt = timeOf(record.discardedAt);
  if (discardedAt === null) {
    // When it was put aside is not known: the offer runs from now, and is written so, so that
    // neither does it end at once nor does every reading start it again.
    const restarted = { draft, discardedAt: now };
    writeDiscarded(user, restarted);
    return restarted;
  }
  if (now - discardedAt > UNDO_DISCARD_MS) {
    removeKey(discardKey(user, docId));
    return null;
  }
  return { draft, discardedAt };
}

export function writeDiscarded(user: string, record: DiscardedDraft): boolean {
  return writeJson(discardKey(user, record.draft.docId), record);
}

export function clearDiscarded(user: string, docId: string): void {
  removeKey(discardKey(user, docId));
}

/**
 * The typed text: what a draft needs to be read back at all. Its base may be anything (see
 * `isStoredBase`), and so may its time (see `timeOf`): neither is a reason to lose the text.
 */
function isStoredDraft(value: unknown): value is Omit<StoredDraft, 'base' | 'editedAt'> & { base?: unknown; editedAt?: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.docId === 'string' && typeof d.title === 'string' && typeof d.content === 'string';
}

/**
 * A stored time as a moment (ms since epoch), or null when it names none: missing, not a number,
 * or one JSON reads as Infinity (`1e999`) or writes as null (a NaN).
 */
function timeOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A base that names its version: a save can send its ETag as If-Match. */
function isStoredBase(value: unknown): value is StoredBase {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b.title === 'string' && typeof b.version === 'number' && typeof b.etag === 'string' && isStrongTag(b.etag);
}

/**
 * One strong entity tag, as the server's `ETag` always is. Anything else names no version: sent as
 * If-Match, text that is no tag (empty, unquoted) is answered 400, and a weak tag never matches.
 */
function isStrongTag(value: string): boolean {
  try {
    return !parseEntityTag(value).weak;
  } catch {
    return false;
  }
}

function isDraftBase(value: unknown): value is DraftBase {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b.title === 'string' && typeof b.content === 'string' && typeof b.version === 'number' && typeof b.etag === 'string';
}

function readJson(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  }
  // Stryker disable next-line BlockStatement: undefined instead of null; every reader checks typeof object first.
  catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): boolean {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function removeKey(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing to remove if storage is unavailable.
  }
}
