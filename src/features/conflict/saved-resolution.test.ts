import { describe, expect, it } from 'vitest';
import type { Choice } from './choices.ts';
import { forgetResolution, inputsSignature, loadResolution, saveResolution } from './saved-resolution.ts';

/** A Storage that keeps items in memory, as session storage does, with an optional quota. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  readonly quota: number;
  constructor(quota = Infinity) {
    this.quota = quota;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (value.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const choices = new Map<string, Choice>([
  ['["b\\n","B1\\n","B2\\n"]#0', { kind: 'take', take: 'theirs' }],
  ['["d\\n","D1\\n","D2\\n"]#0', { kind: 'edit', text: 'by hand\n' }],
]);

describe('saved resolution', () => {
  it('gives back the choices and the typed result it kept, per document', () => {
    const storage = new MemoryStorage();
    const inputs = inputsSignature('base', 'mine', 'theirs');
    saveResolution(storage, 'd_1', { choices, typedResult: 'typed\n', inputs, putAside: [] });
    const loaded = loadResolution(storage, 'd_1');
    expect(loaded).toEqual({ choices, typedResult: 'typed\n', inputs, putAside: [] });
    expect(loadResolution(storage, 'd_2')).toBeNull();
    forgetResolution(storage, 'd_1');
    expect(loadResolution(storage, 'd_1')).toBeNull();
  });

  it('keeps nothing when there is nothing to keep', () => {
    const storage = new MemoryStorage();
    saveResolution(storage, 'd_1', { choices, typedResult: null, inputs: 'x', putAside: [] });
    saveResolution(storage, 'd_1', { choices: new Map(), typedResult: null, inputs: 'x', putAside: [] });
    expect(storage.items.size).toBe(0);
  });

  it('keeps text put aside, even when it is all there is to keep', () => {
    const storage = new MemoryStorage();
    const putAside = ['Monday: typed by hand, <b>not</b> markup\n', 'second\r\nline'];
    saveResolution(storage, 'd_1', { choices: new Map(), typedResult: null, inputs: 'set aside', putAside });
    expect(loadResolution(storage, 'd_1')).toEqual({ choices: new Map(), typedResult: null, inputs: 'set aside', putAside });
    saveResolution(storage, 'd_1', { choices, typedResult: 'typed', inputs: 'x', putAside: ['one'] });
    expect(loadResolution(storage, 'd_1')).toEqual({ choices, typedResult: 'typed', inputs: 'x', putAside: ['one'] });
  });

  it('reads records kept before text was put aside, and skips what is not text', () => {
    const storage = new MemoryStorage();
    storage.setItem(
      'conflict-lab:resolution:old',
      JSON.stringify({ choices: [['k', { kind: 'edit', text: 'by hand\n' }]], typedResult: null, inputs: 'x' }),
    );
    expect(loadResolution(storage, 'old')).toEqual({
      choices: new Map([['k', { kind: 'edit', text: 'by hand\n' }]]),
      typedResult: null,
      inputs: 'x',
      putAside: [],
    });
    storage.setItem(
      'conflict-lab:resolution:odd',
      JSON.stringify({ choices: [], typedResult: null, inputs: 'x', putAside: ['kept', 7, null, { text: 'x' }] }),
    );
    expect(loadResolution(storage, 'odd')?.putAside).toEqual(['kept']);
    storage.setItem('conflict-lab:resolution:bad', JSON.stringify({ choices: [], typedResult: null, inputs: 'x', putAside: 'no' }));
    expect(loadResolution(storage, 'bad')?.putAside).toEqual([]);
  });

  it('ignores what it cannot read, and drops unknown choices', () => {
    const storage = new MemoryStorage();
    storage.setItem('conflict-lab:resolution:a', '{not json');
    storage.setItem('conflict-lab:resolution:b', JSON.stringify({ choices: 'no', inputs: 'x', typedResult: null }));
    storage.setItem(
      'conflict-lab:resolution:c',
      JSON.stringify({
        choices: [
          ['k1', { kind: 'take', take: 'everything' }],
          ['k2', { kind: 'take', take: 'base' }],
          ['k3', { kind: 'edit', text: 7 }],
        ],
        inputs: 'x',
        typedResult: null,
      }),
    );
    expect(loadResolution(storage, 'a')).toBeNull();
    expect(loadResolution(storage, 'b')).toBeNull();
    expect(loadResolution(storage, 'c')?.choices).toEqual(new Map([['k2', { kind: 'take', take: 'base' }]]));
  });

  it('goes on without keeping anything when storage is full', () => {
    const storage = new MemoryStorage(10);
    expect(() => saveResolution(storage, 'd_1', { choices, typedResult: 'x', inputs: 'x', putAside: [] })).not.toThrow();
    expect(loadResolution(storage, 'd_1')).toBeNull();
  });

  it('tells merges apart by every input and by where text sits', () => {
    const one = inputsSignature('a', 'b', 'c');
    expect(inputsSignature('a', 'b', 'c')).toBe(one);
    expect(inputsSignature('a', 'b', 'C')).not.toBe(one);
    expect(inputsSignature('ab', '', 'c')).not.toBe(inputsSignature('a', 'b', 'c'));
    expect(inputsSignature('x', 'y', 'z')).not.toBe(inputsSignature('y', 'x', 'z'));
  });
});
