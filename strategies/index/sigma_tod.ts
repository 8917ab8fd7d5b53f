/**
 * The time-of-day variance curve of an equity index: sigma_tod^2(m), the
 * variance of the log return over session minute m (0..389, 09:30-16:00 ET),
 * fitted on one-minute levels, plus the overnight gap variance.
 *
 * Fit (`fitSigmaTod`), from levels `{ ts, value }` (ts = the end of the minute
 * the value closes; 09:30 is the open):
 * 1. Returns: r = ln(v_i / v_(i-1)) for consecutive levels of one Eastern day
 *    exactly one minute apart on the minute grid inside the session; r belongs
 *    to the minute starting at ts_(i-1). Other pairs are skipped.
 * 2. Residual clamp: for minute m, s_m = 1.4826 median |r| over the returns of
 *    minutes m - 15..m + 15 of every day (a robust sd); each return is clamped
 *    to +/- `clampSd` s_m (no clamp when s_m = 0). One crash minute therefore
 *    moves the curve by at most clampSd^2 s_m^2 / days.
 * 3. Raw curve: the mean of the clamped r^2 per minute over the days.
 * 4. Smoothing: a Gaussian kernel over minutes (sd `smoothMinutes`, 0 = none),
 *    weighting each minute by its number of returns (Nadaraya-Watson; near the
 *    open and the close the kernel is one-sided).
 * 5. Gap variance: the mean clamped squared log change from the last level of
 *    a session day (at or after 15:59) to the first of the next session day (at
 *    or before 09:31), clamped at `clampSd` times its own robust sd; fitted only
 *    with at least 5 gaps.
 *
 * @example
 * ```ts
 * import { cumulativeVariance, fitSigmaTod } from "./sigma_tod.ts";
 * declare const levels: { ts: number; value: number }[];
 * const fit = fitSigmaTod(levels, {});
 * const c = cumulativeVariance(fit.varPerMinute); // c[m] = sum of minutes 0..m-1
 * ```
 *
 * @module
 */

import type { Observation } from "../family.ts";
import { isSessionDay, SESSION_MINUTES, sessionClock } from "./session.ts";

/** Options of {@link fitSigmaTod}. */
export interface SigmaTodOptions {
  /** Kernel sd of the smoothing across minutes (default 5; 0: none). */
  readonly smoothMinutes?: number;
  /** Clamp of the returns in robust sds (default 6). */
  readonly clampSd?: number;
  /** Fewest session days with at least 30 returns (default 3). */
  readonly minDays?: number;
}

/** A fitted curve. */
export interface SigmaTodFit {
  /** Variance of the log return per session minute (390 entries). */
  readonly varPerMinute: number[];
  /** Overnight gap variance, when at least 5 gaps were seen. */
  readonly gapVariance?: number;
  /** Session days with at least 30 returns. */
  readonly days: number;
  /** Returns used. */
  readonly returns: number;
  /** Returns clamped. */
  readonly clamped: number;
  /** Gaps used. */
  readonly gaps: number;
}

