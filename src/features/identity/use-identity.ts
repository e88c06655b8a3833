import { useSyncExternalStore } from 'react';
import { getIdentity, subscribeIdentity } from './identity-store.ts';
import type { Identity } from './identity-store.ts';

export function useIdentity(): Identity {
  return useSyncExternalStore(subscribeIdentity, getIdentity);
}
