import { useEffect, useState } from 'react';
import type { StrategyOutcome, Triple } from '../strategies/types.ts';

type CrdtMerge = (triple: Triple) => StrategyOutcome;

export type CrdtState = { status: 'loading' } | { status: 'ready'; merge: CrdtMerge } | { status: 'failed'; error: unknown };

/** The CRDT strategy and its library (Yjs), fetched apart when the page first needs them. */
export function useCrdt(): CrdtState {
  const [state, setState] = useState<CrdtState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    import('../strategies/crdt.ts').then(
      (module) => live && setState({ status: 'ready', merge: module.crdtMerge }),
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
