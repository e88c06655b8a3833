import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { SimulationSettingsPatch, SimulationState } from '../../../protocol/simulation.ts';
import { simulationQueryOptions } from './get-simulation.ts';

export async function updateSimulation(patch: SimulationSettingsPatch): Promise<SimulationState> {
  const { data } = await apiRequest<SimulationState>(simulationPaths.state(), { method: 'PATCH', body: patch });
  return data;
}

export function useUpdateSimulation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSimulation,
    onSuccess: (state) => queryClient.setQueryData(simulationQueryOptions().queryKey, state),
  });
}
