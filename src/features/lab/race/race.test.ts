import { describe, expect, it } from 'vitest';
import type { Exchange, ModeRun } from './record.ts';
import { applyEdit, containsEdit, raceScript, saveHeaders, type Racer } from './script.ts';
import { formatOffset, timelineRows } from './timeline.ts';
import { raceVerdict } from './verdict.ts';

const READ = { etag: '"v1"', lastModified: 'Mon, 30 Nov 2026 08:30:05 GMT', updatedAt: '2026-11-30T08:30:05.120Z' };

describe('the race script', () => {
  it('times the saves as each timing says', () => {
    expect(raceScript({ timing: 'same-second', thirdUser: false })).toMatchObject({ saveDelays: [null, null], together: false });
    expect(raceScript({ timing: 'two-seconds', thirdUser: true })).toMatchObject({ saveDelays: [2000, 4000, 6000], together: false });
    expect(raceScript({ timing: 'overlapping', thirdUser: true })).toMatchObject({ saveDelays: [0, 0, 0], together: true });
  });

  it('has Alice and Bob edit lines apart, and Carol, when asked, Alice’s line differently', () => {
    const two = raceScript({ timing: 'same-second', thirdUser: false });
    expect(two.racers.map((r) => r.name)).toEqual(['Alice', 'Bob']);
    const [alice, bob, carol] = raceScript({ timing: 'same-second', thirdUser: true }).racers as [Racer, Racer, Racer];
    const lines = two.base.split('\n');
    // An unchanged line between Alice's and Bob's lines: a line merge keeps both.
    expect(lines.indexOf(bob.line) - lines.indexOf(alice.line)).toBeGreaterThan(1);
    expect(carol.line).toBe(alice.line);
    expect(carol.edited).not.toBe(alice.edited);
  });

  it('applies an edit to its line only, and tells whether a text has it', () => {
    const { base, racers } = raceScript({ timing: 'same-second', thirdUser: true });
    const [alice, bob, carol] = racers as [Racer, Racer, Racer];
    const aliceText = applyEdit(base, alice);
    expect(aliceText).toBe(base.replace('8:15', '8:00'));
    expect(containsEdit(aliceText, alice)).toBe(true);
    expect(containsEdit(aliceText, bob)).toBe(false);
    expect(containsEdit(base, alice)).toBe(false);
    // Carol's line is gone from Alice's text: her edit is added, not lost.
    expect(applyEdit(aliceText, carol)).toBe(`${aliceText}${carol.edited}\n`);
    expect(applyEdit('no newline', carol)).toBe(`no newline\n${carol.edited}\n`);
  });

  it('sends the condition each mode asks for', () => {
    expect(saveHeaders('none', READ)).toEqual({ 'X-Based-On': '"v1"' });
    expect(saveHeaders('timestamp', READ)).toEqual({ 'If-Unmodified-Since': READ.lastModified, 'X-Based-On': '"v1"' });
    // Without the header, the date it carries is the version's own, cut to the second.
    expect(saveHeaders('timestamp', { ...READ, lastModified: null })).toEqual({ 'If-Unmodified-Since': READ.lastModified, 'X-Based-On': '"v1"' });
    for (const mode of ['etag', 'lock', 'server-merge'] as const) expect(saveHeaders(mode, READ)).toEqual({ 'If-Match': '"v1"' });
  });
});

function exchange(part: Partial<Exchange> & Pick<Exchange, 'actor' | 'step'>): Exchange {
  return {
    method: part.step === 'read' || part.step === 'final' ? 'GET' : 'PUT',
    path: '/api/docs/d_1',
    conditions: [],
    startedAt: 0,
    endedAt: 5,
    status: 200,
    version: null,
    etag: null,
    lastModified: null,
    overwrote: [],
    mergedFrom: null,
    problem: null,
    failure: null,
    ...part,
  };
}

const script = raceScript({ timing: 'same-second', thirdUser: true });
const [alice, bob] = script.racers as [Racer, Racer, Racer];
const conflict = { type: '/problems/edit-conflict', title: 'Edit conflict', detail: 'Alice saved version 2 after the version 1 you edited.', holder: null };
const locked = { type: '/problems/resource-locked', title: 'Resource locked', detail: 'Alice is editing this document.', holder: 'Alice' };

function run(exchanges: Exchange[], finalText: string | null, lostVersions: number[] = []): ModeRun {
  return {
    mode: 'etag',
    docId: 'd_1',
    title: 'Race',
    exchanges,
    final: finalText === null ? null : { content: finalText, version: 3 },
    lostVersions,
    error: null,
  };
}

