// @vitest-environment happy-dom
/**
 * The save of a document guarded by dates (`timestamp` mode): If-Unmodified-Since with the date of
 * the draft's own base, the base's tag as X-Based-On so the server can tell a lost update, and no
 * If-Match, which would decide in its place (RFC 9110 §13.2.2). Every other mode, and a draft kept
 * before its base's date was recorded, sends If-Match. The real hooks over a real query cache, with
 * `fetch` stubbed.
 */
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ConcurrencyMode } from '../../../protocol/concurrency.ts';
import type { Document } from '../../../protocol/types.ts';
import { documentConcurrencyQueryOptions } from '../api/document-concurrency.ts';
import { documentQueryOptions } from '../api/get-document.ts';
import { writeDraft } from '../drafts/draft-store.ts';
import type { Draft, DraftBase } from '../drafts/draft-store.ts';
import { hookTests, jsonResponse as json, mountEditorHooks, scriptedServer } from '../test-support.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const USER = 'Alice';
const v1: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.250Z', updatedBy: 'Alice', state: 'draft' };
// The cache learnt of a newer version meanwhile: its date and tag must not be sent.
const v2: Document = { ...v1, content: 'one\nBob\n', version: 2, updatedAt: '2026-11-30T10:05:00.000Z', updatedBy: 'Bob' };

const hooks = hookTests(USER);

/** The editor's hooks on d_1, in `mode` as the mode query last read it (undefined: not read yet). */
async function editing(mode: ConcurrencyMode | undefined, draft: Draft) {
  hooks.client.setQueryData(documentQueryOptions('d_1').queryKey, { doc: v2, etag: '"e2"' });
  if (mode) hooks.client.setQueryData(documentConcurrencyQueryOptions('d_1').queryKey, { id: 'd_1', concurrency: mode, own: mode });
  const flow = await mountEditorHooks(hooks, 'd_1', USER);
  await act(async () => flow().setDraft(draft));
  return flow;
}

const draftOn = (updatedAt: string | undefined): Draft & { base: DraftBase } => ({
  docId: 'd_1',
  title: 'Notes',
  content: 'one\nmine\n',
  base: { title: v1.title, content: v1.content, version: 1, etag: '"e1"', ...(updatedAt === undefined ? {} : { updatedAt }) },
  editedAt: Date.now(),
});

async function saveOnce(mode: ConcurrencyMode | undefined, draft: Draft) {
  const sent = scriptedServer([() => json(200, { ...v1, content: draft.content, version: 2 }, '"e9"')]);
  const flow = await editing(mode, draft);
  await act(async () => flow().save());
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
  expect(sent).toHaveLength(1);
  expect(flow().status).toEqual({ kind: 'saved', version: 2 });
  const headers = sent[0]?.headers ?? new Headers();
  return {
    ifMatch: headers.get('If-Match'),
    ifUnmodifiedSince: headers.get('If-Unmodified-Since'),
    basedOn: headers.get('X-Based-On'),
    idempotencyKey: headers.get('Idempotency-Key'),
  };
}

describe('a save in timestamp mode', () => {
  it('sends If-Unmodified-Since: its base’s date (to the second), X-Based-On: its base’s tag, and no If-Match', async () => {
    const sent = await saveOnce('timestamp', draftOn(v1.updatedAt));
    expect(sent).toMatchObject({ ifMatch: null, ifUnmodifiedSince: 'Mon, 30 Nov 2026 10:00:00 GMT', basedOn: '"e1"' });
    expect(sent.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends If-Match when the draft was kept before its base’s date was recorded', async () => {
    expect(await saveOnce('timestamp', draftOn(undefined))).toMatchObject({ ifMatch: '"e1"', ifUnmodifiedSince: null, basedOn: null });
  });

  it.each([null, 'not a date'])('sends If-Match, never a made-up date, for a draft read back with %j as its base’s date, and saves its text', async (updatedAt) => {
    // A tab closed with the draft kept; the one opened now reads it back.
    writeDraft(USER, { ...draftOn(undefined), base: { ...draftOn(undefined).base, updatedAt: updatedAt as string } });
    const sent = scriptedServer([() => json(200, { ...v1, content: 'one\nmine\n', version: 2 }, '"e9"')]);
    hooks.client.setQueryData(documentQueryOptions('d_1').queryKey, { doc: v2, etag: '"e2"' });
    hooks.client.setQueryData(documentConcurrencyQueryOptions('d_1').queryKey, { id: 'd_1', concurrency: 'timestamp', own: 'timestamp' });
    const flow = await mountEditorHooks(hooks, 'd_1', USER);
    expect(flow().draft?.content).toBe('one\nmine\n');
    await act(async () => flow().save());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.get('If-Unmodified-Since')).toBeNull();
    expect(sent[0]?.headers.get('If-Match')).toBe('"e1"');
    expect(sent[0]?.body).toEqual({ title: 'Notes', content: 'one\nmine\n' });
  });
});

describe('a save in any other mode', () => {
  it.each(['etag', 'lock', 'server-merge', 'none', undefined] as const)('%s sends If-Match: its base’s tag, and no date', async (mode) => {
    expect(await saveOnce(mode, draftOn(v1.updatedAt))).toMatchObject({ ifMatch: '"e1"', ifUnmodifiedSince: null, basedOn: null });
  });
});
