import { memo, useMemo } from 'react';
import { highlightSpans } from '../highlights.ts';
import { changeSpans } from '../layout.ts';

interface WordDiffProps {
  base: string;
  changed: string;
}

/**
 * `changed` against `base`: insertions in <ins>, deletions in <del>, marked word by word for a
 * small edit and whole for a rewrite (see highlights.ts). Every piece is a text child, so document
 * text that looks like HTML stays text.
 */
export const WordDiff = memo(function WordDiff({ base, changed }: WordDiffProps) {
  const spans = useMemo(() => changeSpans(base, changed, highlightSpans), [base, changed]);
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
