/**
 * The dialog's work kept per document in session storage, so Cancel really keeps everything: the
 * choices, a typed result and text put aside come back when the same conflict opens again, even
 * after a reload.
 */
import type { Choice, TakeOption } from './choices.ts';
import { takeOptions } from './choices.ts';

export interface SavedResolution {
  choices: Map<string, Choice>;
  /** A result the user typed, or null. */
  typedResult: string | null;
  /** `inputsSignature` of the merge the typed result was written against. */
  inputs: string;
  /**
   * Text typed for conflicts that a further save changed, put aside for the user to copy (see
   * `droppedEdits`). Records kept before there was such a list read as an empty one.
   */
  putAside: string[];
}

type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const storageKey = (docId: string) => `conflict-lab:resolution:${docId}`;

/** FNV-1a over the three texts: tells whether a typed result was written for this very merge. */
export function inputsSignature(base: string, mine: string, theirs: string): string {
  let hash = 0x811c9dc5;
  for (const text of [base, mine, theirs]) {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    // A separator, so moving text from one input to the next changes the signature.
    hash ^= 0xff;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16)}:${base.length}:${mine.length}:${theirs.length}`;
}

function isChoice(value: unknown): value is Choice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'edit') return typeof v.text === 'string';
  return v.kind === 'take' && takeOptions.includes(v.take as TakeOption);
}

/** What was kept for the document, or null when nothing (or nothing readable) was. */
export function loadResolution(storage: SessionStore, docId: string): SavedResolution | null {
  let raw: string | null;
  try {
    raw = storage.getItem(storageKey(docId));
  }
  // Stryker disable next-line BlockStatement: raw stays undefined, which JSON.parse refuses, and that returns null the same way.
  catch {
    return null;
  }
  if (raw === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  }
  // Stryker disable next-line BlockStatement: data stays undefined, which the object check below refuses the same way.
  catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { choices, typedResult, inputs, putAside } = data as Record<string, unknown>;
  if (!Array.isArray(choices) || typeof inputs !== 'string') return null;
  if (typedResult !== null && typeof typedResult !== 'string') return null;
  const map = new Map<string, Choice>();
  for (const entry of choices) {
    if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && isChoice(entry[1]))
      map.set(entry[0], entry[1]);
  }
  const aside = Array.isArray(putAside) ? putAside.filter((text): text is string => typeof text === 'string') : [];
  return { choices: map, typedResult, inputs, putAside: aside };
}

/** Keeps the dialog's work; a full or unavailable storage only means it is not kept. */
export function saveResolution(storage: SessionStore, docId: string, saved: SavedResolution): void {
  if (saved.choices.size === 0 && saved.typedResult === null && saved.putAside.length === 0) {
    forgetResolution(storage, docId);
    return;
  }
  const data = { choices: [...saved.choices], typedResult: saved.typedResult, inputs: saved.inputs, putAside: saved.putAside };
  try {
    storage.setItem(storageKey(docId), JSON.stringify(data));
  } catch {
    // Quota exceeded or storage disabled: the dialog still works, it just forgets on Cancel.
  }
}

export function forgetResolution(storage: SessionStore, docId: string): void {
  try {
    storage.removeItem(storageKey(docId));
  } catch {
    // Storage disabled: there is nothing to forget.
  }
}

/** The session storage, or null where there is none (a sandboxed frame, a test in Node). */
export function sessionStore(): SessionStore | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
