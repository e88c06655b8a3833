import { describeError } from '../../../lib/problem-text.ts';
import { Link } from '../../../lib/router.tsx';
import { docRoute } from '../../../protocol/paths.ts';
import { useDocuments } from '../api/get-documents.ts';
import { CreateDocumentForm } from './CreateDocumentForm.tsx';

/** `present`: how many tabs have each document open, by id (from the page that places the list). */
export function DocumentListPage({ present }: { present: Readonly<Record<string, number>> }) {
  const docs = useDocuments();

  return (
    <main id="main" className="page">
      <h1>Documents</h1>
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
