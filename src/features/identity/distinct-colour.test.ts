import { describe, expect, it } from 'vitest';
import { distinctColour } from './distinct-colour.ts';

const palette = ['#b3261e', '#1d6b2f', '#0b57d0'];

describe('distinctColour', () => {
  it('keeps a colour nobody else present wears', () => {
    expect(distinctColour({ clientId: 'b', colour: '#1d6b2f' }, [{ clientId: 'a', color: '#b3261e' }], palette)).toBe('#1d6b2f');
  });

  it('gives way with the first free colour when an earlier client id wears the same one', () => {
    const others = [
      { clientId: 'a', color: '#1D6B2F' },
      { clientId: 'c', color: '#b3261e' },
    ];
    expect(distinctColour({ clientId: 'b', colour: '#1d6b2f' }, others, palette)).toBe('#0b57d0');
  });

  it('lets the earlier of the two keep it, so exactly one tab changes', () => {
    expect(distinctColour({ clientId: 'a', colour: '#1d6b2f' }, [{ clientId: 'b', color: '#1d6b2f' }], palette)).toBe('#1d6b2f');
  });

  it('shares a colour only when every colour is taken', () => {
    const others = palette.map((color, i) => ({ clientId: `a${i}`, color }));
    expect(distinctColour({ clientId: 'z', colour: '#b3261e' }, others, palette)).toBe('#b3261e');
  });
});
