import { describeError } from '../../../lib/problem-text.ts';
import { Link } from '../../../lib/router.tsx';
import { asAnotherUser, docRoute } from '../../../protocol/paths.ts';
import { useEffect } from 'react';
import { useDocuments } from '../api/get-documents.ts';
import { CreateDocumentForm } from './CreateDocumentForm.tsx';

interface Props {
  /** How many tabs have each document open, by id (from the page that places the list). */
  present: Readonly<Record<string, number>>;
  /** The acting user, for the browser tab's title. */
  user: string;
}

export function DocumentListPage({ present, user }: Props) {
  const docs = useDocuments();

  useEffect(() => {
    document.title = `${user} · Documents`;
  }, [user]);

  return (
    <main id="main" className="page">
      <div className="editor-heading">
        <h1>Documents</h1>
        <a className="button button-quiet" href={asAnotherUser('/', user)} target="_blank" rel="noopener">
          Open as another user
        </a>
      </div>
      <p className="first-steps" data-testid="first-steps">
        Open a document, then open it again in a second tab (or with “Open as another user”) and edit it in both to see a conflict.
      </p>
      <CreateDocumentForm />
      {docs.isPending && <p role="status">Loading documents…</p>}
      {docs.isError && (
        <div className="banner banner-error" role="alert">
          <p>{describeError(docs.error)}</p>
          <button type="button" onClick={() => void docs.refetch()}>
            Try again
          </button>
        </div>
      )}
      {docs.data && docs.data.length === 0 && <p>No documents yet. Create the first one above.</p>}
      {docs.data && docs.data.length > 0 && (
        <div className="table-scroll">
          <table className="doc-table">
            <caption className="visually-hidden">All documents</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Version</th>
                <th scope="col">Last edited by</th>
                <th scope="col">When</th>
                <th scope="col">Open now</th>
              </tr>
            </thead>
            <tbody>
              {[...docs.data]
                .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
                .map((doc) => (
                  <tr key={doc.id}>
                    <td>
                      <Link href={docRoute(doc.id)}>{doc.title}</Link>
                    </td>
                    <td>{doc.version}</td>
                    <td>{doc.updatedBy}</td>
                    <td>
                      <time dateTime={doc.updatedAt}>{new Date(doc.updatedAt).toLocaleString()}</time>
                    </td>
                    <td data-testid="open-count">{present[doc.id] ? `${present[doc.id]} open` : '—'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
