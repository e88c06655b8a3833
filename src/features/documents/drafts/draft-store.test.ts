import { beforeEach, describe, expect, it } from 'vitest';
import {
  UNDO_DISCARD_MS,
  clearDraft,
  findOtherDrafts,
  isDirty,
  readDiscarded,
  readDraft,
  writeDiscarded,
  writeDraft,
} from './draft-store.ts';
import { MemoryStorage } from '../test-support.ts';
import type { Draft } from './draft-store.ts';

let storage: MemoryStorage;
// A new document per test: the store remembers which bases it wrote for the life of the page.
let docId = '';
let counter = 0;
beforeEach(() => {
  storage = new MemoryStorage();
  globalThis.localStorage = storage;
  counter += 1;
  docId = `d_${counter}`;
});

const draft = (over: Partial<Draft> = {}): Draft => ({
  docId,
  title: 'Notes',
  content: 'mine\n',
  base: { title: 'Notes', content: 'base\n', version: 3, etag: '"e.3"' },
  editedAt: 1_000,
  ...over,
});

describe('drafts', () => {
  it('round-trips a draft with its base, per user (case-insensitive) and document', () => {
    expect(writeDraft('Alice', draft())).toBe(true);
    expect(readDraft('alice', docId)).toEqual(draft());
    expect(readDraft('Bob', docId)).toBeNull();
    expect(readDraft('Alice', `${docId}_other`)).toBeNull();
  });

  it('writes the base once while it stays the same, and again when it moves', () => {
    writeDraft('Alice', draft());
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    writeDraft('Alice', draft({ content: 'mine, even more\n' }));
    const baseKey = [...storage.writes.keys()].find((k) => k.includes('draft-base'));
    expect(storage.writes.get(baseKey ?? '')).toBe(1);
    writeDraft('Alice', draft({ base: { title: 'Notes', content: 'saved\n', version: 4, etag: '"e.4"' } }));
    expect(storage.writes.get(baseKey ?? '')).toBe(2);
    expect(readDraft('Alice', docId)?.base).toEqual({ title: 'Notes', content: 'saved\n', version: 4, etag: '"e.4"' });
  });

  it('keeps the typed text when the base record does not match (the page died between two writes)', () => {
    writeDraft('Alice', draft());
    const baseKey = [...storage.writes.keys()].find((k) => k.includes('draft-base')) ?? '';
    storage.setItem(baseKey, JSON.stringify({ title: 'Notes', content: 'other\n', version: 4, etag: '"e.4"' }));
    const read = readDraft('Alice', docId);
    expect(read?.content).toBe('mine\n');
    expect(read?.base).toEqual({ title: 'Notes', content: '', version: 3, etag: '"e.3"' });
  });

  it('ignores a corrupt record instead of throwing', () => {
    writeDraft('Alice', draft());
    const key = [...storage.writes.keys()].find((k) => k.includes(':draft:')) ?? '';
    storage.setItem(key, '{not json');
    expect(readDraft('Alice', docId)).toBeNull();
    storage.setItem(key, JSON.stringify({ docId, title: 7 }));
    expect(readDraft('Alice', docId)).toBeNull();
  });

  it('reports a refused write (quota) so the UI can say so', () => {
    storage.quota = 10;
    expect(writeDraft('Alice', draft())).toBe(false);
  });

  it('clears both records', () => {
    writeDraft('Alice', draft());
    clearDraft('Alice', docId);
    expect(storage.length).toBe(0);
    expect(readDraft('Alice', docId)).toBeNull();
  });

  it('finds drafts of the same document left under other names, newest first', () => {
    writeDraft('Alice', draft({ editedAt: 1 }));
    writeDraft('Bob', draft({ content: 'bob\n', editedAt: 2 }));
    writeDraft('Carol', draft({ docId: `${docId}_other` }));
    const others = findOtherDrafts('Dave', docId);
    expect(others.map((o) => [o.author, o.draft.content])).toEqual([
      ['Bob', 'bob\n'],
      ['Alice', 'mine\n'],
    ]);
    expect(findOtherDrafts('alice', docId).map((o) => o.author)).toEqual(['Bob']);
  });

  it('treats a draft equal to its base as no draft', () => {
    expect(isDirty(draft())).toBe(true);
    expect(isDirty(draft({ content: 'base\n' }))).toBe(false);
    expect(isDirty(draft({ content: 'base\n', title: 'Renamed' }))).toBe(true);
    expect(isDirty(null)).toBe(false);
  });
});

describe('discarded drafts', () => {
  it('can be taken back until the undo window closes', () => {
    writeDiscarded('Alice', { draft: draft(), discardedAt: 10_000 });
    expect(readDiscarded('Alice', docId, 10_000 + UNDO_DISCARD_MS)?.draft).toEqual(draft());
    expect(readDiscarded('Alice', docId, 10_001 + UNDO_DISCARD_MS)).toBeNull();
    // Expired records are removed, not kept forever.
    expect(storage.length).toBe(0);
  });
});
