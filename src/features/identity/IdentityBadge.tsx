import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_NAME_LENGTH, identityColours, setIdentity } from './identity-store.ts';
import { useIdentity } from './use-identity.ts';

/** Who this tab is, and a small form to change it. */
export function IdentityBadge() {
  const identity = useIdentity();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(identity.name);
  const nameId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    setIdentity({ name, colour: identity.colour });
    setEditing(false);
  }

  if (!editing) {
    return (
      <div className="identity">
        <span className="identity-dot" style={{ backgroundColor: identity.colour }} aria-hidden="true" />
        <span>
          <span className="visually-hidden">You are </span>
          <strong data-testid="identity-name">{identity.name}</strong>
        </span>
        <button
          type="button"
          className="button-quiet"
          onClick={() => {
            setName(identity.name);
            setEditing(true);
          }}
        >
          Change name
        </button>
      </div>
    );
  }

  return (
    <form className="identity" onSubmit={submit}>
      <label htmlFor={nameId}>Your name</label>
      <input
        id={nameId}
        value={name}
        maxLength={MAX_NAME_LENGTH}
        required
        autoFocus
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setEditing(false);
        }}
      />
      <fieldset className="identity-colours">
        <legend className="visually-hidden">Colour</legend>
        {identityColours.map((colour) => (
          <label key={colour} className="identity-swatch" style={{ backgroundColor: colour }}>
            <input
              type="radio"
              name="identity-colour"
              value={colour}
              checked={colour === identity.colour}
              onChange={() => setIdentity({ name: identity.name, colour })}
            />
            <span className="visually-hidden">{colour}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit">Done</button>
    </form>
  );
}
