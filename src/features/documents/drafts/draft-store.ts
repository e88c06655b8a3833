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

function discardKey(user: string, docId: string): string {
  return `${PREFIX}:discarded:${user.toLowerCase()}:${docId}`;
}

export function isDirty(draft: Draft | null): draft is Draft {
  return draft !== null && (draft.title !== draft.base.title || draft.content !== draft.base.content);
}

export function readDraft(user: string, docId: string): Draft | null {
  const value = readJson(draftKey(user, docId));
  return isDraft(value) && value.docId === docId ? value : null;
}

/** False when the browser refused to store it (quota, privacy mode): the UI must say so. */
export function writeDraft(user: string, draft: Draft): boolean {
  return writeJson(draftKey(user, draft.docId), draft);
}

export function clearDraft(user: string, docId: string): void {
  removeKey(draftKey(user, docId));
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

function isDraft(value: unknown): value is Draft {
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
    typeof base.content === 'string' &&
    typeof base.version === 'number' &&
    typeof base.etag === 'string'
  );
}

function readJson(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
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
