import { Suspense, lazy, useState } from 'react';
import type { ComponentType } from 'react';
import type { ConflictDialogProps } from '../features/conflict/types.ts';

// The dialog, the merge engine and the lab's entry only matter once a save conflicts: keep them out of the first load.
const loadConflictDialog = () => import('./ConflictDialogWithStrategies.tsx');
const LazyDialog = lazy(loadConflictDialog);

/** The dialog's component once its chunk has loaded; until then, null. */
let loadedConflictDialog: ComponentType<ConflictDialogProps> | null = null;

/** Starts loading the dialog's chunk (the editor calls it while there are unsaved changes). */
export function prefetchConflictDialog(): void {
  if (loadedConflictDialog) return;
  loadConflictDialog().then(
    (module) => {
      loadedConflictDialog = module.default;
    },
    // Not loaded yet: the lazy path tries again when a conflict needs the dialog.
    () => {},
  );
}

let idleHandle: number | null = null;
const cancelIdle = (handle: number) => (window.cancelIdleCallback ?? window.clearTimeout)(handle);
const whenIdle = (work: () => void) =>
  window.requestIdleCallback ? window.requestIdleCallback(work, { timeout: 2_000 }) : window.setTimeout(work, 200);

/**
 * The live stream brought a version newer than the draft's base: merge the draft against it in
 * idle time, so a 409 with the same three texts finds the dialog's merge done. Called again as the
 * user types; only the latest texts are merged.
 */
export function prepareConflictMerge(texts: { base: string; mine: string; theirs: string }): void {
  if (idleHandle !== null) cancelIdle(idleHandle);
  idleHandle = whenIdle(() => {
    idleHandle = null;
    import('../features/conflict/merge-cache.ts').then(
      ({ prepareMerge }) => prepareMerge(texts.base, texts.mine, texts.theirs),
      // Not prepared: the dialog merges on opening, as without this.
      () => {},
    );
  });
}

/**
 * The conflict dialog, rendered directly when its chunk has already loaded. React.lazy suspends on
 * its first render even then, and React holds a Suspense fallback back for a few hundred ms, so the
 * lazy path is only the fallback for a conflict that arrives before the prefetch has finished.
 * Which of the two is picked once per opening, so the dialog is never swapped (and remounted) while open.
 */
export function LazyConflictDialog(props: ConflictDialogProps) {
  const [Loaded] = useState(() => loadedConflictDialog);
  if (Loaded) return <Loaded {...props} />;
  return (
    <Suspense
      fallback={
        <div className="dialog-loading" role="status">
          Preparing the comparison…
        </div>
      }
    >
      <LazyDialog {...props} />
    </Suspense>
  );
}
