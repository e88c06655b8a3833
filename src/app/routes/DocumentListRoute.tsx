import { usePresenceCounts } from '../../features/awareness/api/presence.ts';
import { DocumentListPage } from '../../features/documents/components/DocumentListPage.tsx';
import { useIdentity } from '../../features/identity/use-identity.ts';

/** `/`: the documents, each with how many tabs have it open. */
export function DocumentListRoute() {
  const present = usePresenceCounts();
  const { name } = useIdentity();
  return <DocumentListPage present={present} user={name} />;
}
