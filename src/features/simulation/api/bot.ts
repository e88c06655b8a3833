import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { BotRequest, SimulationState } from '../../../protocol/simulation.ts';
import { simulationQueryOptions } from './get-simulation.ts';

export async function startBot(request: BotRequest): Promise<SimulationState> {
  const { data } = await apiRequest<SimulationState>(simulationPaths.bot(), { method: 'PUT', body: request });
  return data;
}

export async function stopBot(): Promise<SimulationState> {
  const { data } = await apiRequest<SimulationState>(simulationPaths.bot(), { method: 'DELETE' });
  return data;
}

/** Starts (or re-aims) the bot with a request, stops it with null. */
export function useBot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: BotRequest | null) => (request ? startBot(request) : stopBot()),
    onSuccess: (state) => queryClient.setQueryData(simulationQueryOptions().queryKey, state),
  });
}
