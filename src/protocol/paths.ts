/** URL paths of the API (docs/protocol.md §1.4), built in one place. */
export const API_BASE = '/api';

export const apiPaths = {
  docs: () => `${API_BASE}/docs`,
  doc: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}`,
  revisions: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}/revisions`,
  revision: (id: string, version: number) =>
    `${API_BASE}/docs/${encodeURIComponent(id)}/revisions/${version}`,
  events: () => `${API_BASE}/events`,
} as const;

/** The app's own route for a document (docs/protocol.md §3). */
export const docRoute = (id: string) => `/docs/${encodeURIComponent(id)}`;

/** `route` opened as a new user other than `name` (docs/protocol.md §3: `?as=new&besides=`). */
export function asAnotherUser(route: string, name: string): string {
  return `${route}?as=new&besides=${encodeURIComponent(name)}`;
}
