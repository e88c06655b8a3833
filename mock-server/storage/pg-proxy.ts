/**
 * For the PostgreSQL tests: a TCP proxy on loopback between a store and a real PostgreSQL server,
 * which reads the client's side of the wire protocol as it passes. It tells how many connections
 * were opened and which statements were run on them, in order (a counting assertion: how many
 * round trips a write costs), and it can cut every connection at once, as a network that drops
 * does: the client sees its socket end with no error message from the server. It can also hold
 * back the server's replies on one connection, as a network that stalls: the statement runs, and
 * its client hears of it only when the replies are let through, all at once, or never. It can answer
 * a statement itself with an error, as a server would, in place of the server, and it can reset
 * every connection, as a network that resets does.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface PgProxy {
  /** The connection string to give the store: the server's, with the proxy's port. */
  url: string;
  /** Connections opened through the proxy so far. */
  connections(): number;
  /**
   * The statements run so far, in order, each by its prepared statement's name when it has one
   * (`save-on-one-tag`), else by its text (`BEGIN`). Connections that LISTEN (a store's change
   * feed, which reads on its own schedule) are left out.
   */
  statements(): string[];
  /** Statements that were parsed (prepared) on the server, by the same names and with the same exception. */
  parsed(): string[];
  /** Forgets what statements() and parsed() hold. */
  clear(): void;
  /**
   * Holds back the server's replies on the connection that next runs `statement` (named as
   * statements() names it, or by its first word), from that statement's own reply on.
   */
  holdReplies(statement: string): void;
  /** Whether the server has ended a connection whose replies are held back. */
  serverEnded(): boolean;
  /** Lets the held replies through in one piece, and the server's end after them if it came. */
  release(): void;
  /** Ends every connection: the client's side with a FIN, the server's side at once; held replies are lost. */
  cut(): void;
  /** Ends every connection with a reset (an RST to the client, which reads ECONNRESET); held replies are lost. */
  reset(): void;
  /**
   * Answers the next run of `statement` (named as holdReplies names it) with an ErrorResponse of
   * SQLSTATE `code` and a ReadyForQuery, as the server answers a statement that fails outside a
   * transaction; the statement never reaches the server.
   */
  failNext(statement: string, code: string, message: string): void;
  close(): Promise<void>;
}

/** The frontend messages of the protocol (PostgreSQL's "Message Formats") that this reads. */
const QUERY = 0x51; // 'Q': a simple query, its text
const PARSE = 0x50; // 'P': statement name, text, parameter types
const BIND = 0x42; // 'B': portal name, statement name, ...
const EXECUTE = 0x45; // 'E': portal name, row limit

/** The backend's ErrorResponse ('E', with severity, SQLSTATE and message) and ReadyForQuery ('Z', idle). */
function errorAnswer(code: string, message: string): Buffer {
  const fields = Buffer.from(`SERROR\0VERROR\0C${code}\0M${message}\0\0`, 'utf8');
  const error = Buffer.alloc(5);
  error.write('E', 0);
  error.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([error, fields, Buffer.from([0x5a, 0, 0, 0, 5, 0x49])]);
}

function cString(buffer: Buffer, at: number): [string, number] {
  const end = buffer.indexOf(0, at);
  return [buffer.toString('utf8', at, end), end + 1];
}

