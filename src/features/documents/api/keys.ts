/** Query keys of the documents feature, general to specific, so one invalidation can cover many. */
export const docsKeys = {
  all: ['docs'] as const,
  detail: (id: string) => ['docs', id] as const,
  revisions: (id: string) => ['docs', id, 'revisions'] as const,
};
