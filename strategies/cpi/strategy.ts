/**
 * The CPI ladder strategy (KXCPI m/m): collects the prints (and nowcasts) as they
 * are released, recalibrates the CPI model on everything seen, and at decision
 * times publishes the model's PMF for each open KXCPI event and takes the touch
 * where the fee-aware EV clears the edge (strategies/point_error/strategy.ts).
 *
 * @example
 * ```ts
 * import { CpiStrategy } from "./strategy.ts";
 * const s = new CpiStrategy({ edgeTicks: 400, window: 3 });
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import {
  DEFAULT_POINT_STRATEGY_PARAMS,
  type PointData,
  PointErrorStrategy,
  type PointFamilyBinding,
  type PointStrategyParams,
  requireParam,
  requireSymbols,
} from "../point_error/strategy.ts";
import { CPI_SERIES, cpiModel, type CpiParams } from "./model.ts";

/** Parameters of {@link CpiStrategy}: the shared ones plus the model's. */
export interface CpiStrategyParams extends PointStrategyParams {
  /** Symbol of the `underlying` events carrying the m/m prints. */
  symbol: string;
  /** Symbol of the nowcast releases. */
  nowcastSymbol: string;
  /** Use the nowcast as the point forecast when one is known for the target month. */
  useNowcast: boolean;
  /** Trend window (prints). */
  window: number;
  /** Trend error scale (pp) until calibrated. */
  scale: number;
  /** Trend error df until calibrated (>= 1e6: the normal). */
  df: number;
  /** Nowcast error scale (pp) until calibrated. */
  nowcastScale: number;
  /** Nowcast error df until calibrated. */
  nowcastDf: number;
}

/** Defaults of {@link CpiStrategyParams}. */
export const DEFAULT_CPI_STRATEGY_PARAMS: CpiStrategyParams = Object.freeze({
  ...DEFAULT_POINT_STRATEGY_PARAMS,
  decisionIntervalMs: 4 * 3_600_000,
  minCalibrationObs: 24,
  symbol: "CPI_MOM",
  nowcastSymbol: "CPI_NOWCAST",
  useNowcast: true,
  window: 6,
  scale: 0.2,
  df: 5,
  nowcastScale: 0.1,
  nowcastDf: 5,
});

function validate(p: CpiStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam("CpiStrategy", ok, name, rule, v);
  requireSymbols("CpiStrategy", p, ["symbol"]);
  req(typeof p.nowcastSymbol === "string", "nowcastSymbol", "a string", p.nowcastSymbol);
  req(typeof p.useNowcast === "boolean", "useNowcast", "true or false", p.useNowcast);
  req(Number.isInteger(p.window) && p.window >= 1, "window", "an integer >= 1", p.window);
  for (const k of ["scale", "nowcastScale"] as const) {
    req(Number.isFinite(p[k]) && p[k] > 0, k, "finite and > 0", p[k]);
  }
  for (const k of ["df", "nowcastDf"] as const) req(p[k] > 0, k, "> 0", p[k]);
}

/** How the CPI model plugs into the shared point-forecast strategy. */
export function cpiBinding(p: CpiStrategyParams): PointFamilyBinding<CpiParams> {
  const nowcasts = (data: PointData) => p.useNowcast ? data.aux.get(p.nowcastSymbol) : undefined;
  return {
    series: CPI_SERIES,
    symbol: p.symbol,
    auxSymbols: p.useNowcast && p.nowcastSymbol.length > 0 ? [p.nowcastSymbol] : [],
    initialParams: {
      window: p.window,
      trend: { scale: p.scale, df: p.df },
      ...(p.useNowcast ? { nowcast: { scale: p.nowcastScale, df: p.nowcastDf } } : {}),
    },
    calibrate(data: PointData, cutoffTs: number): CpiParams {
      const n = nowcasts(data);
      const fitted = cpiModel.calibrate(data.main, {
        cutoffTs,
        window: p.window,
        ...(n !== undefined ? { nowcasts: n } : {}),
      });
      // Keep the hand-set nowcast error until enough nowcasts were matched.
      if (p.useNowcast && fitted.nowcast === undefined) {
        return { ...fitted, nowcast: { scale: p.nowcastScale, df: p.nowcastDf } };
      }
      return fitted;
    },
    pmf(now, closeTs, data, params, ladder: Ladder, out) {
      const n = nowcasts(data);
      return cpiModel.pmf(
        { now, closeTs, prints: data.main, ...(n !== undefined ? { nowcasts: n } : {}) },
        params,
        ladder,
        out,
      );
    },
  };
}

/** KXCPI ladders: nowcast or trend + fitted Student-t error, fee-aware taker. */
export class CpiStrategy extends PointErrorStrategy<CpiParams> {
  readonly config: Readonly<CpiStrategyParams>;

  constructor(params: Partial<CpiStrategyParams> = {}) {
    const p: CpiStrategyParams = { ...DEFAULT_CPI_STRATEGY_PARAMS, ...params };
    validate(p);
    super("cpi", cpiBinding(p), p, { ...p });
    this.config = Object.freeze(p);
  }
}
