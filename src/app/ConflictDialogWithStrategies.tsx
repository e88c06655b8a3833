import ConflictDialog from '../features/conflict/components/ConflictDialog.tsx';
import type { ConflictDialogProps } from '../features/conflict/types.ts';
import { compareStrategiesInNewTab } from '../features/lab/compare-strategies.ts';

/**
 * The conflict dialog with the strategies page on its three texts a click away, in a new tab (the
 * conflict and the draft stay open here). One chunk with the dialog: the lab's entry is loaded
 * with it, not with the first page, and is there when Compare strategies is pressed, so the tab
 * opens inside the click, as pop-up blockers require.
 */
export default function ConflictDialogWithStrategies(props: ConflictDialogProps) {
  return <ConflictDialog {...props} onCompareStrategies={compareInNewTab} />;
}

/** The comparison in a new tab; a browser that opens none (a pop-up blocker) is told about, not ignored. */
function compareInNewTab(texts: { base: string; mine: string; theirs: string }) {
  if (!compareStrategiesInNewTab(texts)) {
    window.alert('The browser did not open a new tab for the comparison. Allow pop-ups for this site, then press Compare strategies again.');
  }
}
