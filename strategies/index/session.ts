/**
 * The US equity index session clock: regular sessions 09:30-16:00 Eastern time
 * (America/New_York via lib/time/eastern.ts, never a fixed offset), Monday to
 * Friday. Exchange holidays and early closes are not known here: a holiday
 * counts as a session day with no data, an early close as a full session.
 *
 * A session minute m (0..389) is the minute [09:30 + m, 09:31 + m) ET; the
 * session clock of an instant is its (fractional) minutes since 09:30 ET of its
 * Eastern day.
 *
 * @example
 * ```ts
 * import { sessionClock, sessionOpenTs } from "./session.ts";
 * import { dayNumber } from "../../lib/time/eastern.ts";
 * const open = sessionOpenTs(dayNumber(2025, 11, 3)); // 2025-11-03T14:30:00Z (EST)
 * sessionClock(open + 90 * 60_000); // { day: 20395, minute: 90 } (11:00 ET)
 * ```
 *
 * @module
 */

import { easternDayNumber, easternDayTime, weekdayOf } from "../../lib/time/eastern.ts";

/** Minutes in a regular session (09:30-16:00). */
export const SESSION_MINUTES = 390;

const MINUTE = 60_000;
const opens = new Map<number, number>();

/** Whether a day number is a weekday (Monday..Friday): a session day. */
export function isSessionDay(day: number): boolean {
  const w = weekdayOf(day);
  return w >= 1 && w <= 5;
}

/**
 * The instant of 09:30 ET on a day (cached).
 *
 * @throws {RangeError} when day is not an integer.
 */
export function sessionOpenTs(day: number): number {
  if (!Number.isInteger(day)) {
    throw new RangeError(
      `Cannot find the session open: day must be an integer day number, current value is ${day}`,
    );
  }
  let ts = opens.get(day);
  if (ts === undefined) {
    ts = easternDayTime(day, 9, 30);
    if (opens.size > 8192) opens.clear();
    opens.set(day, ts);
  }
  return ts;
}

/** The instant of 16:00 ET on a day (the open plus 390 minutes; no DST change in between). */
export function sessionCloseTs(day: number): number {
  return sessionOpenTs(day) + SESSION_MINUTES * MINUTE;
}

/**
 * The Eastern day of `ts` and its minutes since 09:30 ET that day (negative
 * before the open, above 390 after the close).
 *
 * @throws {RangeError} when ts is not finite.
 */
export function sessionClock(ts: number): { day: number; minute: number } {
  const day = easternDayNumber(ts);
  return { day, minute: (ts - sessionOpenTs(day)) / MINUTE };
}
