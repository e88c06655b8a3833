/**
 * The data file of earlier versions (`data/documents.json`, format `conflict-lab-store/1`): the
 * whole store as one JSON snapshot. It is only read now, once, to import it into the database.
 * A file that does not check out in full is refused, never half-imported.
 */
import { readFileSync } from 'node:fs';
import { isDocumentState, type DocumentState } from '../../src/protocol/concurrency.ts';
import { parseEntityTag } from '../../src/protocol/etag.ts';
import type { StoredRevision } from './types.ts';
import { StoreOpenError } from './types.ts';

export const LEGACY_FORMAT = 'conflict-lab-store/1';

/** A revision as the file holds it: files from before states and basedOn existed lack them. */
export interface LegacyRevision {
  document: Omit<StoredRevision['document'], 'state'> & { state?: DocumentState };
  etag: string;
  basedOn?: string | null;
}

export interface LegacySnapshot {
  format: typeof LEGACY_FORMAT;
  documents: Array<{ id: string; revisions: LegacyRevision[]; deleted: { at: string; by: string } | null }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readLegacySnapshot(file: string): LegacySnapshot {
  let parsed: unknown;
  try {
    // Stryker disable next-line StringLiteral: without an encoding JSON.parse gets a Buffer, which it reads as the same UTF-8 text.
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw unreadable(file, error instanceof Error ? error.message : String(error));
  }
  try {
    return validateLegacySnapshot(parsed);
  } catch (error) {
    throw unreadable(file, error instanceof Error ? error.message : String(error));
  }
}

function unreadable(file: string, reason: string): StoreOpenError {
  return new StoreOpenError(
    `The old data file ${file} cannot be imported (${reason}). Nothing was changed. Repair or move it away, or start with --memory.`,
  );
}

/** Checks every document and revision, so a damaged file is refused rather than half-imported. */
export function validateLegacySnapshot(value: unknown): LegacySnapshot {
  if (!isRecord(value) || value.format !== LEGACY_FORMAT) throw new Error(`not a store snapshot (expected "format": "${LEGACY_FORMAT}")`);
  if (!Array.isArray(value.documents)) throw new Error('"documents" is not a list');
  const ids = new Set<string>();
  const tags = new Set<string>();
  value.documents.forEach((record: unknown, index) => {
    const where = `documents[${index}]`;
    if (!isRecord(record) || typeof record.id !== 'string' || record.id === '') throw new Error(`${where} has no id`);
    if (ids.has(record.id)) throw new Error(`${where}: id ${record.id} appears twice`);
    ids.add(record.id);
    if (!Array.isArray(record.revisions) || record.revisions.length === 0) throw new Error(`${where} has no revisions`);
    record.revisions.forEach((revision: unknown, i) => {
      const at = `${where}.revisions[${i}]`;
      if (!isRecord(revision) || typeof revision.etag !== 'string' || !isRecord(revision.document)) throw new Error(`${at} is not a revision`);
      // Stryker disable next-line BooleanLiteral: the value is always replaced by the parsed tag's, or the catch throws.
      let weak = true;
      try {
        weak = parseEntityTag(revision.etag).weak;
      } catch {
        throw new Error(`${at}.etag is not an entity tag`);
      }
      if (weak) throw new Error(`${at}.etag is not a strong entity tag`);
      if (tags.has(revision.etag)) throw new Error(`${at}: entity tag ${revision.etag} appears twice`);
      tags.add(revision.etag);
      const d = revision.document;
      if (
        d.id !== record.id ||
        d.version !== i + 1 ||
        typeof d.title !== 'string' ||
        typeof d.content !== 'string' ||
        typeof d.updatedAt !== 'string' ||
        typeof d.updatedBy !== 'string' ||
        (d.state !== undefined && !isDocumentState(d.state)) ||
        (revision.basedOn !== undefined && revision.basedOn !== null && typeof revision.basedOn !== 'string')
      ) {
        throw new Error(`${at}.document is not version ${i + 1} of ${record.id}`);
      }
    });
    const deleted = record.deleted;
    if (deleted !== null && !(isRecord(deleted) && typeof deleted.at === 'string' && typeof deleted.by === 'string')) {
      throw new Error(`${where}.deleted is neither null nor {at, by}`);
    }
  });
  return value as unknown as LegacySnapshot;
}
