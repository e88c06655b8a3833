/**
 * The pieces both engines share, on their own: which tags of an If-Match count, how stored rows
 * read back (values no version of this code writes included), and the events a revision makes.
 */
import { describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import {
  changeOf,
  goneFrom,
  listedTags,
  newDocumentId,
  passes,
  randomHex,
  recordFrom,
  revisionFrom,
  stateOf,
  strongTags,
  summaryFrom,
  TagMinter,
  titleKey,
} from './common.ts';
import { StorageError, StoreOpenError, type StoredRevision } from './types.ts';

const ifMatch = parseEntityTagCondition;

describe('the tags of an If-Match', () => {
  it('lists every tag for a conflict’s base, weak ones too, and none for *', () => {
    expect(listedTags(ifMatch('"a.1", W/"a.2", "a.3"'))).toEqual(['"a.1"', '"a.2"', '"a.3"']);
    expect(listedTags(ifMatch('*'))).toEqual([]);
  });

  it('lets only strong tags match, and * match anything', () => {
    expect(strongTags(ifMatch('"a.1", W/"a.2"'))).toEqual(['"a.1"']);
    expect(strongTags(ifMatch('*'))).toBeNull();
    expect(passes(ifMatch('*'), '"a.9"')).toBe(true);
    expect(passes(ifMatch('"a.1", "a.2"'), '"a.2"')).toBe(true);
    expect(passes(ifMatch('W/"a.2"'), '"a.2"')).toBe(false);
    expect(passes(ifMatch('"a.1"'), '"a.2"')).toBe(false);
  });
});

describe('stored rows', () => {
  it('read a deletion by the reset as such, and any other stored reason as a person’s delete', () => {
    expect(goneFrom({ deleted_at: '2026-11-20T10:00:00.000Z', deleted_by: 'Teacher', deleted_reason: 'reset' })).toEqual({
      kind: 'gone',
      at: '2026-11-20T10:00:00.000Z',
      by: 'Teacher',
      reason: 'reset',
    });
    for (const reason of [null, 'purged', 'Reset', '']) {
      expect(goneFrom({ deleted_at: '2026-11-20T10:00:00.000Z', deleted_by: 'Bob', deleted_reason: reason })).toStrictEqual({
        kind: 'gone',
        at: '2026-11-20T10:00:00.000Z',
        by: 'Bob',
      });
    }
  });

  it('read a deletion with nobody recorded as by nobody', () => {
    expect(goneFrom({ deleted_at: '2026-11-20T10:00:00.000Z', deleted_by: null, deleted_reason: null })).toStrictEqual({
      kind: 'gone',
      at: '2026-11-20T10:00:00.000Z',
      by: '',
    });
  });

  it('read a state no version writes as a draft', () => {
    expect(stateOf('published')).toBe('published');
    expect(stateOf('archived')).toBe('archived');
    expect(stateOf('deleted')).toBe('draft');
    const row = {
      doc_id: 'd_a',
      id: 'd_a',
      version: 3,
      etag: '"a.3"',
      title: 'T',
      content: 'C',
      updated_at: '2026-11-20T10:00:00.000Z',
      updated_by: 'Ana',
      based_on: '"a.2"',
      state: 'gone',
    };
    expect(revisionFrom(row, (text) => text).document.state).toBe('draft');
    expect(recordFrom(row).state).toBe('draft');
    expect(summaryFrom(row, (text) => text).state).toBe('draft');
  });
});

describe('changeOf', () => {
  const revision: StoredRevision = {
    document: { id: 'd_a', title: 'T', content: 'C', version: 4, updatedAt: '2026-11-20T10:00:00.000Z', updatedBy: 'Bob', state: 'draft' },
    etag: '"a.4"',
    basedOn: '"a.2"',
  };

  it('tells a save’s base and the tag it replaced', () => {
    expect(changeOf('updated', revision, '"a.3"')).toStrictEqual({
      type: 'updated',
      id: 'd_a',
      version: 4,
      etag: '"a.4"',
      updatedBy: 'Bob',
      updatedAt: '2026-11-20T10:00:00.000Z',
      basedOn: '"a.2"',
      replaced: '"a.3"',
    });
  });

  it('tells neither for a create', () => {
    expect(changeOf('created', revision)).toStrictEqual({
      type: 'created',
      id: 'd_a',
      version: 4,
      etag: '"a.4"',
      updatedBy: 'Bob',
      updatedAt: '2026-11-20T10:00:00.000Z',
    });
  });
});

describe('tags, ids and titles', () => {
  it('draws two hex digits for every random byte, a leading zero included', () => {
    // 4,000 bytes: some are below 16 (all but certainly), and each still gives two digits.
    const hex = randomHex(4000);
    expect(hex).toMatch(/^[0-9a-f]{8000}$/);
    expect(hex.match(/../g)?.some((byte) => byte.startsWith('0'))).toBe(true);
    for (let i = 0; i < 50; i += 1) expect(newDocumentId()).toMatch(/^d_[0-9a-f]{16}$/);
  });

  it('mints strong tags, each new, counting up from one epoch', () => {
    const minter = new TagMinter();
    const tags = Array.from({ length: 40 }, () => minter.next());
    expect(new Set(tags).size).toBe(40);
    const [epoch] = (tags[0] ?? '').slice(1, -1).split('.');
    expect(epoch).toMatch(/^[0-9a-f]{24}$/);
    expect(tags.slice(0, 3)).toEqual([`"${epoch}.1"`, `"${epoch}.2"`, `"${epoch}.3"`]);
    expect(tags[35]).toBe(`"${epoch}.10"`);
    expect(new TagMinter().next()).not.toBe(tags[0]);
  });

  it('folds titles by trimming, normalising and case', () => {
    expect(titleKey('  Caf\u0065\u0301 NOTES ')).toBe('caf\u00e9 notes');
  });
});

describe('the store’s errors', () => {
  it('carry their names, and a storage error its status and the seconds after which to retry', () => {
    expect(new StoreOpenError('in use')).toMatchObject({ name: 'StoreOpenError', message: 'in use' });
    expect(new StorageError('full', 507)).toMatchObject({ name: 'StorageError', message: 'full', status: 507, retryAfter: 5 });
    expect(new StorageError('busy', 503, 30, { cause: 'disk' })).toMatchObject({ status: 503, retryAfter: 30, cause: 'disk' });
  });

  it('say nothing was stored, under no key, unless told that a commit on its way may have been, and under a key', () => {
    expect(new StorageError('busy', 503)).toMatchObject({ stored: 'no', keyed: false });
    expect(new StorageError('lost', 503, 5, { stored: 'unknown' })).toMatchObject({ stored: 'unknown', keyed: false });
    expect(new StorageError('lost', 503, 5, { stored: 'unknown', keyed: true })).toMatchObject({ stored: 'unknown', keyed: true });
  });
});
