/**
 * Every write to an existing document (save, patch, delete, state transition) through the
 * document's concurrency mode (docs/protocol.md §1.11): the lock, the conditions the mode wants,
 * the state, then one compare-and-set on the version the decision was made against. The store
 * stays a compare-and-set store: `none` and `timestamp` let a write through by making it against
 * the current tag, and record the tag the writer said it started from, so a lost update is told
 * afterwards; `server-merge` merges a stale save with the same merge3 the app uses.
 */
import type { Context } from 'hono';
import {
  allowedTransitions,
  documentStates,
  isEditable,
  type ConcurrencyMode,
  type DocumentState,
} from '../../src/protocol/concurrency.ts';
import type { EntityTagCondition } from '../../src/protocol/etag.ts';
import type { Document } from '../../src/protocol/types.ts';
import { merge3, toText, wordDiff, type MergeResult, type WordMerged } from '../../src/merge/index.ts';
import type { BodyResult } from '../request-body.ts';
import {
  bodyProblem,
  conflictProblem,
  documentResponse,
  duplicateTitleProblem,
  goneProblem,
  idempotencyKeyReused,
  noContent,
  notFoundProblem,
} from '../responses.ts';
import { idempotencyRequest } from '../idempotency.ts';
import type { Conflict, DeleteResult, DocumentInput, IdempotencyRequest, Store, StoredRevision, UpdateResult } from '../storage/types.ts';
import { actingUser, idempotencyKey, liveRevision, type ServerParts } from '../routes/context.ts';
import { archivedProblem, conditionRequiredProblem, documentWithExtras, resourceLockedProblem, resourceStateProblem } from './answers.ts';
import { conflictHistory, overwrittenSince } from './history.ts';
import { evaluate, exactly, readWriteConditions, writeGuard, type Verdict, type WriteConditions, type WriteGuard } from './preconditions.ts';

/**
 * How many times a write the mode let through is decided again when another save landed between
 * its read and its compare-and-set: enough for a busy document (50 concurrent writers), bounded
 * so a write never spins; past it the conflict is answered.
 */
const MAX_ROUNDS = 50;

/** The mode that guards a document's writes: its own, or the server's. */
export function modeOf(parts: Pick<ServerParts, 'settings' | 'documentModes'>, id: string): ConcurrencyMode {
  return parts.documentModes.get(id) ?? parts.settings.concurrency;
}

type Checked<Current extends StoredRevision | null = StoredRevision> =
  | { ok: true; current: Current; mode: ConcurrencyMode; conditions: WriteConditions; guard: WriteGuard; user: string; key: string | null }
  /** `keyFirst`: a refusal that a retry of an earlier keyed write must not get before its first answer. */
  | { ok: false; response: Response; keyFirst?: { key: string } };

/**
 * What every write checks before its body: the document, the lock, the conditions' syntax and
 * presence. `unread`: the document is read only when one of the other checks refuses the write
 * (a document that is not live is still answered 404 or 410 first), for a save that the store's
 * compare-and-set decides alone.
 */
function checkWrite(parts: ServerParts, c: Context, id: string, action: string, read?: 'read'): Promise<Checked>;
function checkWrite(parts: ServerParts, c: Context, id: string, action: string, read: 'unread'): Promise<Checked<null>>;
async function checkWrite(parts: ServerParts, c: Context, id: string, action: string, read: 'read' | 'unread' = 'read'): Promise<Checked<StoredRevision | null>> {
  const key = idempotencyKey(c);
  if (!key.ok) return key;
  // A refusal that may be newer than the write it would refuse: a keyed retry is answered from its
  // key first (the document deleted, the lock taken, the mode changed since the first attempt).
  const refuse = (response: Response): Checked<null> => ({ ok: false, response, ...(key.key !== null && { keyFirst: { key: key.key } }) });
  const current = read === 'read' ? await liveRevision(parts.store, id) : null;
  if (current instanceof Response) return refuse(current);
  const mode = modeOf(parts, id);
  const user = actingUser(c);
  const checked = checkRequest(parts, c, id, action, mode, user);
  if ('refusal' in checked) {
    if (read === 'unread') {
      const found = await liveRevision(parts.store, id);
      if (found instanceof Response) return refuse(found);
    }
    return checked.keyFirst ? refuse(checked.refusal) : { ok: false, response: checked.refusal };
  }
  return { ok: true, current, mode, conditions: checked.conditions, guard: checked.guard, user, key: key.key };
}

