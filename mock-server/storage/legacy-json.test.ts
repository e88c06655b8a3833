/**
 * The old data file's checks: a file that does not check out in full is refused with a message
 * that says where, and what, is wrong; one that does is taken as it is, older fields optional.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempFolders, tempFolder } from './engines-under-test.ts';
import { LEGACY_FORMAT, readLegacySnapshot, validateLegacySnapshot } from './legacy-json.ts';
import { StoreOpenError } from './types.ts';

afterAll(removeTempFolders);

function revision(id: string, version: number, etag: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    document: { id, title: `Title of ${id}`, content: `v${version}`, version, updatedAt: '2026-11-20T10:00:00.000Z', updatedBy: 'Ana', ...extra },
    etag,
  };
}

function snapshot(documents: unknown[]): Record<string, unknown> {
  return { format: LEGACY_FORMAT, documents };
}

const good = (): Record<string, unknown> => ({ id: 'd_a', revisions: [revision('d_a', 1, '"a.1"')], deleted: null });

describe('validateLegacySnapshot', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'not a store snapshot (expected "format": "conflict-lab-store/1")'],
    ['a list', [], 'not a store snapshot (expected "format": "conflict-lab-store/1")'],
    ['a string', LEGACY_FORMAT, 'not a store snapshot (expected "format": "conflict-lab-store/1")'],
    ['another format', { format: 'conflict-lab-store/2', documents: [] }, 'not a store snapshot (expected "format": "conflict-lab-store/1")'],
    ['documents that are no list', { format: LEGACY_FORMAT, documents: {} }, '"documents" is not a list'],
    ['a document that is null', snapshot([good(), null]), 'documents[1] has no id'],
    ['a document that is a list', snapshot([[]]), 'documents[0] has no id'],
    ['a document that is a string', snapshot(['d_a']), 'documents[0] has no id'],
    ['a document whose id is a number', snapshot([{ ...good(), id: 7 }]), 'documents[0] has no id'],
    ['a document whose id is empty', snapshot([{ ...good(), id: '' }]), 'documents[0] has no id'],
    ['an id twice', snapshot([good(), good()]), 'documents[1]: id d_a appears twice'],
    ['no revisions', snapshot([{ ...good(), revisions: [] }]), 'documents[0] has no revisions'],
    ['revisions that are no list', snapshot([{ ...good(), revisions: { 0: revision('d_a', 1, '"a.1"') } }]), 'documents[0] has no revisions'],
    ['a revision that is null', snapshot([{ ...good(), revisions: [null] }]), 'documents[0].revisions[0] is not a revision'],
    ['a revision that is a list', snapshot([{ ...good(), revisions: [[]] }]), 'documents[0].revisions[0] is not a revision'],
    ['a revision without a tag', snapshot([{ ...good(), revisions: [{ document: revision('d_a', 1, '').document }] }]), 'documents[0].revisions[0] is not a revision'],
    ['a revision whose document is null', snapshot([{ ...good(), revisions: [{ etag: '"a.1"', document: null }] }]), 'documents[0].revisions[0] is not a revision'],
    ['a revision whose document is a list', snapshot([{ ...good(), revisions: [{ etag: '"a.1"', document: [] }] }]), 'documents[0].revisions[0] is not a revision'],
    ['a revision whose document is text', snapshot([{ ...good(), revisions: [{ etag: '"a.1"', document: 'd_a' }] }]), 'documents[0].revisions[0] is not a revision'],
    ['a tag that is no tag', snapshot([{ ...good(), revisions: [revision('d_a', 1, 'a.1')] }]), 'documents[0].revisions[0].etag is not an entity tag'],
    ['a weak tag', snapshot([{ ...good(), revisions: [revision('d_a', 1, 'W/"a.1"')] }]), 'documents[0].revisions[0].etag is not a strong entity tag'],
    [
      'a tag twice in one document',
      snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"'), revision('d_a', 2, '"a.1"')] }]),
      'documents[0].revisions[1]: entity tag "a.1" appears twice',
    ],
    [
      'a tag twice in two documents',
      snapshot([good(), { id: 'd_b', revisions: [revision('d_b', 1, '"a.1"')], deleted: null }]),
      'documents[1].revisions[0]: entity tag "a.1" appears twice',
    ],
    ['a revision of another document', snapshot([{ ...good(), revisions: [revision('d_b', 1, '"a.1"')] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['a version out of place', snapshot([{ ...good(), revisions: [revision('d_a', 2, '"a.1"')] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['a title that is no text', snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"', { title: 1 })] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['content that is no text', snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"', { content: null })] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['a time that is no text', snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"', { updatedAt: 0 })] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['an author that is no text', snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"', { updatedBy: ['Ana'] })] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['an unknown state', snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"', { state: 'deleted' })] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['a state of null', snapshot([{ ...good(), revisions: [revision('d_a', 1, '"a.1"', { state: null })] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['a basedOn that is a number', snapshot([{ ...good(), revisions: [{ ...revision('d_a', 1, '"a.1"'), basedOn: 3 }] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['a basedOn that is false', snapshot([{ ...good(), revisions: [{ ...revision('d_a', 1, '"a.1"'), basedOn: false }] }]), 'documents[0].revisions[0].document is not version 1 of d_a'],
    ['no deletion field', snapshot([{ id: 'd_a', revisions: good().revisions }]), 'documents[0].deleted is neither null nor {at, by}'],
    ['a deletion that is text', snapshot([{ ...good(), deleted: '2026-11-20' }]), 'documents[0].deleted is neither null nor {at, by}'],
    ['a deletion that is a list', snapshot([{ ...good(), deleted: [] }]), 'documents[0].deleted is neither null nor {at, by}'],
    ['a deletion without a time', snapshot([{ ...good(), deleted: { by: 'Bob' } }]), 'documents[0].deleted is neither null nor {at, by}'],
    ['a deletion without a person', snapshot([{ ...good(), deleted: { at: '2026-11-20T10:00:00.000Z', by: null } }]), 'documents[0].deleted is neither null nor {at, by}'],
  ])('refuses %s, saying where', (_name, value, message) => {
    expect(() => validateLegacySnapshot(value)).toThrow(new Error(message));
  });

  it('takes a file as it is, with or without states, basedOn and deletions', () => {
    const value = snapshot([
      {
        id: 'd_a',
        revisions: [
          revision('d_a', 1, '"a.1"'),
          { ...revision('d_a', 2, '"a.2"', { state: 'published' }), basedOn: '"a.1"' },
          { ...revision('d_a', 3, '"a.3"', { state: 'archived' }), basedOn: null },
        ],
        deleted: null,
      },
      { id: 'd_b', revisions: [revision('d_b', 1, '"b.1"', { state: 'draft' })], deleted: { at: '2026-11-21T10:00:00.000Z', by: '' } },
      { id: 'd_c', revisions: [revision('d_c', 1, '"c.1"')], deleted: null },
    ]);
    expect(validateLegacySnapshot(value)).toBe(value);
    expect(validateLegacySnapshot(snapshot([]))).toEqual({ format: LEGACY_FORMAT, documents: [] });
  });
});

describe('readLegacySnapshot', () => {
  it('refuses a file that is no JSON, naming the file and the parser’s reason', () => {
    const file = join(tempFolder(), 'documents.json');
    writeFileSync(file, '{"format": "conflict-lab-store/1", "documents": [');
    let error: unknown = null;
    try {
      readLegacySnapshot(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    const { message } = error as Error;
    expect(message).toMatch(new RegExp(`^The old data file ${file} cannot be imported \\(.*JSON.*\\)\\. Nothing was changed\\. Repair or move it away, or start with --memory\\.$`));
    expect(message).not.toContain('()');
  });

  it('refuses a file that is missing or unreadable, and one that is no snapshot, with the reason', () => {
    const folder = tempFolder();
    expect(() => readLegacySnapshot(join(folder, 'absent.json'))).toThrow(/^The old data file .*absent\.json cannot be imported \(ENOENT: no such file/);
    expect(() => readLegacySnapshot(folder)).toThrow(/cannot be imported \(EISDIR/);
    const file = join(folder, 'documents.json');
    writeFileSync(file, JSON.stringify({ format: LEGACY_FORMAT, documents: [{ id: 'd_x', revisions: [], deleted: null }] }));
    expect(() => readLegacySnapshot(file)).toThrow(
      new StoreOpenError(
        `The old data file ${file} cannot be imported (documents[0] has no revisions). Nothing was changed. Repair or move it away, or start with --memory.`,
      ),
    );
  });

  it('reads a good file', () => {
    const file = join(tempFolder(), 'documents.json');
    const value = snapshot([good()]);
    writeFileSync(file, JSON.stringify(value));
    expect(readLegacySnapshot(file)).toEqual(value);
  });
});
