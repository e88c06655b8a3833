import { memo } from 'react';
import type { Origin, ResultPart } from '../choices.ts';
import { StableText } from './StableText.tsx';

interface ResultPartsProps {
  parts: readonly ResultPart[];
  theirsLabel: string;
}

export function originLabel(origin: Origin, theirsLabel: string): string {
  switch (origin) {
    case 'mine':
      return 'Yours';
    case 'theirs':
      return theirsLabel;
    case 'both':
      return 'Both';
    case 'base':
      return 'Base';
    case 'typed':
      return 'Typed by you';
  }
}

/**
 * The merged result as it will be saved, each part marked with where it came from. An open
 * conflict shows as a place still to decide, never as `<<<<<<<` markers; long unchanged stretches
 * fold as in the view above. Read-only: the text field below is where the result is edited.
 */
export const ResultParts = memo(function ResultParts({ parts, theirsLabel }: ResultPartsProps) {
  const last = parts.length - 1;
  return (
    <div className="cd-origins">
      {parts.map((part, i) => {
        if (part.kind === 'stable') return <StableText key={i} text={part.text} atStart={i === 0} atEnd={i === last} />;
        if (part.kind === 'open')
          return (
            <span key={i} className="cd-origin cd-origin--open">
              <span className="cd-badge">Conflict {part.ordinal + 1}: not resolved yet</span>
              {'\n'}
            </span>
          );
        return (
          <span key={i} className={`cd-origin cd-origin--${part.origin}`}>
            <span className="cd-badge">{originLabel(part.origin, theirsLabel)}</span>
            {part.text}
          </span>
        );
      })}
    </div>
  );
});
