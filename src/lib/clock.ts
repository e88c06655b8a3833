/** A time of day to show: an ISO timestamp from the server or milliseconds since the epoch. */
export type FormatTime = (time: string | number) => string;

/**
 * The reader's languages in order of preference, as the browser sends them: the runtime's default
 * locale is the browser's own interface language, which need not be the reader's.
 */
function readerLocales(): readonly string[] | undefined {
  return typeof navigator !== 'undefined' && navigator.languages?.length ? navigator.languages : undefined;
}

/**
 * "08:03", "15:03" or "3:03 PM": a time of day as the reader's locale writes it ("short" style,
 * so a 12-hour clock does not read "03:32 AM"), in their time zone (both can be fixed for tests).
 */
export function clockFormatter(locale?: string, timeZone?: string): FormatTime {
  const format = new Intl.DateTimeFormat(locale ?? readerLocales(), { timeStyle: 'short', timeZone });
  return (time) => {
    const date = new Date(time);
    return Number.isNaN(date.getTime()) ? 'an unknown time' : format.format(date);
  };
}

/** "30 Nov 2026, 15:03" (or the reader's own way of writing it): when a version was saved. */
export function dateTimeFormatter(locale?: string, timeZone?: string): FormatTime {
  const format = new Intl.DateTimeFormat(locale ?? readerLocales(), { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return (time) => {
    const date = new Date(time);
    return Number.isNaN(date.getTime()) ? 'an unknown time' : format.format(date);
  };
}
