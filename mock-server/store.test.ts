import { describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../src/protocol/etag.ts';
import { DocumentStore, SnapshotError, validateSnapshot, type StoreChange } from './store.ts';

const ifMatch = parseEntityTagCondition;

function emptyStore(): DocumentStore {
  return new DocumentStore({ seed: false });
}

function created(store: DocumentStore, title = 'Notes', content = 'one') {
  const result = store.create({ title, content }, 'Ana');
  if (result.kind !== 'created') throw new Error(`expected created, got ${result.kind}`);
  return result.revision;
}

describe('DocumentStore', () => {
  it('starts with three sample documents: notes, prose and code', () => {
    const docs = new DocumentStore().list();
    expect(docs).toHaveLength(3);
    expect(new Set(docs.map((d) => d.etag)).size).toBe(3);
    expect(docs.every((d) => d.version === 1)).toBe(true);
  });

  it('creates version 1 with a strong tag, exactly as given', () => {
    const store = emptyStore();
    const revision = created(store, '  Spaced title ', 'line\r\nnext');
    expect(revision.document).toMatchObject({ title: '  Spaced title ', content: 'line\r\nnext', version: 1, updatedBy: 'Ana' });
    expect(revision.etag).toMatch(/^"[^"]+"$/);
  });

  it('saves a new version when If-Match names the current tag, and keeps the history', () => {
    const store = emptyStore();
    const v1 = created(store);
    const result = store.update(v1.document.id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Bob');
    expect(result.kind).toBe('updated');
    if (result.kind !== 'updated') return;
    expect(result.revision.document).toMatchObject({ version: 2, content: 'two', updatedBy: 'Bob' });
    expect(result.revision.etag).not.toBe(v1.etag);
    expect(store.revisions(v1.document.id)?.map((r) => r.version)).toEqual([1, 2]);
    expect(store.revision(v1.document.id, 1)?.document.content).toBe('one');
  });

  it('refuses a stale tag with the base, the current version and every change since', () => {
    const store = emptyStore();
    const v1 = created(store);
    const id = v1.document.id;
    const v2 = store.update(id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Bob');
    if (v2.kind !== 'updated') throw new Error('setup');
    const v3 = store.update(id, { title: 'Notes', content: 'three' }, ifMatch(v2.revision.etag), 'Carol');
    if (v3.kind !== 'updated') throw new Error('setup');

    const stale = store.update(id, { title: 'Notes', content: 'mine' }, ifMatch(v1.etag), 'Ana');
    expect(stale.kind).toBe('conflict');
    if (stale.kind !== 'conflict') return;
    expect(stale.base?.document.version).toBe(1);
    expect(stale.current.document.version).toBe(3);
    expect(stale.changesSince.map((c) => [c.version, c.updatedBy])).toEqual([
      [2, 'Bob'],
      [3, 'Carol'],
    ]);
    expect(store.get(id)).toMatchObject({ kind: 'found', revision: { document: { content: 'three' } } });
  });

  it('gives base null and the whole history when the tag names no known version', () => {
    const store = emptyStore();
    const v1 = created(store);
    const result = store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('"unknown"'), 'Ana');
    expect(result).toMatchObject({ kind: 'conflict', base: null, changesSince: [{ version: 1 }] });
  });

  it('never lets a weak tag pass, even for the current version', () => {
    const store = emptyStore();
    const v1 = created(store);
    const result = store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch(`W/${v1.etag}`), 'Ana');
    expect(result.kind).toBe('conflict');
    expect(store.revisions(v1.document.id)).toHaveLength(1);
  });

  it('answers a retried save whose body is already stored with the current version, not a new one', () => {
    const store = emptyStore();
    const v1 = created(store);
    const saved = store.update(v1.document.id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Ana');
    if (saved.kind !== 'updated') throw new Error('setup');
    const retry = store.update(v1.document.id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Ana');
    expect(retry).toEqual({ kind: 'unchanged-retry', revision: saved.revision });
    expect(store.revisions(v1.document.id)).toHaveLength(2);
  });

  it('treats the same text from another user as a conflict, not as a retry', () => {
    const store = emptyStore();
    const v1 = created(store, 'Counter', '5');
    const bob = store.update(v1.document.id, { title: 'Counter', content: '6' }, ifMatch(v1.etag), 'Bob');
    expect(bob.kind).toBe('updated');
    const ana = store.update(v1.document.id, { title: 'Counter', content: '6' }, ifMatch(v1.etag), 'Ana');
    expect(ana.kind).toBe('conflict');
  });

  it('requires a condition to save or delete', () => {
    const store = emptyStore();
    const v1 = created(store);
    expect(store.update(v1.document.id, { title: 'Notes', content: 'x' }, null, 'Ana').kind).toBe('precondition-required');
    expect(store.remove(v1.document.id, null, 'Ana').kind).toBe('precondition-required');
  });

  it('accepts * for any existing document', () => {
    const store = emptyStore();
    const v1 = created(store);
    expect(store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('*'), 'Ana').kind).toBe('updated');
    expect(store.remove(v1.document.id, ifMatch('*'), 'Ana').kind).toBe('deleted');
  });

  it('refuses duplicate titles among live documents only, after trim and case folding', () => {
    const store = emptyStore();
    const a = created(store, 'Plan');
    expect(store.create({ title: '  pLAN ', content: '' }, 'Bob')).toEqual({
      kind: 'duplicate-title',
      existing: { id: a.document.id, title: 'Plan' },
    });
    const b = created(store, 'Other');
    expect(store.update(b.document.id, { title: 'PLAN', content: '' }, ifMatch(b.etag), 'Bob').kind).toBe('duplicate-title');
    // Renaming a document to its own title in another case is fine.
    expect(store.update(a.document.id, { title: 'PLAN', content: 'one' }, ifMatch(a.etag), 'Bob').kind).toBe('updated');
    store.remove(b.document.id, ifMatch('*'), 'Bob');
    expect(store.create({ title: 'Other', content: '' }, 'Bob').kind).toBe('created');
  });

  it('keeps track of titles through renames, resets and restarts', () => {
    const store = emptyStore();
    const a = created(store, 'Draft');
    const renamed = store.update(a.document.id, { title: 'Final', content: 'one' }, ifMatch(a.etag), 'Ana');
    if (renamed.kind !== 'updated') throw new Error(renamed.kind);
    // The old title is free again; the new one is taken.
    expect(store.create({ title: 'draft', content: '' }, 'Bob').kind).toBe('created');
    expect(store.create({ title: 'FINAL', content: '' }, 'Bob')).toEqual({
      kind: 'duplicate-title',
      existing: { id: a.document.id, title: 'Final' },
    });
    // Restored from a snapshot, live titles stay taken and deleted ones stay free.
    store.remove(a.document.id, ifMatch(renamed.revision.etag), 'Ana');
    const restored = new DocumentStore({ snapshot: JSON.parse(JSON.stringify(store.snapshot())) });
    expect(restored.create({ title: 'Draft', content: '' }, 'Bob').kind).toBe('duplicate-title');
    expect(restored.create({ title: 'Final', content: '' }, 'Bob').kind).toBe('created');
    // A reset deletes every document, so the sample titles come back and nothing else is taken.
    const samples = restored.resetToSamples('Ana');
    expect(samples).toHaveLength(3);
    expect(restored.create({ title: 'Draft', content: '' }, 'Bob').kind).toBe('created');
    expect(restored.create({ title: samples[0]?.title ?? '', content: '' }, 'Bob').kind).toBe('duplicate-title');
  });

  it('marks deleted documents gone, keeps their history, and never reuses their tags', () => {
    const store = emptyStore();
    const v1 = created(store);
    expect(store.remove(v1.document.id, ifMatch(v1.etag), 'Bob').kind).toBe('deleted');
    expect(store.get(v1.document.id)).toMatchObject({ kind: 'gone', by: 'Bob' });
    expect(store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('*'), 'Ana').kind).toBe('gone');
    expect(store.remove(v1.document.id, ifMatch('*'), 'Ana').kind).toBe('gone');
    expect(store.revisions(v1.document.id)).toHaveLength(1);
    const again = created(store);
    expect(again.document.id).not.toBe(v1.document.id);
    expect(again.etag).not.toBe(v1.etag);
  });

  it('tells listeners about every change in order', () => {
    const store = emptyStore();
    const changes: StoreChange['type'][] = [];
    store.subscribe((change) => changes.push(change.type));
    const v1 = created(store);
    store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('"stale"'), 'Ana');
    store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch(v1.etag), 'Ana');
    store.remove(v1.document.id, ifMatch('*'), 'Ana');
    expect(changes).toEqual(['created', 'updated', 'deleted']);
  });

  it('restores from a snapshot with the same tags, and mints new tags that never collide', () => {
    const before = emptyStore();
    const v1 = created(before);
    const restored = new DocumentStore({ snapshot: JSON.parse(JSON.stringify(before.snapshot())) });
    expect(restored.get(v1.document.id)).toMatchObject({ kind: 'found', revision: { etag: v1.etag } });
    const fresh = restored.create({ title: 'Fresh', content: '' }, 'Ana');
    const fromBefore = before.create({ title: 'Fresh', content: '' }, 'Ana');
    if (fresh.kind !== 'created' || fromBefore.kind !== 'created') throw new Error('setup');
    expect(fresh.revision.etag).not.toBe(fromBefore.revision.etag);
  });

  it('refuses damaged snapshots', () => {
    const good = emptyStore();
    created(good);
    const snapshot = JSON.parse(JSON.stringify(good.snapshot()));
    expect(() => validateSnapshot(snapshot)).not.toThrow();
    expect(() => validateSnapshot({})).toThrow(SnapshotError);
    expect(() => validateSnapshot({ ...snapshot, documents: [{ ...snapshot.documents[0], revisions: [] }] })).toThrow(SnapshotError);
    const badVersion = structuredClone(snapshot);
    badVersion.documents[0].revisions[0].document.version = 2;
    expect(() => validateSnapshot(badVersion)).toThrow(SnapshotError);
    const badTag = structuredClone(snapshot);
    badTag.documents[0].revisions[0].etag = 'no quotes';
    expect(() => validateSnapshot(badTag)).toThrow(SnapshotError);
  });
});
