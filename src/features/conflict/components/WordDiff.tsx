import { memo, useMemo } from 'react';
import { wordDiff } from '../../../merge/index.ts';
import { changeSpans } from '../layout.ts';

interface WordDiffProps {
  base: string;
  changed: string;
}

/**
 * `changed` against `base`, word by word: insertions in <ins>, deletions in <del>. Every piece is
 * a text child, so document text that looks like HTML stays text.
 */
export const WordDiff = memo(function WordDiff({ base, changed }: WordDiffProps) {
  const spans = useMemo(() => changeSpans(base, changed, wordDiff), [base, changed]);
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
