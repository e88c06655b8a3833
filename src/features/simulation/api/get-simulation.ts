import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { SimulationState } from '../../../protocol/simulation.ts';
import { simulationKeys } from './keys.ts';

export async function fetchSimulation(signal?: AbortSignal): Promise<SimulationState> {
  const { data } = await apiRequest<SimulationState>(simulationPaths.state(), { signal });
  return data;
}

export function simulationQueryOptions() {
  return queryOptions({
    queryKey: simulationKeys.state,
    queryFn: ({ signal }) => fetchSimulation(signal),
    // The bot's save count moves on its own; the panel shows it fresh while open.
    refetchInterval: 5_000,
  });
}

export function useSimulation() {
  return useQuery(simulationQueryOptions());
}
