import { describe, expect, it } from 'vitest';
import { clockFormatter, dateTimeFormatter } from './clock.ts';

const afternoon = '2026-11-30T15:03:00Z';
const morning = '2026-11-30T03:32:00Z';

describe('clockFormatter', () => {
  it('writes a time of day the way the reader’s locale does', () => {
    expect(clockFormatter('en-GB', 'UTC')(afternoon)).toBe('15:03');
    expect(clockFormatter('de-DE', 'UTC')(afternoon)).toBe('15:03');
    expect(clockFormatter('en-US', 'UTC')(morning)).toBe('3:32 AM');
    expect(clockFormatter('en-GB', 'UTC')('not a time')).toBe('an unknown time');
  });
});

describe('dateTimeFormatter', () => {
  it('adds the date, in the reader’s way', () => {
    expect(dateTimeFormatter('en-GB', 'UTC')(afternoon)).toBe('30 Nov 2026, 15:03');
    expect(dateTimeFormatter('de-DE', 'UTC')(afternoon)).toBe('30.11.2026, 15:03');
    expect(dateTimeFormatter('en-GB', 'UTC')('not a time')).toBe('an unknown time');
  });
});
