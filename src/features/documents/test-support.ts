/**
 * What the documents feature's tests share: a scripted server behind `fetch`, a Web Storage over a
 * Map, a hook rendered inside a query cache's provider, the hooks' per-test set-up and clean-up,
 * and the fixtures several files build their cases from. Test code only: nothing in the app
 * imports it.
 */
import { QueryClient, QueryClientProvider, onlineManager, useQuery } from '@tanstack/react-query';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, vi } from 'vitest';
import { setUserProvider } from '../../lib/api-client.ts';
import type { Document, DocumentEvent, DocumentSummary } from '../../protocol/types.ts';
import type { ConflictInput } from '../conflict/types.ts';
import { documentQueryOptions } from './api/get-document.ts';
import type { Draft } from './drafts/draft-store.ts';
import { useDraft } from './hooks/use-draft.ts';
import { saveStatus, useSaveFlow } from './hooks/use-save-flow.ts';
import type { SaveStatus } from './hooks/use-save-flow.ts';

/** One request as the scripted server saw it. */
export interface Sent {
  path: string;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | null;
}

export type Answer = () => Response | Promise<Response>;

/**
 * A scripted server: each request takes the next answer (push more while a test runs with
 * `answer`); what was sent is kept for the assertions, and a request with no answer left fails.
 */
export function scriptedServer(answers: Answer[]): Sent[] & { answer: (next: Answer) => number } {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit = {}) => {
      sent.push({
        path,
        method: init.method ?? 'GET',
        headers: new Headers(init.headers),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : null,
        signal: init.signal ?? null,
      });
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request ${init.method ?? 'GET'} ${path}`);
      return next();
    }),
  );
  return Object.assign(sent, { answer: (next: Answer) => answers.push(next) });
}

/** A JSON answer; a problem's content type from 300 on. */
export const jsonResponse = (status: number, body: unknown, etag?: string) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json', ...(etag ? { ETag: etag } : {}) },
  });

/** The Web Storage interface over a Map (Node has no localStorage), with a quota to hit. */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  quota = Number.POSITIVE_INFINITY;
  writes = new Map<string, number>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    if (value.length > this.quota) throw new DOMException('quota', 'QuotaExceededError');
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
    this.items.set(key, value);
  }
}

/**
 * Renders `hook` inside `queryClient`'s provider and hands back its latest value; the way to
 * unmount it goes into `unmounts`. Needs a DOM (happy-dom).
 */
export async function mountHook<T>(queryClient: QueryClient, hook: () => T, unmounts: Array<() => Promise<void>>): Promise<() => T> {
  const result: { current?: T } = {};
  function Probe() {
    result.current = hook();
    return null;
  }
  const root = createRoot(document.createElement('div'));
  await act(async () => root.render(createElement(QueryClientProvider, { client: queryClient }, createElement(Probe))));
  unmounts.push(() => act(async () => root.unmount()));
  return () => {
    if (result.current === undefined) throw new Error('not rendered');
    return result.current;
  };
}

/** A test file of the save path's hooks: its query cache and the hooks it mounted. */
export interface HookTests {
  /** The running test's query cache, new for each test. */
  readonly client: QueryClient;
  /** Run after each test, in order, before the cache is emptied. */
  readonly unmounts: Array<() => Promise<void>>;
  /** Renders `hook` in this test's cache (see mountHook); it is unmounted after the test. */
  mount<T>(hook: () => T): Promise<() => T>;
}

/**
 * Registers a hook test file's set-up. Before each test: fake timers (and clock), an empty
 * localStorage, `user` signed in, the browser online, and a new query cache. After each: the
 * hooks unmounted, the cache emptied, and real timers and `fetch` given back.
 */
export function hookTests(user: string): HookTests {
  let client: QueryClient | null = null;
  const unmounts: Array<() => Promise<void>> = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    localStorage.clear();
    setUserProvider(() => user);
    onlineManager.setOnline(true);
    client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  });
  afterEach(async () => {
    for (const unmount of unmounts.splice(0)) await unmount();
    client?.clear();
    client = null;
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  const tests: HookTests = {
    get client() {
      if (client === null) throw new Error('hookTests: the query cache exists only while a test runs');
      return client;
    },
    unmounts,
    mount: (hook) => mountHook(tests.client, hook, unmounts),
  };
  return tests;
}

/** The editor's two hooks as its form uses them, with the status line it shows. */
export type EditorHooks = ReturnType<typeof useSaveFlow> & { draft: Draft | null; setDraft: (d: Draft | null) => void; status: SaveStatus };

/**
 * Renders `docId`'s editor hooks (useDraft and useSaveFlow for `user`) in `hooks`' cache, with the
 * status line worked out from the version the cache holds, as the editor's form does.
 */
export function mountEditorHooks(hooks: HookTests, docId: string, user: string): Promise<() => EditorHooks> {
  return hooks.mount(() => {
    const drafts = useDraft(docId, user);
    const server = useQuery({ ...documentQueryOptions(docId), enabled: false }).data;
    const flow = useSaveFlow(docId, user, drafts);
    return { ...flow, draft: drafts.draft, setDraft: drafts.setDraft, status: saveStatus(flow.state, drafts.draft !== null, server?.doc.version) };
  });
}

/** A document's row in the list, as the server sends it: everything but the content, with its ETag. */
export const summary = (d: Document, etag: string): DocumentSummary => {
  const { content: _content, ...rest } = d;
  return { ...rest, etag };
};

/** Bob's update of d_1 to version 2, unless `overrides` says otherwise. */
export const documentEvent = (overrides: Partial<DocumentEvent>): DocumentEvent => ({
  type: 'updated',
  id: 'd_1',
  version: 2,
  etag: '"e2"',
  updatedBy: 'Bob',
  updatedAt: '2026-11-23T10:05:00.000Z',
  ...overrides,
});

/** The save flow's conflict: Alice's edit of version 1 met Bob's version 2. */
export const conflictBase = { title: 'Notes', content: 'one\n', version: 1 };
export const conflictTheirs: Document = {
  id: 'd_1',
  title: 'Notes',
  content: 'one\nBob\n',
  version: 2,
  updatedAt: '2026-11-30T10:00:00.000Z',
  updatedBy: 'Bob',
  state: 'draft',
};
export const conflictInput: ConflictInput = {
  docId: 'd_1',
  base: conflictBase,
  mine: { title: 'Notes', content: 'one\nmine\n' },
  theirs: conflictTheirs,
  currentEtag: '"e2"',
  changesSince: [],
  arrivedDuringResolution: 0,
};