/** The checks of a write that need no store: the lock, the conditions' syntax and presence. */
function checkRequest(
  parts: ServerParts,
  c: Context,
  id: string,
  action: string,
  mode: ConcurrencyMode,
  user: string,
): { refusal: Response; keyFirst: boolean } | { conditions: WriteConditions; guard: WriteGuard } {
  if (mode === 'lock') {
    const lease = parts.locks.blocking(id, user);
    if (lease) return { refusal: resourceLockedProblem(lease, action), keyFirst: true };
  }
  const conditions = readWriteConditions(c);
  if (!conditions.ok) return { refusal: conditions.response, keyFirst: false };
  const guard = writeGuard(mode, conditions.value);
  if (!guard) return { refusal: conditionRequiredProblem(action, mode === 'timestamp'), keyFirst: true };
  return { conditions: conditions.value, guard };
}

/** The tag a conflict answer says the writer sent. */
function yourTag(conditions: WriteConditions): string {
  return conditions.ifMatch?.raw ?? conditions.basedOn ?? '';
}

/**
 * The conflict of a write whose condition names `condition`, from reads alone: the current
 * version, the newest version the condition names (its base), and the saves since.
 */
export async function conflictFor(store: Store, id: string, condition: EntityTagCondition): Promise<Conflict | null> {
  const found = await store.get(id);
  if (found.kind !== 'found') return null;
  // Read from the newest end: the base is usually a few versions back.
  const history = await conflictHistory(store, id, condition, found.revision.document.version);
  if (!history) return null;
  const { baseVersion, changesSince } = history;
  return { current: found.revision, base: baseVersion > 0 ? await store.revision(id, baseVersion) : null, changesSince };
}

/**
 * The answer when the document went while its conflict was read (deleted between the write's read
 * and the conflict's): 410 with who deleted it, as a read would answer; 404 when there never was one.
 */
async function missingAnswer(store: Store, id: string): Promise<Response> {
  const now = await liveRevision(store, id);
  return now instanceof Response ? now : notFoundProblem(id);
}

/** The versions a save that started from `basedOn` replaced unseen (lost updates), when any. */
async function overwroteExtras(store: Store, saved: StoredRevision, replaced: StoredRevision): Promise<Record<string, unknown>> {
  if (saved.basedOn === replaced.etag) return {};
  const overwrote = await overwrittenSince(store, saved.document.id, saved.document.version);
  return overwrote.length > 0 ? { overwrote } : {};
}

/**
 * The answer a keyed save got the first time, from the revision it made: the document, and the
 * versions it replaced unseen (read again from the history, which does not change). A save the
 * server merged is answered without `mergedFrom`, which the store does not keep.
 */
async function replayAnswer(store: Store, revision: StoredRevision): Promise<Response> {
  const overwrote = await overwrittenSince(store, revision.document.id, revision.document.version);
  return overwrote.length > 0 ? documentWithExtras(revision, { overwrote }) : documentResponse(revision);
}

async function answerUpdate(
  parts: ServerParts,
  id: string,
  result: UpdateResult,
  conditions: WriteConditions,
  replaced: StoredRevision | null,
): Promise<Response> {
  switch (result.kind) {
    // Stryker disable next-line ConditionalExpression: falling through to the replay's answer gives the same document and the same overwritten versions, read from the history.
    case 'updated':
      return replaced ? documentWithExtras(result.revision, await overwroteExtras(parts.store, result.revision, replaced)) : documentResponse(result.revision);
    // A repeat of an earlier save's Idempotency-Key: that save's answer again, no new version.
    case 'replayed':
      return replayAnswer(parts.store, result.revision);
    case 'idempotency-mismatch':
      return idempotencyKeyReused();
    case 'conflict':
      return conflictProblem(parts.settings.conflictStatus, result, yourTag(conditions), 'edited');
    // Only a save names the states it may be made in: the editable ones.
    case 'wrong-state':
      return archivedProblem(id, 'save');
    case 'duplicate-title':
      return duplicateTitleProblem(`Another document is already titled "${result.existing.title}".`, result.existing);
    // Stryker disable next-line ConditionalExpression,StringLiteral: the store asks for a condition only when given none, and every update here gives one.
    case 'precondition-required':
      // Stryker disable next-line StringLiteral,BooleanLiteral: the store asks for a condition only when given none, and every update here gives one.
      return conditionRequiredProblem('save', false);
    case 'not-found':
      return notFoundProblem(id);
    case 'gone':
      return goneProblem(id, result);
  }
}

