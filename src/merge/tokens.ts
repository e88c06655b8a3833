/**
 * Word-level tokens: line breaks, runs of other whitespace, words (letters, marks, digits,
 * underscore), and any other single code point. Chinese and Japanese are written without
 * spaces, so each of their characters is a token of its own; otherwise a whole sentence would
 * be one word and any two edits in it would clash. The `u` flag makes `[\s\S]` take a whole
 * surrogate pair, so no token ever splits a code point; joining the tokens gives the text back.
 */
const TOKEN =
  /\r\n|\n|\r|[^\S\r\n]+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}_])+|[\s\S]/gu;

export function splitWords(text: string): string[] {
  return text.match(TOKEN) ?? [];
}
