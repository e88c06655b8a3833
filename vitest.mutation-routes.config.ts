import { serverMutationConfig } from './vitest.mutation-server.config.ts';

// The routes' mutation tests (`npm run test:mutation -- server-routes`): the server's HTTP suites
// on the embedded engine. Left out: the load tests (lost-updates, two-instances, crash), the
// tests of servers in child processes (persistence's CLI, settings' entry points,
// modes-two-servers) and the store's own suites, which reach no route.
export default serverMutationConfig({
  postgres: false,
  include: [
    'mock-server/answers-and-bodies.test.ts',
    'mock-server/app-edges.test.ts',
    'mock-server/app-options.test.ts',
    'mock-server/api.test.ts',
    'mock-server/bad-input.test.ts',
    'mock-server/concurrency-modes.test.ts',
    'mock-server/concurrency/*.test.ts',
    'mock-server/routes/*.test.ts',
    'mock-server/event-hub.test.ts',
    'mock-server/events-shared.test.ts',
    'mock-server/events.test.ts',
    'mock-server/event-order.test.ts',
    'mock-server/hostile-requests.test.ts',
    'mock-server/idempotency.test.ts',
    'mock-server/idempotency-keys.test.ts',
    'mock-server/keyed-writes.test.ts',
    'mock-server/lab-race.test.ts',
    'mock-server/lock-handover.test.ts',
    'mock-server/logs.test.ts',
    'mock-server/lost-update-events.test.ts',
    'mock-server/prototype-keys.test.ts',
    'mock-server/request-body-stream.test.ts',
    'mock-server/request-log.test.ts',
    'mock-server/reset-deletions.test.ts',
    'mock-server/revision-pages.test.ts',
    'mock-server/server-merge.test.ts',
    'mock-server/simulation-api.test.ts',
    'mock-server/slow-streams.test.ts',
    'mock-server/static-app.test.ts',
    'mock-server/stats-api.test.ts',
    'mock-server/user-names.test.ts',
    'mock-server/storage/full-disk.test.ts',
  ],
});
