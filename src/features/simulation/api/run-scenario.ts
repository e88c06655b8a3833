import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { ScenarioName, ScenarioRequest, ScenarioResult } from '../../../protocol/simulation.ts';
import { invalidateDocument, writeDocument } from '../../documents/api/cache.ts';

export interface ScenarioVariables extends ScenarioRequest {
  docId: string;
  scenario: ScenarioName;
}

export async function runScenario({ docId, scenario, ...request }: ScenarioVariables): Promise<ScenarioResult> {
  const { data } = await apiRequest<ScenarioResult>(simulationPaths.scenario(docId, scenario), { method: 'POST', body: request });
  return data;
}

/**
 * A guided set-up: the server acts as another user on this document. The result goes into the
 * cache (the draft keeps its own base, so the editor shows "Bob saved version N" at once).
 */
export function useRunScenario() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: runScenario,
    onSuccess: (result) => {
      if (result.document && result.etag) writeDocument(queryClient, { doc: result.document, etag: result.etag });
    },
    onSettled: (_data, _error, { docId }) => invalidateDocument(queryClient, docId),
  });
}
