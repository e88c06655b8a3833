/**
 * Splits text into lines that keep their terminators, so joining them gives back the exact
 * text: `\r\n`, `\n` and a lone `\r` (old Mac files) each end a line, and a last line without
 * a terminator stays as it is. An empty text has no lines.
 */
export function splitLines(text: string): string[] {
  // A line and its terminator (CRLF before a lone CR), or a last line without one: one native
  // scan, as quick as finding each terminator with indexOf (quicker on CR-only text).
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+/g) ?? [];
}

/** The terminator a line ends with, or '' for a last line that has none. */
export function lineEnding(line: string): '' | '\n' | '\r\n' | '\r' {
  if (line.endsWith('\r\n')) return '\r\n';
  if (line.endsWith('\n')) return '\n';
  if (line.endsWith('\r')) return '\r';
  return '';
}
