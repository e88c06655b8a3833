// The dialog rendered to HTML by React itself (no browser): what it shows for a given conflict.
// Interaction (focus, keys, clicks) is covered by the Playwright specs that drive the real app.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../protocol/problems.ts';
import ConflictDialog from './components/ConflictDialog.tsx';
import { PutAsideTexts } from './components/PutAsideTexts.tsx';
import type { ConflictDialogProps, ConflictInput } from './types.ts';

function conflictOf(base: string, mine: string, theirs: string, extra: Partial<ConflictInput> = {}): ConflictInput {
  return {
    docId: `d_${Math.random().toString(36).slice(2)}`,
    base: { title: 'Plan', content: base, version: 5 },
    mine: { title: 'Plan', content: mine },
    theirs: { id: 'd_x', title: 'Plan', content: theirs, version: 7, updatedAt: '2026-11-22T12:03:00Z', updatedBy: 'Bob', state: 'draft' },
    currentEtag: '"7"',
    changesSince: [
      { version: 6, updatedBy: 'Carol', updatedAt: '2026-11-22T12:01:00Z' },
      { version: 7, updatedBy: 'Bob', updatedAt: '2026-11-22T12:03:00Z' },
    ],
    arrivedDuringResolution: 0,
    ...extra,
  };
}

function render(conflict: ConflictInput, overrides: Partial<ConflictDialogProps> = {}): string {
  const props: ConflictDialogProps = {
    conflict,
    saving: false,
    error: null,
    onResolve: () => {},
    onDiscard: () => {},
    onCancel: () => {},
    ...overrides,
  };
  return renderToStaticMarkup(createElement(ConflictDialog, props));
}

