// @vitest-environment happy-dom
/**
 * The draft store's records as the page keeps them: what it takes for a readable draft, a base
 * and a discarded draft (anything else reads as none, never as a crash or half a draft), whose
 * names they are kept under, and how it learns that another tab removed a base it wrote.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../test-support.ts';
import { findOtherDrafts, readDiscarded, readDraft, writeDiscarded, writeDraft } from './draft-store.ts';
import type { Draft } from './draft-store.ts';

let counter = 0;
let docId = '';
let localStorage: MemoryStorage;

beforeEach(() => {
  localStorage = new MemoryStorage();
  vi.stubGlobal('localStorage', localStorage);
  counter += 1;
  // A new document per test: the store remembers which bases it wrote for the life of the page.
  docId = `d_${counter}`;
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const draft = (over: Partial<Draft> = {}): Draft => ({
  docId,
  title: 'Notes',
  content: 'mine\n',
  base: { title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' },
  editedAt: 1_000,
  ...over,
});

const draftKey = (user: string) => `conflict-lab:draft:${user}:${docId}`;
const baseKey = (user: string) => `conflict-lab:draft-base:${user}:${docId}`;
const discardKey = (user: string) => `conflict-lab:discarded:${user}:${docId}`;
const stored = (key: string) => JSON.parse(localStorage.getItem(key) ?? 'null') as Record<string, unknown> | null;

describe('a stored draft', () => {
  const good = () => ({ docId, title: 'Notes', content: 'mine\n', editedAt: 1_000, base: { title: 'Notes', version: 3, etag: '"e3"' }, author: 'Alice' });
  // Built when the test runs: the document id is new for each test.
  type Damage = (record: ReturnType<typeof good>) => unknown;

  it.each<[string, Damage]>([
    ['null', () => null],
    ['a number', () => 5],
    ['no docId', (r) => ({ ...r, docId: undefined })],
    ['another document’s', (r) => ({ ...r, docId: 'd_other' })],
    ['a title that is not text', (r) => ({ ...r, title: 7 })],
    ['content that is not text', (r) => ({ ...r, content: null })],
    ['no editedAt', (r) => ({ ...r, editedAt: '1000' })],
    ['no base', (r) => ({ ...r, base: null })],
    ['a base that is not an object', (r) => ({ ...r, base: 'base' })],
    ['a base without a title', (r) => ({ ...r, base: { version: 3, etag: '"e3"' } })],
    ['a base without a version', (r) => ({ ...r, base: { title: 'Notes', etag: '"e3"' } })],
    ['a base without an ETag', (r) => ({ ...r, base: { title: 'Notes', version: 3 } })],
  ])('reads as no draft when it has %s', (_what, damage) => {
    localStorage.setItem(baseKey('alice'), JSON.stringify({ title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' }));
    // The record as written reads whole: only the damage makes it unreadable.
    localStorage.setItem(draftKey('alice'), JSON.stringify(good()));
    expect(readDraft('Alice', docId)).not.toBeNull();
    localStorage.setItem(draftKey('alice'), JSON.stringify(damage(good())));
    expect(readDraft('Alice', docId)).toBeNull();
    expect(findOtherDrafts('Bob', docId)).toEqual([]);
  });

  it('reads a whole one, and keeps its text when the base record is unreadable', () => {
    localStorage.setItem(draftKey('alice'), JSON.stringify(good()));
    localStorage.setItem(baseKey('alice'), JSON.stringify({ title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' }));
    expect(readDraft('Alice', docId)).toEqual(draft());
    for (const base of [null, 'base', { content: 'base\n', version: 3, etag: '"e3"' }, { title: 'Notes', version: 3, etag: '"e3"' }, { title: 'Notes', content: 'base\n', etag: '"e3"' }, { title: 'Notes', content: 'base\n', version: 3 }]) {
      localStorage.setItem(baseKey('alice'), JSON.stringify(base));
      expect(readDraft('Alice', docId)).toEqual(draft({ base: { title: 'Notes', content: '', version: 3, etag: '"e3"' } }));
    }
  });

  it('keeps both records under the lower-cased name, so any spelling of it finds them', () => {
    writeDraft('ÁLICE Smith', draft());
    expect(stored(draftKey('álice smith'))).toMatchObject({ content: 'mine\n', author: 'ÁLICE Smith' });
    expect(stored(baseKey('álice smith'))).toEqual(draft().base);
    expect(readDraft('álice SMITH', docId)).toEqual(draft());
  });

  it('writes a base again that it read back missing, and not one it read back whole', () => {
    writeDraft('Alice', draft());
    localStorage.removeItem(baseKey('alice'));
    // A reload: the draft comes back without its base text.
    expect(readDraft('Alice', docId)?.base.content).toBe('');
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    expect(stored(baseKey('alice'))).toEqual(draft().base);

    const setItem = vi.spyOn(localStorage, 'setItem');
    expect(readDraft('Alice', docId)?.base.content).toBe('base\n');
    writeDraft('Alice', draft({ content: 'mine, even more\n' }));
    expect(setItem.mock.calls.map(([key]) => key)).toEqual([draftKey('alice')]);
  });

  it('says false when the draft record itself cannot be written, the base having been', () => {
    const setItem = localStorage.setItem.bind(localStorage);
    vi.spyOn(localStorage, 'setItem').mockImplementation((key: string, value: string) => {
      if (key.startsWith('conflict-lab:draft:')) throw new DOMException('full', 'QuotaExceededError');
      setItem(key, value);
    });
    expect(writeDraft('Alice', draft())).toBe(false);
    expect(writeDiscarded('Alice', { draft: draft(), discardedAt: 1 })).toBe(true);
  });
});

describe('another tab', () => {
  it('removing a base this page wrote makes the next write put it back', () => {
    writeDraft('Alice', draft());
    localStorage.removeItem(baseKey('alice'));
    window.dispatchEvent(new StorageEvent('storage', { key: baseKey('alice') }));
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    expect(readDraft('Alice', docId)?.base.content).toBe('base\n');
  });

  it('clearing the whole storage does too', () => {
    writeDraft('Alice', draft());
    localStorage.clear();
    window.dispatchEvent(new StorageEvent('storage', { key: null }));
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    expect(readDraft('Alice', docId)?.base.content).toBe('base\n');
  });

  it('a change to a draft record, not a base, leaves the bases this page wrote alone', () => {
    writeDraft('Alice', draft());
    const setItem = vi.spyOn(localStorage, 'setItem');
    window.dispatchEvent(new StorageEvent('storage', { key: draftKey('alice') }));
    window.dispatchEvent(new StorageEvent('storage', { key: `conflict-lab:other:${docId}` }));
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    expect(setItem.mock.calls.map(([key]) => key)).toEqual([draftKey('alice')]);
  });
});

describe('drafts under other names', () => {
  it('offers only draft records, each once, named as their author wrote the name', () => {
    writeDraft('Bob', draft({ content: 'bob\n' }));
    // A record of another kind whose key has the same shape must not count as Bob's again.
    localStorage.setItem(`conflict-lab:other:bob:${docId}`, JSON.stringify({ anything: true }));
    localStorage.setItem(`conflict-lab:draft:carol:${docId}`, '{broken');
    const others = findOtherDrafts('Alice', docId);
    expect(others.map((o) => [o.author, o.draft.content])).toEqual([['Bob', 'bob\n']]);
  });

  it('falls back on the name in the key for a record that does not say who wrote it', () => {
    writeDraft('Bob', draft());
    const record = stored(draftKey('bob')) ?? {};
    delete record.author;
    localStorage.setItem(draftKey('bob'), JSON.stringify(record));
    expect(findOtherDrafts('Alice', docId).map((o) => o.author)).toEqual(['bob']);
  });

  it('finds none where storage cannot be listed', () => {
    writeDraft('Bob', draft());
    vi.spyOn(localStorage, 'key').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(findOtherDrafts('Alice', docId)).toEqual([]);
  });
});

describe('a discarded draft', () => {
  it('is kept under the lower-cased name, one per document', () => {
    writeDiscarded('ÁLICE', { draft: draft(), discardedAt: 1_000 });
    expect(stored(discardKey('álice'))).toEqual({ draft: draft(), discardedAt: 1_000 });
    expect(readDiscarded('álice', docId, 1_000)?.draft).toEqual(draft());
    expect(readDiscarded('Bob', docId, 1_000)).toBeNull();
  });

  it.each<[string, () => unknown]>([
    ['null', () => null],
    ['a number', () => 5],
    ['no draft', () => ({ discardedAt: 1_000 })],
    ['a draft without its base text', () => ({ draft: { ...draft(), base: { title: 'Notes', version: 3, etag: '"e3"' } }, discardedAt: 1_000 })],
    ['a draft that is not one', () => ({ draft: { base: { content: 'base\n' } }, discardedAt: 1_000 })],
    ['no time', () => ({ draft: draft() })],
  ])('reads as none when it has %s', (_what, record) => {
    writeDiscarded('Alice', { draft: draft(), discardedAt: 1_000 });
    expect(readDiscarded('Alice', docId, 1_000)).not.toBeNull();
    localStorage.setItem(discardKey('alice'), JSON.stringify(record()));
    expect(readDiscarded('Alice', docId, 1_000)).toBeNull();
  });
});
