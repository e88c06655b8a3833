/**
 * One guided scenario per concurrency mode (docs/protocol.md §1.11, §1.12): each makes a clean
 * throwaway document, gives it the mode, and plays scripted people (Alice, Bob, Carol) through
 * the real API, with the app's own client, so every request shows in the inspector as a save of
 * the app's would. The outcome is read from the server's answers, never assumed: a race that goes
 * the other way is told as it went.
 */
import { apiRequest } from '../../lib/api-client.ts';
import { ProblemError } from '../../lib/api-errors.ts';
import { newIdempotencyKey } from '../../lib/idempotency-key.ts';
import { BASED_ON_HEADER, concurrencyPaths, type ConcurrencyMode, type DocumentState, type LockState } from '../../protocol/concurrency.ts';
import { apiPaths } from '../../protocol/paths.ts';
import { isResourceLocked, isResourceState, type Problem } from '../../protocol/problems.ts';
import type { Document } from '../../protocol/types.ts';

export const modeScenarioNames = ['none', 'timestamp', 'lock', 'server-merge', 'archived'] as const;
export type ModeScenarioName = (typeof modeScenarioNames)[number];

export const MODE_SCENARIO_TITLES: Record<ModeScenarioName, string> = {
  none: 'What goes wrong without If-Match',
  timestamp: 'Two saves in the same second',
  lock: 'Bob holds the lock',
  'server-merge': 'The server merges for you',
  archived: 'Edit an archived document',
};

/** The mode each scenario gives its document. */
export const MODE_OF: Record<ModeScenarioName, ConcurrencyMode> = {
  none: 'none',
  timestamp: 'timestamp',
  lock: 'lock',
  'server-merge': 'server-merge',
  archived: 'etag',
};

export interface ScenarioOutcome {
  docId: string;
  /** What happened, in one sentence, from the server's answers. */
  outcome: string;
  /** Why, in one sentence: what the mode guarantees or allows. */
  explanation: string;
  /** Whether the run showed what the scenario is about (false: e.g. a race that went the other way). */
  shown: boolean;
}

export interface ScenarioHooks {
  /** Called between steps, so people watching (in this tab and others) can follow. */
  pause: () => Promise<void>;
  /** The document exists and has its mode: the tab can open it. */
  onReady: (docId: string) => void;
  /** One line per step, as it happens. */
  onStep: (line: string) => void;
}

const SAMPLE = ['# Plan', '', 'Monday: write the outline.', 'Tuesday: review it with the team.', 'Wednesday: ship it.', ''].join('\n');

interface Read {
  doc: Document;
  etag: string;
  /** The `Last-Modified` header the server sent. */
  lastModified: string;
}

/** A write's answer: the status, the document on success, the problem otherwise. */
interface Answer {
  status: number;
  doc: (Document & { overwrote?: number[]; mergedFrom?: [number, number] }) | null;
  etag: string | null;
  problem: Problem | null;
}

async function answerOf(request: Promise<{ data: unknown; etag: string | null; status: number }>): Promise<Answer> {
  try {
    const { data, etag, status } = await request;
    return { status, doc: data as Answer['doc'], etag, problem: null };
  } catch (error) {
    // A refusal is the point of most scenarios: it is an answer, shown, not thrown.
    if (error instanceof ProblemError) return { status: error.status, doc: null, etag: null, problem: error.problem };
    throw error;
  }
}

async function read(id: string, user: string): Promise<Read> {
  const { data, etag, headers } = await apiRequest<Document>(apiPaths.doc(id), { user });
  if (!etag) throw new Error('The server sent a document without an ETag.');
  return { doc: data, etag, lastModified: headers.get('Last-Modified') ?? '' };
}

/** A save as the app makes it: If-Match, or in the timestamp mode If-Unmodified-Since with the tag as X-Based-On. */
function save(id: string, user: string, from: Read, content: string, byDate = false): Promise<Answer> {
  return answerOf(
    apiRequest<Document>(apiPaths.doc(id), {
      method: 'PUT',
      body: { title: from.doc.title, content },
      user,
      idempotencyKey: newIdempotencyKey(),
      ...(byDate ? { headers: { 'If-Unmodified-Since': from.lastModified, [BASED_ON_HEADER]: from.etag } } : { ifMatch: from.etag }),
    }),
  );
}

function transition(id: string, user: string, etag: string, to: DocumentState): Promise<Answer> {
  return answerOf(apiRequest<Document>(concurrencyPaths.transitions(id), { method: 'POST', body: { to }, ifMatch: etag, user, idempotencyKey: newIdempotencyKey() }));
}

function lockRequest(path: string, user: string, body?: unknown): Promise<Answer> {
  return answerOf(apiRequest<LockState>(path, { method: 'POST', user, ...(body !== undefined && { body }) }));
}

