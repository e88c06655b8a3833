/**
 * A tiny history-based router: two routes do not need a library. The path lives in the URL,
 * `navigate` pushes a history entry, and `useLocationPath` re-renders on back/forward.
 */
import { useSyncExternalStore } from 'react';
import type { AnchorHTMLAttributes, MouseEvent } from 'react';

const NAVIGATE_EVENT = 'conflict-lab:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

function getPath(): string {
  return window.location.pathname;
}

export function useLocationPath(): string {
  return useSyncExternalStore(subscribe, getPath);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export type Route = { name: 'list' } | { name: 'document'; id: string } | { name: 'lab-strategies' } | { name: 'lab-modes' } | { name: 'not-found' };

export function matchRoute(path: string): Route {
  if (path === '/' || path === '') return { name: 'list' };
  if (/^\/lab\/strategies\/?$/.test(path)) return { name: 'lab-strategies' };
  if (/^\/lab\/modes\/?$/.test(path)) return { name: 'lab-modes' };
  const encoded = /^\/docs\/([^/]+)\/?$/.exec(path)?.[1];
  if (encoded === undefined) return { name: 'not-found' };
  try {
    return { name: 'document', id: decodeURIComponent(encoded) };
  } catch {
    // A malformed escape (`%E0%A4%A`) names no document.
    return { name: 'not-found' };
  }
}

/** An ordinary link that navigates in place, unless the user asks for a new tab or window. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={handleClick} {...rest} />;
}
