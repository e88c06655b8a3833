/**
 * `Idempotency-Key` (IETF httpapi draft "The Idempotency-Key HTTP Header Field"): a client-made
 * key per write attempt, resent unchanged when the client retries after a lost response. The
 * store keeps key → (fingerprint, answer) in the same transaction as the write, so a retry gets
 * the first answer and never makes a second version. The fingerprint tells a true retry from a
 * different request that reuses the key (a 422).
 */
import { createHash } from 'node:crypto';
import type { IdempotencyRequest } from './storage/types.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 255;

export type KeyHeader = { ok: true; key: string | null } | { ok: false; detail: string };

/**
 * The key, from a Structured Field string (`"…"`, as the draft writes it) or a bare token (as
 * most clients send it). Printable ASCII only, up to 255 characters.
 */
export function parseIdempotencyKey(raw: string | null | undefined): KeyHeader {
  if (raw === null || raw === undefined) return { ok: true, key: null };
  const trimmed = raw.trim();
  const quoted = /^"(.*)"$/.exec(trimmed);
  // Stryker disable next-line StringLiteral: the pattern matched, so its group is always there (empty at least).
  const key = quoted ? (quoted[1] ?? '') : trimmed;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key) || /["\\]/.test(key)) {
    return {
      ok: false,
      detail: `${IDEMPOTENCY_HEADER} must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters (a UUID is usual), optionally in double quotes.`,
    };
  }
  return { ok: true, key };
}

/** The parts of a request that a retry repeats exactly; a different one under the same key is refused. */
export interface RequestParts {
  method: string;
  path: string;
  user: string;
  ifMatch: string | null;
  body: unknown;
}

export function idempotencyRequest(key: string, parts: RequestParts): IdempotencyRequest {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([parts.method, parts.path, parts.user, parts.ifMatch, parts.body]))
    .digest('base64url');
  return { key, fingerprint };
}
