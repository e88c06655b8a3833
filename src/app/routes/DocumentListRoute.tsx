import { usePresenceCounts } from '../../features/awareness/api/presence.ts';
import { DocumentListPage } from '../../features/documents/components/DocumentListPage.tsx';

/** `/`: the documents, each with how many tabs have it open. */
export function DocumentListRoute() {
  const present = usePresenceCounts();
  return <DocumentListPage present={present} />;
}
