/**
 * Which side panels are open, remembered per tab (sessionStorage): a reload keeps the inspector
 * where the teacher left it, another tab starts with its own choice.
 */
import { useCallback, useState } from 'react';

export type PanelName = 'inspector' | 'simulation' | 'conflicts';
type PanelState = Record<PanelName, boolean>;

const STORAGE_KEY = 'conflict-lab:panels';

function read(): PanelState {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<PanelState>;
    return { inspector: parsed.inspector === true, simulation: parsed.simulation === true, conflicts: parsed.conflicts === true };
  } catch {
    return { inspector: false, simulation: false, conflicts: false };
  }
}

export function usePanels() {
  const [panels, setPanels] = useState<PanelState>(read);
  const toggle = useCallback((name: PanelName) => {
    setPanels((current) => {
      const next = { ...current, [name]: !current[name] };
      try {
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Without storage the choice lasts until the reload.
      }
      return next;
    });
  }, []);
  return { panels, toggle };
}
