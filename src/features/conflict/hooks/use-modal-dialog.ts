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
    const target = initialFocus() ?? dialog;
    // Focus without the browser's scroll, which would put the target at the top and, where the
    // whole dialog scrolls (a phone), push its heading out of view. The target is scrolled to only
    // when none of it shows on the first screen.
    target.focus({ preventScroll: true });
    if (target !== dialog && !startsInView(target, dialog)) target.scrollIntoView({ block: 'start' });
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

/** Whether the element's top edge is within the dialog's box as it opens. */
function startsInView(element: HTMLElement, dialog: HTMLElement): boolean {
  const box = dialog.getBoundingClientRect();
  const top = element.getBoundingClientRect().top;
  return top >= box.top && top < box.bottom - bottomBarHeight(dialog);
}

/** The height of a bar pinned over the dialog's bottom edge (the phone layout's actions), or 0. */
function bottomBarHeight(dialog: HTMLElement): number {
  const bar = dialog.querySelector<HTMLElement>('[data-pinned-bottom]');
  return bar && getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().height : 0;
}

function isShown(element: HTMLElement): boolean {
  return element.checkVisibility();
}

/** Marks `name` once per mount, after the first render with a name has been committed (null: not yet). */
export function useMarkOnce(name: string | null): void {
  // React's development double-run of effects keeps refs, so this holds one mark per opening.
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || name === null) return;
    marked.current = true;
    performance.mark(name);
  }, [name]);
}