/** The opening tag of the first button whose text starts with `label`. */
function buttonTag(html: string, label: string): string {
  const match = new RegExp(`<button[^>]*>${label.replace(/[()]/g, '\\$&')}`).exec(html);
  if (!match) throw new Error(`no button "${label}"`);
  return match[0];
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('ConflictDialog markup', () => {
  const base = 'intro\nalpha\nmiddle\nomega\n';
  const twoConflicts = conflictOf(base, 'intro\nalpha mine\nmiddle\nomega mine\n', 'intro\nalpha theirs\nmiddle\nomega theirs\n');

  it('is a modal dialog named for the conflict, saying who saved what since your version', () => {
    const html = render(twoConflicts);
    expect(html).toMatch(/^<dialog [^>]*aria-modal="true"[^>]*aria-labelledby="([^"]+)"/);
    const titleId = /aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toContain(`id="${titleId}" class="cd-title">Edit conflict: Plan</h2>`);
    expect(html).toMatch(/Since version 5, which you started from: Bob saved version 7 at .+ · Carol saved version 6 at /);
    expect(html).not.toContain('new change arrived');
  });

  it('says so when the version you started from is not known, and offers your text against theirs as it is', () => {
    const html = render(conflictOf('', 'alpha mine\n', 'alpha theirs\n', { base: { title: '', content: '', version: null }, changesSince: [] }));
    expect(html).toMatch(/Which version you started from is not known, so your text is compared with the latest as it is: Bob saved version 7 at /);
    expect(html).not.toContain('Since version');
    expect(count(html, '>Take mine</button>')).toBe(1);
    expect(count(html, '>Take theirs</button>')).toBe(1);
  });

  it('offers every way to resolve each conflict and counts the open ones', () => {
    const html = render(twoConflicts);
    for (const label of ['Take mine', 'Take theirs', 'Take both (mine first)', 'Take both (theirs first)', 'Take base', 'Edit'])
      expect(count(html, `>${label}</button>`)).toBe(2);
    expect(html).toContain('role="status">2 of 2 conflicts left</p>');
    expect(buttonTag(html, 'Merge')).toContain('aria-disabled="true"');
    expect(html).toContain('Resolve the 2 open conflicts first');
    expect(buttonTag(html, 'Overwrite')).not.toContain('aria-disabled');
  });

  it('marks word changes with ins and del, and shows document HTML as text', () => {
    const html = render(
      conflictOf('a <b>x</b>\n', 'a <b>y</b> <script>alert(1)</script>\n', 'a <b>z</b>\n'),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/<del>[^<]*x[^<]*<\/del>/);
    expect(html).toMatch(/<ins>[^<]*y[^<]*<\/ins>/);
  });

  it('merges clean documents with Merge on offer and the changes marked by whose they are', () => {
    const html = render(conflictOf(base, 'intro\nalpha mine\nmiddle\nomega\n', 'intro\nalpha\nmiddle\nomega theirs\n'));
    expect(html).toContain('No conflicts: every change merged on its own');
    expect(buttonTag(html, 'Merge')).not.toContain('aria-disabled');
    expect(html).toContain('<span class="cd-badge">Yours</span>');
    expect(html).toContain('<span class="cd-badge">Theirs (Bob and Carol)</span>');
    // The result text fills in on the render right after the first one.
    expect(html).toMatch(/<textarea [^>]*placeholder="Preparing the merged result…"[^>]*readOnly=""[^>]*><\/textarea>/);
  });

  it('folds a 10,000-line document down to context around its conflicts, and first renders only the first few', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i}`);
    const mine = lines.slice();
    const theirs = lines.slice();
    for (let k = 0; k < 50; k++) {
      const at = 100 + k * 195;
      mine[at] += ' mine';
      theirs[at] += ' theirs';
    }
    const join = (l: string[]) => `${l.join('\n')}\n`;
    const html = render(conflictOf(join(lines), join(mine), join(theirs)));
    expect(html).toContain('50 of 50 conflicts left');
    // The first render (all a server render shows) stops six conflicts in, more than a screen
    // holds; the other 44 follow in the render right after.
    expect(count(html, '>Take theirs</button>')).toBe(6);
    expect(html).toContain('Show 97 unchanged lines (lines 1–97)');
    expect(count(html, 'Show 188 unchanged lines')).toBe(6);
    // Only the merged result holds every line; the three-way view holds a few around each conflict.
    const view = html.slice(html.indexOf('cd-merge-view'), html.indexOf('cd-result'));
    expect(view).not.toContain('line 5000\n');
    expect(count(view, '\n')).toBeLessThan(2_000);
  });

  it('notes changes that arrived and a title both sides changed', () => {
    const html = render(
      conflictOf(base, base, 'intro\nalpha\nmiddle\nomega!\n', {
        arrivedDuringResolution: 2,
        mine: { title: 'Plan A', content: base },
        theirs: { id: 'd_x', title: 'Plan B', content: base, version: 7, updatedAt: '2026-11-22T12:03:00Z', updatedBy: 'Bob', state: 'draft' },
      }),
    );
    expect(html).toContain('2 new changes arrived while you were resolving');
    expect(html).toContain('Yours: “Plan A”');
  });

  it('counts a title both sides changed as a conflict, with no side taken for the user', () => {
    const html = render(
      conflictOf(base, base, base, {
        mine: { title: 'Plan A', content: base },
        theirs: { id: 'd_x', title: 'Plan B', content: base, version: 7, updatedAt: '2026-11-22T12:03:00Z', updatedBy: 'Bob', state: 'draft' },
      }),
    );
    expect(html).toContain('class="cd-title">Edit conflict: Plan A</h2>');
    expect(html).toContain('Title conflict: both sides changed it; choose one');
    expect(html).toContain('1 of 1 conflict left');
    expect(html).not.toContain('checked');
    expect(buttonTag(html, 'Merge')).toContain('aria-disabled="true"');
  });

  it('shows no conflict markers while conflicts are open, until asked', () => {
    const html = render(twoConflicts);
    expect(html).not.toContain('&lt;&lt;&lt;&lt;&lt;&lt;&lt; mine');
    expect(html).not.toContain('<textarea id');
    expect(html).toContain('>Edit the result as text</button>');
  });

  it('is titled "Review changes" when nothing conflicts', () => {
    const html = render(conflictOf(base, 'intro\nalpha mine\nmiddle\nomega\n', 'intro\nalpha\nmiddle\nomega theirs\n'));
    expect(html).toContain('class="cd-title">Review changes: Plan</h2>');
    expect(html).toContain('No conflicts: every change merged on its own');
  });

  it('locks every action while saving and explains a failed save in plain words', () => {
    const gone: Problem = { type: '/problems/gone', title: 'Gone', status: 410, detail: 'Deleted by Bob.' };
    const html = render(twoConflicts, { saving: true, error: gone, onSaveAsNew: () => {} });
    for (const label of ['Merge', 'Overwrite', 'Discard', 'Cancel', 'Take mine', 'Save as a new document'])
      expect(buttonTag(html, label)).toContain('aria-disabled="true"');
    expect(html).toContain('role="alert"><p>This document was deleted while you were resolving.');
    expect(html).toContain('role="status">Saving…</p>');
  });

  it('lets the keyboard reach a long side that scrolls, and only such a side', () => {
    const block = (tag: string) => Array.from({ length: 30 }, (_, i) => `${tag} ${i}`).join('\n') + '\n';
    const html = render(conflictOf(`a\n${block('base')}z\n`, `a\n${block('mine')}z\n`, 'a\nshort\nz\n'));
    expect(html).toContain('<pre class="cd-side-text" tabindex="0" role="region" aria-label="Yours in conflict 1">');
    expect(count(html, 'tabindex="0"')).toBe(1);
  });

  it('gives every element a distinct id', () => {
    const html = render(twoConflicts);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('text put aside', () => {
  it('is not in the dialog while there is none', () => {
    expect(render(conflictOf('a\nb\n', 'a\nB1\n', 'a\nB2\n'))).not.toContain('Text you typed for a conflict that changed');
  });

  it('shows each typed text as plain text in a read-only field, in a named region', () => {
    const html = renderToStaticMarkup(
      createElement(PutAsideTexts, { texts: ['<b>bold?</b>\n', 'second'], onDismiss: () => {}, focusAfterLast: () => {} }),
    );
    const headingId = /role="region" aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toContain(`id="${headingId}" class="cd-aside-title">Text you typed for a conflict that changed</h3>`);
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt;');
    expect(html).not.toContain('<b>');
    expect(count(html, 'readOnly=""')).toBe(2);
    expect(count(html, '>Copy</button>')).toBe(2);
    expect(count(html, '>Dismiss</button>')).toBe(2);
  });
});
