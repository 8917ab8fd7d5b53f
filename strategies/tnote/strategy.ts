/**
 * The 10-year Treasury ladder strategy (KXTNOTED, KXTNOTEW): collects the daily
 * par yields as they are published, recalibrates the 10-year model on the latest
 * `calibrationWindow` of them, and at decision times publishes the model's PMF
 * for each open event and takes the touch where the fee-aware EV clears the edge
 * (strategies/point_error/strategy.ts).
 *
 * @example
 * ```ts
 * import { TnoteStrategy } from "./strategy.ts";
 * const s = new TnoteStrategy({ meanReversion: true });
 * ```
 *
 * @module
 */

import {
  DEFAULT_POINT_STRATEGY_PARAMS,
  PointErrorStrategy,
  type PointFamilyBinding,
  type PointStrategyParams,
  requireParam,
  requireSymbols,
} from "../point_error/strategy.ts";
import { TNOTE_SERIES, tnoteModel, type TnoteParams } from "./model.ts";

/** Parameters of {@link TnoteStrategy}: the shared ones plus the model's. */
export interface TnoteStrategyParams extends PointStrategyParams {
  /** Symbol of the `underlying` events carrying the daily 10-year yield. */
  symbol: string;
  /** Fit mean reversion (kappa, mu) in calibration. */
  meanReversion: boolean;
  /** Mean reversion per business day until calibrated. */
  kappa: number;
  /** Long-run mean (percent) until calibrated. */
  mu: number;
  /** Daily error scale (percentage points) until calibrated. */
  scale: number;
  /** Error df until calibrated (>= 1e6: the normal). */
  df: number;
}

/** Defaults of {@link TnoteStrategyParams}. */
export const DEFAULT_TNOTE_STRATEGY_PARAMS: TnoteStrategyParams = Object.freeze({
  ...DEFAULT_POINT_STRATEGY_PARAMS,
  minCalibrationObs: 60,
  calibrationWindow: 1500,
  symbol: "DGS10",
  meanReversion: false,
  kappa: 0,
  mu: 4,
  scale: 0.06,
  df: 5,
});

function validate(p: TnoteStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam("TnoteStrategy", ok, name, rule, v);
  requireSymbols("TnoteStrategy", p, ["symbol"]);
  req(typeof p.meanReversion === "boolean", "meanReversion", "true or false", p.meanReversion);
  req(p.kappa >= 0 && p.kappa < 1, "kappa", "in [0, 1)", p.kappa);
  req(Number.isFinite(p.mu), "mu", "finite", p.mu);
  req(Number.isFinite(p.scale) && p.scale > 0, "scale", "finite and > 0", p.scale);
  req(p.df > 0, "df", "> 0", p.df);
}

/** How the 10-year model plugs into the shared point-forecast strategy. */
export function tnoteBinding(p: TnoteStrategyParams): PointFamilyBinding<TnoteParams> {
  return {
    series: TNOTE_SERIES,
    symbol: p.symbol,
    auxSymbols: [],
    initialParams: { kappa: p.kappa, mu: p.mu, scale: p.scale, df: p.df },
    calibrate: (data, cutoffTs) =>
      tnoteModel.calibrate(data.main, { cutoffTs, meanReversion: p.meanReversion }),
    pmf: (now, closeTs, data, params, ladder, out) =>
      tnoteModel.pmf({ now, closeTs, yields: data.main }, params, ladder, out),
  };
}

/** KXTNOTED / KXTNOTEW ladders: random walk + fitted Student-t error, fee-aware taker. */
export class TnoteStrategy extends PointErrorStrategy<TnoteParams> {
  readonly config: Readonly<TnoteStrategyParams>;

  constructor(params: Partial<TnoteStrategyParams> = {}) {
    const p: TnoteStrategyParams = { ...DEFAULT_TNOTE_STRATEGY_PARAMS, ...params };
    validate(p);
    super("tnote", tnoteBinding(p), p, { ...p });
    this.config = Object.freeze(p);
  }
}
