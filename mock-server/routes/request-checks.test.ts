/**
 * The checks of the lock, hand-over, transition, concurrency and outcome bodies, as functions: every
 * field a body gets wrong is named with the words the client shows, and a good body comes back as
 * sent. Over HTTP, lock-handover.test.ts, concurrency-modes.test.ts and stats-api.test.ts show that a
 * refused body changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { BodyResult } from '../request-body.ts';
import { validateConcurrencyRequest, validateHandOver, validateLockRequest, validateTransition } from './concurrency.ts';
import { validateOutcomeReport } from './stats.ts';

/** The field errors of a refused body. */
function errorsOf<T>(result: BodyResult<T>): Array<{ field: string; message: string }> {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  if (result.failure.kind !== 'validation-failed') throw new Error(`expected validation-failed, got ${result.failure.kind}`);
  return result.failure.errors;
}

const NOT_AN_OBJECT = [null, [], 'text', 5, true];

describe('a lock request', () => {
  const LEASE = { field: 'seconds', message: 'A lease lasts a whole number of seconds from 5 to 600.' };
  const FORCE = { field: 'force', message: "force is true (break another user's lock) or false." };

  it('defaults to a minute without force, and takes the bounds of a lease', () => {
    expect(validateLockRequest({})).toEqual({ ok: true, value: { seconds: 60, force: false } });
    expect(validateLockRequest({ seconds: 5, force: true })).toEqual({ ok: true, value: { seconds: 5, force: true } });
    expect(validateLockRequest({ seconds: 600 })).toEqual({ ok: true, value: { seconds: 600, force: false } });
  });

  it.each(NOT_AN_OBJECT)('refuses %j as a body', (body) => {
    expect(errorsOf(validateLockRequest(body))).toEqual([{ field: '', message: 'The body must be a JSON object (seconds, force).' }]);
  });

  it.each([4, 601, 30.5, '60', null])('refuses a lease of %j seconds', (seconds) => {
    expect(errorsOf(validateLockRequest({ seconds }))).toEqual([LEASE]);
  });

  it('refuses a force that is not a boolean, and names every wrong field at once', () => {
    expect(errorsOf(validateLockRequest({ force: 'yes' }))).toEqual([FORCE]);
    expect(errorsOf(validateLockRequest({ seconds: 1, force: 1, minutes: 2 }))).toEqual([
      { field: 'minutes', message: '"minutes" is not a field here; use "seconds", "force".' },
      LEASE,
      FORCE,
    ]);
  });
});

describe('a hand-over', () => {
  const TO = { field: 'to', message: '"to" names the person who asked to take over.' };

  it('names who it goes to, trimmed', () => {
    expect(validateHandOver({ to: '  Bob ' })).toEqual({ ok: true, value: { to: 'Bob' } });
  });

  it.each(NOT_AN_OBJECT)('refuses %j as a body', (body) => {
    expect(errorsOf(validateHandOver(body))).toEqual([{ field: '', message: 'The body must be a JSON object with "to" (who asked to take over).' }]);
  });

  it.each([{}, { to: '' }, { to: '   ' }, { to: 7 }])('refuses %j', (body) => {
    expect(errorsOf(validateHandOver(body))).toEqual([TO]);
  });

  it('refuses an unknown field beside a good name', () => {
    expect(errorsOf(validateHandOver({ to: 'Bob', from: 'Ana' }))).toEqual([{ field: 'from', message: '"from" is not a field here; use "to".' }]);
  });
});

describe('a transition', () => {
  it.each(['draft', 'published', 'archived'] as const)('takes %s', (to) => {
    expect(validateTransition({ to })).toEqual({ ok: true, value: { to } });
  });

  it.each(NOT_AN_OBJECT)('refuses %j as a body', (body) => {
    expect(errorsOf(validateTransition(body))).toEqual([{ field: '', message: 'The body must be a JSON object with "to".' }]);
  });

  it('refuses a state that is not one, and an unknown field', () => {
    expect(errorsOf(validateTransition({ to: 'deleted' }))).toEqual([{ field: 'to', message: '"to" is one of draft, published, archived.' }]);
    expect(errorsOf(validateTransition({ to: 'draft', why: 'x' }))).toEqual([{ field: 'why', message: '"why" is not a field here; use "to".' }]);
  });
});

