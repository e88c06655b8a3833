import { Suspense, lazy, memo, useEffect } from 'react';
import { useOthersPresent } from '../../features/awareness/api/presence.ts';
import { clientId } from '../../features/awareness/client-id.ts';
import { PresenceList } from '../../features/awareness/components/PresenceList.tsx';
import type { ConflictDialogProps } from '../../features/conflict/types.ts';
import { EditorPage } from '../../features/documents/components/EditorPage.tsx';
import type { EditorTools } from '../../features/documents/components/EditorPage.tsx';
import { distinctColour } from '../../features/identity/distinct-colour.ts';
import { identityColours, setIdentity } from '../../features/identity/identity-store.ts';
import { useIdentity } from '../../features/identity/use-identity.ts';
import { LazyConflictDialog, prefetchConflictDialog, prepareConflictMerge } from '../LazyConflictDialog.tsx';

const ScenarioTools = lazy(() => import('./ScenarioTools.tsx'));

/**
 * `/docs/{id}`: the editor, with who else is here above it, the guided scenarios under it and the
 * conflict dialog it opens. Each comes from its own feature; this page is where they meet.
 */
export function DocumentRoute({ id }: { id: string }) {
  const { name, colour } = useIdentity();
  const others = useOthersPresent(id, clientId);
  // Everyone present wears a colour of their own.
  const distinct = distinctColour({ clientId, colour }, others, identityColours);
  useEffect(() => {
    if (distinct !== colour) setIdentity({ name, colour: distinct });
  }, [distinct, colour, name]);
  return (
    <EditorPage
      id={id}
      user={name}
      presence={<PresenceList others={others} />}
      Tools={Scenarios}
      ConflictDialog={ColouredConflictDialog}
      onDirty={prefetchConflictDialog}
      onNewerVersion={prepareConflictMerge}
    />
  );
}

/**
 * The conflict dialog with the identity colours of this user and of the people present, so each
 * side carries its author's colour (the dialog's chunk adds Compare strategies). A component of
 * its own (not a closure made per render), so the open dialog is never remounted when someone
 * comes or goes.
 */
function ColouredConflictDialog(props: ConflictDialogProps) {
  const { colour } = useIdentity();
  const others = useOthersPresent(props.conflict.docId, clientId);
  return <LazyConflictDialog {...props} colours={{ mine: colour, people: others }} />;
}

/**
 * The guided scenarios under the editor, acting on its caret and its draft. A teaching tool, not
 * needed to edit: its code loads as the editor first renders (alongside the document's own
 * request), out of the first page's scripts. Rendered again only when what the editor offers it
 * changes, not with every version another person saves.
 */
const Scenarios = memo(function Scenarios(tools: EditorTools) {
  return (
    <Suspense fallback={null}>
      <ScenarioTools {...tools} />
    </Suspense>
  );
});
