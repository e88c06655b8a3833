// @vitest-environment happy-dom
/**
 * The draft store's records as the page keeps them: what it takes for a readable draft, a base
 * and a discarded draft (anything else reads as none, never as a crash or half a draft), whose
 * names they are kept under, and how it learns that another tab removed a base it wrote.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../test-support.ts';
import { UNDO_DISCARD_MS, findOtherDrafts, isDirty, readDiscarded, readDraft, writeDiscarded, writeDraft } from './draft-store.ts';
import type { Draft, DraftBase } from './draft-store.ts';

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

/** A draft on a known base. */
type Placed = Draft & { base: DraftBase };
const draft = (over: Partial<Placed> = {}): Placed => ({
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
    ['content that is not text, and no editedAt', ({ editedAt: _editedAt, ...r }) => ({ ...r, content: 7 })],
    ['content that is not text, and a base without an ETag', (r) => ({ ...r, content: 5, base: { title: 'Notes', version: 3 } })],
  ])('reads as no draft when it has %s', (_what, damage) => {
    localStorage.setItem(baseKey('alice'), JSON.stringify({ title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' }));
    // The record as written reads whole: only the damage makes it unreadable.
    localStorage.setItem(draftKey('alice'), JSON.stringify(good()));
    expect(readDraft('Alice', docId)).not.toBeNull();
    localStorage.setItem(draftKey('alice'), JSON.stringify(damage(good())));
    expect(readDraft('Alice', docId)).toBeNull();
    expect(findOtherDrafts('Bob', docId)).toEqual([]);
  });

  it.each<[string, Damage]>([
    ['a base without an ETag', (r) => ({ ...r, base: { title: 'Notes', version: 3 } })],
    ['a base whose ETag is not text', (r) => ({ ...r, base: { title: 'Notes', version: 3, etag: 3 } })],
    ['a base whose ETag is empty', (r) => ({ ...r, base: { title: 'Notes', version: 3, etag: '' } })],
    ['a base whose ETag is not quoted', (r) => ({ ...r, base: { title: 'Notes', version: 3, etag: 'e3' } })],
    ['a base whose ETag is weak', (r) => ({ ...r, base: { title: 'Notes', version: 3, etag: 'W/"e3"' } })],
    ['a base without a title', (r) => ({ ...r, base: { version: 3, etag: '"e3"' } })],
    ['a base without a version', (r) => ({ ...r, base: { title: 'Notes', etag: '"e3"' } })],
    ['a base whose version is text', (r) => ({ ...r, base: { title: 'Notes', version: '3', etag: '"e3"' } })],
    ['no base', ({ base: _base, ...r }) => r],
    ['a null base', (r) => ({ ...r, base: null })],
    ['a base that is not an object', (r) => ({ ...r, base: 'base' })],
  ])('keeps the text of one with %s, as a draft whose base is not known', (_what, damage) => {
    // A base record of the right version is beside it: without the draft's own ETag it cannot be matched.
    localStorage.setItem(baseKey('alice'), JSON.stringify({ title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' }));
    localStorage.setItem(draftKey('alice'), JSON.stringify(damage(good())));
    const unplaced = { docId, title: 'Notes', content: 'mine\n', editedAt: 1_000, base: null };
    expect(readDraft('Alice', docId)).toEqual(unplaced);
    expect(findOtherDrafts('Bob', docId)).toEqual([{ author: 'Alice', draft: unplaced }]);
  });

  // The text is whole; only when it was typed is not known. JSON reads `1e999` as Infinity.
  it.each<[string, (record: string) => string]>([
    ['no editedAt', (r) => r.replace(/,"editedAt":1000/, '')],
    ['an editedAt that is text', (r) => r.replace('"editedAt":1000', '"editedAt":"1000"')],
    ['a null editedAt', (r) => r.replace('"editedAt":1000', '"editedAt":null')],
    ['an editedAt of Infinity', (r) => r.replace('"editedAt":1000', '"editedAt":1e999')],
    ['an editedAt of -Infinity', (r) => r.replace('"editedAt":1000', '"editedAt":-1e999')],
  ])('keeps the text of one with %s, as edited at a time not known', (_what, damage) => {
    localStorage.setItem(baseKey('alice'), JSON.stringify({ title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' }));
    const record = damage(JSON.stringify(good()));
    expect(record).not.toContain('"editedAt":1000');
    localStorage.setItem(draftKey('alice'), record);
    expect(readDraft('Alice', docId)).toEqual({ ...draft(), editedAt: null });
    expect(findOtherDrafts('Bob', docId)).toEqual([{ author: 'Alice', draft: { ...draft(), editedAt: null } }]);
  });

  it('keeps the text of one written with a time that is NaN (stored as null), as edited at a time not known', () => {
    expect(writeDraft('Alice', draft({ editedAt: NaN }))).toBe(true);
    expect(readDraft('Alice', docId)).toEqual({ ...draft(), editedAt: null });
    // Written again as it was read, it still reads back.
    writeDraft('Alice', { ...draft(), editedAt: null });
    expect(readDraft('Alice', docId)).toEqual({ ...draft(), editedAt: null });
  });

  it('lists one whose time is not known after those whose time is known', () => {
    writeDraft('Alice', draft({ content: 'alice\n', editedAt: null }));
    writeDraft('Bob', draft({ content: 'bob\n', editedAt: 1 }));
    writeDraft('Carol', draft({ content: 'carol\n', editedAt: 2 }));
    expect(findOtherDrafts('Dave', docId).map((o) => o.author)).toEqual(['Carol', 'Bob', 'Alice']);
    writeDraft('Bob', draft({ content: 'bob\n', editedAt: null }));
    expect(findOtherDrafts('Dave', docId).map((o) => o.author)).toEqual(['Carol', 'Alice', 'Bob']);
  });

  it('keeps a draft whose base is not known as it is, and drops the base record of the one it replaced', () => {
    writeDraft('Alice', draft());
    const unplaced: Draft = { ...draft(), base: null };
    expect(writeDraft('Alice', unplaced)).toBe(true);
    expect(localStorage.getItem(baseKey('alice'))).toBeNull();
    expect(readDraft('Alice', docId)).toEqual(unplaced);
    // Placed again (a save answered), its new base is written.
    writeDraft('Alice', draft());
    expect(readDraft('Alice', docId)).toEqual(draft());
  });

  it('is unsaved text whatever it says, when its base is not known', () => {
    expect(isDirty({ ...draft(), base: null })).toBe(true);
    expect(isDirty({ ...draft({ title: '', content: '' }), base: null })).toBe(true);
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

  it('keeps the date of its base when it names a real instant, as the server writes it', () => {
    for (const updatedAt of ['2026-11-30T10:00:00.250Z', '2026-11-30T10:00:00Z', '2028-02-29T23:59:59.999Z']) {
      localStorage.setItem(draftKey('alice'), JSON.stringify({ ...good(), base: { ...good().base, updatedAt } }));
      expect(readDraft('Alice', docId)?.base?.updatedAt).toBe(updatedAt);
    }
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 1_796_032_800_000],
    ['text that is no date', 'yesterday'],
    ['empty text', ''],
    ['a bare number as text', '1'],
    ['a date without its time', '2026-11-30'],
    ['a time in no zone', '2026-11-30T10:00:00'],
    ['an HTTP date (not what the draft records)', 'Mon, 30 Nov 2026 10:00:00 GMT'],
    ['a day no month has', '2026-02-30T10:00:00.000Z'],
    ['a month no year has', '2026-13-01T10:00:00.000Z'],
    ['an hour no day has', '2026-11-30T24:00:00.000Z'],
    ['an object', { at: '2026-11-30T10:00:00.000Z' }],
  ])('keeps the text of one whose base’s date is %s, and drops that date: a save sends If-Match', (_what, updatedAt) => {
    localStorage.setItem(draftKey('alice'), JSON.stringify({ ...good(), base: { ...good().base, updatedAt } }));
    writeDiscarded('Alice', { draft: { ...draft(), base: { ...draft().base, updatedAt: updatedAt as string } }, discardedAt: 1_000 });
    const read = readDraft('Alice', docId);
    expect(read).toEqual(draft({ base: { title: 'Notes', content: '', version: 3, etag: '"e3"' } }));
    expect(read?.base).not.toHaveProperty('updatedAt');
    expect(readDiscarded('Alice', docId, 1_000)?.draft).toEqual(draft());
    expect(readDiscarded('Alice', docId, 1_000)?.draft.base).not.toHaveProperty('updatedAt');
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
    expect(readDraft('Alice', docId)?.base?.content).toBe('');
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    expect(stored(baseKey('alice'))).toEqual(draft().base);

    const setItem = vi.spyOn(localStorage, 'setItem');
    expect(readDraft('Alice', docId)?.base?.content).toBe('base\n');
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
    expect(readDraft('Alice', docId)?.base?.content).toBe('base\n');
  });

  it('clearing the whole storage does too', () => {
    writeDraft('Alice', draft());
    localStorage.clear();
    window.dispatchEvent(new StorageEvent('storage', { key: null }));
    writeDraft('Alice', draft({ content: 'mine, more\n' }));
    expect(readDraft('Alice', docId)?.base?.content).toBe('base\n');
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

  it.each<[string, unknown]>([
    ['without an ETag', { title: 'Notes', content: 'base\n', version: 3 }],
    ['without a title', { content: 'base\n', version: 3, etag: '"e3"' }],
    ['without a version', { title: 'Notes', content: 'base\n', etag: '"e3"' }],
    ['not known (null)', null],
  ])('keeps the text of one whose base is %s, as a draft whose base is not known', (_what, base) => {
    localStorage.setItem(discardKey('alice'), JSON.stringify({ draft: { ...draft(), base }, discardedAt: 1_000 }));
    expect(readDiscarded('Alice', docId, 1_000)).toEqual({ draft: { ...draft(), base: null }, discardedAt: 1_000 });
  });

  it('keeps the text of one whose base lost its text, the base being known: a later merge shows more as changed', () => {
    localStorage.setItem(discardKey('alice'), JSON.stringify({ draft: { ...draft(), base: { title: 'Notes', version: 3, etag: '"e3"' } }, discardedAt: 1_000 }));
    expect(readDiscarded('Alice', docId, 1_000)?.draft).toEqual(draft({ base: { title: 'Notes', content: '', version: 3, etag: '"e3"' } }));
  });

  it.each<[string, () => unknown]>([
    ['null', () => null],
    ['a number', () => 5],
    ['no draft', () => ({ discardedAt: 1_000 })],
    ['a draft that is not one', () => ({ draft: { base: { content: 'base\n' } }, discardedAt: 1_000 })],
    ['a draft whose text is not text', () => ({ draft: { ...draft(), content: null, base: null }, discardedAt: 1_000 })],
    ['a draft whose text is not text and no time', () => ({ draft: { ...draft(), content: null, editedAt: undefined } })],
  ])('reads as none when it has %s', (_what, record) => {
    writeDiscarded('Alice', { draft: draft(), discardedAt: 1_000 });
    expect(readDiscarded('Alice', docId, 1_000)).not.toBeNull();
    localStorage.setItem(discardKey('alice'), JSON.stringify(record()));
    expect(readDiscarded('Alice', docId, 1_000)).toBeNull();
  });

  it.each<[string, (record: string) => string]>([
    ['no editedAt', (r) => r.replace(/,"editedAt":1000/, '')],
    ['an editedAt that is text', (r) => r.replace('"editedAt":1000', '"editedAt":"1000"')],
    ['an editedAt of Infinity', (r) => r.replace('"editedAt":1000', '"editedAt":1e999')],
  ])('keeps the text of one whose draft has %s, as edited at a time not known', (_what, damage) => {
    writeDiscarded('Alice', { draft: draft(), discardedAt: 1_000 });
    const record = damage(localStorage.getItem(discardKey('alice')) ?? '');
    expect(record).not.toContain('"editedAt":1000');
    localStorage.setItem(discardKey('alice'), record);
    expect(readDiscarded('Alice', docId, 1_000)).toEqual({ draft: { ...draft(), editedAt: null }, discardedAt: 1_000 });
  });

  it.each<[string, unknown]>([
    ['no time', undefined],
    ['a time that is text', '1000'],
    ['a null time', null],
  ])('keeps one with %s, offered for the whole window from when it is first read', (_what, discardedAt) => {
    localStorage.setItem(discardKey('alice'), JSON.stringify({ draft: draft(), discardedAt }));
    const first = 50_000;
    expect(readDiscarded('Alice', docId, first)).toEqual({ draft: draft(), discardedAt: first });
    // Not again from each reading: the window runs from the first.
    expect(readDiscarded('Alice', docId, first + UNDO_DISCARD_MS)).toEqual({ draft: draft(), discardedAt: first });
    expect(readDiscarded('Alice', docId, first + UNDO_DISCARD_MS + 1)).toBeNull();
    expect(localStorage.getItem(discardKey('alice'))).toBeNull();
  });

  it('keeps one whose time is Infinity, offered for the whole window from when it is first read', () => {
    writeDiscarded('Alice', { draft: draft(), discardedAt: 1_000 });
    localStorage.setItem(discardKey('alice'), (localStorage.getItem(discardKey('alice')) ?? '').replace('"discardedAt":1000', '"discardedAt":1e999'));
    expect(readDiscarded('Alice', docId, 2_000)).toEqual({ draft: draft(), discardedAt: 2_000 });
    expect(readDiscarded('Alice', docId, 2_000 + UNDO_DISCARD_MS + 1)).toBeNull();
  });
});
