// @vitest-environment happy-dom
/**
 * The editor's uncontrolled textarea (useTextareaText): the text it is given is written into the
 * element only when the element does not already hold it, so a keystroke's echo never rewrites the
 * element (the caret stays, and a long text is not replaced on every key), while a version that
 * arrived, a discard or a merge always shows.
 */
import { act, createElement, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { useTextareaText } from './use-textarea-text.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

let unmounts: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const unmount of unmounts) await unmount();
  unmounts = [];
});

/**
 * Renders a textarea shown through the hook, as the editor does, and counts every read and write
 * of its value by the page (the browser's own changes, `type` and `browserSets`, go around the count).
 */
async function mountEditor(initial: string, { attached = true } = {}) {
  let text = initial;
  let typedFn: ((typed: string) => string) | null = null;
  let element: HTMLTextAreaElement | null = null;
  const writes: string[] = [];
  const reads = { count: 0 };

  function Editor() {
    const ref = useRef<HTMLTextAreaElement | null>(null);
    typedFn = useTextareaText(ref, text);
    return createElement('textarea', {
      ref: (node: HTMLTextAreaElement | null) => {
        ref.current = attached ? node : null;
        if (node && node !== element) {
          element = node;
          const own = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(node) as object, 'value');
          if (!own?.get || !own.set) throw new Error('no value property to watch');
          const { get, set } = own;
          Object.defineProperty(node, 'value', {
            configurable: true,
            get() {
              reads.count += 1;
              return get.call(node) as string;
            },
            set(value: string) {
              writes.push(value);
              set.call(node, value);
            },
          });
        }
      },
    });
  }

  const root = createRoot(document.createElement('div'));
  await act(async () => root.render(createElement(Editor)));
  unmounts.push(() => act(async () => root.unmount()));

  const textarea = () => {
    if (!element) throw new Error('not rendered');
    return element;
  };
  /** What the element holds, read around the count. */
  const held = () => (Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.get?.call(textarea()) as string);
  /** The browser changing the element's text, as a keystroke or an input method does. */
  const browserSets = (value: string) => Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(textarea(), value);
  return {
    writes,
    reads,
    held,
    browserSets,
    /** A keystroke: the element changes, onChange passes it through the hook, the parent renders it. */
    type: async (value: string) => {
      browserSets(value);
      if (!typedFn) throw new Error('not rendered');
      const passed = typedFn(value);
      expect(passed).toBe(value);
      text = passed;
      await act(async () => root.render(createElement(Editor)));
    },
    /** The parent shows a new text (a version that arrived, a discard, a merge). */
    show: async (next: string) => {
      text = next;
      await act(async () => root.render(createElement(Editor)));
    },
  };
}

describe('useTextareaText', () => {
  it('writes the text it is given into the element', async () => {
    const editor = await mountEditor('Hello, Zoë\n');
    expect(editor.held()).toBe('Hello, Zoë\n');
    expect(editor.writes).toEqual(['Hello, Zoë\n']);
  });

  it('hands typing through unchanged, and never writes a keystroke’s echo back into the element', async () => {
    const editor = await mountEditor('abc');
    editor.writes.length = 0;
    editor.reads.count = 0;
    await editor.type('abcd');
    await editor.type('abcde');
    expect(editor.held()).toBe('abcde');
    expect(editor.writes).toEqual([]);
    // Not even read back: at 5,000 lines a comparison with the element is a whole-text one.
    expect(editor.reads.count).toBe(0);
  });

  it('writes a new text over what was typed: a version that arrived, a discard, a merge', async () => {
    const editor = await mountEditor('abc');
    await editor.type('abcd');
    editor.writes.length = 0;
    await editor.show('theirs');
    expect(editor.held()).toBe('theirs');
    expect(editor.writes).toEqual(['theirs']);
    // Back to the text typed before: still a new text for the element.
    await editor.show('abcd');
    expect(editor.held()).toBe('abcd');
    expect(editor.writes).toEqual(['theirs', 'abcd']);
  });

  it('a render with the same text leaves alone what the element holds, even a change it has not reported yet', async () => {
    const editor = await mountEditor('abc');
    await editor.type('abcd');
    editor.writes.length = 0;
    // The browser changed the element (an input method mid-word) before onChange told anyone.
    editor.browserSets('abcdé');
    await editor.show('abcd');
    expect(editor.held()).toBe('abcdé');
    expect(editor.writes).toEqual([]);
  });

  it('writes nothing when the element already holds the new text', async () => {
    const editor = await mountEditor('abc');
    editor.writes.length = 0;
    editor.browserSets('merged');
    await editor.show('merged');
    expect(editor.writes).toEqual([]);
    // …and knows it holds it: the same text again is not compared with the element a second time.
    editor.browserSets('merged!');
    await editor.show('merged');
    expect(editor.held()).toBe('merged!');
    expect(editor.writes).toEqual([]);
  });

  it('does nothing while there is no element', async () => {
    const editor = await mountEditor('abc', { attached: false });
    await editor.show('def');
    expect(editor.writes).toEqual([]);
  });
});