const POOL = 15;
const MAD_TO_SD = 1.4826;

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot fit sigma_tod: ${detail}, current value is ${value}`);
}

function median(a: Float64Array): number {
  if (a.length === 0) return 0;
  const s = Float64Array.from(a).sort();
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Fit the curve (module docs). Levels must be in time order with finite
 * values > 0; levels outside sessions are ignored except for the gaps.
 *
 * @throws {RangeError} on a non-integer ts, a ts going back, a value not
 * finite and > 0, bad options, or fewer than `minDays` usable days.
 */
export function fitSigmaTod(levels: readonly Observation[], options: SigmaTodOptions): SigmaTodFit {
  const smooth = options.smoothMinutes ?? 5;
  const clampSd = options.clampSd ?? 6;
  const minDays = options.minDays ?? 3;
  if (!(smooth >= 0) || !Number.isFinite(smooth)) {
    fail("smoothMinutes must be finite and >= 0", smooth);
  }
  if (!(clampSd > 0)) fail("clampSd must be > 0", clampSd);
  if (!Number.isInteger(minDays) || minDays < 1) fail("minDays must be an integer >= 1", minDays);

  const byMinute: number[][] = Array.from({ length: SESSION_MINUTES }, () => []);
  const gaps: number[] = [];
  const perDay = new Map<number, number>();
  let prevTs = -Infinity;
  let prev: { day: number; minute: number; value: number } | undefined;
  for (let i = 0; i < levels.length; i++) {
    const { ts, value } = levels[i];
    if (!Number.isSafeInteger(ts)) fail(`level ${i} ts must be an integer ms`, ts);
    if (ts < prevTs) fail(`levels must be in time order, level ${i} goes back to`, ts);
    if (!(value > 0) || !Number.isFinite(value)) fail(`level ${i} must be finite and > 0`, value);
    prevTs = ts;
    const c = sessionClock(ts);
    if (!isSessionDay(c.day) || c.minute < 0 || c.minute > SESSION_MINUTES) continue;
    if (prev !== undefined) {
      if (prev.day === c.day) {
        const m = prev.minute;
        if (c.minute - m === 1 && Number.isInteger(m)) {
          byMinute[m].push(Math.log(value / prev.value));
          perDay.set(c.day, (perDay.get(c.day) ?? 0) + 1);
        }
      } else if (prev.minute >= SESSION_MINUTES - 1 && c.minute <= 1) {
        gaps.push(Math.log(value / prev.value));
      }
    }
    prev = { day: c.day, minute: c.minute, value };
  }
  let days = 0;
  for (const n of perDay.values()) if (n >= 30) days++;
  if (days < minDays) {
    fail(`at least ${minDays} session days with 30 one-minute returns are needed`, days);
  }

  // Residual clamp with a pooled robust sd per minute.
  const sum = new Float64Array(SESSION_MINUTES);
  const cnt = new Float64Array(SESSION_MINUTES);
  let returns = 0;
  let clamped = 0;
  for (let m = 0; m < SESSION_MINUTES; m++) {
    const pool: number[] = [];
    for (let j = Math.max(0, m - POOL); j <= Math.min(SESSION_MINUTES - 1, m + POOL); j++) {
      for (const r of byMinute[j]) pool.push(Math.abs(r));
    }
    const s = MAD_TO_SD * median(Float64Array.from(pool));
    const cap = s > 0 ? clampSd * s : Infinity;
    for (const r of byMinute[m]) {
      let a = Math.abs(r);
      if (a > cap) {
        a = cap;
        clamped++;
      }
      sum[m] += a * a;
      cnt[m]++;
      returns++;
    }
  }
  const globalMean = (() => {
    let s = 0;
    let n = 0;
    for (let m = 0; m < SESSION_MINUTES; m++) {
      s += sum[m];
      n += cnt[m];
    }
    return s / n;
  })();
  const varPerMinute: number[] = new Array(SESSION_MINUTES);
  for (let m = 0; m < SESSION_MINUTES; m++) {
    if (smooth === 0) {
      varPerMinute[m] = cnt[m] > 0 ? sum[m] / cnt[m] : globalMean;
      continue;
    }
    let num = 0;
    let den = 0;
    const reach = Math.ceil(4 * smooth);
    for (let j = Math.max(0, m - reach); j <= Math.min(SESSION_MINUTES - 1, m + reach); j++) {
      const k = Math.exp(-0.5 * ((j - m) / smooth) ** 2);
      num += k * sum[j];
      den += k * cnt[j];
    }
    varPerMinute[m] = den > 1e-9 ? num / den : globalMean;
  }

  let gapVariance: number | undefined;
  if (gaps.length >= 5) {
    const s = MAD_TO_SD * median(Float64Array.from(gaps, Math.abs));
    const cap = s > 0 ? clampSd * s : Infinity;
    let g = 0;
    for (const r of gaps) g += Math.min(Math.abs(r), cap) ** 2;
    gapVariance = g / gaps.length;
  }
  return {
    varPerMinute,
    ...(gapVariance !== undefined ? { gapVariance } : {}),
    days,
    returns,
    clamped,
    gaps: gaps.length,
  };
}

const cumCache = new WeakMap<readonly number[], Float64Array>();

/**
 * c[m] = variance of minutes 0..m-1 (391 entries; c[0] = 0, c[390] = the
 * session's variance). Cached per curve array.
 *
 * @throws {RangeError} when the curve does not have 390 finite entries >= 0.
 */
export function cumulativeVariance(varPerMinute: readonly number[]): Float64Array {
  let c = cumCache.get(varPerMinute);
  if (c !== undefined) return c;
  if (varPerMinute.length !== SESSION_MINUTES) {
    fail(`the curve must have ${SESSION_MINUTES} entries`, varPerMinute.length);
  }
  c = new Float64Array(SESSION_MINUTES + 1);
  for (let m = 0; m < SESSION_MINUTES; m++) {
    const v = varPerMinute[m];
    if (!(v >= 0) || !Number.isFinite(v)) fail(`minute ${m} variance must be finite and >= 0`, v);
    c[m + 1] = c[m] + v;
  }
  cumCache.set(varPerMinute, c);
  return c;
}

/** Variance from the open to session clock `minute` (clamped to 0..390), linear inside a minute. */
export function varianceToMinute(cum: Float64Array, minute: number): number {
  if (!(minute > 0)) return 0;
  if (minute >= SESSION_MINUTES) return cum[SESSION_MINUTES];
  const m = Math.floor(minute);
  return cum[m] + (minute - m) * (cum[m + 1] - cum[m]);
}
