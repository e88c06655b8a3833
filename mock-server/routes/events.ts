/**
 * The event stream (`GET /api/events`, docs/protocol.md §1.7) and presence (§1.8,
 * src/protocol/presence.ts): a tab that opens the stream with its client id is present until the
 * stream closes.
 */
import { Hono } from 'hono';
import { namedFrame } from '../events.ts';
import { bodyProblem, clientIdProblem, EXPOSE_HEADERS, methodNotAllowed, noContent } from '../responses.ts';
import { TOKEN, validatePresenceRequest } from '../simulation.ts';
import { validBody, type ServerParts } from './context.ts';

/** Routes under `/api`. */
export function eventRoutes({ events, presence, settings }: ServerParts): Hono {
  const api = new Hono();

  api.get('/events', (c) => {
    const client = c.req.query('client') ?? null;
    if (client !== null && !TOKEN.test(client)) return clientIdProblem();
    const leave = client === null ? undefined : presence.attach(client);
    const stream = events.subscribe(c.req.header('last-event-id') ?? null, {
      // Who is here now, so a new tab does not wait for the next change to know.
      initialFrames: [namedFrame('presence', presence.snapshot())],
      ...(leave && { onClose: leave }),
    });
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        // Reverse proxies (nginx) otherwise hold events back in a buffer.
        'X-Accel-Buffering': 'no',
        ...EXPOSE_HEADERS,
      },
    });
  });
  api.all('/events', methodNotAllowed('GET, HEAD'));

  api.put('/presence/:clientId', async (c) => {
    const clientId = c.req.param('clientId');
    if (!TOKEN.test(clientId)) return clientIdProblem();
    const request = await validBody(c, settings, validatePresenceRequest);
    if (!request.ok) return bodyProblem(request.failure);
    presence.announce(clientId, request.value);
    return noContent();
  });
  api.all('/presence/:clientId', methodNotAllowed('PUT'));

  return api;
}
