/**
 * Many clients adding 1 to one counter document at once over HTTP, as read-modify-write saves,
 * for the test and the benchmark of several servers on one database. Each writer behaves as a
 * careful client does: it saves with `If-Match`, and on a 409 goes on from the conflict's own
 * answer (the current text and its ETag, docs/protocol.md §1.5: no extra GET) after a random pause
 * that grows with each conflict in a row ("full jitter": anywhere between 0 and a limit that
 * doubles, up to a cap). Without the pause every writer that lost retries at once and loses again
 * to the next save; with it, the writers spread out and most retries find the tag current.
 */

export interface CounterWritersOptions {
  /** The servers to save through: writer w's n-th attempt goes to servers[(w + n) % length]. */
  servers: readonly string[];
  /** The counter document, its title (a save sends it unchanged), and where the writers start. */
  id: string;
  title: string;
  etag: string;
  content: string;
  writers: number;
  /** Increments per writer. */
  increments: number;
  /** The pause after the first conflict in a row is up to this (ms); it doubles with each one more. */
  firstPauseMs?: number;
  /** The longest pause (ms). */
  maxPauseMs?: number;
  user?: string;
}

export interface CounterWritersResult {
  /** Every PUT sent, the saved and the refused. */
  requests: number;
  /** The 409 answers among them. */
  conflicts: number;
  ms: number;
}

interface SaveAnswer {
  content: string;
  current: { content: string };
  currentEtag: string;
}

/** Runs the writers to the end; any answer but 200 or 409 stops them with an error. */
export async function runCounterWriters(options: CounterWritersOptions): Promise<CounterWritersResult> {
  const { servers, id, title, writers, increments, firstPauseMs = 4, maxPauseMs = 1000, user = 'anonymous' } = options;
  let requests = 0;
  let conflicts = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let { etag, content } = options;
      for (let done = 0, turn = 0, streak = 0; done < increments; turn++) {
        const base = servers[(w + turn) % servers.length];
        const saved = await fetch(`${base}/api/docs/${encodeURIComponent(id)}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': user },
          body: JSON.stringify({ title, content: String(Number(content) + 1) }),
        });
        requests += 1;
        if (saved.status !== 200 && saved.status !== 409) throw new Error(`A save answered ${saved.status}: ${await saved.text()}`);
        const body = (await saved.json()) as SaveAnswer;
        if (saved.status === 200) {
          done += 1;
          streak = 0;
          etag = saved.headers.get('etag') ?? '';
          content = body.content;
          continue;
        }
        conflicts += 1;
        etag = body.currentEtag;
        content = body.current.content;
        streak += 1;
        const limit = Math.min(firstPauseMs * 2 ** (streak - 1), maxPauseMs);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * limit));
      }
    }),
  );
  return { requests, conflicts, ms: performance.now() - started };
}