/**
 * The write's Idempotency-Key with a fingerprint of what a retry repeats exactly (method, path,
 * user, If-Match, the body as sent), or undefined without a key (docs/protocol.md §1.3).
 */
function keyed(c: Context, checked: { key: string | null; user: string; conditions: WriteConditions }, body: unknown): IdempotencyRequest | undefined {
  if (checked.key === null) return undefined;
  return idempotencyRequest(checked.key, {
    method: c.req.method,
    path: c.req.path,
    user: checked.user,
    ifMatch: checked.conditions.ifMatch?.raw ?? null,
    body,
  });
}

/**
 * A keyed write that would be refused before its key is looked up (the document deleted or
 * unknown, the lock held by someone else, the condition the mode wants missing): the key is looked
 * up all the same, so a retry gets its first answer even when the document, its lock or its mode
 * changed since (§1.3). A key the store does not know gets `refusal` (404, 410, 409
 * `resource-locked` or 428), and nothing is written.
 */
async function replayOnly<T>(
  parts: ServerParts,
  c: Context,
  id: string,
  key: string,
  refusal: Response,
  readBody: () => Promise<BodyResult<T>>,
): Promise<Response> {
  const body = await readBody();
  if (!body.ok) return refusal;
  const user = actingUser(c);
  const retry = idempotencyRequest(key, { method: c.req.method, path: c.req.path, user, ifMatch: c.req.header('If-Match') ?? null, body: body.value });
  // The store answers a known key before it looks at the document or the condition, and a write
  // without a condition writes nothing: the input is never stored.
  // Stryker disable next-line ObjectLiteral,StringLiteral: without a condition the store writes nothing, so this input is never read.
  const result = await parts.store.update(id, { title: '', content: '' }, null, user, retry);
  if (result.kind === 'replayed') return replayAnswer(parts.store, result.revision);
  if (result.kind === 'idempotency-mismatch') return idempotencyKeyReused();
  return refusal;
}

/**
 * The first answer to a keyed write, when the key is known (or its reuse for another request),
 * before a refusal decided without the store's compare-and-set: a failed `If-Unmodified-Since`,
 * a stale transition, a state that does not take the write. Null for a new key.
 */
async function keyedAnswer(parts: ServerParts, id: string, user: string, retry: IdempotencyRequest | undefined): Promise<Response | null> {
  if (!retry) return null;
  // Without a condition the store looks the key up and writes nothing.
  // Stryker disable next-line ObjectLiteral,StringLiteral: without a condition the store writes nothing, so this input is never read.
  const result = await parts.store.update(id, { title: '', content: '' }, null, user, retry);
  if (result.kind === 'replayed') return replayAnswer(parts.store, result.revision);
  if (result.kind === 'idempotency-mismatch') return idempotencyKeyReused();
  return null;
}

/** Builds the saved document from the request body and the version it applies to. */
export type ApplyBody<T> = (body: T, onto: Document) => BodyResult<DocumentInput>;

/** A whole document as the request body gives it: the body of a `PUT`. */
const wholeDocument: ApplyBody<DocumentInput> = (body) => ({ ok: true, value: body });

/** The states a save may change (an archived document is moved back to draft first, §1.12). */
const EDITABLE_STATES = documentStates.filter(isEditable);

/**
 * `PUT` of a whole document. With `If-Match`, in every mode that checks it (all but `none`), the
 * decision is exactly the store's compare-and-set: the condition against the current tag, then
 * the state, so the save is one write and nothing is read before it. Only a refused save reads,
 * for its answer: the conflict comes back from the store (and in `server-merge` is merged). Any
 * other save is decided against the version read first (saveDocument).
 */
