/**
 * Reading and checking a JSON request body. The size limit is enforced while reading: a declared
 * `Content-Length` over the limit is refused before a byte is read, and a chunked body is counted
 * as it streams and abandoned the moment it passes the limit, so an oversized body is never held
 * in memory.
 */
import type { FieldError } from '../src/protocol/problems.ts';
import { MAX_TITLE_LENGTH } from '../src/protocol/types.ts';
import type { DocumentInput } from './store.ts';

export type BodyFailure =
  | { kind: 'unsupported-media-type'; contentType: string | null }
  | { kind: 'payload-too-large'; limit: number }
  | { kind: 'bad-request'; detail: string }
  | { kind: 'validation-failed'; errors: FieldError[] };

export type BodyResult<T> = { ok: true; value: T } | { ok: false; failure: BodyFailure };

function isJsonMediaType(contentType: string | null): boolean {
  if (!contentType) return false;
  const [essence = '', ...parameters] = contentType.split(';');
  if (essence.trim().toLowerCase() !== 'application/json') return false;
  // JSON is UTF-8 (RFC 8259 §8.1); a body that says otherwise would be decoded wrongly.
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel('body over the limit');
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads the body as JSON; every way it can fail is a value, never a throw. */
export async function readJsonBody(request: Request, limit: number): Promise<BodyResult<unknown>> {
  const contentType = request.headers.get('content-type');
  if (!isJsonMediaType(contentType)) return { ok: false, failure: { kind: 'unsupported-media-type', contentType } };
  const bytes = await readLimited(request, limit);
  if (bytes === null) return { ok: false, failure: { kind: 'payload-too-large', limit } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, failure: { kind: 'bad-request', detail: 'The request body is not valid UTF-8.' } };
  }
  try {
    // JSON.parse makes `__proto__` an ordinary own key, and only known fields are copied out
    // below, so no request can reach an object's prototype.
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    return { ok: false, failure: { kind: 'bad-request', detail: `The request body is not valid JSON: ${reason}` } };
  }
}

function field(body: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(body, name) ? body[name] : undefined;
}

/**
 * Checks `{title, content}` and returns exactly what the client sent: the title is not trimmed
 * or normalised, so the stored text (and its ETag) is byte for byte the client's.
 */
export function validateDocumentInput(body: unknown, contentRequired: boolean): BodyResult<DocumentInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, failure: { kind: 'validation-failed', errors: [{ field: '', message: 'The body must be a JSON object with a title.' }] } };
  }
  const record = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const title = field(record, 'title');
  const content = field(record, 'content');
  if (typeof title !== 'string') {
    errors.push({ field: 'title', message: title === undefined ? 'A title is required.' : 'The title must be a string.' });
  } else if (title.trim() === '') {
    errors.push({ field: 'title', message: 'The title must not be empty.' });
  } else if ([...title].length > MAX_TITLE_LENGTH) {
    errors.push({ field: 'title', message: `The title must be at most ${MAX_TITLE_LENGTH} characters.` });
  }
  if (content === undefined) {
    if (contentRequired) errors.push({ field: 'content', message: 'The content is required (send "" for an empty document).' });
  } else if (typeof content !== 'string') {
    errors.push({ field: 'content', message: 'The content must be a string.' });
  }
  if (errors.length > 0 || typeof title !== 'string') return { ok: false, failure: { kind: 'validation-failed', errors } };
  return { ok: true, value: { title, content: typeof content === 'string' ? content : '' } };
}
