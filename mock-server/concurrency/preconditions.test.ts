/**
 * What each concurrency mode holds a write to, from its conditions alone (a missing one is the
 * 428 that checkWrite answers), and what that guard makes of the current version. The answers
 * over HTTP are in ../concurrency-modes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { concurrencyModes, httpSeconds } from '../../src/protocol/concurrency.ts';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import type { StoredRevision } from '../storage/types.ts';
import { evaluate, writeGuard, type WriteConditions } from './preconditions.ts';

const SAVED_AT = '2026-11-30T10:00:00.700Z';
const current: StoredRevision = {
  document: { id: 'd_1', title: 'Notes', content: 'two', version: 2, updatedAt: SAVED_AT, updatedBy: 'Bob', state: 'draft' },
  etag: '"v2"',
  basedOn: '"v1"',
};

function conditions({ ifMatch, since, basedOn }: { ifMatch?: string; since?: number; basedOn?: string }): WriteConditions {
  return {
    ifMatch: ifMatch === undefined ? null : { raw: ifMatch, condition: parseEntityTagCondition(ifMatch) },
    ifUnmodifiedSince: since ?? null,
    basedOn: basedOn ?? null,
  };
}

const checking = concurrencyModes.filter((mode) => mode !== 'none');

describe('writeGuard: the condition each mode needs', () => {
  it('every mode but none needs a condition: a write with none gets no guard (428)', () => {
    expect(checking).toEqual(['timestamp', 'etag', 'lock', 'server-merge']);
    for (const mode of checking) expect(writeGuard(mode, conditions({ basedOn: '"v1"' })), mode).toBeNull();
    expect(writeGuard('none', conditions({}))).toEqual({ kind: 'unchecked', basedOn: null });
  });

  it('If-Match is enough in every mode that checks, and decides even beside a date (RFC 9110 §13.2.2)', () => {
    for (const mode of checking) {
      expect(writeGuard(mode, conditions({ ifMatch: '"v1"', since: httpSeconds(SAVED_AT), basedOn: '"v0"' })), mode).toEqual({
        kind: 'if-match',
        condition: parseEntityTagCondition('"v1"'),
      });
    }
  });

  it('a date alone is enough only in timestamp; one that was not a valid date counts as none', () => {
    const since = httpSeconds(SAVED_AT);
    expect(writeGuard('timestamp', conditions({ since, basedOn: '"v1"' }))).toEqual({ kind: 'unmodified-since', seconds: since, basedOn: '"v1"' });
    for (const mode of ['etag', 'lock', 'server-merge'] as const) expect(writeGuard(mode, conditions({ since })), mode).toBeNull();
    // readWriteConditions gives null for an If-Unmodified-Since that is not an HTTP date.
    expect(writeGuard('timestamp', conditions({ basedOn: '"v1"' }))).toBeNull();
  });

  it('none checks nothing, and keeps as the version seen the first tag of If-Match, made strong, else X-Based-On', () => {
    expect(writeGuard('none', conditions({ ifMatch: 'W/"v1", "v0"', basedOn: '"x"' }))).toEqual({ kind: 'unchecked', basedOn: '"v1"' });
    expect(writeGuard('none', conditions({ ifMatch: '*', basedOn: '"x"' }))).toEqual({ kind: 'unchecked', basedOn: '"x"' });
    expect(writeGuard('none', conditions({ since: 0, basedOn: '"x"' }))).toEqual({ kind: 'unchecked', basedOn: '"x"' });
  });
});

describe('evaluate: what a guard makes of the current version', () => {
  it('unchecked: a pass, recording what the writer saw', () => {
    expect(evaluate({ kind: 'unchecked', basedOn: '"v0"' }, current)).toEqual({ kind: 'pass', basedOn: '"v0"' });
  });

  it('If-Match: a pass made from the current version when a tag matches it, else stale, naming the tags sent', () => {
    expect(evaluate({ kind: 'if-match', condition: parseEntityTagCondition('"v0", "v2"') }, current)).toEqual({ kind: 'pass', basedOn: '"v2"' });
    expect(evaluate({ kind: 'if-match', condition: parseEntityTagCondition('*') }, current)).toEqual({ kind: 'pass', basedOn: '"v2"' });
    const stale = parseEntityTagCondition('"v1"');
    expect(evaluate({ kind: 'if-match', condition: stale }, current)).toEqual({ kind: 'stale', condition: stale });
  });

  it('a date: passes when the version is no later, to the second (RFC 9110 §13.1.4); stale names X-Based-On or nothing', () => {
    const second = httpSeconds(SAVED_AT);
    expect(evaluate({ kind: 'unmodified-since', seconds: second, basedOn: '"v1"' }, current)).toEqual({ kind: 'pass', basedOn: '"v1"' });
    expect(evaluate({ kind: 'unmodified-since', seconds: second - 1, basedOn: '"v1"' }, current)).toEqual({
      kind: 'stale',
      condition: parseEntityTagCondition('"v1"'),
    });
    expect(evaluate({ kind: 'unmodified-since', seconds: second - 1, basedOn: null }, current)).toEqual({ kind: 'stale', condition: { any: false, tags: [] } });
  });
});
