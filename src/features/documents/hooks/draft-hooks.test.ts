// @vitest-environment happy-dom
/**
 * The hooks that keep what the user typed: the draft mirrored to localStorage (useDraft), the draft
 * Discard put aside (useDiscardedDraft), and the two ends of an Overwrite (useOverwrites), rendered
 * in React with the real storage of the page and `fetch` stubbed.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUserProvider } from '../../../lib/api-client.ts';
import type { Document } from '../../../protocol/types.ts';
import { documentQueryOptions } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import {
  DEFERRED_DRAFT_CHARS,
  DRAFT_WRITE_MAX_WAIT_MS,
  DRAFT_WRITE_PAUSE_MS,
  UNDO_DISCARD_MS,
  clearDraft,
  readDiscarded,
  readDraft,
  writeDiscarded,
  writeDraft,
} from '../drafts/draft-store.ts';
import type { Draft } from '../drafts/draft-store.ts';
import { clockFormatter } from '../../../lib/clock.ts';
import { RestoredDraftNotice } from '../components/DraftNotices.tsx';
import { useDiscardedDraft } from './use-discarded-draft.ts';
import { useDraft } from './use-draft.ts';
import { useOverwrites } from './use-overwrites.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const NOW = Date.parse('2026-11-30T10:00:00.000Z');

let docCounter = 0;
let docId = '';
let unmounts: Array<() => Promise<void>> = [];

/** Renders `hook` with `props` (change them with `rerender`) and hands back its latest value. */
async function mount<P, T>(hook: (props: P) => T, initial: P) {
  const result: { current?: T } = {};
  let props = initial;
  function Probe() {
    result.current = hook(props);
    return null;
  }
  const client = new QueryClient();
  const root = createRoot(document.createElement('div'));
  const render = () => root.render(createElement(QueryClientProvider, { client }, createElement(Probe)));
  await act(async () => render());
  unmounts.push(() => act(async () => root.unmount()));
  return {
    client,
    current: () => {
      if (result.current === undefined) throw new Error('not rendered');
      return result.current;
    },
    rerender: async (next: P) => {
      props = next;
      await act(async () => render());
    },
  };
}