function newId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `d_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A clean document for one run, under an id of our own (`If-None-Match: *`), in the scenario's mode. */
async function throwawayDocument(name: ModeScenarioName, hooks: ScenarioHooks): Promise<{ id: string; createdAt: number; arrivedAt: number }> {
  const id = newId();
  const stamp = new Date().toISOString().slice(11, 19);
  const title = `${MODE_SCENARIO_TITLES[name]} · ${stamp} · ${id.slice(-4)}`;
  const { data } = await apiRequest<Document>(apiPaths.doc(id), { method: 'PUT', body: { title, content: SAMPLE }, ifNoneMatch: '*', user: 'Carol' });
  const arrivedAt = Date.now();
  await apiRequest(concurrencyPaths.concurrency(id), { method: 'PUT', body: { concurrency: MODE_OF[name] } });
  hooks.onStep(`Carol made “${title}” (version 1), in the ${MODE_OF[name]} mode.`);
  hooks.onReady(id);
  return { id, createdAt: Date.parse(data.updatedAt), arrivedAt };
}

const replaceLine = (content: string, from: string, to: string) => content.replace(from, to);
// Two lines apart (Tuesday between them), so a merge has an untouched line between the changes.
const BOBS = (c: string) => replaceLine(c, 'Monday: write the outline.', 'Monday: write the outline in room 4.');
const ALICES = (c: string) => replaceLine(c, 'Wednesday: ship it.', 'Wednesday: ship it, then celebrate.');

function status(answer: Answer): string {
  if (answer.doc) return `${answer.status}, version ${answer.doc.version}`;
  const slug = answer.problem === null ? '' : answer.problem.type.replace('/problems/', ' ');
  return `${answer.status}${slug}`;
}

export async function runModeScenario(name: ModeScenarioName, hooks: ScenarioHooks): Promise<ScenarioOutcome> {
  const doc = await throwawayDocument(name, hooks);
  const { id } = doc;
  await hooks.pause();
  switch (name) {
    case 'none':
      return lostWithoutIfMatch(id, hooks);
    case 'timestamp':
      return sameSecond(id, doc, hooks);
    case 'lock':
      return bobHoldsTheLock(id, hooks);
    case 'server-merge':
      return serverMerges(id, hooks);
    case 'archived':
      return archivedEdit(id, hooks);
  }
}

/**
 * The race most scenarios play: Alice and Bob both open version 1, Bob saves his change to Monday,
 * then Alice saves hers to Wednesday from what she read (`how` says what her save carries).
 */
async function bothSaveFromVersion1(id: string, hooks: ScenarioHooks, how: string): Promise<{ alices: Answer; bobs: Answer }> {
  const [alice, bob] = [await read(id, 'Alice'), await read(id, 'Bob')];
  hooks.onStep('Alice and Bob both open version 1.');
  await hooks.pause();
  const bobs = await save(id, 'Bob', bob, BOBS(bob.doc.content));
  hooks.onStep(`Bob saves his change to Monday: ${status(bobs)}.`);
  await hooks.pause();
  const alices = await save(id, 'Alice', alice, ALICES(alice.doc.content));
  hooks.onStep(`Alice saves her change to Wednesday, ${how}: ${status(alices)}.`);
  return { alices, bobs };
}

async function lostWithoutIfMatch(id: string, hooks: ScenarioHooks): Promise<ScenarioOutcome> {
  const { alices, bobs } = await bothSaveFromVersion1(id, hooks, 'from version 1');
  return lostOutcome(id, alices, bobs, 'Without a check, the server keeps whichever save arrives last, so a change made meanwhile disappears without anyone being asked.');
}

/** The outcome of a race that a lossy mode may let through: the lost version named, or the refusal. */
function lostOutcome(id: string, alices: Answer, bobs: Answer, explanation: string, refused?: { outcome: string; explanation: string }): ScenarioOutcome {
  const lost = alices.doc?.overwrote ?? [];
  const bobsVersion = bobs.doc?.version;
  if (alices.doc && bobsVersion !== undefined && lost.includes(bobsVersion)) {
    return { docId: id, shown: true, explanation, outcome: `Alice’s save replaced version ${bobsVersion} without seeing it: Bob’s change is gone.` };
  }
  if (refused && !alices.doc) return { docId: id, shown: false, ...refused };
  return { docId: id, shown: false, explanation, outcome: `Alice’s save answered ${status(alices)}; no change was lost this time.` };
}

/**
 * Waits until the server's clock (estimated from the create's `updatedAt`) has just started a
 * second, so the saves of the race fall within one second if the machine is not too slow.
 */
async function startOfSecond({ createdAt, arrivedAt }: { createdAt: number; arrivedAt: number }): Promise<void> {
  const skew = createdAt - arrivedAt;
  const intoSecond = (Date.now() + skew) % 1000;
  await new Promise((resolve) => setTimeout(resolve, 1000 - intoSecond + 20));
}

async function sameSecond(id: string, created: { createdAt: number; arrivedAt: number }, hooks: ScenarioHooks): Promise<ScenarioOutcome> {
  await startOfSecond(created);
  const start = await read(id, 'Carol');
  const carols = await save(id, 'Carol', start, `${start.doc.content}Carol: agenda sent.\n`, true);
  // Alice and Bob open Carol's version at once, and both save from it at once: one second for all.
  const [alice, bob] = await Promise.all([read(id, 'Alice'), read(id, 'Bob')]);
  const bobs = await save(id, 'Bob', bob, BOBS(bob.doc.content), true);
  const alices = await save(id, 'Alice', alice, ALICES(alice.doc.content), true);
  hooks.onStep(`Carol saves version ${carols.doc?.version ?? '?'} (Last-Modified ${alice.lastModified}); Alice and Bob open it.`);
  hooks.onStep(`Bob saves with If-Unmodified-Since: ${alice.lastModified}: ${status(bobs)}.`);
  hooks.onStep(`Alice saves with the same date, right after: ${status(alices)}.`);
  return lostOutcome(
    id,
    alices,
    bobs,
    'HTTP dates count whole seconds, so Bob’s version, saved in the same second as the one Alice read, looked unmodified to If-Unmodified-Since; a strong ETag tells the two apart.',
    {
      outcome: `Alice’s save was refused (${status(alices)}): Bob’s save fell in a later second.`,
      explanation: 'Timestamps do catch a save made a second or more later; run it again to see the same-second race slip through.',
    },
  );
}

async function bobHoldsTheLock(id: string, hooks: ScenarioHooks): Promise<ScenarioOutcome> {
  const locked = await lockRequest(concurrencyPaths.lock(id), 'Bob', { seconds: 60 });
  hooks.onStep(`Bob takes the lock: ${locked.status}.`);
  await hooks.pause();
  const alice = await read(id, 'Alice');
  const refused = await save(id, 'Alice', alice, ALICES(alice.doc.content));
  hooks.onStep(`Alice saves anyway: ${status(refused)}.`);
  await hooks.pause();
  const asked = await lockRequest(concurrencyPaths.lockRequests(id), 'Alice');
  hooks.onStep(`Alice asks Bob to hand the lock over: ${asked.status}.`);
  await hooks.pause();
  const handed = await lockRequest(concurrencyPaths.lockHandover(id), 'Bob', { to: 'Alice' });
  hooks.onStep(`Bob hands it over: ${handed.status}.`);
  await hooks.pause();
  const saved = await save(id, 'Alice', alice, ALICES(alice.doc.content));
  hooks.onStep(`Alice saves again: ${status(saved)}.`);
  const shown = refused.problem !== null && isResourceLocked(refused.problem) && saved.doc !== null;
  return {
    docId: id,
    shown,
    outcome: shown
      ? `Alice was refused with 409 resource-locked while Bob held the lock; once he handed it over, her save made version ${saved.doc?.version}.`
      : `Alice’s saves answered ${status(refused)}, then ${status(saved)}.`,
    explanation: 'A lock lets one person edit at a time: nobody ever has a conflict to merge, but everyone else waits for the holder.',
  };
}

async function serverMerges(id: string, hooks: ScenarioHooks): Promise<ScenarioOutcome> {
  const { alices } = await bothSaveFromVersion1(id, hooks, 'with If-Match of version 1');
  const merged = alices.doc?.mergedFrom;
  return {
    docId: id,
    shown: merged !== undefined,
    outcome: merged
      ? `The server merged Alice’s save from version ${merged[0]} into Bob’s version ${merged[1]}: both changes are in version ${alices.doc?.version}, and nobody saw a conflict.`
      : `Alice’s save answered ${status(alices)}.`,
    explanation: 'The server runs the same three-way merge as the conflict dialog; only changes that clash on the same lines still get a 409.',
  };
}

async function archivedEdit(id: string, hooks: ScenarioHooks): Promise<ScenarioOutcome> {
  const bob = await read(id, 'Bob');
  const published = await transition(id, 'Bob', bob.etag, 'published');
  hooks.onStep(`Bob publishes the document: ${status(published)}.`);
  await hooks.pause();
  const archived = await transition(id, 'Bob', published.etag ?? '', 'archived');
  hooks.onStep(`Bob archives it: ${status(archived)}.`);
  await hooks.pause();
  // Alice has the newest version: no version conflict, only the state stands in the way.
  const alice = await read(id, 'Alice');
  const refused = await save(id, 'Alice', alice, ALICES(alice.doc.content));
  hooks.onStep(`Alice opens the newest version and saves a change: ${status(refused)}.`);
  const stateProblem = refused.problem !== null && isResourceState(refused.problem) ? refused.problem : null;
  const allowed = stateProblem?.allowedTransitions ?? [];
  const shown = stateProblem !== null;
  return {
    docId: id,
    shown,
    outcome: shown
      ? `Alice’s save was refused with 409 resource-state: the document is archived, and from there it may only become ${allowed.join(' or ')}.`
      : `Alice’s save answered ${status(refused)}.`,
    explanation: 'This 409 is about the state of the document, not its version: reloading does not help, moving it back to draft does.',
  };
}