describe('the lost-update verdict', () => {
  it('a 200 whose change is not in the final text is a lost update; the one that replaced it is kept', () => {
    const verdict = raceVerdict(
      run(
        [
          exchange({ actor: 'Alice', step: 'save', version: 2 }),
          exchange({ actor: 'Bob', step: 'save', version: 3, overwrote: [2] }),
          exchange({ actor: 'Carol', step: 'save', status: 409, problem: conflict }),
        ],
        applyEdit(script.base, bob),
        [2],
      ),
      script,
    );
    expect(verdict.racers.map((r) => r.fate)).toEqual(['lost', 'kept', 'refused']);
    expect(verdict).toMatchObject({ lostUpdate: true, serverReported: [2], headline: 'Lost update: Alice was told "saved", and the change is gone.' });
  });

  it('says when the server did not notice the loss', () => {
    const verdict = raceVerdict(run([exchange({ actor: 'Alice', step: 'save', version: 2 })], script.base), { ...script, racers: [alice] });
    expect(verdict.headline).toBe('Lost update: Alice was told "saved", and the change is gone (the server did not notice).');
  });

  it('merged and refused saves lose nothing, and the headline says who was which', () => {
    const both = applyEdit(applyEdit(script.base, alice), bob);
    const verdict = raceVerdict(
      run(
        [
          exchange({ actor: 'Alice', step: 'save', version: 2 }),
          exchange({ actor: 'Bob', step: 'save', version: 3, mergedFrom: [1, 2] }),
          exchange({ actor: 'Carol', step: 'save', status: 409, problem: locked }),
        ],
        both,
      ),
      script,
    );
    expect(verdict.racers.map((r) => r.fate)).toEqual(['kept', 'merged', 'refused']);
    expect(verdict.racers[2]?.says).toBe('Carol was refused by the lock and knows to wait.');
    expect(verdict).toMatchObject({ lostUpdate: false, headline: 'No update lost: Bob merged by the server; Carol refused and told.' });
  });

  it('cannot tell without an answer, without a save or without the final text', () => {
    const none = raceVerdict(run([exchange({ actor: 'Alice', step: 'save', status: 0, failure: 'No answer' })], null), { ...script, racers: [alice, bob] });
    expect(none.racers.map((r) => r.fate)).toEqual(['unknown', 'unknown']);
    expect(none).toMatchObject({ lostUpdate: false, headline: 'Could not tell: Alice and Bob got no usable answer.' });
    const unread = raceVerdict(run([exchange({ actor: 'Alice', step: 'save', version: 2 })], null), { ...script, racers: [alice] });
    expect(unread.racers[0]?.fate).toBe('unknown');
    const odd = raceVerdict(run([exchange({ actor: 'Alice', step: 'save', status: 422, problem: { ...conflict, type: '/problems/validation-failed' } })], script.base), { ...script, racers: [alice] });
    expect(odd.racers[0]?.says).toBe("Alice's save failed with 422 validation-failed.");
  });

  it('a run that stopped says why', () => {
    const stopped = { ...run([], null), error: 'the document could not be made.' };
    expect(raceVerdict(stopped, script).headline).toBe('Not run to the end: the document could not be made.');
  });
});

describe('the timeline', () => {
  it('orders rows by when they were sent and says each in plain words, with its conditions and status', () => {
    const rows = timelineRows([
      exchange({ actor: 'Bob', step: 'save', startedAt: 40, status: 409, problem: conflict, conditions: [['If-Match', '"v1"']] }),
      exchange({ actor: 'Lab', step: 'create', startedAt: 0, status: 201, version: 1, conditions: [['If-None-Match', '*']] }),
      exchange({ actor: 'Alice', step: 'read', startedAt: 12, version: 1, lastModified: READ.lastModified }),
      exchange({ actor: 'Alice', step: 'save', startedAt: 30, version: 2, conditions: [['If-Match', '"v1"']] }),
    ]);
    expect(rows.map((r) => [r.at, r.actor, r.status, r.tone])).toEqual([
      ['+0.000 s', 'Lab', '201', 'setup'],
      ['+0.012 s', 'Alice', '200', 'ok'],
      ['+0.030 s', 'Alice', '200', 'ok'],
      ['+0.040 s', 'Bob', '409 edit-conflict', 'refused'],
    ]);
    expect(rows.map((r) => r.says)).toEqual([
      'Lab makes the document: version 1, which everyone starts from.',
      `Alice reads version 1 (Last-Modified ${READ.lastModified}).`,
      'Alice saves version 2.',
      "Bob's save is refused: Alice saved version 2 after the version 1 you edited.",
    ]);
    expect(rows[3]).toMatchObject({ request: 'PUT /api/docs/d_1', conditions: [['If-Match', '"v1"']] });
  });

  it('marks lost updates, server merges, lock refusals and missing answers', () => {
    const says = (e: Exchange) => timelineRows([e])[0];
    expect(says(exchange({ actor: 'Bob', step: 'save', version: 3, overwrote: [2] }))).toMatchObject({
      says: 'Bob saves version 3, replacing version 2 unseen: a lost update.',
      tone: 'lost',
    });
    expect(says(exchange({ actor: 'Carol', step: 'save', version: 4, overwrote: [2, 3] }))?.says).toBe(
      'Carol saves version 4, replacing versions 2 and 3 unseen: a lost update.',
    );
    expect(says(exchange({ actor: 'Bob', step: 'save', version: 3, mergedFrom: [1, 2] }))).toMatchObject({
      says: "Bob's save is merged by the server: version 3 (their version 1 merged into version 2).",
      tone: 'merged',
    });
    expect(says(exchange({ actor: 'Bob', step: 'lock', status: 409, problem: locked }))).toMatchObject({
      says: 'Bob is refused the lock: Alice holds the lock.',
      status: '409 resource-locked',
      tone: 'refused',
    });
    expect(timelineRows([exchange({ actor: 'Lab', step: 'mode' })], 'timestamp')[0]?.says).toBe("Lab sets the document's concurrency mode to timestamp.");
    expect(says(exchange({ actor: 'Lab', step: 'mode', status: 422, problem: conflict }))?.tone).toBe('failed');
    expect(says(exchange({ actor: 'Bob', step: 'save', status: 0, failure: 'No answer (network error)' }))).toMatchObject({
      says: 'Bob got no answer (No answer (network error)).',
      status: 'no answer',
      tone: 'failed',
    });
  });

  it('writes offsets in seconds with milliseconds', () => {
    expect(formatOffset(2004.4)).toBe('+2.004 s');
    expect(formatOffset(-3)).toBe('+0.000 s');
  });
});