async function settle(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

const draft = (over: Partial<Draft> = {}): Draft => ({
  docId,
  title: 'Notes',
  content: 'mine\n',
  base: { title: 'Notes', content: 'base\n', version: 3, etag: '"e3"' },
  editedAt: NOW - 60_000,
  ...over,
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(NOW);
  localStorage.clear();
  docCounter += 1;
  docId = `d_${docCounter}`;
  setUserProvider(() => 'Alice');
});

afterEach(async () => {
  for (const unmount of unmounts) await unmount();
  unmounts = [];
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('useDraft', () => {
  it('starts from the draft left in storage and says when it was typed', async () => {
    writeDraft('Alice', draft());
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    expect(hook.current().draft).toEqual(draft());
    expect(hook.current().draftRef.current).toEqual(draft());
    expect(hook.current().restored).toEqual({ editedAt: NOW - 60_000 });
    expect(hook.current().otherDrafts).toEqual([]);
    await act(async () => hook.current().dismissRestored());
    expect(hook.current().restored).toBeNull();
  });

  it('restores a draft kept without a time, and the notice says the time is not known rather than show one', async () => {
    const key = `conflict-lab:draft:alice:${docId}`;
    const noticeText = async () => {
      const container = document.createElement('div');
      const root = createRoot(container);
      function Page() {
        const { restored } = useDraft(docId, 'Alice');
        return restored && createElement(RestoredDraftNotice, { editedAt: restored.editedAt, onDismiss: () => {}, formatTime: clockFormatter('en-GB', 'UTC') });
      }
      await act(async () => root.render(createElement(Page)));
      unmounts.push(() => act(async () => root.unmount()));
      return container.querySelector('p')?.textContent;
    };
    writeDraft('Alice', draft());
    expect(await noticeText()).toBe('Restored your unsaved changes from 09:59.');

    const { editedAt: _editedAt, ...record } = JSON.parse(localStorage.getItem(key) ?? 'null') as Record<string, unknown>;
    localStorage.setItem(key, JSON.stringify(record));
    expect(await noticeText()).toBe('Restored your unsaved changes from an unknown time.');
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    expect(hook.current().draft).toEqual({ ...draft(), editedAt: null });
    expect(hook.current().restored).toEqual({ editedAt: null });
  });

  it('starts empty with nothing stored, and restores nothing', async () => {
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    expect(hook.current().draft).toBeNull();
    expect(hook.current().draftRef.current).toBeNull();
    expect(hook.current().restored).toBeNull();
    expect(hook.current().storageFailed).toBe(false);
  });

  it('mirrors every change to storage at once, and typing back to the base is no draft', async () => {
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    await act(async () => hook.current().setDraft(draft({ content: 'typed\n' })));
    expect(readDraft('Alice', docId)?.content).toBe('typed\n');
    expect(hook.current().draft?.content).toBe('typed\n');
    expect(hook.current().draftRef.current?.content).toBe('typed\n');

    await act(async () => hook.current().setDraft(draft({ content: 'base\n' })));
    expect(hook.current().draft).toBeNull();
    expect(hook.current().draftRef.current).toBeNull();
    expect(readDraft('Alice', docId)).toBeNull();

    await act(async () => hook.current().setDraft(draft()));
    await act(async () => hook.current().setDraft(null));
    expect(readDraft('Alice', docId)).toBeNull();
  });

  describe('a long text', () => {
    const long = (typed: string) => draft({ content: `${'x'.repeat(DEFERRED_DRAFT_CHARS)}${typed}` });
    const stored = () => readDraft('Alice', docId)?.content.slice(DEFERRED_DRAFT_CHARS) ?? null;

    it('is written once typing pauses, not on every key', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      const setItem = vi.spyOn(localStorage, 'setItem');
      for (const typed of ['a', 'ab', 'abc']) {
        await act(async () => hook.current().setDraft(long(typed)));
        await settle(DRAFT_WRITE_PAUSE_MS - 1);
      }
      // The page has every key at once; storage gets the text when the keys stop.
      expect(hook.current().draft).toEqual(long('abc'));
      expect(stored()).toBeNull();
      await settle(1);
      expect(stored()).toBe('abc');
      const draftWrites = setItem.mock.calls.filter(([key]) => key.includes(':draft:'));
      expect(draftWrites).toHaveLength(1);
    });

    it('starts at exactly DEFERRED_DRAFT_CHARS characters: one fewer is written at once', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      const shorter = 'y'.repeat(DEFERRED_DRAFT_CHARS - 1);
      await act(async () => hook.current().setDraft(draft({ content: shorter })));
      expect(readDraft('Alice', docId)?.content).toBe(shorter);
      const limit = 'z'.repeat(DEFERRED_DRAFT_CHARS);
      await act(async () => hook.current().setDraft(draft({ content: limit })));
      expect(readDraft('Alice', docId)?.content).toBe(shorter);
      await settle(DRAFT_WRITE_PAUSE_MS);
      expect(readDraft('Alice', docId)?.content).toBe(limit);
    });

    it('waiting to be written, is dropped for a shorter text written at once, and never lands after it', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      await act(async () => hook.current().setDraft(long('stale')));
      // Select all, type a short text: written at once, and the long one waiting must not follow it.
      await act(async () => hook.current().setDraft(draft({ content: 'short\n' })));
      expect(readDraft('Alice', docId)?.content).toBe('short\n');
      await settle(DRAFT_WRITE_MAX_WAIT_MS);
      window.dispatchEvent(new Event('pagehide'));
      expect(readDraft('Alice', docId)?.content).toBe('short\n');
    });

    it('is written at least every couple of seconds while typing goes on', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      let typed = '';
      for (let elapsed = 0; elapsed < DRAFT_WRITE_MAX_WAIT_MS; elapsed += 100) {
        typed += 'k';
        await act(async () => hook.current().setDraft(long(typed)));
        await settle(100);
      }
      expect(stored()).toBe(typed);
    });

    it('is written at once when the page is hidden, left, or the editor closes', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      await act(async () => hook.current().setDraft(long('hidden')));
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      expect(stored()).toBe('hidden');

      await act(async () => hook.current().setDraft(long('left')));
      window.dispatchEvent(new Event('pagehide'));
      expect(stored()).toBe('left');

      await act(async () => hook.current().setDraft(long('closed')));
      for (const unmount of unmounts.splice(0)) await unmount();
      expect(stored()).toBe('closed');
    });

    it('waiting to be written, is not written back once the draft is cleared (saved, or saved as new)', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      await act(async () => hook.current().setDraft(long('saved')));
      clearDraft('Alice', docId);
      await settle(DRAFT_WRITE_MAX_WAIT_MS);
      window.dispatchEvent(new Event('pagehide'));
      expect(readDraft('Alice', docId)).toBeNull();
    });

    it('says so when the browser refuses to keep it, once it tries', async () => {
      const hook = await mount(() => useDraft(docId, 'Alice'), null);
      const setItem = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
        throw new DOMException('full', 'QuotaExceededError');
      });
      await act(async () => hook.current().setDraft(long('a')));
      expect(hook.current().storageFailed).toBe(false);
      await settle(DRAFT_WRITE_PAUSE_MS);
      expect(hook.current().storageFailed).toBe(true);
      expect(hook.current().draft).toEqual(long('a'));
      setItem.mockRestore();
    });
  });

  it('says so when the browser refuses to keep a copy, and stops saying so when it keeps one again', async () => {
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    const setItem = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    await act(async () => hook.current().setDraft(draft()));
    expect(hook.current().storageFailed).toBe(true);
    // The text is still in the page: nothing typed is lost because storage is full.
    expect(hook.current().draft).toEqual(draft());
    setItem.mockRestore();
    await act(async () => hook.current().setDraft(draft({ content: 'more\n' })));
    expect(hook.current().storageFailed).toBe(false);
  });

  it('takes the draft along when the tab is renamed', async () => {
    const hook = await mount((user: string) => useDraft(docId, user), 'Alice' as string);
    await act(async () => hook.current().setDraft(draft()));
    await hook.rerender('Bob');
    expect(readDraft('Bob', docId)).toEqual(draft());
    expect(readDraft('Alice', docId)).toBeNull();
    // Later changes are kept under the new name.
    await act(async () => hook.current().setDraft(draft({ content: 'later\n' })));
    expect(readDraft('Bob', docId)?.content).toBe('later\n');
    expect(readDraft('Alice', docId)).toBeNull();
  });

  it('a rename without a draft writes nothing under either name', async () => {
    const hook = await mount((user: string) => useDraft(docId, user), 'Alice' as string);
    await hook.rerender('Bob');
    expect(readDraft('Bob', docId)).toBeNull();
    expect(hook.current().draft).toBeNull();
  });

  it('offers drafts left under other names only when it has none, and adopts one as its own', async () => {
    writeDraft('Carol', draft({ content: 'Carol’s\n', editedAt: NOW - 5_000 }));
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    expect(hook.current().otherDrafts.map((o) => o.author)).toEqual(['Carol']);
    const [other] = hook.current().otherDrafts;
    if (!other) throw new Error('no other draft');
    await act(async () => hook.current().adoptOther(other));
    expect(hook.current().draft).toEqual({ ...other.draft, editedAt: NOW });
    expect(readDraft('Alice', docId)?.content).toBe('Carol’s\n');
    expect(readDraft('Carol', docId)).toBeNull();
    expect(hook.current().otherDrafts).toEqual([]);

    writeDraft('Dave', draft({ content: 'Dave’s\n' }));
    const withOwn = await mount(() => useDraft(docId, 'Alice'), null);
    expect(withOwn.current().otherDrafts).toEqual([]);
  });

  it('dismissing the other drafts hides them and keeps them stored', async () => {
    writeDraft('Carol', draft());
    const hook = await mount(() => useDraft(docId, 'Alice'), null);
    await act(async () => hook.current().dismissOthers());
    expect(hook.current().otherDrafts).toEqual([]);
    expect(readDraft('Carol', docId)).toEqual(draft());
  });
});

