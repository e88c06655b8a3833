/**
 * Splits text into lines that keep their terminators, so joining them gives back the exact
 * text: `\r\n`, `\n` and a lone `\r` (old Mac files) each end a line, and a last line without
 * a terminator stays as it is. An empty text has no lines.
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  // indexOf scans natively, several times faster than a loop over charCodeAt on large texts.
  let nextLF = text.indexOf('\n');
  let nextCR = text.indexOf('\r');
  while (nextLF !== -1 || nextCR !== -1) {
    let end: number;
    if (nextCR === -1 || (nextLF !== -1 && nextLF < nextCR)) end = nextLF + 1;
    else end = text.charCodeAt(nextCR + 1) === 10 ? nextCR + 2 : nextCR + 1;
    lines.push(text.slice(start, end));
    start = end;
    if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
    if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** The terminator a line ends with, or '' for a last line that has none. */
export function lineEnding(line: string): '' | '\n' | '\r\n' | '\r' {
  if (line.endsWith('\r\n')) return '\r\n';
  if (line.endsWith('\n')) return '\n';
  if (line.endsWith('\r')) return '\r';
  return '';
}
