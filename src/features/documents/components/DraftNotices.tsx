/** The notices about text kept on this device: the user's own draft read back, and another name's. */
import { clockFormatter } from '../../../lib/clock.ts';
import type { FormatTime } from '../../../lib/clock.ts';
import type { OtherDraft } from '../drafts/draft-store.ts';

const clock = clockFormatter();

/** "from 10:03", or, for a draft kept without a time that is one, no made-up time (1970) but "an unknown time". */
function fromWhen(editedAt: number | null, formatTime: FormatTime): string {
  return `from ${editedAt === null ? 'an unknown time' : formatTime(editedAt)}`;
}

export function RestoredDraftNotice({ editedAt, onDismiss, formatTime = clock }: { editedAt: number | null; onDismiss: () => void; formatTime?: FormatTime }) {
  return (
    <div className="banner banner-info" role="status">
      <p>Restored your unsaved changes {fromWhen(editedAt, formatTime)}.</p>
      <button type="button" className="button-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

interface OtherProps {
  other: OtherDraft;
  onAdopt: () => void;
  onDismiss: () => void;
  formatTime?: FormatTime;
}

export function OtherDraftNotice({ other, onAdopt, onDismiss, formatTime = clock }: OtherProps) {
  return (
    <div className="banner banner-info" role="status">
      <p>
        Unsaved changes to this document by {other.author} {fromWhen(other.draft.editedAt, formatTime)} are kept on this device.
      </p>
      <button type="button" onClick={onAdopt}>
        Continue those changes
      </button>
      <button type="button" className="button-quiet" onClick={onDismiss}>
        Not now
      </button>
    </div>
  );
}
