import { useId, useRef, useState } from 'react';

interface PutAsideTextsProps {
  texts: readonly string[];
  onDismiss: (text: string) => void;
  /** Where focus goes when the last text is dismissed and the region goes away. */
  focusAfterLast: () => void;
}

type CopyStatus = 'copied' | 'unavailable' | null;

function copyMessage(status: CopyStatus): string {
  if (status === 'copied') return 'Copied';
  if (status === 'unavailable') return 'This browser does not allow copying here: select the text and copy it yourself.';
  return '';
}

function PutAsideText({
  text,
  number,
  onDismiss,
  textareaRef,
}: {
  text: string;
  number: number;
  onDismiss: () => void;
  textareaRef: (element: HTMLTextAreaElement | null) => void;
}) {
  const id = useId();
  const [status, setStatus] = useState<CopyStatus>(null);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      setStatus('unavailable');
    }
  };
  return (
    <li className="cd-aside-item">
      <label htmlFor={`${id}-text`}>Typed text {number}</label>
      <textarea
        id={`${id}-text`}
        ref={textareaRef}
        className="cd-aside-text"
        value={text}
        readOnly
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        spellCheck={false}
      />
      <div className="cd-aside-actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
        <span className="cd-aside-status" role="status">
          {copyMessage(status)}
        </span>
      </div>
    </li>
  );
}

/**
 * Text the user typed for a conflict that a further save changed: it is in neither "yours" nor
 * the result, so it stays here, read-only, until copied where it belongs or dismissed.
 */
export function PutAsideTexts({ texts, onDismiss, focusAfterLast }: PutAsideTextsProps) {
  const id = useId();
  const headingId = `${id}-heading`;
  const helpId = `${id}-help`;
  const textareas = useRef(new Map<string, HTMLTextAreaElement>());

  const dismiss = (index: number) => {
    const text = texts[index];
    if (text === undefined) return;
    // Focus stays in the list (on the text that takes this one's place), or leaves it on purpose.
    const neighbour = texts[index + 1] ?? texts[index - 1];
    onDismiss(text);
    if (neighbour === undefined) focusAfterLast();
    else textareas.current.get(neighbour)?.focus();
  };

  return (
    <div className="cd-aside" role="region" aria-labelledby={headingId} aria-describedby={helpId}>
      <h3 id={headingId} className="cd-aside-title">
        Text you typed for a conflict that changed
      </h3>
      <p id={helpId} className="cd-help">
        Someone changed that part again before it was saved, so this text is in neither yours nor the merged
        result. Copy it where it belongs, or dismiss it.
      </p>
      <ul className="cd-aside-list">
        {texts.map((text, index) => (
          <PutAsideText
            key={text}
            text={text}
            number={index + 1}
            onDismiss={() => dismiss(index)}
            textareaRef={(element) => {
              if (element) textareas.current.set(text, element);
              else textareas.current.delete(text);
            }}
          />
        ))}
      </ul>
    </div>
  );
}
