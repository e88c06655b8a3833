import { memo, useMemo } from 'react';
import { highlightSpans } from '../highlights.ts';
import { changeSpans } from '../layout.ts';
import { NumberedText } from './NumberedText.tsx';

interface WordDiffProps {
  base: string;
  changed: string;
  /** Numbers the lines of `changed` from this one (see NumberedText); absent, no numbers. */
  firstLine?: number;
}

/**
 * `changed` against `base`: insertions in <ins>, deletions in <del>, marked word by word for a
 * small edit and whole for a rewrite (see highlights.ts). Every piece is a text child, so document
 * text that looks like HTML stays text.
 */
export const WordDiff = memo(function WordDiff({ base, changed, firstLine }: WordDiffProps) {
  const spans = useMemo(() => changeSpans(base, changed, highlightSpans), [base, changed]);
  if (firstLine !== undefined) return <NumberedText spans={spans} firstLine={firstLine} />;
  return (
    <>
      {spans.map((span, i) => {
        if (span.kind === 'insert') return <ins key={i}>{span.text}</ins>;
        if (span.kind === 'delete') return <del key={i}>{span.text}</del>;
        return <span key={i}>{span.text}</span>;
      })}
    </>
  );
});
