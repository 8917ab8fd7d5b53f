/**
 * When a dated value becomes knowable: the no-look-ahead rule of dated series
 * (an underlying dated by day, week or month; an event outcome released at a
 * fixed clock time). A tape must stamp a value no earlier than the moment a
 * trader could have known it.
 *
 * - {@link knownTimeOfDate}: a value dated `D` for a reference period starting at
 *   `D` (a day, a week or a calendar month) is known at the end of that period,
 *   plus `lagDays` calendar days, either at the end of that day (local midnight
 *   starting the next day) or at a given local clock time on that day.
 * - {@link nextLocalTimeAtOrAfter}: the first given local clock time at or after
 *   an instant (e.g. the 08:30 New York release following a market's close).
 *
 * Local times are resolved in an IANA zone with lib/import/zoned_time.ts (DST
 * followed; a clock time inside a DST gap is an error).
 *
 * @example
 * ```ts
 * import { knownTimeOfDate } from "./known_time.ts";
 * import { ZoneResolver } from "./zoned_time.ts";
 *
 * const utc = new ZoneResolver("UTC");
 * // A daily close dated 2025-09-23 is known when the day ends.
 * knownTimeOfDate({ year: 2025, month: 9, day: 23 }, {
 *   zone: utc, period: "day", lagDays: 0, at: "end_of_day",
 * }); // Date.UTC(2025, 8, 24)
 * ```
 *
 * @module
 */

import type { ZoneResolver } from "./zoned_time.ts";

/** A calendar date (month 1..12). */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A local clock time. */
export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

/** The reference period a date names (its first day). */
export type Period = "day" | "week" | "month";

/** How a dated value becomes known (see {@link knownTimeOfDate}). */
export interface KnownTimeRule {
  readonly zone: ZoneResolver;
  readonly period: Period;
  /** Calendar days after the period's last day (>= 0). */
  readonly lagDays: number;
  /** `end_of_day`: local midnight after that day; a clock time: that time on that day. */
  readonly at: "end_of_day" | ClockTime;
}

const MS_PER_DAY = 86_400_000;

/** The date `days` calendar days after `d` (negative: before). */
export function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * MS_PER_DAY);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The last day of the period starting at `d`. */
function periodLastDay(d: CalendarDate, period: Period): CalendarDate {
  switch (period) {
    case "day":
      return d;
    case "week":
      return addDays(d, 6);
    case "month": {
      const t = new Date(Date.UTC(d.year, d.month, 0));
      return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
    }
  }
}

/** The instant of a local clock time on a date in a zone. */
export function localInstant(zone: ZoneResolver, d: CalendarDate, t: ClockTime): number {
  return zone.localToUtcMs({
    year: d.year,
    month: d.month,
    day: d.day,
    hour: t.hour,
    minute: t.minute,
    second: 0,
    millisecond: 0,
  });
}

/**
 * When a value dated `d` is known under `rule` (see the module doc).
 *
 * @throws {RangeError} when the clock time falls in a DST gap of the zone.
 */
export function knownTimeOfDate(d: CalendarDate, rule: KnownTimeRule): number {
  const day = addDays(periodLastDay(d, rule.period), rule.lagDays);
  if (rule.at === "end_of_day") {
    return localInstant(rule.zone, addDays(day, 1), { hour: 0, minute: 0 });
  }
  return localInstant(rule.zone, day, rule.at);
}

/**
 * The first instant at or after `t` whose local clock time in `zone` is `at`.
 *
 * @throws {RangeError} when `at` falls in a DST gap on the day found.
 *
 * @example
 * ```ts
 * import { nextLocalTimeAtOrAfter } from "./known_time.ts";
 * import { ZoneResolver } from "./zoned_time.ts";
 *
 * const ny = new ZoneResolver("America/New_York");
 * // A CPI market closing 2025-08-12 12:29 UTC (08:29 EDT): the 08:30 release that day.
 * nextLocalTimeAtOrAfter(ny, Date.UTC(2025, 7, 12, 12, 29), { hour: 8, minute: 30 });
 * // Date.UTC(2025, 7, 12, 12, 30)
 * ```
 */
export function nextLocalTimeAtOrAfter(zone: ZoneResolver, t: number, at: ClockTime): number {
  const wall = new Date(t + zone.offsetAt(t));
  const today: CalendarDate = {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
  };
  for (let k = 0; k <= 2; k++) {
    const cand = localInstant(zone, addDays(today, k), at);
    if (cand >= t) return cand;
  }
  // Unreachable: a local day lasts at most 25 hours.
  throw new RangeError(
    `Cannot find local time: none at or after the instant, current value is ${t}`,
  );
}

/**
 * Parses `HH:MM` (24-hour clock).
 *
 * @throws {SyntaxError} when not `HH:MM` with hour 0..23 and minute 0..59.
 */
export function parseClockTime(s: string): ClockTime {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new SyntaxError(
      `Cannot parse clock time: not HH:MM (00:00..23:59), current value is ${JSON.stringify(s)}`,
    );
  }
  return { hour: Number(m[1]), minute: Number(m[2]) };
}
