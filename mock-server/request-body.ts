/**
 * Reading and checking a JSON request body. The size limit is enforced while reading: a declared
 * `Content-Length` over the limit is refused before a byte is read, and a chunked body is counted
 * as it streams and abandoned the moment it passes the limit, so an oversized body is never held
 * in memory.
 */
import { Readable } from 'node:stream';
import type { FieldError } from '../src/protocol/problems.ts';
import { MAX_TITLE_LENGTH } from '../src/protocol/types.ts';
import type { DocumentInput } from './storage/types.ts';

export type BodyFailure =
  | { kind: 'unsupported-media-type'; contentType: string | null; acceptPatch?: string }
  | { kind: 'payload-too-large'; limit: number }
  | { kind: 'bad-request'; detail: string }
  | { kind: 'validation-failed'; errors: FieldError[] };

/** The client closed the connection before its request body was complete: nobody waits for an answer. */
export class ClientAbortError extends Error {
  override name = 'ClientAbortError';
}

export type BodyResult<T> = { ok: true; value: T } | { ok: false; failure: BodyFailure };

export function isJsonMediaType(contentType: string | null, mediaType = 'application/json'): boolean {
  if (!contentType) return false;
  // Stryker disable next-line StringLiteral: split always gives at least one part.
  const [essence = '', ...parameters] = contentType.split(';');
  if (essence.trim().toLowerCase() !== mediaType) return false;
  // JSON is UTF-8 (RFC 8259 §8.1); a body that says otherwise would be decoded wrongly.
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

/**
 * The Node request stream behind a request, when the app runs on @hono/node-server: `serve()` and
 * `getRequestListener()` (the Vite plugin) both hand the app `{ incoming, outgoing }` as its env.
 * Null elsewhere (`app.request()` in a test, another runtime), and for a stream that has already
 * been read from or decodes to text, so the caller falls back to the web stream.
 */
export function nodeBodySource(env: unknown): NodeBodySource | null {
  const incoming = (env as { incoming?: unknown } | null | undefined)?.incoming;
  if (!(incoming instanceof Readable)) return null;
  if (incoming.readableDidRead || incoming.readableEncoding !== null) return null;
  return incoming;
}

/** A request body as a Node stream; `complete` is IncomingMessage's "the whole message arrived". */
export type NodeBodySource = Readable & { complete?: boolean };

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads the Node stream itself: going through the adapter's web stream (a full Request, a
 * ReadableStream over `Readable.toWeb`, an AbortSignal) cost about as much as the rest of a save.
 */
function readNodeLimited(incoming: NodeBodySource, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => new NodeBodyReader(incoming, limit, resolve, reject).start());
}

/** One body being read from a Node stream. A class, so that a request makes no new closures. */
class NodeBodyReader {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private readonly incoming: NodeBodySource;
  private readonly limit: number;
  private readonly resolve: (bytes: Uint8Array | null) => void;
  private readonly reject: (error: Error) => void;
  private readonly onData: (chunk: Uint8Array) => void;
  private readonly onEnd: () => void;
  private readonly onClose: (error?: Error) => void;

  constructor(incoming: NodeBodySource, limit: number, resolve: (bytes: Uint8Array | null) => void, reject: (error: Error) => void) {
    this.incoming = incoming;
    this.limit = limit;
    this.resolve = resolve;
    this.reject = reject;
    this.onData = this.data.bind(this);
    this.onEnd = this.end.bind(this);
    this.onClose = this.close.bind(this);
  }

  start(): void {
    const { incoming } = this;
    incoming.on('data', this.onData);
    incoming.on('end', this.onEnd);
    incoming.on('error', this.onClose);
    incoming.on('close', this.onClose);
    // Already ended or closed before anyone listened: those events will not come again.
    if (incoming.readableEnded) this.end();
    else if (incoming.destroyed) this.close(incoming.errored ?? undefined);
  }

  /** False once the body is over the limit: nothing more is kept. */
  private take(chunk: Uint8Array): boolean {
    this.size += chunk.byteLength;
    if (this.size > this.limit) return false;
    this.chunks.push(chunk);
    return true;
  }

  private stopListening(): void {
    const { incoming } = this;
    incoming.off('data', this.onData);
    incoming.off('end', this.onEnd);
    incoming.off('error', this.onClose);
    incoming.off('close', this.onClose);
  }

  private data(chunk: Uint8Array): void {
    if (this.take(chunk)) return;
    // Over the limit: stop reading. The 413 closes the connection, and the adapter discards the rest.
    this.stopListening();
    this.incoming.pause();
    this.resolve(null);
  }

  private end(): void {
    this.stopListening();
    this.resolve(concat(this.chunks, this.size));
  }

  private close(error?: Error): void {
    this.stopListening();
    const { incoming } = this;
    // A client may send a whole request and close its side at once; Node then ends the request
    // stream early with the last of the body still buffered. A complete body is still the request.
    if (!incoming.complete) {
      this.reject(new ClientAbortError('The client closed the connection before the request body was complete.', { cause: error }));
      return;
    }
    for (let chunk = incoming.read() as Uint8Array | null; chunk !== null; chunk = incoming.read() as Uint8Array | null) {
      if (!this.take(chunk)) {
        this.resolve(null);
        return;
      }
    }
    this.resolve(concat(this.chunks, this.size));
  }
}

async function readWebLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
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
  return concat(chunks, size);
}

async function readLimited(request: Request, limit: number, incoming: NodeBodySource | null): Promise<Uint8Array | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return null;
  if (incoming && !request.bodyUsed) return readNodeLimited(incoming, limit);
  if (!request.body) return new Uint8Array(0);
  return readWebLimited(request.body, limit);
}

/**
 * Reads the body as JSON; every way it can fail is a value, never a throw. `incoming` is the Node
 * stream behind `request` ({@link nodeBodySource}), read directly when given.
 */
export async function readJsonBody(
  request: Request,
  limit: number,
  incoming: NodeBodySource | null = null,
  /** A JSON-based type the route takes instead, e.g. `application/merge-patch+json`. */
  mediaType = 'application/json',
): Promise<BodyResult<unknown>> {
  const contentType = request.headers.get('content-type');
  if (!isJsonMediaType(contentType, mediaType)) return { ok: false, failure: { kind: 'unsupported-media-type', contentType } };
  const bytes = await readLimited(request, limit, incoming);
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
    // Stryker disable next-line StringLiteral: JSON.parse throws nothing but SyntaxError.
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