describe('useDiscardedDraft', () => {
  const setDraft = vi.fn<(next: Draft | null) => void>();
  beforeEach(() => setDraft.mockReset());

  it('puts a draft aside in storage, and Undo gives it back as just typed', async () => {
    const hook = await mount(() => useDiscardedDraft('Alice', docId, setDraft), null);
    expect(hook.current().discarded).toBeNull();
    await act(async () => hook.current().putAside(draft()));
    expect(hook.current().discarded).toEqual({ draft: draft(), discardedAt: NOW });
    expect(readDiscarded('Alice', docId, NOW)).toEqual({ draft: draft(), discardedAt: NOW });

    await settle(30_000);
    await act(async () => hook.current().undo());
    expect(setDraft).toHaveBeenCalledWith({ ...draft(), editedAt: NOW + 30_000 });
    expect(hook.current().discarded).toBeNull();
    expect(readDiscarded('Alice', docId, NOW + 30_000)).toBeNull();
  });

  it('Undo with nothing put aside does nothing', async () => {
    const hook = await mount(() => useDiscardedDraft('Alice', docId, setDraft), null);
    await act(async () => hook.current().undo());
    expect(setDraft).not.toHaveBeenCalled();
  });

  it('offers a draft put aside before a reload, for what is left of its window, then forgets it', async () => {
    writeDiscarded('Alice', { draft: draft(), discardedAt: NOW - (UNDO_DISCARD_MS - 10_000) });
    const hook = await mount(() => useDiscardedDraft('Alice', docId, setDraft), null);
    expect(hook.current().discarded?.draft).toEqual(draft());
    await settle(9_999);
    expect(hook.current().discarded).not.toBeNull();
    await settle(1);
    expect(hook.current().discarded).toBeNull();
    expect(localStorage.length).toBe(0);
  });

  it('offers a draft put aside at a time not known for the whole window, not ending it at once', async () => {
    localStorage.setItem(`conflict-lab:discarded:alice:${docId}`, JSON.stringify({ draft: draft() }));
    const hook = await mount(() => useDiscardedDraft('Alice', docId, setDraft), null);
    expect(hook.current().discarded).toEqual({ draft: draft(), discardedAt: NOW });
    await settle(UNDO_DISCARD_MS - 1);
    expect(hook.current().discarded).not.toBeNull();
    await settle(1);
    expect(hook.current().discarded).toBeNull();
    expect(localStorage.length).toBe(0);
  });

  it('forgets a draft put aside here after the whole window', async () => {
    const hook = await mount(() => useDiscardedDraft('Alice', docId, setDraft), null);
    await act(async () => hook.current().putAside(draft()));
    await settle(UNDO_DISCARD_MS - 1);
    expect(hook.current().discarded).not.toBeNull();
    await settle(1);
    expect(hook.current().discarded).toBeNull();
    expect(readDiscarded('Alice', docId, NOW)).toBeNull();
  });

  it('Dismiss forgets it at once', async () => {
    const hook = await mount(() => useDiscardedDraft('Alice', docId, setDraft), null);
    await act(async () => hook.current().putAside(draft()));
    await act(async () => hook.current().dismiss());
    expect(hook.current().discarded).toBeNull();
    expect(readDiscarded('Alice', docId, NOW)).toBeNull();
    expect(setDraft).not.toHaveBeenCalled();
  });
});

