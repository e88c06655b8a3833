/**
 * What the documents feature's tests share: a scripted server behind `fetch`, a Web Storage over a
 * Map, a hook rendered inside a query cache's provider, the hooks' per-test set-up and clean-up,
 * and the fixtures several files build their cases from. Test code only: nothing in the app
 * imports it.
 */
import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { vi } from 'vitest';
import { setUserProvider } from '../../lib/api-client.ts';
import type { Document, DocumentEvent, DocumentSummary } from '../../protocol/types.ts';
import type { ConflictInput } from '../conflict/types.ts';

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

/**
 * Before each test of the save path's hooks: fake timers (and clock), an empty localStorage,
 * `user` signed in, the browser online, and a new query cache, which it returns.
 */
export function startHookTest(user: string): QueryClient {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  localStorage.clear();
  setUserProvider(() => user);
  onlineManager.setOnline(true);
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
}

/** After each: unmounts the hooks, empties the cache, and gives back real timers and `fetch`. */
export async function endHookTest(queryClient: QueryClient, unmount: (() => Promise<void>) | null): Promise<void> {
  await unmount?.();
  queryClient.clear();
  vi.useRealTimers();
  vi.unstubAllGlobals();
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