describe('a document mode', () => {
  it('is one of the modes, or null to follow the server', () => {
    expect(validateConcurrencyRequest({ concurrency: 'lock' })).toEqual({ ok: true, value: { concurrency: 'lock' } });
    expect(validateConcurrencyRequest({ concurrency: null })).toEqual({ ok: true, value: { concurrency: null } });
  });

  it.each(NOT_AN_OBJECT)('refuses %j as a body', (body) => {
    expect(errorsOf(validateConcurrencyRequest(body))).toEqual([{ field: '', message: 'The body must be a JSON object with "concurrency".' }]);
  });

  it.each([{}, { concurrency: 'optimistic' }, { concurrency: 1 }])('refuses %j', (body) => {
    expect(errorsOf(validateConcurrencyRequest(body))).toEqual([
      { field: 'concurrency', message: '"concurrency" is one of none, timestamp, etag, lock, server-merge, or null to follow the server.' },
    ]);
  });

  it('refuses an unknown field beside a good mode', () => {
    expect(errorsOf(validateConcurrencyRequest({ concurrency: 'etag', mode: 'etag' }))).toEqual([
      { field: 'mode', message: '"mode" is not a field here; use "concurrency".' },
    ]);
  });
});

describe('an outcome report', () => {
  const DOC_ID = { field: 'docId', message: 'Say which document the conflict was on (its id, 1 to 200 characters).' };
  const OUTCOME = { field: 'outcome', message: 'The outcome is "discard" or "cancel".' };

  it('takes a discard or a cancel on a document id of up to 200 characters', () => {
    expect(validateOutcomeReport({ docId: 'd_1', outcome: 'discard' })).toEqual({ ok: true, value: { docId: 'd_1', outcome: 'discard' } });
    const longest = '🙂'.repeat(200);
    expect(validateOutcomeReport({ docId: longest, outcome: 'cancel' })).toEqual({ ok: true, value: { docId: longest, outcome: 'cancel' } });
  });

  it.each(NOT_AN_OBJECT)('refuses %j as a body', (body) => {
    expect(errorsOf(validateOutcomeReport(body))).toEqual([{ field: '', message: 'The body must be a JSON object with docId and outcome.' }]);
  });

  it('refuses a missing, empty or too long id, and an unknown outcome', () => {
    expect(errorsOf(validateOutcomeReport({ outcome: 'cancel' }))).toEqual([DOC_ID]);
    expect(errorsOf(validateOutcomeReport({ docId: '', outcome: 'cancel' }))).toEqual([DOC_ID]);
    expect(errorsOf(validateOutcomeReport({ docId: 'x'.repeat(201), outcome: 'cancel' }))).toEqual([DOC_ID]);
    expect(errorsOf(validateOutcomeReport({ docId: 'd_1' }))).toEqual([OUTCOME]);
    expect(errorsOf(validateOutcomeReport({ docId: 'd_1', outcome: 'ignore' }))).toEqual([OUTCOME]);
  });

  it('sends a merge or an overwrite to the save that carries it', () => {
    expect(errorsOf(validateOutcomeReport({ docId: 'd_1', outcome: 'merge' }))).toEqual([
      { field: 'outcome', message: 'A merge is counted from the save that carries it: send Conflict-Resolution: merge on that PUT.' },
    ]);
    expect(errorsOf(validateOutcomeReport({ docId: 'd_1', outcome: 'overwrite' }))).toEqual([
      { field: 'outcome', message: 'An overwrite is counted from the save that carries it: send Conflict-Resolution: overwrite on that PUT.' },
    ]);
  });

  it('names an unknown field, and every wrong field at once', () => {
    expect(errorsOf(validateOutcomeReport({ docId: 7, outcome: 'x', user: 'Ana' }))).toEqual([
      { field: 'user', message: '"user" is not part of an outcome report; send docId and outcome.' },
      DOC_ID,
      OUTCOME,
    ]);
  });
});
