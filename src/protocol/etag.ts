/**
 * Entity tags and the conditional request headers that carry them (RFC 9110 §8.8.3, §13.1.1,
 * §13.1.2). Pure: the server decides with it, the app and the tests build headers with it.
 *
 *   entity-tag = [ weak ] opaque-tag
 *   weak       = %s"W/"
 *   opaque-tag = DQUOTE *etagc DQUOTE
 *   etagc      = %x21 / %x23-7E / obs-text
 *   If-Match   = "*" / #entity-tag
 */

export interface EntityTag {
  weak: boolean;
  /** The opaque-tag without its quotes. */
  opaque: string;
}

/** `*` (any current representation) or a non-empty list of tags. */
export type EntityTagCondition = { any: true } | { any: false; tags: EntityTag[] };

export class EntityTagSyntaxError extends Error {
  override name = 'EntityTagSyntaxError';
}

function isEtagc(code: number): boolean {
  return code === 0x21 || (code >= 0x23 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

function isOws(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/** Reads one entity-tag starting at `start`; returns it and the index after it. */
function readEntityTag(text: string, start: number): { tag: EntityTag; end: number } {
  let i = start;
  let weak = false;
  if (text.startsWith('W/', i)) {
    weak = true;
    i += 2;
  }
  if (text[i] !== '"') {
    throw new EntityTagSyntaxError(`Expected a quoted entity tag at position ${i} of ${JSON.stringify(text)}.`);
  }
  i += 1;
  const opaqueStart = i;
  while (i < text.length && text[i] !== '"') {
    if (!isEtagc(text.charCodeAt(i))) {
      throw new EntityTagSyntaxError(`Character not allowed in an entity tag at position ${i} of ${JSON.stringify(text)}.`);
    }
    i += 1;
  }
  if (i >= text.length) {
    throw new EntityTagSyntaxError(`Unterminated entity tag in ${JSON.stringify(text)}.`);
  }
  return { tag: { weak, opaque: text.slice(opaqueStart, i) }, end: i + 1 };
}

/** Parses exactly one entity tag, e.g. an `ETag` header value. */
export function parseEntityTag(value: string): EntityTag {
  const text = value.trim();
  const { tag, end } = readEntityTag(text, 0);
  if (end !== text.length) {
    throw new EntityTagSyntaxError(`Unexpected text after the entity tag in ${JSON.stringify(value)}.`);
  }
  return tag;
}

/**
 * Parses an `If-Match` or `If-None-Match` field value. Empty list elements (`, ,`) are allowed
 * as RFC 9110 §5.6.1 asks of recipients, but at least one tag must be present, and `*` must
 * stand alone. Anything else throws EntityTagSyntaxError (the server answers 400).
 */
export function parseEntityTagCondition(value: string): EntityTagCondition {
  const text = value.trim();
  if (text === '*') return { any: true };
  const tags: EntityTag[] = [];
  let i = 0;
  for (;;) {
    while (isOws(text[i]) || text[i] === ',') i += 1;
    if (i >= text.length) break;
    const { tag, end } = readEntityTag(text, i);
    tags.push(tag);
    i = end;
    while (isOws(text[i])) i += 1;
    if (i < text.length && text[i] !== ',') {
      throw new EntityTagSyntaxError(`Expected "," between entity tags at position ${i} of ${JSON.stringify(value)}.`);
    }
  }
  if (tags.length === 0) {
    throw new EntityTagSyntaxError(`No entity tag in ${JSON.stringify(value)}.`);
  }
  return { any: false, tags };
}

export function formatEntityTag(tag: EntityTag): string {
  return `${tag.weak ? 'W/' : ''}"${tag.opaque}"`;
}

/** Strong comparison (RFC 9110 §8.8.3.2): both strong and the same characters. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** Weak comparison: the same characters, whether or not either is weak. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/**
 * Whether `If-Match` lets a write go ahead against the current representation
 * (`current` = its ETag, or null when there is none). Strong comparison, so a weak tag never
 * matches; `*` matches any existing representation.
 */
export function ifMatchPasses(condition: EntityTagCondition, current: string | null): boolean {
  if (current === null) return false;
  if (condition.any) return true;
  const currentTag = parseEntityTag(current);
  return condition.tags.some((tag) => strongMatch(tag, currentTag));
}

/**
 * Whether `If-None-Match` matches the current representation, so a GET answers 304.
 * Weak comparison, as RFC 9110 §13.1.2 requires.
 */
export function ifNoneMatchMatches(condition: EntityTagCondition, current: string | null): boolean {
  if (current === null) return false;
  if (condition.any) return true;
  const currentTag = parseEntityTag(current);
  return condition.tags.some((tag) => weakMatch(tag, currentTag));
}
