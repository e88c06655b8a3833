import { useCallback, useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';

/**
 * Shows `text` in a textarea that React does not control, and tells typing from a new text.
 *
 * A controlled `<textarea value>` costs React two whole-text operations per keystroke: it compares
 * the value with the element's, and writes the text again as the element's default value (its
 * child text node), which at 5,000 lines is a third of a megabyte replaced in the DOM on every key.
 * Here the element keeps what is typed, and `text` is written into it only when it is not what the
 * element last held: a version that arrived, a discard, a merge; never the echo of a keystroke.
 *
 * Returns the function to pass what the user typed through (in `onChange`), which notes it as
 * what the element holds.
 */
export function useTextareaText(ref: RefObject<HTMLTextAreaElement | null>, text: string): (typed: string) => string {
  /** What the element holds, as far as this hook knows: what it wrote or what was typed. */
  const held = useRef<string | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    // The same string as typed is the common case, and costs one comparison of references.
    if (!element || text === held.current) return;
    if (element.value !== text) element.value = text;
    held.current = text;
  });
  return useCallback((typed: string) => {
    held.current = typed;
    return typed;
  }, []);
}
