/**
 * The rest of the conditional-request checklist on documents (docs/protocol.md §1.4): a create
 * under a client-chosen id with `If-None-Match: *`, JSON Merge Patch (RFC 7396) bodies, and each
 * revision's lost-update marks.
 */
import type { Context } from 'hono';
import { annotateHistory, MERGE_PATCH_TYPE } from '../../src/protocol/concurrency.ts';
import type { Document, Revision } from '../../src/protocol/types.ts';
import { validateDocumentInput, type BodyResult } from '../request-body.ts';
import { bodyProblem, documentResponse, duplicateTitleProblem, goneProblem, idempotencyKeyReused, problem } from '../responses.ts';
import { TOKEN } from '../simulation.ts';
import type { DocumentInput, Store } from '../storage/types.ts';
import { idempotencyRequest } from '../idempotency.ts';
import { actingUser, idempotencyKey, validBody, type ServerParts } from '../routes/context.ts';
import { alreadyExistsProblem } from './answers.ts';

/**
 * `PUT /api/docs/{id}` with `If-None-Match: *` where no document is: 201, or 412 for the second
 * creator. A retry under the first attempt's `Idempotency-Key` gets its 201 again (§1.3): the
 * store looks the key up before it looks at the id.
 */
export async function createWithId(parts: ServerParts, c: Context, id: string): Promise<Response> {
  const key = idempotencyKey(c);
  if (!key.ok) return key.response;
  if (!TOKEN.test(id)) {
    return problem(400, 'bad-request', 'A new document id is 1 to 100 letters, digits, "-" or "_".', { id });
  }
  const input = await validBody(c, parts.settings, (value) => validateDocumentInput(value, false));
  if (!input.ok) return bodyProblem(input.failure);
  const user = actingUser(c);
  const retry = key.key === null ? undefined : idempotencyRequest(key.key, { method: c.req.method, path: c.req.path, user, ifMatch: null, body: input.value });
  const result = await parts.store.create(input.value, user, { id, ...(retry && { idempotency: retry }) });
  switch (result.kind) {
    case 'created':
    case 'replayed':
      return documentResponse(result.revision, 201, { Location: `/api/docs/${encodeURIComponent(id)}` });
    case 'idempotency-mismatch':
      return idempotencyKeyReused();
    case 'exists': {
      const found = await parts.store.get(id);
      // An id is never used twice: a deleted one is gone, and says who deleted it.
      if (found.kind === 'gone') return goneProblem(id, found);
      return alreadyExistsProblem(id);
    }
    case 'duplicate-title':
      return duplicateTitleProblem(`A document titled "${result.existing.title}" already exists.`, result.existing);
  }
}

/** The fields a merge patch may change; the rest have their own requests (a state: transitions). */
const PATCHABLE = ['title', 'content'] as const;

/** The body of a `PATCH`: a JSON Merge Patch object, or the problem (415 names the patch type taken). */
export async function mergePatchBody(c: Context, settings: ServerParts['settings']): Promise<BodyResult<Record<string, unknown>>> {
  const body = await validBody(c, settings, (value) => ({ ok: true, value }), { mediaType: MERGE_PATCH_TYPE });
  if (!body.ok) {
    const { failure } = body;
    return failure.kind === 'unsupported-media-type' ? { ok: false, failure: { ...failure, acceptPatch: MERGE_PATCH_TYPE } } : body;
  }
  const patch = body.value;
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return { ok: false, failure: { kind: 'validation-failed', errors: [{ field: '', message: 'A merge patch for a document is a JSON object.' }] } };
  }
  const record = patch as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(PATCHABLE as readonly string[]).includes(key));
  if (unknown.length > 0) {
    return {
      ok: false,
      failure: {
        kind: 'validation-failed',
        errors: unknown.map((field) => ({
          field,
          message: field === 'state' ? 'A state changes by POST /api/docs/{id}/transitions, not by a patch.' : `"${field}" cannot be patched; a patch may change title and content.`,
        })),
      },
    };
  }
  return { ok: true, value: record };
}

/**
 * RFC 7396 on the document's `{title, content}`: a member replaces the field, `null` removes it
 * (which a document refuses: both fields are required), then the result is checked like a `PUT`.
 */
export function applyMergePatch(patch: Record<string, unknown>, onto: Document): BodyResult<DocumentInput> {
  const target: Record<string, unknown> = { title: onto.title, content: onto.content };
  for (const field of PATCHABLE) {
    if (!Object.hasOwn(patch, field)) continue;
    const value = patch[field];
    if (value === null) delete target[field];
    else target[field] = value;
  }
  return validateDocumentInput(target, true);
}

/** A document's history with what the lost-update detector says of each version (§1.11). */
export async function revisionsWithLosses(store: Store, id: string): Promise<Revision[] | null> {
  const history = await store.revisions(id);
  if (!history) return null;
  const { lost, overwrote } = annotateHistory(history);
  return history.map(({ version, updatedAt, updatedBy, etag, basedOn }) => ({
    version,
    updatedAt,
    updatedBy,
    etag,
    basedOn,
    lost: lost.has(version),
    overwrote: overwrote.get(version) ?? [],
  }));
}

/**
 * Each store's lost-update count per document, under the tag of the version it was worked out
 * for: a history changes only with a new version, and a tag is never reused, so a count under
 * the current tag is still true.
 */
const lostByDocument = new WeakMap<Store, Map<string, { etag: string; lost: number }>>();

/**
 * The lost updates of every live document: versions the latest one no longer contains. Asked for
 * every few seconds by every open simulation panel, so only the histories of documents saved
 * since the last count are read again.
 */
export async function lostUpdateCount(store: Store): Promise<number> {
  const known = lostByDocument.get(store) ?? new Map<string, { etag: string; lost: number }>();
  lostByDocument.set(store, known);
  const live = await store.list();
  const counts = await Promise.all(
    live.map(async ({ id, etag }) => {
      const cached = known.get(id);
      if (cached?.etag === etag) return cached.lost;
      const history = await store.revisions(id);
      const lost = history ? annotateHistory(history).lost.size : 0;
      // The history read may include a save newer than the listed tag: kept under the newest tag.
      const newest = history?.at(-1)?.etag;
      if (newest) known.set(id, { etag: newest, lost });
      return lost;
    }),
  );
  // Deleted documents are no longer counted, nor remembered.
  const ids = new Set(live.map(({ id }) => id));
  for (const id of known.keys()) if (!ids.has(id)) known.delete(id);
  return counts.reduce((sum, lost) => sum + lost, 0);
}