export async function startPgProxy(target: string): Promise<PgProxy> {
  const upstream = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let opened = 0;
  /** The statement whose connection is to be held next, and the connections held. */
  let holdNext: string | null = null;
  /** The statement to answer with an error next, and the error. */
  let failing: { statement: string; code: string; message: string } | null = null;
  const held = new Set<{ chunks: Buffer[]; ended: boolean; deliver: () => void }>();
  // Each statement with the connection it was run on.
  let run: Array<[number, string]> = [];
  let prepared: Array<[number, string]> = [];
  const listening = new Set<number>();
  const of = (list: Array<[number, string]>) => list.filter(([connection]) => !listening.has(connection)).map(([, name]) => name);

  const server: Server = createServer((client) => {
    const connection = ++opened;
    const backend = connect(Number(upstream.port || 5432), upstream.hostname);
    const pair: [Socket, Socket] = [client, backend];
    pairs.add(pair);
    const forget = () => pairs.delete(pair);
    client.on('close', forget);
    client.on('error', () => backend.destroy());
    backend.on('error', () => client.destroy());
    let holding: { chunks: Buffer[]; ended: boolean; deliver: () => void } | null = null;
    backend.on('close', () => {
      if (holding) holding.ended = true;
      else client.end();
    });
    client.on('end', () => backend.end());
    backend.pipe(client);
    const hold = () => {
      backend.unpipe(client);
      const state = {
        chunks: [] as Buffer[],
        ended: false,
        deliver: () => {
          holding = null;
          client.write(Buffer.concat(state.chunks));
          if (state.ended) client.end();
          else backend.on('data', (chunk: Buffer) => client.write(chunk));
        },
      };
      backend.on('data', (chunk: Buffer) => {
        if (holding === state) state.chunks.push(chunk);
      });
      // Unpiped, the socket stopped reading: it reads on, into the held chunks.
      backend.resume();
      holding = state;
      held.add(state);
    };

    // Per connection: the text of each prepared statement, and which one the last Bind named.
    const texts = new Map<string, string>();
    let bound = '';
    let started = false;
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      const answer = read(chunk);
      if (answer) client.write(answer);
      else backend.write(chunk);
    });
    /** Reads the messages `chunk` completes; the proxy's own answer when it answers them itself. */
    const read = (chunk: Buffer): Buffer | null => {
      let answer: Buffer | null = null;
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        // The startup message has no type byte: an int32 length, then its body.
        const head = started ? 5 : 4;
        if (pending.length < head) return answer;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) return answer;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        if (!started) {
          started = true;
          continue;
        }
        const type = message[0];
        const ran = run.length;
        if (type === QUERY) {
          const [text] = cString(message, 5);
          if (/^LISTEN /i.test(text)) listening.add(connection);
          run.push([connection, text]);
        } else if (type === PARSE) {
          const [name, next] = cString(message, 5);
          const [text] = cString(message, next);
          texts.set(name, text);
          prepared.push([connection, name || text]);
        } else if (type === BIND) {
          const [, next] = cString(message, 5);
          bound = cString(message, next)[0];
        } else if (type === EXECUTE) {
          run.push([connection, bound || (texts.get('') ?? '')]);
        }
        const statement = run.length > ran ? run[run.length - 1]?.[1] : undefined;
        const named = (name: string) => statement !== undefined && (statement === name || statement.trim().split(/\s/)[0] === name);
        if (failing !== null && named(failing.statement)) {
          answer = errorAnswer(failing.code, failing.message);
          failing = null;
        }
        // Its reply has not come yet: it comes in a later turn of the event loop.
        if (holdNext !== null && named(holdNext)) {
          holdNext = null;
          hold();
        }
      }
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(typeof address === 'object' && address ? address.port : 0);

  return {
    url: url.toString(),
    connections: () => opened,
    statements: () => of(run),
    parsed: () => of(prepared),
    clear: () => {
      run = [];
      prepared = [];
    },
    holdReplies: (statement) => {
      holdNext = statement;
    },
    serverEnded: () => [...held].some((state) => state.ended),
    release: () => {
      for (const state of held) state.deliver();
      held.clear();
    },
    cut: () => {
      held.clear();
      for (const [client, backend] of pairs) {
        backend.destroy();
        client.end();
      }
      pairs.clear();
    },
    reset: () => {
      held.clear();
      for (const [client, backend] of pairs) {
        backend.destroy();
        client.resetAndDestroy();
      }
      pairs.clear();
    },
    failNext: (statement, code, message) => {
      failing = { statement, code, message };
    },
    close: async () => {
      for (const [client, backend] of pairs) {
        backend.destroy();
        client.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
