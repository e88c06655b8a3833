/**
 * Each tab acts as one user: a name and a colour kept in sessionStorage (per tab), sent as
 * `X-User` on every request. A simulation aid, not authentication.
 *
 * `?as=new` picks a fresh identity (browsers copy sessionStorage into a tab opened from this one,
 * so the new tab would otherwise be the same user), never the name in `&besides=` (a tab opened
 * with `noopener`, as every `target="_blank"` link is, gets no copy to compare with); `?as=Name`
 * takes that name.
 */

export interface Identity {
  name: string;
  colour: string;
}

const STORAGE_KEY = 'conflict-lab:identity';
const NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Oscar', 'Peggy', 'Trent', 'Victor', 'Wendy'];
// Dark enough for white text at WCAG AA contrast.
const COLOURS = ['#b3261e', '#1d6b2f', '#0b57d0', '#7a3ea1', '#a04500', '#00696b', '#8c1d6a', '#5b5f00'];
export const MAX_NAME_LENGTH = 40;

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Identity = load();

function load(): Identity {
  const { as: fromUrl, besides } = takeUrlRequest();
  const stored = readStored();
  let identity: Identity;
  if (fromUrl === 'new') identity = randomIdentity([stored?.name, besides]);
  else if (fromUrl) identity = { name: fromUrl, colour: stored?.colour ?? pick(COLOURS) };
  else identity = stored ?? randomIdentity();
  save(identity);
  return identity;
}

/** Reads `?as=` (and `&besides=`) and removes them from the address bar, so a reload keeps the chosen identity. */
function takeUrlRequest(): { as: string | null; besides: string | null } {
  if (typeof window === 'undefined') return { as: null, besides: null };
  const url = new URL(window.location.href);
  const as = url.searchParams.get('as');
  const besides = url.searchParams.get('besides');
  if (as === null && besides === null) return { as: null, besides: null };
  url.searchParams.delete('as');
  url.searchParams.delete('besides');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  const name = cleanName(as ?? '');
  return { as: name === '' ? null : name, besides: besides === null ? null : cleanName(besides) };
}

function readStored(): Identity | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Identity>;
    if (typeof parsed.name !== 'string' || typeof parsed.colour !== 'string') return null;
    const name = cleanName(parsed.name);
    return name ? { name, colour: parsed.colour } : null;
  } catch {
    return null;
  }
}

function save(identity: Identity): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(identity));
  } catch {
    // Storage may be disabled; the identity still lives for this page.
  }
}

function randomIdentity(avoid: ReadonlyArray<string | null | undefined> = []): Identity {
  const names = NAMES.filter((n) => !avoid.includes(n));
  return { name: pick(names), colour: pick(COLOURS) };
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** Header values must be a single short line. */
export function cleanName(name: string): string {
  return name.replace(/[\r\n\t]/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export function getIdentity(): Identity {
  return current;
}

export function setIdentity(next: Identity): void {
  const name = cleanName(next.name);
  if (!name) return;
  current = { name, colour: next.colour };
  save(current);
  for (const listener of listeners) listener();
}

export function subscribeIdentity(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const identityColours: readonly string[] = COLOURS;
