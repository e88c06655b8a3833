import { Fragment, memo, useMemo } from 'react';
import { numberLines } from '../layout.ts';
import type { Span } from '../layout.ts';

interface NumberedTextProps {
  spans: readonly Span[];
  /** The number of the first line (in the column's own text). */
  firstLine: number;
}

/**
 * Text with a number at the start of each line, drawn by CSS from an empty marker (`.cd-ln`), so
 * the numbers are neither read out, selected nor copied with the text. Only the lines the view
 * shows are marked: a fold's lines get theirs when it opens.
 */
export const NumberedText = memo(function NumberedText({ spans, firstLine }: NumberedTextProps) {
  const pieces = useMemo(() => numberLines(spans, firstLine), [spans, firstLine]);
  return (
    <>
      {pieces.map((piece, i) => {
        const marker =
          piece.line === undefined ? null : <span className="cd-ln" data-line={piece.line ?? ''} aria-hidden="true" />;
        const text =
          piece.kind === 'insert' ? <ins>{piece.text}</ins> : piece.kind === 'delete' ? <del>{piece.text}</del> : piece.text;
        return (
          <Fragment key={i}>
            {marker}
            {text}
          </Fragment>
        );
      })}
    </>
  );
});

/** Plain text as one span, for NumberedText. */
export function plainSpans(text: string): Span[] {
  return text === '' ? [] : [{ kind: 'equal', text }];
}
