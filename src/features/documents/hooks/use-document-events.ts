import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiPaths } from '../../../protocol/paths.ts';
import type { DocumentEvent } from '../../../protocol/types.ts';
import { docsKeys } from '../api/keys.ts';

const EVENT_TYPES = ['message', 'created', 'updated', 'deleted'] as const;

/**
 * Keeps the cache fresh while other users save: each server event invalidates what it touched.
 * Only the cache changes; a draft keeps its own base, so nobody's typing is replaced.
 */
export function useDocumentEvents(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(apiPaths.events());
    const onEvent = (event: MessageEvent<string>) => {
      let data: Partial<DocumentEvent>;
      try {
        data = JSON.parse(event.data) as Partial<DocumentEvent>;
      } catch {
        return;
      }
      void queryClient.invalidateQueries({ queryKey: docsKeys.all, exact: true });
      if (typeof data.id === 'string') void queryClient.invalidateQueries({ queryKey: docsKeys.detail(data.id) });
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    // EventSource reconnects by itself (with Last-Event-ID); nothing to do on error.
    return () => source.close();
  }, [queryClient]);
}
