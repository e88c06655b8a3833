import { useEffect, useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, RefObject } from 'react';

const FOCUSABLE =
  'button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * Opens a <dialog> as a modal (the page behind becomes inert, Escape fires `cancel`) and moves
 * focus into it. `initialFocus` picks the element to start on.
 */
export function useModalDialog(
  dialogRef: RefObject<HTMLDialogElement | null>,
  initialFocus: () => HTMLElement | null,
): void {
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    (initialFocus() ?? dialog).focus();
    return () => {
      if (dialog.open) dialog.close();
    };
    // Opening happens once per mount; later renders must not pull focus back, so no deps.
  }, []);
}

/**
 * Keeps Tab inside the dialog. A modal <dialog> already makes the page inert, but Tab from its
 * last control would otherwise leave for the browser's own UI.
 */
export function trapTab(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Tab') return;
  const container = event.currentTarget;
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  // Only the ends matter, so only they are checked: asking every control of a long dialog for
  // its boxes would lay out panels the browser had skipped.
  const first = focusable.find(isShown);
  const last = focusable.findLast(isShown);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === container)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

function isShown(element: HTMLElement): boolean {
  return element.checkVisibility();
}

/** Marks `name` once per mount, after the first render has been committed. */
export function useMarkOnce(name: string): void {
  // React's development double-run of effects keeps refs, so this holds one mark per opening.
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current) return;
    marked.current = true;
    performance.mark(name);
  }, [name]);
}
