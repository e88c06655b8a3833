import type { APIRequestContext } from '@playwright/test';
import type { Document } from '../../src/protocol/types.ts';
import { encodeUserHeader } from '../../src/protocol/user-header.ts';

export interface ServerDocument {
  status: number;
  doc: Document | null;
  etag: string | null;
  body: unknown;
}

/**
 * The API as a test uses it: to make each test's own data and to check what the server holds,
 * independently of what any browser shows.
 */
export class Api {
  private readonly request: APIRequestContext;

  constructor(request: APIRequestContext) {
    this.request = request;
  }

  async create(title: string, content: string, user = 'Setup'): Promise<{ doc: Document; etag: string }> {
    const response = await this.request.post('/api/docs', {
      data: { title, content },
      headers: { 'X-User': encodeUserHeader(user) },
    });
    if (response.status() !== 201) throw new Error(`create "${title}": ${response.status()} ${await response.text()}`);
    return { doc: (await response.json()) as Document, etag: requireEtag(response.headers()) };
  }

  async get(id: string): Promise<ServerDocument> {
    const response = await this.request.get(`/api/docs/${id}`);
    const body = (await response.json()) as unknown;
    return {
      status: response.status(),
      doc: response.ok() ? (body as Document) : null,
      etag: response.headers()['etag'] ?? null,
      body,
    };
  }

  /** The document as it is now; fails the test when it cannot be read. */
  async current(id: string): Promise<{ doc: Document; etag: string }> {
    const { status, doc, etag } = await this.get(id);
    if (!doc || !etag) throw new Error(`GET ${id}: ${status}`);
    return { doc, etag };
  }

  /** A save by another user, straight through the API (read, then conditional PUT). */
  async save(id: string, change: { title?: string; content: string }, user: string): Promise<Document> {
    const { doc, etag } = await this.current(id);
    const response = await this.request.put(`/api/docs/${id}`, {
      data: { title: change.title ?? doc.title, content: change.content },
      headers: { 'X-User': encodeUserHeader(user), 'If-Match': etag },
    });
    if (response.status() !== 200) throw new Error(`save ${id}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as Document;
  }

  async delete(id: string, user = 'Setup'): Promise<void> {
    const { etag } = await this.current(id);
    // A change without a body still says JSON (docs/protocol.md §1.9).
    const headers = { 'X-User': encodeUserHeader(user), 'If-Match': etag, 'Content-Type': 'application/json' };
    const response = await this.request.delete(`/api/docs/${id}`, { headers });
    if (response.status() !== 204) throw new Error(`delete ${id}: ${response.status()} ${await response.text()}`);
  }

  async list(): Promise<Array<Omit<Document, 'content'> & { etag: string }>> {
    const response = await this.request.get('/api/docs');
    return ((await response.json()) as { docs: Array<Omit<Document, 'content'> & { etag: string }> }).docs;
  }
}

function requireEtag(headers: Record<string, string>): string {
  const etag = headers['etag'];
  if (!etag) throw new Error('response without ETag');
  return etag;
}
