/**
 * Unsaved text lives in localStorage, per user name and document, until the server confirms it.
 * The draft owns its base (the text, version and ETag it was edited from): whatever the cache
 * learns later, a save sends this base's ETag as If-Match and a merge starts from this base text.
 */

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
  base: DraftBase;
  /** When the user last typed (ms since epoch). */
  editedAt: number;
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

export function isDirty(draft: Draft | null): draft is Draft {
  return draft !== null && (draft.title !== draft.base.title || draft.content !== draft.base.content);
}

/*
 * Stored as two records: the base (written only when it changes) and the rest, written on every
 * change. A keystroke in a 10,000-line document then serialises one copy of the text, not two.
 */
type StoredDraft = Omit<Draft, 'base'> & { base: Omit<DraftBase, 'content'>; author?: string };

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
  const base = readJson(baseKey(user, docId));
  // Written base first, draft second: a mismatch means the page died in between. The typed text
  // is whole either way; an unknown base text only makes a later merge show more as changed.
  const content = isDraftBase(base) && base.etag === stored.base.etag ? base.content : '';
  writtenBases.set(key, content === '' ? '' : stored.base.etag);
  const { author: _author, ...rest } = stored;
  return { ...rest, base: { ...stored.base, content } };
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
  const { content: _baseContent, ...baseRest } = draft.base;
  if (writtenBases.get(key) !== draft.base.etag) {
    if (!writeJson(baseKey(user, draft.docId), draft.base)) return false;
    writtenBases.set(key, draft.base.etag);
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
  return found.sort((a, b) => b.draft.editedAt - a.draft.editedAt);
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
  const record = value as Partial<DiscardedDraft>;
  if (!isDraft(record.draft) || typeof record.discardedAt !== 'number') return null;
  if (now - record.discardedAt > UNDO_DISCARD_MS) {
    removeKey(discardKey(user, docId));
    return null;
  }
  return { draft: record.draft, discardedAt: record.discardedAt };
}

export function writeDiscarded(user: string, record: DiscardedDraft): boolean {
  return writeJson(discardKey(user, record.draft.docId), record);
}

export function clearDiscarded(user: string, docId: string): void {
  removeKey(discardKey(user, docId));
}

function isStoredDraft(value: unknown): value is StoredDraft {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  const base = d.base as Record<string, unknown> | null | undefined;
  return (
    typeof d.docId === 'string' &&
    typeof d.title === 'string' &&
    typeof d.content === 'string' &&
    typeof d.editedAt === 'number' &&
    typeof base === 'object' &&
    base !== null &&
    typeof base.title === 'string' &&
    typeof base.version === 'number' &&
    typeof base.etag === 'string'
  );
}

function isDraftBase(value: unknown): value is DraftBase {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b.title === 'string' && typeof b.content === 'string' && typeof b.version === 'number' && typeof b.etag === 'string';
}

/** A discarded draft is kept whole, in one record: it is written once. */
function isDraft(value: unknown): value is Draft {
  if (!isStoredDraft(value)) return false;
  return typeof (value.base as Partial<DraftBase>).content === 'string';
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
