/**
 * Two people present on one document never share a colour: who is who in the presence list, the
 * dialog's columns and the history depends on it. Both tabs see the same presence, so the rule
 * must pick the same tab to give way: the one whose client id sorts later takes the first colour
 * nobody present wears. Pure, so the rule is tested on its own.
 */
export function distinctColour(
  mine: { clientId: string; colour: string },
  others: ReadonlyArray<{ clientId: string; color: string }>,
  palette: readonly string[],
): string {
  const clash = others.some((other) => sameColour(other.color, mine.colour) && other.clientId < mine.clientId);
  if (!clash) return mine.colour;
  const free = palette.find((colour) => !others.some((other) => sameColour(other.color, colour)));
  // More people than colours: sharing one is all that is left.
  return free ?? mine.colour;
}

function sameColour(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
