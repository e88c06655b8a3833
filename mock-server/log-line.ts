/**
 * Text from a request in a log line: a path, a header, a user's name. Each control character is
 * written as an escape, so a request can neither forge a line of its own (`%0D%0A` in a path) nor
 * drive the terminal (`%1B[2J` clears the screen). Besides C0, DEL and C1 this covers the line and
 * paragraph separators and the bidirectional controls, which reorder what a reader sees; a
 * backslash is doubled, so an escape in the log always means the character was there.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;

const NAMED = new Map([
  ['\\', '\\\\'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

export function escapeForLog(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const named = NAMED.get(char);
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
