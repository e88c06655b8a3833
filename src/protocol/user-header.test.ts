import { describe, expect, it } from 'vitest';
import { decodeUserHeader, encodeUserHeader, MAX_USER_LENGTH } from './user-header.ts';

const names = ['Bob', 'Łukasz Żółć', '张伟', 'مريم', 'José 张伟', ' padded ', '100% sure', "UTF-8''literally", '👩‍💻 Ana', '\u202eevil', '\ufeffByte order mark first'];

/** What an HTTP server hands over for a header sent as raw UTF-8 bytes: one character per byte. */
function asLatin1(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}

describe('the X-User header', () => {
  it.each(names)('round-trips %j exactly, as the person typed it', (name) => {
    const header = encodeUserHeader(name);
    expect(header).toMatch(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/);
    expect(decodeUserHeader(header)).toEqual({ ok: true, user: name });
  });

  it('sends printable ASCII as it is, and anything else as an RFC 8187 value', () => {
    expect(encodeUserHeader('Bob')).toBe('Bob');
    expect(encodeUserHeader('Łukasz')).toBe("UTF-8''%C5%81ukasz");
    expect(encodeUserHeader('a b(c)')).toBe('a b(c)');
    expect(encodeUserHeader(' a')).toBe("UTF-8''%20a");
  });

  it('reads raw UTF-8 bytes as UTF-8 instead of garbling them', () => {
    expect(decodeUserHeader(asLatin1('José 张伟'))).toEqual({ ok: true, user: 'José 张伟' });
  });

  it('refuses bytes that are not UTF-8 rather than guessing', () => {
    expect(decodeUserHeader('Jos\u00e9').ok).toBe(false);
    expect(decodeUserHeader("UTF-8''%C5").ok).toBe(false);
    expect(decodeUserHeader("UTF-8''a b").ok).toBe(false);
  });

  it('says in plain words what is wrong with a refused header', () => {
    expect(decodeUserHeader("UTF-8''a b")).toEqual({
      ok: false,
      detail: "X-User is not a valid UTF-8'' value: percent-encode every byte that is not a letter, digit or one of !#$&+-.^_`|~.",
    });
    expect(decodeUserHeader("UTF-8''%C5")).toEqual({ ok: false, detail: "X-User's percent-encoded bytes are not UTF-8." });
    expect(decodeUserHeader('Jos\u00e9')).toEqual({
      ok: false,
      detail: "X-User is not UTF-8: send a name outside ASCII as UTF-8''<percent-encoded UTF-8 bytes> (RFC 8187).",
    });
    expect(decodeUserHeader(encodeUserHeader('a\u0007b'))).toEqual({ ok: false, detail: 'The user name in X-User must not contain control characters.' });
  });

  it('refuses a character past Latin-1 in a raw value instead of reading its low byte', () => {
    // U+0141 (Ł) cut to a byte is 0x41, "A": a raw header can never carry it.
    expect(decodeUserHeader('\u0141ukasz').ok).toBe(false);
    expect(decodeUserHeader('\u4e2d').ok).toBe(false);
  });

  it('refuses a control character (a bell, an escape, a line break) in a name', () => {
    for (const name of ['a\u0007b', '\u001b[2J', 'a\r\nb', 'a\u0085']) expect(decodeUserHeader(encodeUserHeader(name)).ok).toBe(false);
  });

  it(`refuses a name over ${MAX_USER_LENGTH} code points instead of cutting it`, () => {
    const longest = '张'.repeat(MAX_USER_LENGTH);
    expect(decodeUserHeader(encodeUserHeader(longest))).toEqual({ ok: true, user: longest });
    const tooLong = decodeUserHeader(encodeUserHeader(`${longest}x`));
    expect(tooLong).toEqual({ ok: false, detail: expect.stringContaining(`${MAX_USER_LENGTH}`) });
  });

  it('names nobody as anonymous', () => {
    expect(decodeUserHeader(null)).toEqual({ ok: true, user: 'anonymous' });
    expect(decodeUserHeader(undefined)).toEqual({ ok: true, user: 'anonymous' });
    expect(decodeUserHeader('   ')).toEqual({ ok: true, user: 'anonymous' });
    expect(decodeUserHeader('')).toEqual({ ok: true, user: 'anonymous' });
    expect(decodeUserHeader("UTF-8''%20")).toEqual({ ok: true, user: 'anonymous' });
  });
});
