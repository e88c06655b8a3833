import { useState } from 'react';
import type { ResultPart } from '../choices.ts';
import { ResultParts } from './ResultParts.tsx';

interface MergedResultProps {
  headingId: string;
  textId: string;
  /** False on the dialog's first render, before the result is worked out. */
  settled: boolean;
  parts: readonly ResultPart[] | null;
  theirsLabel: string;
  /** Conflicts still open in the text (a title conflict leaves no markers in it). */
  open: number;
  saving: boolean;
  typedResult: string | null;
  setAsideResult: string | null;
  /** The result as text: the choices' (with markers for open conflicts) or the typed one. */
  text: () => string;
  onType: (text: string) => void;
  onReset: () => void;
  onRestore: () => void;
}

/**
 * The merged result: by origin always, and as text to edit once every conflict is resolved, when
 * the user typed into it, or when they ask for it while conflicts are open (the only time the
 * text shows diff3 markers).
 */
export function MergedResult(props: MergedResultProps) {
  const { headingId, textId, settled, parts, theirsLabel, open, saving, typedResult, setAsideResult, text, onType, onReset, onRestore } =
    props;
  const helpId = `${textId}-help`;
  const [markersAsked, setMarkersAsked] = useState(false);
  const showResultText = open === 0 || typedResult !== null || markersAsked;
  return (
    <div className="cd-result" role="region" aria-labelledby={headingId}>
      <div className="cd-result-header">
        <h3 id={headingId} className="cd-result-label" tabIndex={-1}>
          Merged result
        </h3>
        {typedResult !== null ? (
          <button type="button" aria-disabled={saving || undefined} onClick={() => {
            if (!saving) onReset();
          }}>
            Reset to choices
          </button>
        ) : setAsideResult !== null ? (
          <button type="button" aria-disabled={saving || undefined} onClick={() => {
            if (!saving) onRestore();
          }}>
            Restore your edited result
          </button>
        ) : null}
      </div>
      {settled ? (
        <ResultParts parts={parts ?? []} theirsLabel={theirsLabel} />
      ) : (
        <p className="cd-help">Preparing the merged result…</p>
      )}
      {showResultText ? (
        <>
          <label htmlFor={textId} className="cd-result-label">
            Merged result as text
          </label>
          <p id={helpId} className="cd-help">
            {typedResult !== null
              ? 'You edited this text: Merge saves it as typed, and the choices above are locked.'
              : open > 0
                ? 'Open conflicts show between <<<<<<< and >>>>>>> lines. Type here to edit the result directly.'
                : 'Follows your choices above. Type here to edit the result directly.'}
          </p>
          <textarea
            id={textId}
            className="cd-result-text"
            aria-describedby={helpId}
            value={settled ? text() : ''}
            placeholder={settled ? undefined : 'Preparing the merged result…'}
            readOnly={saving || !settled}
            rows={12}
            spellCheck={false}
            onChange={(event) => onType(event.target.value)}
          />
        </>
      ) : (
        <div className="cd-result-edit">
          <button type="button" aria-describedby={helpId} onClick={() => setMarkersAsked(true)}>
            Edit the result as text
          </button>
          <p id={helpId} className="cd-help">
            With {open === 1 ? 'a conflict' : 'conflicts'} still open, the text shows {open === 1 ? 'it' : 'each'} between
            &lt;&lt;&lt;&lt;&lt;&lt;&lt; and &gt;&gt;&gt;&gt;&gt;&gt;&gt; lines, as git writes them.
          </p>
        </div>
      )}
    </div>
  );
}
