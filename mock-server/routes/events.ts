/**
 * The event stream (`GET /api/events`, docs/protocol.md §1.7) and presence (§1.8,
 * src/protocol/presence.ts): a tab that opens the stream with its client id gets a presence token
 * as the stream's first event, and is present, under that token, until the stream closes.
 */
import type { ServerResponse } from 'node:http';
import { Hono } from 'hono';
import type { PresenceTokenEvent } from '../../src/protocol/presence.ts';
import { namedFrame } from '../events.ts';
import { bodyProblem, clientIdProblem, EXPOSE_HEADERS, methodNotAllowed, noContent, problem } from '../responses.ts';
import { TOKEN, validatePresenceRequest } from '../simulation.ts';
import { validBody, type ServerParts } from './context.ts';

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  // Reverse proxies (nginx) otherwise hold events back in a buffer.
  'X-Accel-Buffering': 'no',
  ...EXPOSE_HEADERS,
} as const;

/** The Node response behind a request on @hono/node-server; undefined elsewhere. */
function nodeResponse(env: unknown): ServerResponse | undefined {
  return (env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** Routes under `/api`. */
export function eventRoutes({ events, presence, settings }: ServerParts): Hono {
  const api = new Hono();

  api.get('/events', (c) => {
    const client = c.req.query('client') ?? null;
    if (client !== null && !TOKEN.test(client)) return clientIdProblem();
    // HEAD gets the headers a GET would, and no stream: nothing subscribes, nobody becomes present.
    if (c.req.method === 'HEAD') return new Response(null, { headers: STREAM_HEADERS });
    const tab = client === null ? null : presence.attach(client);
    const outgoing = nodeResponse(c.env);
    const token: PresenceTokenEvent | null = tab && { token: tab.token };
    const stream = events.subscribe(c.req.header('last-event-id') ?? null, {
      initialFrames: [
        ...(token ? [namedFrame('presence-token', token)] : []),
        // Who is here now, so a new tab does not wait for the next change to know.
        namedFrame('presence', presence.snapshot()),
      ],
      ...(tab && { onClose: tab.leave }),
      // A reader too far behind loses its connection, and resumes with Last-Event-ID.
      ...(outgoing && { onOverflow: () => outgoing.destroy() }),
    });
    return new Response(stream, { headers: STREAM_HEADERS });
  });
  api.all('/events', methodNotAllowed('GET, HEAD'));

  api.put('/presence/:clientId', async (c) => {
    const clientId = c.req.param('clientId');
    if (!TOKEN.test(clientId)) return clientIdProblem();
    const request = await validBody(c, settings, validatePresenceRequest);
    if (!request.ok) return bodyProblem(request.failure);
    const { token, ...announcement } = request.value;
    if (!presence.announce(clientId, token, announcement)) {
      return problem(
        403,
        'stale-presence-token',
        `The token is not that of an open event stream of ${clientId}: open GET /api/events?client=${clientId} and send the token of its first event.`,
      );
    }
    return noContent();
  });
  api.all('/presence/:clientId', methodNotAllowed('PUT'));

  return api;
}
