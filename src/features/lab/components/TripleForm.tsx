import type { FormEvent } from 'react';
import type { Triple } from '../strategies/types.ts';

const FIELDS: ReadonlyArray<{ key: keyof Triple; label: string; hint: string }> = [
  { key: 'base', label: 'Base', hint: 'the text both started from' },
  { key: 'mine', label: 'Mine', hint: 'what I saved' },
  { key: 'theirs', label: 'Theirs', hint: 'what they saved' },
];

/** Three texts to paste or edit; Compare runs every strategy on them. */
export function TripleForm({ draft, onChange, onCompare }: { draft: Triple; onChange: (draft: Triple) => void; onCompare: () => void }) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onCompare();
  }
  return (
    <form className="lab-triple" onSubmit={submit} aria-labelledby="lab-triple-heading">
      <h2 id="lab-triple-heading">Base, mine and theirs</h2>
      <div className="lab-triple-fields">
        {FIELDS.map(({ key, label, hint }) => (
          <div className="field" key={key}>
            <label htmlFor={`lab-${key}`}>
              {label} <span className="hint">({hint})</span>
            </label>
            <textarea
              id={`lab-${key}`}
              rows={6}
              spellCheck={false}
              value={draft[key]}
              onChange={(event) => onChange({ ...draft, [key]: event.target.value })}
            />
          </div>
        ))}
      </div>
      <button type="submit">Compare strategies</button>
    </form>
  );
}
