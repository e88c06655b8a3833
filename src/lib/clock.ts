/** A time of day to show: an ISO timestamp from the server or milliseconds since the epoch. */
export type FormatTime = (time: string | number) => string;

/** "12:03" in the reader's locale and time zone (both can be fixed for tests). */
export function clockFormatter(locale?: string, timeZone?: string): FormatTime {
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  return (time) => {
    const date = new Date(time);
    return Number.isNaN(date.getTime()) ? 'an unknown time' : format.format(date);
  };
}
