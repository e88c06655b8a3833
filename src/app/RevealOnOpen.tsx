import { useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/**
 * A side panel the person has just opened, scrolled into view once it has rendered: on a phone the
 * panels sit below the document, where a tap on "Inspector" would otherwise seem to do nothing.
 * A panel already open when the page loads (remembered from before a reload) is left where it is.
 */
export function RevealOnOpen({ reveal, children }: { reveal: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    // When the panel (after its lazy chunk) first commits; `reveal` turns true only with a mount.
    if (reveal) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [reveal]);
  return <div ref={ref}>{children}</div>;
}
