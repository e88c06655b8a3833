/**
 * This tab's id for the event stream and presence. One per page load: a reload closes the old
 * stream (so the server forgets the old id) and opens a new one.
 */
export const clientId: string =
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2);
