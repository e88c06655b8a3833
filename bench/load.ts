/**
 * What the server benchmarks share: a server in a child process, documents to save, and
 * autocannon's loop of conditional PUTs, each naming its document's current tag.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { Document } from '../src/protocol/types.ts';

/** A document made for a benchmark, with its current tag. */
export interface Seeded {
  id: string;
  etag: string;
  title: string;
}

/**
 * Runs `script --serve ...args` in a child process (Node with tsx as a loader) and resolves with
 * its URL once it prints `PORT n`. The child is killed when this process exits, even on failure.
 */
export function launchServer(script: string, args: string[]): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--serve', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill());
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (part: string) => {
      out += part;
      const port = /PORT (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, base: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`${args[0] ?? 'the'} server exited (${code}) before listening`)));
  });
}

/** `count` documents of about 600 bytes, created one after another. */
export async function seedDocuments(base: string, count: number): Promise<Seeded[]> {
  const docs: Seeded[] = [];
  for (let i = 0; i < count; i++) {
    const title = `Bench ${i} ${Math.random().toString(36).slice(2)}`;
    const response = await fetch(`${base}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': 'bench' },
      body: JSON.stringify({ title, content: 'A paragraph of text to save. '.repeat(20) }),
    });
    if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`);
    const doc = (await response.json()) as Document;
    docs.push({ id: doc.id, etag: response.headers.get('etag') ?? '', title });
  }
  return docs;
}

export function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * Conditional PUTs for `durationS` seconds. Documents are free to save, each with its current
 * tag: a connection takes one per request and puts it back with the tag from the answer, so every
 * If-Match names the current version, no save is a conflict, and none is waved through by `*`.
 * Needs at least as many documents as connections; any answer but 200 stops the run.
 */
export function conditionalPuts(base: string, docs: Seeded[], connections: number, durationS: number): Promise<autocannon.Result> {
  const free = docs.map((d) => ({ ...d }));
  const body = JSON.stringify({ content: 'An edited paragraph of text. '.repeat(20) });
  return cannon({
    url: base,
    connections,
    duration: durationS,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request) => {
          const doc = free.shift();
          if (!doc) throw new Error('more connections than documents');
          return {
            ...request,
            path: `/api/docs/${doc.id}`,
            headers: { 'Content-Type': 'application/json', 'If-Match': doc.etag, 'X-User': 'bench' },
            body: `{"title":${JSON.stringify(doc.title)},${body.slice(1)}`,
          };
        },
        onResponse: (status, responseBody, _context, headers) => {
          const doc = JSON.parse(responseBody) as Partial<Document>;
          const etag = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'etag')?.[1];
          const match = docs.find((d) => d.id === doc.id);
          if (status !== 200 || !match || typeof etag !== 'string') throw new Error(`PUT answered ${status}: ${responseBody}`);
          free.push({ ...match, etag });
        },
      },
    ],
  });
}
