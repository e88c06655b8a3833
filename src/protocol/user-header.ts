/**
 * The acting user on the wire (docs/protocol.md §1.1): the `X-User` request header. A header value
 * is bytes, and browsers refuse any character past Latin-1 in it, so a name in any other script is
 * sent as an RFC 8187 extended value: `UTF-8''` followed by the name's UTF-8 bytes, percent-encoded
 * (`X-User: UTF-8''%C5%81ukasz`). A name of printable ASCII goes as it is, so the inspector and the
 * server log stay readable for "Bob".
 *
 *   ext-value  = charset "'" [ language ] "'" value-chars      (RFC 8187 §3.2.1)
 *   value-chars = *( pct-encoded / attr-char )
 *   attr-char  = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
 *
 * The server decodes it with the same module, so the two can never disagree. A name is stored as
 * the person typed it: no trimming, no normalisation. It is at most MAX_USER_LENGTH code points and
 * holds no control character; anything else is refused, never cut or cleaned.
 */
import { DEFAULT_USER } from './types.ts';

/** The longest name, in code points: a longer one is refused, never cut. */
export const MAX_USER_LENGTH = 64;

const EXT_PREFIX = /^utf-8'[a-z0-9-]*'/i;
/** Printable ASCII without a space at either end (a header parser would drop it). */
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const VALUE_CHARS = /^(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+\-.^_`|~])*$/;
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
// eslint-disable-next-line no-control-regex -- a name never holds a control character (C0, DEL, C1)
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The header value that names `user`. */
export function encodeUserHeader(user: string): string {
  if (PLAIN.test(user) && !EXT_PREFIX.test(user)) return user;
  let encoded = "UTF-8''";
  for (const byte of new TextEncoder().encode(user)) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

export type DecodedUser = { ok: true; user: string } | { ok: false; detail: string };

/**
 * The name a header value carries. Besides the extended value, a plain value whose bytes are UTF-8
 * (what `curl -H 'X-User: José'` sends; the HTTP layer hands them over as Latin-1 characters) is
 * read as UTF-8. Anything else is refused rather than guessed at, and so is a name over
 * MAX_USER_LENGTH code points. No header, or an empty name, is DEFAULT_USER.
 */
export function decodeUserHeader(value: string | null | undefined): DecodedUser {
  if (value === null || value === undefined) return { ok: true, user: DEFAULT_USER };
  let user: string;
  const prefix = EXT_PREFIX.exec(value);
  if (prefix) {
    const chars = value.slice(prefix[0].length);
    if (!VALUE_CHARS.test(chars)) {
      return { ok: false, detail: "X-User is not a valid UTF-8'' value: percent-encode every byte that is not a letter, digit or one of !#$&+-.^_`|~." };
    }
    const decoded = utf8(percentBytes(chars));
    if (decoded === null) return { ok: false, detail: "X-User's percent-encoded bytes are not UTF-8." };
    user = decoded;
  } else if (/^[\x20-\x7e\t]*$/.test(value)) {
    user = value;
  } else {
    // Bytes past ASCII arrive one per character (Latin-1); they name someone only if they are UTF-8.
    const bytes = Uint8Array.from(value, (char) => char.charCodeAt(0));
    const decoded = [...value].every((char) => char.charCodeAt(0) <= 0xff) ? utf8(bytes) : null;
    if (decoded === null) {
      return { ok: false, detail: "X-User is not UTF-8: send a name outside ASCII as UTF-8''<percent-encoded UTF-8 bytes> (RFC 8187)." };
    }
    user = decoded;
  }
  if (user.trim() === '') return { ok: true, user: DEFAULT_USER };
  if (CONTROL.test(user)) return { ok: false, detail: 'The user name in X-User must not contain control characters.' };
  const length = [...user].length;
  if (length > MAX_USER_LENGTH) {
    return { ok: false, detail: `The user name in X-User is ${length} characters long; the limit is ${MAX_USER_LENGTH}.` };
  }
  return { ok: true, user };
}

function percentBytes(chars: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '%') {
      bytes.push(parseInt(chars.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(chars.charCodeAt(i));
    }
  }
  return Uint8Array.from(bytes);
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
