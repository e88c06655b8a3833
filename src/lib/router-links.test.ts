// @vitest-environment happy-dom
/**
 * The router's moving parts in a page: `navigate` and `useLocationPath` (back and forward
 * included), and `Link`, which navigates in place on a plain click and leaves every other click
 * (a new tab, a window, a download, a target) to the browser.
 */
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Link, navigate, useLocationPath } from './router.tsx';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

let unmounts: Array<() => Promise<void>> = [];

beforeEach(() => {
  window.history.replaceState(null, '', '/');
});

afterEach(async () => {
  for (const unmount of unmounts) await unmount();
  unmounts = [];
  vi.restoreAllMocks();
});

async function render(element: ReturnType<typeof createElement>) {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  await act(async () => root.render(element));
  unmounts.push(async () => {
    await act(async () => root.unmount());
    container.remove();
  });
  return container;
}

describe('navigate and useLocationPath', () => {
  it('pushes a history entry, or replaces the current one, and the path follows, back and forward too', async () => {
    const paths: string[] = [];
    function Probe() {
      paths.push(useLocationPath());
      return null;
    }
    await render(createElement(Probe));
    const length = window.history.length;

    await act(async () => navigate('/docs/a'));
    expect(window.location.pathname).toBe('/docs/a');
    expect(window.history.length).toBe(length + 1);
    expect(paths.at(-1)).toBe('/docs/a');

    await act(async () => navigate('/docs/b', { replace: true }));
    expect(window.location.pathname).toBe('/docs/b');
    expect(window.history.length).toBe(length + 1);
    expect(paths.at(-1)).toBe('/docs/b');

    // Back and forward change the URL without navigate: the page hears a popstate.
    window.history.replaceState(null, '', '/lab/modes');
    await act(async () => window.dispatchEvent(new PopStateEvent('popstate')));
    expect(paths.at(-1)).toBe('/lab/modes');
  });

  it('stops listening once the component is gone', async () => {
    const removed = vi.spyOn(window, 'removeEventListener');
    function Probe() {
      useLocationPath();
      return null;
    }
    await render(createElement(Probe));
    for (const unmount of unmounts.splice(0)) await unmount();
    const events = removed.mock.calls.map(([type]) => type);
    expect(events).toContain('popstate');
    expect(events).toContain('conflict-lab:navigate');
  });
});

describe('Link', () => {
  async function link(props: Record<string, unknown> = {}) {
    const onClick = vi.fn();
    const container = await render(createElement(Link, { href: '/docs/d_1', onClick, ...props }, 'Open'));
    const anchor = container.querySelector('a');
    if (!anchor) throw new Error('no link');
    return { anchor, onClick };
  }

  /**
   * Clicks the link, and says whether the page kept the browser from following it (after which
   * the browser's own following is held back here, so the test page stays where it is).
   */
  function click(anchor: HTMLAnchorElement, init: MouseEventInit = {}): { defaultPrevented: boolean } {
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
    const seen = { defaultPrevented: false };
    const holdBack = (e: Event) => {
      seen.defaultPrevented = e.defaultPrevented;
      e.preventDefault();
    };
    window.addEventListener('click', holdBack);
    act(() => {
      anchor.dispatchEvent(event);
    });
    window.removeEventListener('click', holdBack);
    return seen;
  }

  it('navigates in place on a plain click, after its own onClick', async () => {
    const { anchor, onClick } = await link();
    expect(anchor.getAttribute('href')).toBe('/docs/d_1');
    expect(click(anchor).defaultPrevented).toBe(true);
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(window.location.pathname).toBe('/docs/d_1');
  });

  it('navigates in place with target _self', async () => {
    const { anchor } = await link({ target: '_self' });
    expect(click(anchor).defaultPrevented).toBe(true);
    expect(window.location.pathname).toBe('/docs/d_1');
  });

  it.each([
    ['a middle click', { button: 1 }, {}],
    ['a click with Ctrl', { ctrlKey: true }, {}],
    ['a click with Cmd', { metaKey: true }, {}],
    ['a click with Shift', { shiftKey: true }, {}],
    ['a click with Alt', { altKey: true }, {}],
    ['a click on a link to another target', {}, { target: '_blank' }],
  ])('leaves %s to the browser', async (_what, init: MouseEventInit, props) => {
    const { anchor, onClick } = await link(props);
    const pushed = vi.spyOn(window.history, 'pushState');
    expect(click(anchor, init).defaultPrevented).toBe(false);
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(pushed).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe('/');
  });

  it('does nothing more when its own onClick prevented the default', async () => {
    const { anchor } = await link({ onClick: (event: MouseEvent) => event.preventDefault() });
    const pushed = vi.spyOn(window.history, 'pushState');
    click(anchor);
    expect(pushed).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe('/');
  });

  it('works without an onClick of its own', async () => {
    const { anchor } = await link({ onClick: undefined });
    expect(click(anchor).defaultPrevented).toBe(true);
    expect(window.location.pathname).toBe('/docs/d_1');
  });
});
