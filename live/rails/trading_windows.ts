/**
 * Eastern-time trading windows per series: the lane sends an order only while
 * the order's series is inside one of its windows, read on Eastern wall clocks
 * (IANA `America/New_York` through Intl, so DST is handled; lib/time/eastern.ts).
 *
 * Configuration (JSON): series ticker -> list of windows; the key `"*"` is the
 * default for series not listed. A series with no entry and no `"*"` is not
 * restricted. A window is `{ "start": "HH:MM", "end": "HH:MM", "days": [1..7] }`
 * with `start` inclusive, `end` exclusive, `days` ISO weekdays (1 = Monday ..
 * 7 = Sunday; default every day). `end` before `start` wraps past midnight (the
 * day named is the day the window starts).
 *
 * The time judged is the venue's `now` (the exchange time of the event the
 * strategy is reacting to), which is the wall clock when trading live and the
 * tape's time when the mock exchange replays an old tape.
 *
 * @example
 * ```ts
 * import { parseTradingWindows, windowCheck } from "./trading_windows.ts";
 *
 * const w = parseTradingWindows({ KXINX: [{ start: "09:30", end: "16:00", days: [1, 2, 3, 4, 5] }] });
 * windowCheck(w, "KXINX", Date.UTC(2026, 0, 5, 15, 0)).ok; // true: Monday 10:00 EST
 * windowCheck(w, "KXINX", Date.UTC(2026, 0, 5, 22, 0)).ok; // false: 17:00 EST
 * windowCheck(w, "KXBTCD", Date.UTC(2026, 0, 5, 22, 0)).ok; // true: not restricted
 * ```
 *
 * @module
 */

import { dayNumber, easternParts, weekdayOf } from "../../lib/time/eastern.ts";

/** One window, in minutes of the Eastern day. */
export interface TradingWindow {
  /** Minute of the day the window opens (inclusive), 0..1439. */
  readonly startMin: number;
  /** Minute of the day it closes (exclusive), 0..1440; below startMin wraps past midnight. */
  readonly endMin: number;
  /** ISO weekdays (1 = Monday .. 7 = Sunday) on which it opens. */
  readonly days: readonly number[];
}

/** Windows by series ticker ("*" is the default). */
export type TradingWindows = ReadonlyMap<string, readonly TradingWindow[]>;

/** The check's answer. */
export type WindowDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly detail: string };

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot read trading windows: ${detail}, current value is ${JSON.stringify(value)}`,
  );
}

function minuteOf(text: unknown, what: string, allow24: boolean): number {
  if (typeof text !== "string" || !/^\d{2}:\d{2}$/.test(text)) {
    fail(`${what} must be "HH:MM"`, text);
  }
  const h = Number(text.slice(0, 2));
  const m = Number(text.slice(3));
  const v = h * 60 + m;
  if (m > 59 || v > (allow24 ? 1440 : 1439)) fail(`${what} is not a time of day`, text);
  return v;
}

/**
 * Parse the JSON form (see the module docs).
 *
 * @throws {RangeError} naming the series and field on any malformed entry.
 */
export function parseTradingWindows(json: unknown): TradingWindows {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    fail("expected an object of series -> windows", json);
  }
  const out = new Map<string, TradingWindow[]>();
  for (const [series, list] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(list)) fail(`windows of ${series} must be an array`, list);
    const windows: TradingWindow[] = [];
    for (const w of list) {
      if (w === null || typeof w !== "object" || Array.isArray(w)) {
        fail(`a window of ${series} must be an object`, w);
      }
      const o = w as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (k !== "start" && k !== "end" && k !== "days") {
          fail(`unknown field "${k}" in ${series}`, o);
        }
      }
      const startMin = minuteOf(o.start, `start of ${series}`, false);
      const endMin = minuteOf(o.end, `end of ${series}`, true);
      if (startMin === endMin) fail(`window of ${series} is empty (start = end)`, o);
      let days = [1, 2, 3, 4, 5, 6, 7];
      if (o.days !== undefined) {
        if (
          !Array.isArray(o.days) || o.days.length === 0 ||
          !o.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)
        ) fail(`days of ${series} must be ISO weekdays 1..7`, o.days);
        days = [...new Set(o.days as number[])].sort((a, b) => a - b);
      }
      windows.push({ startMin, endMin, days });
    }
    out.set(series, windows);
  }
  return out;
}

/** ISO weekday (1 = Monday .. 7 = Sunday) of an Eastern calendar date. */
function isoWeekday(year: number, month: number, day: number): number {
  const w = weekdayOf(dayNumber(year, month, day)); // 0 = Sunday
  return w === 0 ? 7 : w;
}

/** Whether `series` may trade at `ts` (ms, UTC) under `windows`. */
export function windowCheck(windows: TradingWindows, series: string, ts: number): WindowDecision {
  const list = windows.get(series) ?? windows.get("*");
  if (list === undefined) return { ok: true };
  const p = easternParts(ts);
  const minute = p.hour * 60 + p.minute;
  const today = isoWeekday(p.year, p.month, p.day);
  const yesterday = today === 1 ? 7 : today - 1;
  for (const w of list) {
    if (w.startMin < w.endMin) {
      if (w.days.includes(today) && minute >= w.startMin && minute < w.endMin) return { ok: true };
    } else {
      // Wraps past midnight: the evening part today, the morning part of yesterday's window.
      if (w.days.includes(today) && minute >= w.startMin) return { ok: true };
      if (w.days.includes(yesterday) && minute < w.endMin) return { ok: true };
    }
  }
  const hhmm = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  return {
    ok: false,
    detail: `${series} is outside its Eastern trading windows at ${hhmm} ET (ISO weekday ${today})`,
  };
}
