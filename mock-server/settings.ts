/** The server's settings. */
import { DEFAULT_BODY_LIMIT } from '../src/protocol/types.ts';

/**
 * Settings that may change while the server runs (the app's simulation controls change them), so
 * every request reads them afresh from this one object.
 */
export interface ServerSettings {
  /** The status of a failed If-Match: 409 by default, or RFC 9110's own 412. */
  conflictStatus: 409 | 412;
  /** Simulated network delay added to every API request, in milliseconds. */
  latencyMs: number;
  /** Up to this many extra milliseconds, drawn at random per request. */
  jitterMs: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
}

export function defaultSettings(): ServerSettings {
  return { conflictStatus: 409, latencyMs: 0, jitterMs: 0, bodyLimit: DEFAULT_BODY_LIMIT };
}
