/**
 * Word-level tokens: line breaks, runs of other whitespace, words (letters, marks, digits,
 * underscore), and any other single code point. The `u` flag makes `[\s\S]` take a whole
 * surrogate pair, so no token ever splits a code point; joining the tokens gives the text back.
 */
const TOKEN = /\r\n|\n|\r|[^\S\r\n]+|[\p{L}\p{M}\p{N}_]+|[\s\S]/gu;

export function splitWords(text: string): string[] {
  return text.match(TOKEN) ?? [];
}
