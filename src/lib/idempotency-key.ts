/**
 * A fresh `Idempotency-Key` (a random UUID, as the IETF httpapi draft suggests): one per save
 * attempt, resent unchanged when that attempt is retried, so the server can answer a retry whose
 * first answer was lost with that answer instead of a conflict with itself.
 */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; a LAN address over plain HTTP is not one.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
