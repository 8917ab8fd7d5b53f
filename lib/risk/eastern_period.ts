/**
 * Eastern-time calendar periods for the loss caps: the ET day and the ET week of
 * an instant, computed with the IANA zone `America/New_York` through Intl (never
 * a fixed offset), so days are 23 or 25 hours long across a DST change.
 *
 * - Day: from 00:00 ET to the next 00:00 ET; its key is the ET date "YYYY-MM-DD".
 * - Week: from Monday 00:00 ET to the next Monday 00:00 ET; its key is the date of
 *   that Monday, "YYYY-MM-DD".
 *
 * @example
 * ```ts
 * import { easternDayKey, easternWeekKey } from "./eastern_period.ts";
 *
 * // 2026-03-09 04:30 UTC is 00:30 EDT on Monday, March 9 (DST began on the 8th).
 * easternDayKey(Date.UTC(2026, 2, 9, 4, 30)); // "2026-03-09"
 * easternWeekKey(Date.UTC(2026, 2, 9, 4, 30)); // "2026-03-09"
 * easternWeekKey(Date.UTC(2026, 2, 9, 3, 30)); // "2026-03-02" (Sunday 23:30 EDT)
 * ```
 *
 * @module
 */

const ET_DATE = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** A calendar date (proleptic Gregorian). */
export interface CivilDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
}

function checkTs(action: string, ts: number): void {
  if (!Number.isSafeInteger(ts)) {
    throw new RangeError(
      `Cannot ${action}: time must be an integer of ms since the epoch, current value is ${ts}`,
    );
  }
}

/**
 * The calendar date in America/New_York at an instant.
 *
 * @throws {RangeError} when `ts` is not a safe integer.
 *
 * @example
 * ```ts
 * import { easternDate } from "./eastern_period.ts";
 *
 * easternDate(Date.UTC(2026, 10, 1, 3, 59)); // { year: 2026, month: 10, day: 31 }
 * ```
 */
export function easternDate(ts: number): CivilDate {
  checkTs("find the Eastern date", ts);
  let year = 0;
  let month = 0;
  let day = 0;
  for (const p of ET_DATE.formatToParts(ts)) {
    if (p.type === "year") year = Number(p.value);
    else if (p.type === "month") month = Number(p.value);
    else if (p.type === "day") day = Number(p.value);
  }
  return { year, month, day };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function formatDate(d: CivilDate): string {
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/** Monday of the week of a civil date (weeks start on Monday). */
function mondayOf(d: CivilDate): CivilDate {
  const noonUtc = Date.UTC(d.year, d.month - 1, d.day, 12);
  const dow = new Date(noonUtc).getUTCDay(); // 0 = Sunday
  const back = (dow + 6) % 7; // days since Monday
  const m = new Date(noonUtc - back * MS_PER_DAY);
  return { year: m.getUTCFullYear(), month: m.getUTCMonth() + 1, day: m.getUTCDate() };
}

/**
 * The ET day of an instant, as its date "YYYY-MM-DD".
 *
 * @throws {RangeError} when `ts` is not a safe integer.
 *
 * @example
 * ```ts
 * import { easternDayKey } from "./eastern_period.ts";
 *
 * easternDayKey(Date.UTC(2026, 2, 8, 4, 59)); // "2026-03-07" (23:59 EST)
 * easternDayKey(Date.UTC(2026, 2, 8, 5, 0)); // "2026-03-08" (00:00 EST)
 * ```
 */
export function easternDayKey(ts: number): string {
  return formatDate(easternDate(ts));
}

/**
 * The ET week of an instant (weeks start Monday 00:00 ET), as the date of its
 * Monday "YYYY-MM-DD".
 *
 * @throws {RangeError} when `ts` is not a safe integer.
 *
 * @example
 * ```ts
 * import { easternWeekKey } from "./eastern_period.ts";
 *
 * easternWeekKey(Date.UTC(2026, 10, 2, 4, 59)); // "2026-10-26" (Sunday Nov 1, 23:59 EST)
 * easternWeekKey(Date.UTC(2026, 10, 2, 5, 0)); // "2026-11-02" (Monday 00:00 EST)
 * ```
 */
export function easternWeekKey(ts: number): string {
  return formatDate(mondayOf(easternDate(ts)));
}

/**
 * Day and week keys with a one-entry cache per UTC hour. Since standard time began
 * (1883) America/New_York has changed its offset only at whole UTC hours (DST
 * changes at 02:00 local), so every instant of one UTC hour has the same ET date;
 * the cache saves an Intl call per lookup when the times come close together
 * (replay, live updates).
 *
 * @example
 * ```ts
 * import { EasternPeriods } from "./eastern_period.ts";
 *
 * const periods = new EasternPeriods();
 * periods.of(Date.UTC(2026, 2, 9, 4)); // { day: "2026-03-09", week: "2026-03-09" }
 * ```
 */
export class EasternPeriods {
  #hour = Number.NaN;
  #day = "";
  #week = "";

  /** The ET day and week keys of an instant. */
  of(ts: number): { readonly day: string; readonly week: string } {
    checkTs("find the Eastern period", ts);
    const hour = Math.floor(ts / MS_PER_HOUR);
    if (hour !== this.#hour) {
      const d = easternDate(ts);
      this.#day = formatDate(d);
      this.#week = formatDate(mondayOf(d));
      this.#hour = hour;
    }
    return { day: this.#day, week: this.#week };
  }
}
