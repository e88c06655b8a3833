export const simulationKeys = {
  state: ['simulation'] as const,
};
