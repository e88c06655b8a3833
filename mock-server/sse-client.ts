/**
 * A small reader of a `text/event-stream` response, for the tests and the benchmark: it yields
 * each event (and each comment) as it arrives, which is what a browser's EventSource would see.
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

export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<string>;
  private buffer = '';
  private readonly queue: SseMessage[] = [];

  constructor(response: Response) {
    if (!response.body) throw new Error('The event stream has no body.');
    this.reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next block (event or comment-only block), or null when the stream ended. */
  async next(): Promise<SseMessage | null> {
    for (;;) {
      const queued = this.queue.shift();
      if (queued) return queued;
      const { done, value } = await this.reader.read();
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

  /** The next document event (presence, tokens, other named events and comments are skipped). */
  async nextEvent(): Promise<{ id: string | null; event: string | null; data: DocumentEvent } | null> {
    for (;;) {
      const message = await this.next();
      if (!message) return null;
      if (message.data !== '' && (message.event === null || DOCUMENT_EVENTS.has(message.event))) {
        return { id: message.id, event: message.event, data: JSON.parse(message.data) as DocumentEvent };
      }
    }
  }

  /** The data of the next event named `name`, skipping everything else. */
  async nextNamed<T>(name: string): Promise<T> {
    for (;;) {
      const message = await this.next();
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
