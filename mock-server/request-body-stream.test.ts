/**
 * Reading a body from the Node request stream, at every moment the client can end it: the body
 * as its chunks arrive, over the limit, cut off mid-body, and a stream that ended or closed before
 * anyone read it (a client that sent everything and closed its side at once). The streams are real
 * Node streams fed by hand, so each moment is exact; `complete` is set as an IncomingMessage sets
 * it. Over a socket, bad-input.test.ts and hostile-requests.test.ts.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ClientAbortError, readJsonBody, type NodeBodySource } from './request-body.ts';

const EVENTS = ['data', 'end', 'error', 'close'] as const;

function jsonRequest(headers: Record<string, string> = {}, body?: BodyInit): Request {
  return new Request('http://localhost/api/docs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined && { body, duplex: 'half' }),
  });
}

/** A Node stream nothing reads yet; `complete` as IncomingMessage has it (left out: a plain stream). */
function nodeStream(complete?: boolean): NodeBodySource {
  const stream: NodeBodySource = new Readable({ read() {} });
  if (complete !== undefined) stream.complete = complete;
  return stream;
}

/** What `promise` settles to, or a failure saying it was still waiting after two seconds. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waiting = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('The body was still being read two seconds later.')), 2_000);
  });
  try {
    return await Promise.race([promise, waiting]);
  } finally {
    clearTimeout(timer);
  }
}

const listeners = (stream: NodeBodySource) => EVENTS.map((name) => stream.listenerCount(name));

describe('a body read from the Node stream', () => {
  it('is its chunks joined, and the reader stops listening once it has them', async () => {
    const stream = nodeStream();
    const read = readJsonBody(jsonRequest(), 100, stream);
    stream.push(Buffer.from('{"title":'));
    stream.push(Buffer.from('"Ünïcode 🙂"}'));
    stream.push(null);
    expect(await settled(read)).toEqual({ ok: true, value: { title: 'Ünïcode 🙂' } });
    expect(listeners(stream)).toEqual([0, 0, 0, 0]);
  });

  it('over the limit: answers too large at once, stops listening and stops the flow', async () => {
    const stream = nodeStream(false);
    const read = readJsonBody(jsonRequest(), 100, stream);
    stream.push(Buffer.from('"'.padEnd(60, 'x')));
    stream.push(Buffer.from('x'.repeat(60)));
    expect(await settled(read)).toEqual({ ok: false, failure: { kind: 'payload-too-large', limit: 100 } });
    expect(listeners(stream)).toEqual([0, 0, 0, 0]);
    expect(stream.isPaused()).toBe(true);
  });

  it('declared over the limit: answers too large without reading a byte', async () => {
    const stream = nodeStream(true);
    stream.push(Buffer.from('{}'));
    stream.push(null);
    expect(await settled(readJsonBody(jsonRequest({ 'Content-Length': '101' }), 100, stream))).toEqual({
      ok: false,
      failure: { kind: 'payload-too-large', limit: 100 },
    });
    expect(stream.readableDidRead).toBe(false);
    expect(listeners(stream)).toEqual([0, 0, 0, 0]);
  });

  it('skips a UTF-8 byte order mark before the JSON', async () => {
    const stream = nodeStream(true);
    const read = readJsonBody(jsonRequest(), 100, stream);
    stream.push(Buffer.from('\uFEFF{"title":"T"}'));
    stream.push(null);
    expect(await settled(read)).toEqual({ ok: true, value: { title: 'T' } });
  });
});

describe('a client that goes away', () => {
  it('mid-body, with an error: a ClientAbortError that says so, caused by the stream’s error', async () => {
    const stream = nodeStream(false);
    const read = readJsonBody(jsonRequest(), 100, stream);
    stream.push(Buffer.from('{"title":'));
    const cause = new Error('aborted');
    stream.destroy(cause);
    const error = await settled(read).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ClientAbortError);
    expect(error).toMatchObject({
      name: 'ClientAbortError',
      message: 'The client closed the connection before the request body was complete.',
      cause,
    });
    expect(listeners(stream)).toEqual([0, 0, 0, 0]);
  });

  it('mid-body, without an error (only the close): a ClientAbortError too', async () => {
    const stream = nodeStream(false);
    const read = readJsonBody(jsonRequest(), 100, stream);
    stream.push(Buffer.from('{"title":'));
    stream.destroy();
    await expect(settled(read)).rejects.toBeInstanceOf(ClientAbortError);
  });

  it('before anyone read: a ClientAbortError caused by the stream’s error', async () => {
    const stream = nodeStream(false);
    stream.push(Buffer.from('{"title":'));
    const cause = new Error('reset');
    // Let the stream's own error and close events pass, as they would before a route reads.
    stream.on('error', () => {});
    stream.destroy(cause);
    await new Promise((resolve) => stream.once('close', resolve));
    stream.removeAllListeners('error');
    await expect(settled(readJsonBody(jsonRequest(), 100, stream))).rejects.toMatchObject({ name: 'ClientAbortError', cause });
  });
});

describe('a stream that ended or closed before anyone read it', () => {
  it('ended, with nothing in it: an empty body, which is not JSON', async () => {
    const stream: NodeBodySource = new Readable({ read() {}, autoDestroy: false });
    stream.push(null);
    stream.resume();
    await new Promise((resolve) => stream.once('end', resolve));
    expect(await settled(readJsonBody(jsonRequest(), 100, stream))).toEqual({
      ok: false,
      failure: { kind: 'bad-request', detail: 'The request body is not valid JSON: Unexpected end of JSON input' },
    });
  });

  it('ended and closed: the same, not an abort', async () => {
    const stream = nodeStream();
    stream.push(null);
    stream.resume();
    await new Promise((resolve) => stream.once('close', resolve));
    expect(stream.readableEnded && stream.destroyed).toBe(true);
    expect(await settled(readJsonBody(jsonRequest(), 100, stream))).toMatchObject({ ok: false, failure: { kind: 'bad-request' } });
  });

  it('closed with the whole message received and the body still buffered: the body is the request', async () => {
    const stream = nodeStream(true);
    stream.push(Buffer.from('{"title":'));
    stream.push(Buffer.from('"T"}'));
    stream.destroy();
    expect(await settled(readJsonBody(jsonRequest(), 100, stream))).toEqual({ ok: true, value: { title: 'T' } });
    expect(listeners(stream)).toEqual([0, 0, 0, 0]);
  });

  it('closed with the whole message received and more buffered than the limit: too large', async () => {
    const stream = nodeStream(true);
    stream.push(Buffer.from(`"${'x'.repeat(120)}"`));
    stream.destroy();
    expect(await settled(readJsonBody(jsonRequest(), 100, stream))).toEqual({ ok: false, failure: { kind: 'payload-too-large', limit: 100 } });
  });

  it('closed before the whole message arrived, with a part buffered: an abort, not a body', async () => {
    const stream = nodeStream(false);
    stream.push(Buffer.from('{"title":"T"}'));
    stream.destroy();
    await expect(settled(readJsonBody(jsonRequest(), 100, stream))).rejects.toBeInstanceOf(ClientAbortError);
  });
});

describe('a body read from the web stream', () => {
  it('over the limit: cancels the stream, saying why', async () => {
    let reason: unknown = null;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode('x'.repeat(60))),
      cancel: (why) => {
        reason = why;
      },
    });
    expect(await settled(readJsonBody(jsonRequest({}, body), 100))).toEqual({ ok: false, failure: { kind: 'payload-too-large', limit: 100 } });
    expect(reason).toBe('body over the limit');
  });
});
