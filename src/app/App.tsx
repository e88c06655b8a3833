import { matchRoute, Link, useLocationPath } from '../lib/router.tsx';
import { DocumentListPage } from '../features/documents/components/DocumentListPage.tsx';
import { EditorPage } from '../features/documents/components/EditorPage.tsx';
import { useDocumentEvents } from '../features/documents/hooks/use-document-events.ts';
import { IdentityBadge } from '../features/identity/IdentityBadge.tsx';
import { useIdentity } from '../features/identity/use-identity.ts';

export function App() {
  const route = matchRoute(useLocationPath());
  const identity = useIdentity();
  useDocumentEvents();

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header" style={{ borderBlockEndColor: identity.colour }}>
        <Link href="/" className="app-name">
          Conflict Lab
        </Link>
        <IdentityBadge />
      </header>
      {route.name === 'list' && <DocumentListPage />}
      {/* Keyed: another document is another draft, another save flow. */}
      {route.name === 'document' && <EditorPage key={route.id} id={route.id} />}
      {route.name === 'not-found' && (
        <main id="main" className="page">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Back to all documents</Link>
          </p>
        </main>
      )}
    </>
  );
}
