/**
 * The climatology baseline of the NYC high-temperature family: the daily
 * maxima observed on the same calendar window (+/- `windowDays` around the
 * target's day of year) in earlier seasons, smoothed by a Gaussian kernel whose
 * bandwidth is fitted by maximum likelihood.
 *
 * - Calendar position: day of year on a 365-day calendar, 29 February sharing
 *   28 February's position; the distance between two positions wraps around
 *   the year end (31 December and 1 January are 1 apart).
 * - Earlier seasons: a sample day d counts for a target day t when its
 *   calendar distance to t is at most `windowDays` and t - d > 182 (so the
 *   days just before the target in its own season are not climatology). With
 *   `maxYears` > 0 only d >= t - round(365.25 maxYears) - windowDays count.
 * - Bandwidth fit (leave one season out): every history day t is scored
 *   against the samples of every other season in the history (calendar
 *   distance <= windowDays and |t - d| > 182), by the probability the kernel
 *   density gives to t's whole-degree value; the bandwidth maximizing the sum of
 *   the log probabilities wins (golden-section search over ln h in
 *   [ln 0.25, ln 25]). Days with fewer than `minSamples` samples are skipped.
 *
 * Values are whole degrees (the NWS report): the fit requires integers.
 *
 * @example
 * ```ts
 * import { climatologySamples, fitClimatologyBandwidth } from "./climatology.ts";
 * declare const days: { day: number; value: number }[];
 * const fit = fitClimatologyBandwidth(days, { windowDays: 15 });
 * const samples = climatologySamples(days, days.at(-1)!.day + 1, 15, 0);
 * ```
 *
 * @module
 */

import { dayDate, dayNumber } from "../../lib/time/eastern.ts";
import { LOG_LOSS_FLOOR } from "../../lib/scoring/binary.ts";
import type { FitStats } from "../family.ts";
import { goldenMax } from "../point_error/golden.ts";
import { roundedKernelTable } from "./kernel.ts";

/** One observed day: its day number and whole-degree value. */
export interface DayValue {
  readonly day: number;
  readonly value: number;
}

/** Days apart beyond which two days are in different seasons. */
export const SEASON_GAP_DAYS = 182;

const YEAR = 365;

/** Position of a day number on a 365-day calendar (0 = 1 January; 29 Feb = 28 Feb). */
export function calendarPosition(day: number): number {
  const { year, month, day: d } = dayDate(day);
  const jan1 = dayNumber(year, 1, 1);
  let pos = day - jan1;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (leap && (month > 2 || (month === 2 && d === 29))) pos -= 1;
  return pos;
}

/** Calendar distance of two positions, wrapping at the year end (0..182). */
export function calendarDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % YEAR;
  return d > YEAR - d ? YEAR - d : d;
}

function checkWindow(action: string, w: number): void {
  if (!Number.isInteger(w) || w < 0 || w > 90) {
    throw new RangeError(
      `Cannot ${action}: windowDays must be an integer in 0..90, current value is ${w}`,
    );
  }
}

function checkDays(action: string, days: readonly DayValue[], integers: boolean): void {
  for (let i = 0; i < days.length; i++) {
    const { day, value } = days[i];
    if (!Number.isInteger(day)) {
      throw new RangeError(
        `Cannot ${action}: day ${i} must be an integer day number, current value is ${day}`,
      );
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(
        `Cannot ${action}: value ${i} must be finite, current value is ${value}`,
      );
    }
    if (integers && !Number.isInteger(value)) {
      throw new RangeError(
        `Cannot ${action}: value ${i} must be a whole degree, current value is ${value}`,
      );
    }
  }
}

/** Days grouped by calendar position. */
function byPosition(days: readonly DayValue[]): DayValue[][] {
  const groups: DayValue[][] = Array.from({ length: YEAR }, () => []);
  for (const d of days) groups[calendarPosition(d.day)].push(d);
  return groups;
}

/**
 * The climatology samples of `targetDay`: values of the days in earlier seasons
 * within `windowDays` of its calendar position (see the module docs), in the
 * order of `days`.
 *
 * @throws {RangeError} on a bad window, maxYears not an integer >= 0, a
 * non-integer day or a non-finite value.
 */
export function climatologySamples(
  days: readonly DayValue[],
  targetDay: number,
  windowDays: number,
  maxYears = 0,
): number[] {
  const action = "select climatology samples";
  checkWindow(action, windowDays);
  if (!Number.isInteger(maxYears) || maxYears < 0) {
    throw new RangeError(
      `Cannot ${action}: maxYears must be an integer >= 0, current value is ${maxYears}`,
    );
  }
  if (!Number.isInteger(targetDay)) {
    throw new RangeError(
      `Cannot ${action}: targetDay must be an integer day number, current value is ${targetDay}`,
    );
  }
  checkDays(action, days, false);
  const pos = calendarPosition(targetDay);
  const from = maxYears > 0 ? targetDay - Math.round(365.25 * maxYears) - windowDays : -Infinity;
  const out: number[] = [];
  for (const d of days) {
    if (targetDay - d.day <= SEASON_GAP_DAYS || d.day < from) continue;
    if (calendarDistance(calendarPosition(d.day), pos) <= windowDays) out.push(d.value);
  }
  return out;
}

