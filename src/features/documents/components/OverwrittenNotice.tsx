import { useId } from 'react';
import type { OverwrittenNotice as Notice } from '../hooks/use-overwrites.ts';

/** "Alice overwrote your change in version 7", and the text that was replaced, read-only, on request. */
export function OverwrittenNotice({ notice, onShow, onDismiss }: { notice: Notice; onShow: () => void; onDismiss: () => void }) {
  const textId = useId();
  return (
    <section className="banner banner-warning" aria-label="Your change was overwritten" data-testid="overwritten-notice">
      <p>
        <strong>
          {notice.by} overwrote your change in version {notice.version}.
        </strong>{' '}
        Your version {notice.replacedVersion} is kept in the history.
      </p>
      {notice.replaced ? (
        <div className="field">
          <label htmlFor={textId}>What was replaced (your version {notice.replacedVersion})</label>
          <textarea id={textId} className="content-input" readOnly rows={8} value={notice.replaced.content} />
        </div>
      ) : (
        <button type="button" onClick={onShow}>
          Show what was replaced
        </button>
      )}
      {notice.problem && <p role="alert">{notice.problem}</p>}
      <button type="button" className="button-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}
