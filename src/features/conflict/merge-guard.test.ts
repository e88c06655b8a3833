// @vitest-environment happy-dom
/**
 * Merge must never save diff3 markers: while any conflict is open (one as much as two) the button
 * refuses, and once each is resolved it saves the chosen text. The dialog runs as written, in
 * happy-dom, and is clicked like a user would.
 */
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ConflictDialog from './components/ConflictDialog.tsx';
import type { ConflictDialogProps, ConflictInput, Resolution } from './types.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const MARKER = /^(<{7}|={7}|>{7}|\|{7})/m;

function conflictOf(base: string, mine: string, theirs: string): ConflictInput {
  return {
    docId: `d_${Math.random().toString(36).slice(2)}`,
    base: { title: 'Plan', content: base, version: 5 },
    mine: { title: 'Plan', content: mine },
    theirs: { id: 'd_x', title: 'Plan', content: theirs, version: 6, updatedAt: '2026-11-30T12:03:00Z', updatedBy: 'Bob', state: 'draft' },
    currentEtag: '"6"',
    changesSince: [{ version: 6, updatedBy: 'Bob', updatedAt: '2026-11-30T12:03:00Z' }],
    arrivedDuringResolution: 0,
  };
}

let root: Root | null = null;
let container: HTMLElement | null = null;

afterEach(async () => {
  await act(async () => root?.unmount());
  container?.remove();
  root = null;
  sessionStorage.clear();
  localStorage.clear();
});

async function open(conflict: ConflictInput) {
  const onResolve = vi.fn<(resolution: Resolution) => void>();
  const props: ConflictDialogProps = { conflict, saving: false, error: null, onResolve, onDiscard: () => {}, onCancel: () => {} };
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => root?.render(createElement(ConflictDialog, props)));
  return { onResolve };
}

function button(name: RegExp): HTMLButtonElement {
  const found = [...document.querySelectorAll('button')].filter((b) => name.test(b.textContent ?? ''));
  if (found.length === 0) throw new Error(`no button ${name}`);
  return found[0] as HTMLButtonElement;
}

async function click(target: HTMLElement) {
  await act(async () => target.click());
}

const merge = () => button(/^Merge$/);

describe('Merge and open conflicts', () => {
  it('refuses with exactly one conflict open, then saves the resolved text without markers', async () => {
    const { onResolve } = await open(conflictOf('a\nline\nz\n', 'a\nline mine\nz\n', 'a\nline theirs\nz\n'));
    expect(document.body.textContent).toContain('1 of 1 conflict left');
    expect(merge().getAttribute('aria-disabled')).toBe('true');
    expect(document.body.textContent).toContain('Resolve the open conflict first');
    await click(merge());
    expect(onResolve).not.toHaveBeenCalled();

    await click(button(/^Take theirs/));
    expect(merge().getAttribute('aria-disabled')).toBeNull();
    await click(merge());
    expect(onResolve).toHaveBeenCalledTimes(1);
    const [resolution] = onResolve.mock.calls[0] ?? [];
    expect(resolution).toEqual({ kind: 'merge', title: 'Plan', content: 'a\nline theirs\nz\n' });
    expect(resolution?.content).not.toMatch(MARKER);
  });

  it('refuses while the last of two conflicts is still open', async () => {
    const { onResolve } = await open(
      conflictOf('intro\nalpha\nmiddle\nomega\n', 'intro\nalpha mine\nmiddle\nomega mine\n', 'intro\nalpha theirs\nmiddle\nomega theirs\n'),
    );
    await click(button(/^Take mine/));
    expect(document.body.textContent).toContain('1 of 2 conflicts left');
    await click(merge());
    expect(onResolve).not.toHaveBeenCalled();
  });

  it('merges at once when every change merged on its own', async () => {
    const { onResolve } = await open(conflictOf('a\nb\nc\n', 'a mine\nb\nc\n', 'a\nb\nc theirs\n'));
    await click(merge());
    expect(onResolve).toHaveBeenCalledWith({ kind: 'merge', title: 'Plan', content: 'a mine\nb\nc theirs\n' });
  });
});