export async function replaceDocument(parts: ServerParts, c: Context, id: string, readBody: () => Promise<BodyResult<DocumentInput>>): Promise<Response> {
  if (modeOf(parts, id) === 'none' || c.req.header('If-Match') === undefined) return saveDocument(parts, c, id, readBody, wholeDocument);
  const checked = await checkWrite(parts, c, id, 'save', 'unread');
  if (!checked.ok) return checked.keyFirst ? replayOnly(parts, c, id, checked.keyFirst.key, checked.response, readBody) : checked.response;
  const { mode, conditions, user } = checked;
  const body = await readBody();
  // A document that is not live is answered 404 or 410 before its body, as by the other writes.
  if (!body.ok) {
    const found = await liveRevision(parts.store, id);
    return found instanceof Response ? found : bodyProblem(body.failure);
  }
  // Stryker disable next-line StringLiteral: never thrown (replaceDocument is only called with If-Match); the text only tells a reader why.
  if (!conditions.ifMatch) throw new Error('checked above: the request has If-Match');
  const retry = keyed(c, checked, body.value);
  // A repeated Idempotency-Key is answered by the store before anything else, as the first
  // attempt's answer, and a stale tag with the conflict.
  const result = await parts.store.update(id, body.value, conditions.ifMatch.condition, user, retry, { inStates: EDITABLE_STATES });
  if (result.kind === 'conflict' && mode === 'server-merge') {
    const merged = await mergeOnServer(parts, id, result, body.value, wholeDocument, user, retry);
    if (merged) return merged;
  }
  return answerUpdate(parts, id, result, conditions, null);
}

/** `PATCH` (a merge patch), and a `PUT` that the mode decides against the version read first. */
export async function saveDocument<T>(
  parts: ServerParts,
  c: Context,
  id: string,
  readBody: () => Promise<BodyResult<T>>,
  apply: ApplyBody<T>,
): Promise<Response> {
  const checked = await checkWrite(parts, c, id, 'save');
  if (!checked.ok) return checked.keyFirst ? replayOnly(parts, c, id, checked.keyFirst.key, checked.response, readBody) : checked.response;
  const { mode, conditions, guard, user } = checked;
  const body = await readBody();
  if (!body.ok) return bodyProblem(body.failure);
  const retry = keyed(c, checked, body.value);
  // The body took a while to arrive: decide against the version that is current now. A write the
  // mode lets through is made against that version; when another save lands between the read and
  // the write, the decision is made again against the newer one, so in `none` a save never meets
  // a conflict however busy the document is, and in `timestamp` it meets one only when the date
  // no longer passes.
  for (let round = 1; ; round += 1) {
    const current = await liveRevision(parts.store, id);
    if (current instanceof Response) return current;
    const verdict = evaluate(guard, current);
    const input = apply(body.value, current.document);
    if (!input.ok) return bodyProblem(input.failure);

    if (verdict.kind === 'pass') {
      if (!isEditable(current.document.state)) return (await keyedAnswer(parts, id, user, retry)) ?? archivedProblem(id, 'save');
      const result = await parts.store.update(id, input.value, exactly(current.etag), user, retry, { basedOn: verdict.basedOn });
      if (result.kind === 'conflict' && round < MAX_ROUNDS) continue;
      return answerUpdate(parts, id, result, conditions, current);
    }
    if (guard.kind === 'unmodified-since') {
      // A failed If-Unmodified-Since: the conflict is read, never written through the store (a
      // retry's key is looked up first: its own first save made the date stale).
      const replay = await keyedAnswer(parts, id, user, retry);
      if (replay) return replay;
      const conflict = await conflictFor(parts.store, id, verdict.condition);
      if (!conflict) return missingAnswer(parts.store, id);
      return conflictProblem(parts.settings.conflictStatus, conflict, yourTag(conditions), 'edited');
    }
    // A failed If-Match: the store answers with the conflict (or, for a repeated Idempotency-Key,
    // with the answer the first attempt got).
    const result = await parts.store.update(id, input.value, verdict.condition, user, retry);
    if (result.kind === 'conflict' && mode === 'server-merge') {
      const merged = await mergeOnServer(parts, id, result, body.value, apply, user, retry);
      if (merged) return merged;
    }
    return answerUpdate(parts, id, result, conditions, null);
  }
}

