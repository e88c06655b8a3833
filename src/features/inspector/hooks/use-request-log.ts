import { useSyncExternalStore } from 'react';
import { requestLog } from '../../../lib/request-log.ts';
import type { LoggedRequest } from '../../../lib/request-log.ts';

export function useRequestLog(): readonly LoggedRequest[] {
  return useSyncExternalStore(requestLog.subscribe, requestLog.snapshot);
}
