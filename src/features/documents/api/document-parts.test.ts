// @vitest-environment happy-dom
/**
 * The reads of the document for parts of the editor: what they subscribe to, and when another
 * person's save (a new version in the cache) renders them.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Document } from '../../../protocol/types.ts';
import { documentQueryOptions, useDocumentPart, useDocumentWhile } from './get-document.ts';
import type { VersionedDocument } from './get-document.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const v1: Document = { id: 'd_1', title: 'Plan', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };
const at = (version: number, over: Partial<Document> = {}): VersionedDocument => ({
  doc: { ...v1, content: `${v1.content}${version}\n`, version, updatedBy: 'Bob', ...over },
  etag: `"e${version}"`,
});
const key = documentQueryOptions('d_1').queryKey;
const titleAndState = ({ doc }: VersionedDocument) => ({ title: doc.title, state: doc.state });

let unmount: (() => Promise<void>) | null = null;
afterEach(async () => {
  await unmount?.();
  unmount = null;
});

/** Renders `hook(props)` and counts the renders; `set` renders it with other props. */
async function mount<P, T>(queryClient: QueryClient, hook: (props: P) => T, initial: P) {
  const seen: T[] = [];
  let props = initial;
  function Probe() {
    seen.push(hook(props));
    return null;
  }
  const root = createRoot(document.createElement('div'));
  const render = () => root.render(createElement(QueryClientProvider, { client: queryClient }, createElement(Probe)));
  await act(async () => render());
  unmount = () => act(async () => root.unmount());
  return {
    seen,
    set: async (next: P) => {
      props = next;
      await act(async () => render());
    },
  };
}

/** A version into the cache, as the editor's refetch puts it, and time for TanStack to tell its observers (on a timer). */
const save = (queryClient: QueryClient, document: VersionedDocument) =>
  act(async () => {
    queryClient.setQueryData(key, document);
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
const observers = (queryClient: QueryClient) => queryClient.getQueryCache().find({ queryKey: key, exact: true })?.getObserversCount() ?? 0;

describe('useDocumentPart', () => {
  it('renders again only when what it selects changes, never fetching', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(key, at(1));
    const part = await mount(queryClient, () => useDocumentPart('d_1', titleAndState), null);
    expect(part.seen).toEqual([{ title: 'Plan', state: 'draft' }]);
    // Another person's save: new text, new version, the same title and state.
    await save(queryClient, at(2));
    await save(queryClient, at(3));
    expect(part.seen).toHaveLength(1);
    await save(queryClient, at(4, { title: 'Plan B' }));
    expect(part.seen.at(-1)).toEqual({ title: 'Plan B', state: 'draft' });
    expect(part.seen).toHaveLength(2);
    expect(queryClient.getQueryState(key)?.fetchStatus).toBe('idle');
  });

  it('is undefined while nothing is loaded, and asks for nothing', async () => {
    const queryClient = new QueryClient();
    const part = await mount(queryClient, () => useDocumentPart('d_1', titleAndState), null);
    expect(part.seen).toEqual([undefined]);
    expect(queryClient.getQueryState(key)?.fetchStatus).toBe('idle');
  });
});

describe('useDocumentWhile', () => {
  it('subscribes only while following: saves made meanwhile render nothing', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(key, at(1));
    const part = await mount(queryClient, (following: boolean) => useDocumentWhile('d_1', following), false as boolean);
    expect(observers(queryClient)).toBe(0);
    await save(queryClient, at(2));
    expect(part.seen).toEqual([undefined]);

    await part.set(true);
    expect(observers(queryClient)).toBe(1);
    expect(part.seen.at(-1)).toEqual(at(2));
    await save(queryClient, at(3));
    expect(part.seen.at(-1)).toEqual(at(3));

    await part.set(false);
    expect(part.seen.at(-1)).toBeUndefined();
    expect(observers(queryClient)).toBe(0);
    const renders = part.seen.length;
    await save(queryClient, at(4));
    expect(part.seen).toHaveLength(renders);
    expect(queryClient.getQueryState(key)?.fetchStatus).toBe('idle');
  });
});