/** A field changed by one side or neither: the result; null when both changed it. */
function mergeField(base: string, mine: string, theirs: string): string | null {
  if (mine === base) return theirs;
  if (theirs === base) return mine;
  return null;
}

/** The word-level edits of `changed` against `base`: where in base, what went, what came. */
function wordEdits(base: string, changed: string): string[] {
  const edits: string[] = [];
  let at = 0;
  let open: { at: number; deleted: string; inserted: string } | null = null;
  for (const span of wordDiff(base, changed)) {
    if (span.kind === 'equal') {
      if (open) edits.push(JSON.stringify(open));
      open = null;
      at += span.text.length;
      continue;
    }
    // Stryker disable next-line StringLiteral: edits are only compared with each other, and the same text before every deleted and inserted text keeps equal edits equal and different ones different.
    open ??= { at, deleted: '', inserted: '' };
    if (span.kind === 'delete') {
      // Stryker disable next-line AssignmentOperator: two sides' different edits at one place of base clash and are never merged word by word, so the start and the inserted text tell edits apart alone (0 of 57,000 random word merges differ).
      open.deleted += span.text;
      at += span.text.length;
      continue;
    }
    // Stryker disable next-line AssignmentOperator: two sides' different edits at one place of base clash and are never merged word by word, so the start and the deleted text tell edits apart alone (0 of 57,000 random word merges differ).
    open.inserted += span.text;
  }
  if (open) edits.push(JSON.stringify(open));
  return edits;
}

/** Whether a line conflict resolved word by word holds an edit both sides made alike. */
function sameEditOnBothSides({ base, mine, theirs }: WordMerged): boolean {
  const mineEdits = new Set(wordEdits(base, mine));
  return wordEdits(base, theirs).some((edit) => mineEdits.has(edit));
}

/**
 * Whether a merge may be saved without asking anyone: clean, and no region changed alike on both
 * sides. Two people who make the same change made two saves (two counters both moving 5 → 6 are
 * two increments, docs/protocol.md §1.3), so the server does not fold them into one. A line
 * conflict that the word-level merge resolved is a `both` hunk too: it is merged when its two
 * sides' word edits differ (two neighbouring lines each changed by one side).
 */
function mergesUnasked(result: MergeResult): boolean {
  return result.clean && result.hunks.every((hunk) => hunk.kind !== 'both' || (hunk.wordMerged !== undefined && !sameEditOnBothSides(hunk.wordMerged)));
}

/**
 * `server-merge`: the stale save merged into the current version when merge3 finds no conflict
 * (and the titles do not clash); null when it cannot be merged, so the conflict is answered.
 */
async function mergeOnServer<T>(
  parts: ServerParts,
  id: string,
  conflict: Conflict,
  body: T,
  apply: ApplyBody<T>,
  user: string,
  retry: IdempotencyRequest | undefined,
): Promise<Response | null> {
  const { base, current } = conflict;
  if (!base || !isEditable(current.document.state)) return null;
  const mine = apply(body, base.document);
  if (!mine.ok) return null;
  const title = mergeField(base.document.title, mine.value.title, current.document.title);
  const content = merge3(base.document.content, mine.value.content, current.document.content);
  if (title === null || !mergesUnasked(content)) return null;
  // Under the save's own key: a retry of it gets this version back, not a merge of it with itself.
  const saved = await parts.store.update(
    id,
    { title, content: toText(content) },
    exactly(current.etag),
    user,
    retry,
    // Made from the current version, which it merged in: nothing is overwritten unseen.
    // Stryker disable next-line ObjectLiteral: without basedOn the store records a save as made from the version it replaces, which is this one.
    { basedOn: current.etag },
  );
  if (saved.kind === 'duplicate-title') return duplicateTitleProblem(`Another document is already titled "${saved.existing.title}".`, saved.existing);
  if (saved.kind === 'replayed') return replayAnswer(parts.store, saved.revision);
  if (saved.kind !== 'updated') return null;
  return documentWithExtras(saved.revision, { mergedFrom: [base.document.version, current.document.version] });
}

