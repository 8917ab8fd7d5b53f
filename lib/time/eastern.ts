/**
 * Calendar arithmetic for publication schedules: Eastern-time wall clocks
 * (America/New_York via Intl, never a fixed offset) and whole days counted as
 * "day numbers" (days since 1970-01-01 on the proleptic Gregorian calendar).
 *
 * Pure: Intl formatting of a given instant is deterministic; no clock is read.
 *
 * @example
 * ```ts
 * import { easternDayNumber, easternWallToUtc, parseIsoDay } from "./eastern.ts";
 * const ts = easternWallToUtc(2025, 8, 12, 8, 30); // 2025-08-12T12:30:00Z (EDT)
 * easternDayNumber(ts) === parseIsoDay("2025-08-12"); // true
 * ```
 *
 * @module
 */

const MS_PER_DAY = 86_400_000;

const ET = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  hourCycle: "h23",
});

/** Eastern-time wall-clock fields of an instant. */
export interface EasternParts {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function checkTs(action: string, ts: number): void {
  if (!Number.isFinite(ts)) {
    throw new RangeError(
      `Cannot ${action}: ts must be a finite ms timestamp, current value is ${ts}`,
    );
  }
}

/**
 * The wall-clock fields of `ts` in America/New_York.
 *
 * @throws {RangeError} when ts is not finite.
 */
export function easternParts(ts: number): EasternParts {
  checkTs("read Eastern time", ts);
  const p: Record<string, number> = {};
  for (const part of ET.formatToParts(ts)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return {
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
  };
}

/**
 * The instant at which Eastern wall clocks show the given date and time. For a
 * time skipped by the spring-forward change the result is an hour later on the
 * clock; for a repeated autumn hour, the first (EDT) occurrence.
 *
 * @throws {RangeError} when a field is not an integer in range.
 */
export function easternWallToUtc(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const bad = (name: string, v: number) => {
    throw new RangeError(
      `Cannot convert Eastern time: ${name} is out of range, current value is ${v}`,
    );
  };
  if (!Number.isInteger(year)) bad("year", year);
  if (!Number.isInteger(month) || month < 1 || month > 12) bad("month", month);
  if (!Number.isInteger(day) || day < 1 || day > 31) bad("day", day);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) bad("hour", hour);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) bad("minute", minute);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const shows = (ts: number) => {
    const p = easternParts(ts);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === wall;
  };
  // Eastern time is UTC-4 (EDT) or UTC-5 (EST).
  const edt = wall + 4 * 3_600_000;
  const est = wall + 5 * 3_600_000;
  if (shows(edt)) return edt; // also the first of a repeated autumn hour
  // EST, or a skipped spring time read as EST (an hour later on the clock).
  return est;
}

/** Day number (days since 1970-01-01) of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** The calendar date of a day number. */
export function dayDate(n: number): { year: number; month: number; day: number } {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The instant Eastern wall clocks show `hour:minute` on day number `day`
 * ({@link easternWallToUtc} of that day's date).
 *
 * @example
 * ```ts
 * easternDayTime(dayNumber(2025, 8, 12), 18, 0); // 2025-08-12 18:00 EDT = 22:00 UTC
 * ```
 */
export function easternDayTime(day: number, hour: number, minute: number): number {
  const { year, month, day: d } = dayDate(day);
  return easternWallToUtc(year, month, d, hour, minute);
}

/** Day of week of a day number: 0 = Sunday .. 6 = Saturday. */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The day number of the Eastern-time calendar date of `ts`. */
export function easternDayNumber(ts: number): number {
  const p = easternParts(ts);
  return dayNumber(p.year, p.month, p.day);
}

/** A month counted from January 1970 (0): year * 12 + month - 1 - 1970 * 12. */
export function monthIndex(year: number, month: number): number {
  return (year - 1970) * 12 + month - 1;
}

/** The month index of the Eastern-time calendar month of `ts`. */
export function easternMonthIndex(ts: number): number {
  const p = easternParts(ts);
  return monthIndex(p.year, p.month);
}

/**
 * Number of weekdays (Monday..Friday) d with a < d <= b; negative of the count in
 * (b, a] when b < a. Holidays are not known here: they count as weekdays.
 */
export function weekdaysBetween(a: number, b: number): number {
  if (b < a) return -weekdaysBetween(b, a);
  const weekdaysUpTo = (n: number) => {
    // Weekdays in [day 0 .. n] inclusive, counting from a Monday origin.
    const m = n + 3; // day 0 is a Thursday: day -3 is a Monday
    const weeks = Math.floor(m / 7);
    const rem = m - weeks * 7; // 0 = Monday .. 6 = Sunday
    return weeks * 5 + Math.min(rem + 1, 5);
  };
  return weekdaysUpTo(b) - weekdaysUpTo(a);
}

/**
 * Parse `YYYY-MM-DD` into a day number.
 *
 * @throws {RangeError} when the text is not a valid calendar date in that form.
 */
export function parseIsoDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) {
    throw new RangeError(`Cannot parse a date: expected YYYY-MM-DD, current value is "${text}"`);
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const n = dayNumber(y, mo, d);
  const back = dayDate(n);
  if (mo < 1 || mo > 12 || back.month !== mo || back.day !== d) {
    throw new RangeError(`Cannot parse a date: no such calendar date, current value is "${text}"`);
  }
  return n;
}

/** `YYYY-MM-DD` of a day number. */
export function formatIsoDay(n: number): string {
  const { year, month, day } = dayDate(n);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${
    String(day).padStart(2, "0")
  }`;
}
