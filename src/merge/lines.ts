/**
 * Splits text into lines that keep their terminators, so joining them gives back the exact
 * text: `\r\n`, `\n` and a lone `\r` (old Mac files) each end a line, and a last line without
 * a terminator stays as it is. An empty text has no lines.
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    } else if (code === 13) {
      const end = text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      lines.push(text.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < length) lines.push(text.slice(start));
  return lines;
}

/** The terminator a line ends with, or '' for a last line that has none. */
export function lineEnding(line: string): '' | '\n' | '\r\n' | '\r' {
  if (line.endsWith('\r\n')) return '\r\n';
  if (line.endsWith('\n')) return '\n';
  if (line.endsWith('\r')) return '\r';
  return '';
}
