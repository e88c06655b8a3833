import { memo, useId } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { concurrencyModes, isConcurrencyMode } from '../../../protocol/concurrency.ts';
import { useDocumentConcurrency, useSetDocumentConcurrency } from '../api/document-concurrency.ts';

/**
 * How this document's saves are guarded (docs/protocol.md §1.11), so two documents can be compared
 * side by side: its own mode, or the server's.
 */
export const DocumentModePicker = memo(function DocumentModePicker({ id }: { id: string }) {
  const mode = useDocumentConcurrency(id);
  const set = useSetDocumentConcurrency(id);
  const selectId = useId();
  if (!mode.data) return null;
  return (
    <div className="mode-picker">
      <label htmlFor={selectId}>Concurrency mode of this document</label>{' '}
      <select
        id={selectId}
        value={mode.data.own ?? ''}
        disabled={set.isPending}
        onChange={(event) => set.mutate(isConcurrencyMode(event.target.value) ? event.target.value : null)}
      >
        <option value="">The server’s ({mode.data.own === null ? mode.data.concurrency : 'as set for everyone'})</option>
        {concurrencyModes.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <ErrorAlert error={set.error} prefix="Not changed: " />
    </div>
  );
});
