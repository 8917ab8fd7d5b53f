/**
 * The gas ladder strategy (KXAAAGASD, KXAAAGASW, KXAAAGASM): collects the AAA
 * national average as it is published, recalibrates the gas model on the latest
 * `calibrationWindow` values, and at decision times publishes the model's PMF for
 * each open event and takes the touch where the fee-aware EV clears the edge
 * (strategies/point_error/strategy.ts).
 *
 * @example
 * ```ts
 * import { GasStrategy } from "./strategy.ts";
 * const s = new GasStrategy({ momentumDays: 14 });
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
import { GAS_SERIES, gasModel, type GasParams } from "./model.ts";

/** Parameters of {@link GasStrategy}: the shared ones plus the model's. */
export interface GasStrategyParams extends PointStrategyParams {
  /** Symbol of the `underlying` events carrying the AAA average. */
  symbol: string;
  /** Momentum look-back in days. */
  momentumDays: number;
  /** Momentum persistence until calibrated. */
  beta: number;
  /** Daily error scale of ln(price) until calibrated. */
  scale: number;
  /** Error df until calibrated (>= 1e6: the normal). */
  df: number;
}

/** Defaults of {@link GasStrategyParams}. */
export const DEFAULT_GAS_STRATEGY_PARAMS: GasStrategyParams = Object.freeze({
  ...DEFAULT_POINT_STRATEGY_PARAMS,
  minCalibrationObs: 60,
  calibrationWindow: 1500,
  symbol: "AAA_GAS",
  momentumDays: 7,
  beta: 0.7,
  scale: 0.003,
  df: 5,
});

function validate(p: GasStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam("GasStrategy", ok, name, rule, v);
  requireSymbols("GasStrategy", p, ["symbol"]);
  req(
    Number.isInteger(p.momentumDays) && p.momentumDays >= 1,
    "momentumDays",
    "an integer >= 1",
    p.momentumDays,
  );
  req(Number.isFinite(p.beta), "beta", "finite", p.beta);
  req(Number.isFinite(p.scale) && p.scale > 0, "scale", "finite and > 0", p.scale);
  req(p.df > 0, "df", "> 0", p.df);
}

/** How the gas model plugs into the shared point-forecast strategy. */
export function gasBinding(p: GasStrategyParams): PointFamilyBinding<GasParams> {
  return {
    series: GAS_SERIES,
    symbol: p.symbol,
    auxSymbols: [],
    initialParams: { momentumDays: p.momentumDays, beta: p.beta, scale: p.scale, df: p.df },
    calibrate: (data, cutoffTs) =>
      gasModel.calibrate(data.main, { cutoffTs, momentumDays: p.momentumDays }),
    pmf: (now, closeTs, data, params, ladder, out) =>
      gasModel.pmf({ now, closeTs, prices: data.main }, params, ladder, out),
  };
}

/** KXAAAGAS* ladders: momentum random walk + fitted Student-t error, fee-aware taker. */
export class GasStrategy extends PointErrorStrategy<GasParams> {
  readonly config: Readonly<GasStrategyParams>;

  constructor(params: Partial<GasStrategyParams> = {}) {
    const p: GasStrategyParams = { ...DEFAULT_GAS_STRATEGY_PARAMS, ...params };
    validate(p);
    super("gas", gasBinding(p), p, { ...p });
    this.config = Object.freeze(p);
  }
}
