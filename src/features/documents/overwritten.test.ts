import { describe, expect, it } from 'vitest';
import { myChangeSurvives } from './overwritten.ts';

const v5 = { title: 'Plan', content: 'Monday: outline.\nTuesday: review.\nWednesday: ship.\n' };
const mine = { title: 'Plan', content: 'Monday: outline.\nTuesday: review with Bob.\nWednesday: ship.\n' };

describe('myChangeSurvives', () => {
  it('a later version that kept my change, alone or beside its own', () => {
    expect(myChangeSurvives(v5, mine, mine)).toBe(true);
    expect(myChangeSurvives(v5, mine, { ...mine, content: `${mine.content}Thursday: rest.\n` })).toBe(true);
    expect(myChangeSurvives(v5, mine, { ...mine, title: 'Plan for the week' })).toBe(true);
  });

  it('an Overwrite from the version before mine drops my change, wherever its own change was', () => {
    const alicesFromV5 = { ...v5, content: v5.content.replace('Wednesday: ship.', 'Wednesday: ship it all.') };
    expect(myChangeSurvives(v5, mine, alicesFromV5)).toBe(false);
    const sameLine = { ...v5, content: v5.content.replace('Tuesday: review.', 'Tuesday: Alice reviews.') };
    expect(myChangeSurvives(v5, mine, sameLine)).toBe(false);
    expect(myChangeSurvives(v5, mine, v5)).toBe(false);
  });

  it('a title I changed and someone put back is lost too', () => {
    const renamed = { ...v5, title: 'Plan (Bob)' };
    expect(myChangeSurvives(v5, renamed, v5)).toBe(false);
  });

  it('a save that changed nothing has nothing to lose', () => {
    expect(myChangeSurvives(v5, v5, { ...v5, content: 'Anything.\n' })).toBe(true);
  });
});
