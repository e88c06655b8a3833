import { describeError } from './problem-text.ts';

/**
 * A failed request in plain words, announced to screen readers; nothing while there is no error
 * (a query's or mutation's `error` is null until it fails).
 */
export function ErrorAlert({ error, prefix = '' }: { error: unknown; prefix?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="field-error" role="alert">
      {prefix}
      {describeError(error)}
    </p>
  );
}