describe('useOverwrites', () => {
  const v5: Document = {
    id: 'd_x',
    title: 'Plan',
    content: 'Monday: outline.\nTuesday: review.\n',
    version: 5,
    updatedAt: '2026-11-30T10:00:00.000Z',
    updatedBy: 'Carol',
    state: 'draft',
  };
  const mine: Document = { ...v5, content: 'Monday: outline.\nTuesday: review with Bob.\n', version: 6, updatedBy: 'Bob' };
  const savedMine: VersionedDocument = { doc: mine, etag: '"e6"' };
  const at = (doc: Document, etag: string): VersionedDocument => ({ doc, etag });

  type Props = { server: VersionedDocument | undefined; user: string };
  /** useOverwrites as `user`, with `server` as the document's query holds it (the editor's fetch fills it). */
  async function mountProbe(props: Props) {
    const key = documentQueryOptions('d_x').queryKey;
    const hook = await mount(({ user }: Props) => useOverwrites('d_x', user), props);
    await act(async () => hook.client.setQueryData(key, props.server));
    return {
      current: hook.current,
      rerender: async (next: Props) => {
        await act(async () => hook.client.setQueryData(key, next.server));
        await hook.rerender(next);
      },
    };
  }

  // The check is loaded on first use (a dynamic import): real time passes while it loads.
  beforeEach(() => vi.useRealTimers());

  /**
   * Waits, in real time, until the check (and what it set) has answered. Each wait is an act of
   * its own: React renders what an act queued only when the act ends.
   */
  async function loaded(check: () => void) {
    await vi.waitFor(
      async () => {
        await pause();
        check();
      },
      { timeout: 10_000, interval: 5 },
    );
  }

  async function pause() {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  }

  it('tells me when someone else’s later version dropped my saved change', async () => {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => hook.current().recordSave(v5, savedMine));
    const overwrite = { ...v5, version: 7, updatedBy: 'Alice' };
    await hook.rerender({ server: at(overwrite, '"e7"'), user: 'Bob' });
    await loaded(() => expect(hook.current().overwritten).not.toBeNull());
    expect(hook.current().overwritten).toEqual({ by: 'Alice', version: 7, replacedVersion: 6, replaced: null, problem: null });
    await act(async () => hook.current().dismissOverwritten());
    expect(hook.current().overwritten).toBeNull();
  });

  it('says nothing when the later version kept my change, was my own, or is not later', async () => {
    const kept = { ...mine, title: 'Plan for the week', version: 7, updatedBy: 'Alice' };
    const keptHook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => keptHook.current().recordSave(v5, savedMine));
    await keptHook.rerender({ server: at(kept, '"e7"'), user: 'Bob' });

    const ownHook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => ownHook.current().recordSave(v5, savedMine));
    await ownHook.rerender({ server: at({ ...v5, version: 7, updatedBy: 'Bob' }, '"e7"'), user: 'Bob' });

    const sameHook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => sameHook.current().recordSave(v5, savedMine));
    await sameHook.rerender({ server: at({ ...v5, version: 6, updatedBy: 'Alice' }, '"x6"'), user: 'Bob' });

    // Without a save of mine there is nothing of mine to lose.
    const noSave = await mountProbe({ server: savedMine, user: 'Bob' });
    await noSave.rerender({ server: at({ ...v5, version: 7, updatedBy: 'Alice' }, '"e7"'), user: 'Bob' });

    // The check of an Overwrite that did drop the change, run after the others: when it has
    // answered, theirs have too.
    const control = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => control.current().recordSave(v5, savedMine));
    await control.rerender({ server: at({ ...v5, version: 7, updatedBy: 'Alice' }, '"e7"'), user: 'Bob' });
    await loaded(() => expect(control.current().overwritten).not.toBeNull());
    await pause();
    expect(keptHook.current().overwritten).toBeNull();
    expect(ownHook.current().overwritten).toBeNull();
    expect(sameHook.current().overwritten).toBeNull();
    expect(noSave.current().overwritten).toBeNull();
  });

  it('checks only the first version after my save', async () => {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => hook.current().recordSave(v5, savedMine));
    const kept = { ...mine, version: 7, updatedBy: 'Alice', title: 'Plan, kept' };
    await hook.rerender({ server: at(kept, '"e7"'), user: 'Bob' });
    await pause();
    // A later Overwrite of someone else's version is not an Overwrite of mine.
    await hook.rerender({ server: at({ ...v5, version: 8, updatedBy: 'Carol' }, '"e8"'), user: 'Bob' });
    const control = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => control.current().recordSave(v5, savedMine));
    await control.rerender({ server: at({ ...v5, version: 7, updatedBy: 'Alice' }, '"e7"'), user: 'Bob' });
    await loaded(() => expect(control.current().overwritten).not.toBeNull());
    await pause();
    expect(hook.current().overwritten).toBeNull();
  });

  it('"Show what was replaced" reads my version from the history, and says so when it cannot', async () => {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => hook.current().recordSave(v5, savedMine));
    await hook.rerender({ server: at({ ...v5, version: 7, updatedBy: 'Alice' }, '"e7"'), user: 'Bob' });
    await loaded(() => expect(hook.current().overwritten).not.toBeNull());

    const fetchStub = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', fetchStub);
    act(() => hook.current().showReplaced());
    await loaded(() => expect(hook.current().overwritten?.problem).toBe('Could not load that version. Try again.'));
    expect(hook.current().overwritten?.replaced).toBeNull();

    const answer = vi.fn(async (_path: string) => new Response(JSON.stringify(mine), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', answer);
    act(() => hook.current().showReplaced());
    await loaded(() => expect(hook.current().overwritten?.replaced).toEqual(mine));
    expect(hook.current().overwritten?.problem).toBeNull();
    expect(answer.mock.calls[0]?.[0]).toBe('/api/docs/d_x/revisions/6');
  });

  it('"Show what was replaced" answered after the notice was dismissed brings nothing back', async () => {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => hook.current().recordSave(v5, savedMine));
    await hook.rerender({ server: at({ ...v5, version: 7, updatedBy: 'Alice' }, '"e7"'), user: 'Bob' });
    await loaded(() => expect(hook.current().overwritten).not.toBeNull());

    let answer: (response: Response) => void = () => undefined;
    const fetchStub = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetchStub);
    act(() => hook.current().showReplaced());
    await loaded(() => expect(fetchStub).toHaveBeenCalledTimes(1));
    await act(async () => hook.current().dismissOverwritten());
    answer(new Response(JSON.stringify(mine), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    await pause();
    expect(hook.current().overwritten).toBeNull();
  });

  /**
   * Notice A (Alice's version 7 replaced my 6), whose "Show what was replaced" is still on its way
   * when I save again (8) and Alice overwrites that too (9): notice B. Returns B's hook and the
   * way to answer A's request.
   */
  async function newerNoticeWhileShowing() {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    act(() => hook.current().recordSave(v5, savedMine));
    const overwrite7 = { ...v5, version: 7, updatedBy: 'Alice' };
    await hook.rerender({ server: at(overwrite7, '"e7"'), user: 'Bob' });
    await loaded(() => expect(hook.current().overwritten?.version).toBe(7));

    let answer: (response: Response | Error) => void = () => undefined;
    const fetchStub = vi.fn(() => new Promise<Response>((resolve, reject) => (answer = (r) => (r instanceof Error ? reject(r) : resolve(r)))));
    vi.stubGlobal('fetch', fetchStub);
    act(() => hook.current().showReplaced());
    await loaded(() => expect(fetchStub).toHaveBeenCalledTimes(1));

    const mine8: VersionedDocument = at({ ...mine, version: 8 }, '"e8"');
    act(() => hook.current().recordSave(overwrite7, mine8));
    await hook.rerender({ server: mine8, user: 'Bob' });
    await hook.rerender({ server: at({ ...v5, version: 9, updatedBy: 'Alice' }, '"e9"'), user: 'Bob' });
    await loaded(() => expect(hook.current().overwritten?.version).toBe(9));
    return { hook, answer: (response: Response | Error) => answer(response) };
  }

  it('"Show what was replaced" answered after a newer notice appeared does not show the older text on it', async () => {
    const { hook, answer } = await newerNoticeWhileShowing();
    answer(new Response(JSON.stringify(mine), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    await pause();
    expect(hook.current().overwritten).toEqual({ by: 'Alice', version: 9, replacedVersion: 8, replaced: null, problem: null });
  });

  it('"Show what was replaced" failing after a newer notice appeared says nothing on it', async () => {
    const { hook, answer } = await newerNoticeWhileShowing();
    answer(new TypeError('Failed to fetch'));
    await pause();
    expect(hook.current().overwritten).toEqual({ by: 'Alice', version: 9, replacedVersion: 8, replaced: null, problem: null });
  });

  it('"Show what was replaced" with no notice asks for nothing', async () => {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    const fetchStub = vi.fn();
    vi.stubGlobal('fetch', fetchStub);
    act(() => hook.current().showReplaced());
    await pause();
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('keeps the Undo offer of my own Overwrite until it is dismissed', async () => {
    const hook = await mountProbe({ server: savedMine, user: 'Bob' });
    expect(hook.current().overwrote).toBeNull();
    const offer = { replaced: v5, saved: savedMine };
    act(() => hook.current().offerUndo(offer));
    expect(hook.current().overwrote).toEqual(offer);
    act(() => hook.current().dismissOverwrote());
    expect(hook.current().overwrote).toBeNull();
  });
});
