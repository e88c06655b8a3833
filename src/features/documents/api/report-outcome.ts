import { apiRequest } from '../../../lib/api-client.ts';
import { statsPaths } from '../../../protocol/stats.ts';
import type { OutcomeReport } from '../../../protocol/stats.ts';

/**
 * Tells the server what the person chose in the conflict dialog when the choice saves nothing
 * (discard, cancel); Merge and Overwrite travel with their save. It feeds a statistic: a report
 * that fails costs one count and never the person's text, so it is not retried and the editor
 * does not show it (the inspector does).
 */
export function reportOutcome(docId: string, outcome: OutcomeReport['outcome']): void {
  const report: OutcomeReport = { docId, outcome };
  apiRequest<null>(statsPaths.outcomes(), { method: 'POST', body: report }).catch(() => undefined);
}
