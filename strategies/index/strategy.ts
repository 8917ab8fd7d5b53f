/**
 * The index ladder strategy: S&P 500 (KXINX ranges, KXINXU above/below) priced
 * off the `underlying` levels of `spxSymbol`, Nasdaq-100 (KXNASDAQ100,
 * KXNASDAQ100U) off `ndxSymbol`. Each index runs the shared point-forecast
 * strategy (strategies/point_error/strategy.ts) with the index model: at
 * decision times the lognormal PMF over each open event's ladder is recorded
 * and the touch is taken where the fee-aware EV clears the edge
 * (strategies/taker.ts).
 *
 * Calibration is walk-forward by Eastern day: on the first decision of a day
 * sigma_tod and the gap variance are fitted on the levels published before
 * 00:00 ET that day (the latest `calibrationWindow` levels seen), and kept for
 * the rest of the day; the day's own minutes are not used. Until a fit
 * succeeds (at least `minDays` session days) the curve is flat with a daily
 * volatility of `dailyVol`.
 *
 * @example
 * ```ts
 * import { IndexStrategy } from "./strategy.ts";
 * const s = new IndexStrategy({ tailFloor: 0.002 });
 * ```
 *
 * @module
 */

import type { Strategy, StrategyContext } from "../../lib/engine/strategy.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { dayDate, easternDayNumber, easternWallToUtc } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import {
  DEFAULT_POINT_STRATEGY_PARAMS,
  PointErrorStrategy,
  type PointFamilyBinding,
  type PointStrategyParams,
  requireParam,
  requireSymbols,
} from "../point_error/strategy.ts";
import { checkIndexParams, indexModel, type IndexParams, NDX_SERIES, SPX_SERIES } from "./model.ts";
import { SESSION_MINUTES } from "./session.ts";

/** Parameters of {@link IndexStrategy}: the shared ones plus the model's. */
export interface IndexStrategyParams extends PointStrategyParams {
  /** Symbol of the S&P 500 levels. */
  spxSymbol: string;
  /** Symbol of the Nasdaq-100 levels. */
  ndxSymbol: string;
  /** Daily volatility of the flat curve used until calibrated. */
  dailyVol: number;
  /** Overnight gap sd until calibrated. */
  gapSd: number;
  /** Residual clamp: least CDF value at a finite point, in [0, 0.05]. */
  tailFloor: number;
  /** Kernel sd of the curve's smoothing (minutes). */
  smoothMinutes: number;
  /** Residual clamp of the fitted returns (robust sds). */
  clampSd: number;
  /** Fewest session days to fit sigma_tod. */
  minDays: number;
}

/** Defaults of {@link IndexStrategyParams}. */
export const DEFAULT_INDEX_STRATEGY_PARAMS: IndexStrategyParams = Object.freeze({
  ...DEFAULT_POINT_STRATEGY_PARAMS,
  decisionIntervalMs: 300_000,
  decideOnUpdate: false,
  minCalibrationObs: 3 * (SESSION_MINUTES + 1),
  calibrationWindow: 30 * (SESSION_MINUTES + 1),
  spxSymbol: "SPX",
  ndxSymbol: "NDX",
  dailyVol: 0.01,
  gapSd: 0.005,
  tailFloor: 0.001,
  smoothMinutes: 5,
  clampSd: 6,
  minDays: 3,
});

function validate(p: IndexStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam("IndexStrategy", ok, name, rule, v);
  requireSymbols("IndexStrategy", p, ["spxSymbol", "ndxSymbol"]);
  req(p.spxSymbol !== p.ndxSymbol, "ndxSymbol", "different from spxSymbol", p.ndxSymbol);
  req(p.dailyVol > 0 && Number.isFinite(p.dailyVol), "dailyVol", "finite and > 0", p.dailyVol);
  req(p.gapSd >= 0 && Number.isFinite(p.gapSd), "gapSd", "finite and >= 0", p.gapSd);
  req(p.tailFloor >= 0 && p.tailFloor <= 0.05, "tailFloor", "in [0, 0.05]", p.tailFloor);
  req(
    p.smoothMinutes >= 0 && Number.isFinite(p.smoothMinutes),
    "smoothMinutes",
    "finite and >= 0",
    p.smoothMinutes,
  );
  req(p.clampSd > 0 && Number.isFinite(p.clampSd), "clampSd", "finite and > 0", p.clampSd);
  req(Number.isInteger(p.minDays) && p.minDays >= 1, "minDays", "an integer >= 1", p.minDays);
}

/** Start (00:00 ET) of the Eastern day of `ts`. */
function easternMidnight(ts: number): number {
  const { year, month, day } = dayDate(easternDayNumber(ts));
  return easternWallToUtc(year, month, day, 0, 0);
}

function before(list: readonly Observation[], t: number): readonly Observation[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo === list.length ? list : list.slice(0, lo);
}

/** How the index model plugs into the shared point-forecast strategy, for one index. */
export function indexBinding(
  series: readonly string[],
  symbol: string,
  p: IndexStrategyParams,
): PointFamilyBinding<IndexParams> {
  const initial: IndexParams = {
    varPerMinute: new Array(SESSION_MINUTES).fill((p.dailyVol * p.dailyVol) / SESSION_MINUTES),
    gapVariance: p.gapSd * p.gapSd,
    tailFloor: p.tailFloor,
  };
  checkIndexParams("create IndexStrategy", initial);
  let cachedDay = Number.NaN;
  let cached: { params: IndexParams } | { error: RangeError } | undefined;
  return {
    series,
    symbol,
    auxSymbols: [],
    initialParams: initial,
    calibrate: (data, cutoffTs) => {
      const dayStart = easternMidnight(cutoffTs - 1);
      if (dayStart !== cachedDay || cached === undefined) {
        cachedDay = dayStart;
        try {
          cached = {
            params: indexModel.calibrate(before(data.main, dayStart), {
              cutoffTs: dayStart,
              initial,
              smoothMinutes: p.smoothMinutes,
              clampSd: p.clampSd,
              minDays: p.minDays,
            }),
          };
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          cached = { error: e };
        }
      }
      if ("error" in cached) throw cached.error;
      return cached.params;
    },
    pmf: (now, closeTs, data, params, ladder, out) =>
      indexModel.pmf({ now, closeTs, levels: data.main }, params, ladder, out),
  };
}

/** S&P 500 and Nasdaq-100 ladders: time-of-day lognormal with tail clamps, fee-aware taker. */
export class IndexStrategy implements Strategy {
  readonly name = "index";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly config: Readonly<IndexStrategyParams>;
  /** The S&P 500 part. */
  readonly spx: PointErrorStrategy<IndexParams>;
  /** The Nasdaq-100 part. */
  readonly ndx: PointErrorStrategy<IndexParams>;

  constructor(params: Partial<IndexStrategyParams> = {}) {
    const p: IndexStrategyParams = { ...DEFAULT_INDEX_STRATEGY_PARAMS, ...params };
    validate(p);
    this.config = Object.freeze(p);
    this.params = Object.freeze({ ...p });
    this.spx = new PointErrorStrategy("index", indexBinding(SPX_SERIES, p.spxSymbol, p), p, {
      ...p,
    });
    this.ndx = new PointErrorStrategy("index", indexBinding(NDX_SERIES, p.ndxSymbol, p), p, {
      ...p,
    });
  }

  onEvent(event: TapeEvent, ctx: StrategyContext): void {
    this.spx.onEvent(event, ctx);
    this.ndx.onEvent(event, ctx);
  }
}