/** `DELETE` through the document's mode. */
export async function deleteDocument(parts: ServerParts, c: Context, id: string): Promise<Response> {
  const checked = await checkWrite(parts, c, id, 'delete');
  if (!checked.ok) return checked.response;
  const { mode, conditions, guard, user } = checked;
  let current = checked.current;
  let verdict = evaluate(guard, current);
  let result = await removeAs(parts, id, current, verdict, user);
  // A delete the mode let through, beaten by a save between its read and its write: decided again.
  for (let round = 1; result.kind === 'conflict' && verdict.kind === 'pass' && round < MAX_ROUNDS; round += 1) {
    const now = await liveRevision(parts.store, id);
    if (now instanceof Response) return now;
    current = now;
    verdict = evaluate(guard, current);
    result = await removeAs(parts, id, current, verdict, user);
  }
  switch (result.kind) {
    case 'deleted':
      parts.locks.forget(id);
      return noContent();
    case 'conflict':
      return conflictProblem(parts.settings.conflictStatus, result, yourTag(conditions), 'meant to delete');
    // Stryker disable next-line ConditionalExpression,StringLiteral: the store asks for a condition only when given none, and removeAs always gives one.
    case 'precondition-required':
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the store asks for a condition only when given none, and removeAs always gives one.
      return conditionRequiredProblem('delete', mode === 'timestamp');
    // Stryker disable next-line ConditionalExpression,StringLiteral: checkWrite read the document live, and a document once made is never unknown again (a delete leaves it gone).
    case 'not-found':
      return notFoundProblem(id);
    case 'gone':
      return goneProblem(id, result);
  }
}

/** The delete a verdict allows, against `current` (a pass) or the writer's own tag. */
function removeAs(parts: ServerParts, id: string, current: StoredRevision, verdict: Verdict, user: string): Promise<DeleteResult> {
  return parts.store.remove(id, verdict.kind === 'pass' ? exactly(current.etag) : verdict.condition, user);
}

/** `POST /api/docs/{id}/transitions`: a new version in another state, guarded like a save. */
export async function transitionDocument(
  parts: ServerParts,
  c: Context,
  id: string,
  readBody: () => Promise<BodyResult<{ to: DocumentState }>>,
): Promise<Response> {
  const checked = await checkWrite(parts, c, id, 'change the state of');
  if (!checked.ok) return checked.keyFirst ? replayOnly(parts, c, id, checked.keyFirst.key, checked.response, readBody) : checked.response;
  const { conditions, guard, user } = checked;
  const body = await readBody();
  if (!body.ok) return bodyProblem(body.failure);
  const retry = keyed(c, checked, body.value);
  // The refusals below are read, not written through the store: a retry's key is looked up first
  // (its own first transition made its tag stale and the state another one).
  const replay = await keyedAnswer(parts, id, user, retry);
  if (replay) return replay;
  // As a save: decided again when another save lands between the read and the write.
  for (let round = 1; ; round += 1) {
    const current = await liveRevision(parts.store, id);
    if (current instanceof Response) return current;
    const verdict = evaluate(guard, current);
    if (verdict.kind === 'stale') {
      const conflict = await conflictFor(parts.store, id, verdict.condition);
      if (!conflict) return missingAnswer(parts.store, id);
      return conflictProblem(parts.settings.conflictStatus, conflict, yourTag(conditions), 'edited');
    }
    const { to } = body.value;
    const { state, title, content } = current.document;
    if (!allowedTransitions(state).includes(to)) {
      // Stryker disable next-line StringLiteral: every state allows exactly one transition, so there is never a second to join.
      const allowed = allowedTransitions(state).join(' or ');
      return resourceStateProblem(
        id,
        state,
        `${state === 'archived' ? 'An' : 'A'} ${state} document cannot become ${to}; from ${state} it can only become ${allowed}.`,
      );
    }
    const result = await parts.store.update(id, { title, content, state: to }, exactly(current.etag), user, retry, { basedOn: verdict.basedOn });
    if (result.kind === 'conflict' && round < MAX_ROUNDS) continue;
    return answerUpdate(parts, id, result, conditions, current);
  }
}