/** Options of {@link fitClimatologyBandwidth}. */
export interface ClimatologyFitOptions {
  /** Half-width of the calendar window (days). */
  readonly windowDays: number;
  /** Fewest samples for a day to be scored (default 10). */
  readonly minSamples?: number;
  /** Fix the bandwidth (only score it). */
  readonly bandwidth?: number;
}

/** A fitted climatology bandwidth. */
export interface ClimatologyFit {
  readonly bandwidth: number;
  /** Log-likelihood: sum of ln P(day's whole-degree value), leave one season out. */
  readonly fit: FitStats;
}

/** Offsets beyond this many degrees from every sample have probability ~0. */
const RADIUS = 200;

/**
 * Fit the climatology bandwidth by leave-one-season-out maximum likelihood
 * (module docs). The log loss of the fit stats is on KXHIGHNY-style 2-degree
 * bins {2j - 1, 2j} (an odd degree and the next), floored at LOG_LOSS_FLOOR.
 *
 * @throws {RangeError} when a value is not a whole degree, the window is bad,
 * or fewer than 2 days have `minSamples` samples.
 */
export function fitClimatologyBandwidth(
  days: readonly DayValue[],
  options: ClimatologyFitOptions,
): ClimatologyFit {
  const action = "fit the climatology bandwidth";
  checkWindow(action, options.windowDays);
  checkDays(action, days, true);
  const minSamples = options.minSamples ?? 10;
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(
      `Cannot ${action}: minSamples must be an integer >= 1, current value is ${minSamples}`,
    );
  }
  const w = options.windowDays;
  const groups = byPosition(days);
  // For each scored day: its value, and a histogram of its samples' values.
  const targets: number[] = [];
  const hists: { values: Int32Array; counts: Float64Array; n: number }[] = [];
  const counter = new Map<number, number>();
  for (const t of days) {
    const pos = calendarPosition(t.day);
    counter.clear();
    let n = 0;
    for (let off = -w; off <= w; off++) {
      for (const d of groups[(pos + off + YEAR) % YEAR]) {
        if (Math.abs(t.day - d.day) <= SEASON_GAP_DAYS) continue;
        counter.set(d.value, (counter.get(d.value) ?? 0) + 1);
        n++;
      }
    }
    if (n < minSamples) continue;
    const values = new Int32Array(counter.size);
    const counts = new Float64Array(counter.size);
    let k = 0;
    for (const [v, c] of counter) {
      values[k] = v;
      counts[k++] = c;
    }
    targets.push(t.value);
    hists.push({ values, counts, n });
  }
  if (targets.length < 2) {
    throw new RangeError(
      `Cannot ${action}: at least 2 days with ${minSamples} samples in earlier seasons are needed, current value is ${targets.length}`,
    );
  }
  const table = new Float64Array(2 * RADIUS + 1);
  const prob = (tab: Float64Array, hi: number, k: number): number => {
    const h = hists[hi];
    let s = 0;
    for (let j = 0; j < h.values.length; j++) {
      const d = k - h.values[j];
      if (d >= -RADIUS && d <= RADIUS) s += h.counts[j] * tab[d + RADIUS];
    }
    return s / h.n;
  };
  const logLik = (bw: number): number => {
    roundedKernelTable(bw, RADIUS, table);
    let ll = 0;
    for (let i = 0; i < targets.length; i++) {
      const p = prob(table, i, targets[i]);
      ll += Math.log(p > 0 ? p : Number.MIN_VALUE);
    }
    return ll;
  };
  let bandwidth: number;
  if (options.bandwidth !== undefined) {
    if (!(options.bandwidth > 0) || !Number.isFinite(options.bandwidth)) {
      throw new RangeError(
        `Cannot ${action}: bandwidth must be finite and > 0, current value is ${options.bandwidth}`,
      );
    }
    bandwidth = options.bandwidth;
  } else {
    bandwidth = Math.exp(
      goldenMax((lh) => logLik(Math.exp(lh)), Math.log(0.25), Math.log(25), 1e-4).x,
    );
  }
  const ll = logLik(bandwidth);
  let loss = 0;
  for (let i = 0; i < targets.length; i++) {
    const k = targets[i];
    const lo = k % 2 === 0 ? k - 1 : k; // bins {odd, odd + 1}
    const p = prob(table, i, lo) + prob(table, i, lo + 1);
    loss -= Math.log(p > LOG_LOSS_FLOOR ? p : LOG_LOSS_FLOOR);
  }
  return {
    bandwidth,
    fit: { n: targets.length, logLikelihood: ll, logLoss: loss / targets.length, binWidth: 2 },
  };
}
