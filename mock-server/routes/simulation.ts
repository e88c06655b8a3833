/**
 * The simulation API (docs/protocol.md §1.8, src/protocol/simulation.ts): demo controls, not part
 * of the document protocol. Settings, the bot, the reset to the sample documents, and scripted scenarios.
 */
import { Hono } from 'hono';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { scenarioNames, type ScenarioName, type ScenarioResult, type SimulationState } from '../../src/protocol/simulation.ts';
import { bodyProblem, jsonResponse, methodNotAllowed, problem } from '../responses.ts';
import { editOtherParagraph, editSameLine, validateBotRequest, validateScenarioRequest, validateSettingsPatch } from '../simulation.ts';
import type { ConcurrencyEvent } from '../../src/protocol/concurrency.ts';
import { lostUpdateCount } from '../concurrency/documents.ts';
import { actingUser, liveRevision, validBody, type ServerParts } from './context.ts';

/** Routes under `/api`. */
export function simulationRoutes({ store, settings, bot, locks, documentModes, events }: ServerParts): Hono {
  const api = new Hono();

  const simulationState = async (): Promise<SimulationState> => ({
    conflictStatus: settings.conflictStatus,
    latencyMs: settings.latencyMs,
    jitterMs: settings.jitterMs,
    concurrency: settings.concurrency,
    documentConcurrency: Object.fromEntries(documentModes),
    lostUpdates: await lostUpdateCount(store),
    bot: bot.current,
  });

  api.get('/simulation', async () => jsonResponse(await simulationState()));
  api.patch('/simulation', async (c) => {
    const patch = await validBody(c, settings, validateSettingsPatch);
    if (!patch.ok) return bodyProblem(patch.failure);
    const before = settings.concurrency;
    Object.assign(settings, patch.value);
    if (settings.concurrency !== before) {
      // Every document without a mode of its own now follows the new one (docs/protocol.md §1.11).
      const event: ConcurrencyEvent = { docId: null, concurrency: settings.concurrency, own: null };
      events.broadcastNamed('concurrency', event);
    }
    return jsonResponse(await simulationState());
  });
  api.all('/simulation', methodNotAllowed('GET, HEAD, PATCH'));

  api.put('/simulation/bot', async (c) => {
    const request = await validBody(c, settings, validateBotRequest);
    if (!request.ok) return bodyProblem(request.failure);
    const target = await liveRevision(store, request.value.docId);
    if (target instanceof Response) return target;
    bot.start(request.value);
    return jsonResponse(await simulationState());
  });
  api.delete('/simulation/bot', async () => {
    bot.stop();
    return jsonResponse(await simulationState());
  });
  api.all('/simulation/bot', methodNotAllowed('PUT, DELETE'));

  api.post('/simulation/reset', async (c) => {
    bot.stop();
    locks.clear();
    documentModes.clear();
    const user = actingUser(c);
    return jsonResponse({ docs: await store.resetToSamples(user) });
  });
  api.all('/simulation/reset', methodNotAllowed('POST'));

  api.post('/docs/:id/scenarios/:name', async (c) => {
    const id = c.req.param('id');
    const name = c.req.param('name');
    if (!(scenarioNames as readonly string[]).includes(name)) {
      return problem(422, 'validation-failed', `There is no scenario "${name}"; the scenarios are ${scenarioNames.join(', ')}.`, {
        errors: [{ field: 'name', message: `Use one of ${scenarioNames.join(', ')}.` }],
      });
    }
    const request = await validBody(c, settings, validateScenarioRequest, { optional: true });
    if (!request.ok) return bodyProblem(request.failure);
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const { document, etag } = current;
    const { user, line } = request.value;
    const scenario = name as ScenarioName;
    // The scenario acts like any client: it names the version it read in If-Match.
    if (scenario === 'delete') {
      await store.remove(id, parseEntityTagCondition(etag), user);
      const result: ScenarioResult = { scenario, document: null, etag: null };
      return jsonResponse(result);
    }
    const content = scenario === 'same-line' ? editSameLine(document.content, line, user) : editOtherParagraph(document.content, line, user);
    const saved = await store.update(id, { title: document.title, content }, parseEntityTagCondition(etag), user);
    // Stryker disable next-line StringLiteral: a text for the server log only (the client gets internal-error), reached only when a save lands between the scenario's read and its own.
    if (saved.kind !== 'updated') throw new Error(`The ${scenario} scenario could not save: ${saved.kind}`);
    const result: ScenarioResult = { scenario, document: saved.revision.document, etag: saved.revision.etag };
    return jsonResponse(result);
  });
  api.all('/docs/:id/scenarios/:name', methodNotAllowed('POST'));

  return api;
}
