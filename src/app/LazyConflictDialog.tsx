import { Suspense, lazy, useState } from 'react';
import type { ComponentType } from 'react';
import type { ConflictDialogProps } from '../features/conflict/types.ts';

// The dialog and the merge engine only matter once a save conflicts: keep them out of the first load.
const loadConflictDialog = () => import('../features/conflict/components/ConflictDialog.tsx');
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
