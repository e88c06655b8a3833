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

/**
 * Tokens for merging at word level: as splitWords, except that words joined by connectors with
 * no space between (`.` `-` `+` `/` `:` `@` `#` `~` `%` `=` `?` `&`) stay one token. People
 * treat `5.0.0-beta.1`, `this._map.off`, `https://example.com/a/b` or `2014-02-16` as one
 * thing: two people editing different parts of one must not be merged into a value neither
 * wrote (4.19.1 → 5.0.0-beta.1 and 4.19.2 would give 5.0.0-beta.2).
 */
const MERGE_TOKEN =
  /\r\n|\n|\r|[^\S\r\n]+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}_])+(?:[.\-+/:@#~%=?&]+(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}_])+)*|[\s\S]/gu;

export function splitMergeTokens(text: string): string[] {
  return text.match(MERGE_TOKEN) ?? [];
}
