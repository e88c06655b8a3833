/**
 * A small reader of a `text/event-stream` response, for the tests and the benchmark: it yields
 * each event (and each comment) as it arrives, which is what a browser's EventSource would see.
 *
 * Every wait is bounded: a message that does not come within `waitMs` (5 s unless told) fails
 * with an error that says what was awaited, instead of a test that hangs until its own limit.
 */
import type { DocumentEvent } from '../src/protocol/types.ts';

const DOCUMENT_EVENTS = new Set(['created', 'updated', 'deleted']);

export interface SseMessage {
  id: string | null;
  event: string | null;
  data: string;
  /** Comment lines (starting with `:`) seen in this block. */
  comments: string[];
}

export interface SseReaderOptions {
  /** How long one call waits for what it asks for before it fails; 5,000 ms unless told. */
  waitMs?: number;
}

/** Thrown when a message awaited does not arrive in time. */
export class SseWaitError extends Error {
  override name = 'SseWaitError';
}

export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<string>;
  private readonly waitMs: number;
  private buffer = '';
  private readonly queue: SseMessage[] = [];
  /** A read that outlived a wait which gave up: the next call takes it over. */
  private pending: Promise<ReadableStreamReadResult<string>> | null = null;

  constructor(response: Response, { waitMs = 5_000 }: SseReaderOptions = {}) {
    if (!response.body) throw new Error('The event stream has no body.');
    this.reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    this.waitMs = waitMs;
  }

  /**
   * The next block (event or comment-only block), or null when the stream ended. Throws an
   * SseWaitError when none arrives within the reader's wait.
   */
  async next(): Promise<SseMessage | null> {
    return this.nextBefore(Date.now() + this.waitMs, 'a message');
  }

  private async nextBefore(deadline: number, what: string): Promise<SseMessage | null> {
    for (;;) {
      const queued = this.queue.shift();
      if (queued) return queued;
      this.pending ??= this.reader.read();
      const { done, value } = await this.untilDeadline(this.pending, deadline, what);
      this.pending = null;
      if (done) return null;
      this.buffer += value.replaceAll('\r\n', '\n');
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) !== -1) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        this.queue.push(parseBlock(block));
      }
    }
  }

  private async untilDeadline<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SseWaitError(`No ${what} on the event stream within ${this.waitMs} ms.`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The next document event (presence, tokens, other named events and comments are skipped), or
   * null when the stream ended; throws an SseWaitError when none arrives within the reader's wait.
   */
  async nextEvent(): Promise<{ id: string | null; event: string | null; data: DocumentEvent } | null> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const message = await this.nextBefore(deadline, 'document event');
      if (!message) return null;
      if (message.data !== '' && (message.event === null || DOCUMENT_EVENTS.has(message.event))) {
        return { id: message.id, event: message.event, data: JSON.parse(message.data) as DocumentEvent };
      }
    }
  }

  /**
   * The data of the next event named `name`, skipping everything else; throws when the stream
   * ends first or when none arrives within the reader's wait.
   */
  async nextNamed<T>(name: string): Promise<T> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const message = await this.nextBefore(deadline, `event "${name}"`);
      if (!message) throw new Error(`The stream ended before an event "${name}".`);
      if (message.event === name) return JSON.parse(message.data) as T;
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }
}

function parseBlock(block: string): SseMessage {
  const message: SseMessage = { id: null, event: null, data: '', comments: [] };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'id') message.id = value;
    else if (name === 'event') message.event = value;
    else if (name === 'data') data.push(value);
  }
  message.data = data.join('\n');
  return message;
}
