/**
 * The jobless-claims ladder strategy (KXJOBLESSCLAIMS): collects the weekly prints
 * as they are released, recalibrates the claims model on everything seen, and at
 * decision times publishes the model's PMF for each open event and takes the
 * touch where the fee-aware EV clears the edge (strategies/point_error/strategy.ts).
 *
 * @example
 * ```ts
 * import { ClaimsStrategy } from "./strategy.ts";
 * const s = new ClaimsStrategy({ harmonics: 0 });
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
import { CLAIMS_SERIES, claimsModel, type ClaimsParams } from "./model.ts";

/** Parameters of {@link ClaimsStrategy}: the shared ones plus the model's. */
export interface ClaimsStrategyParams extends PointStrategyParams {
  /** Symbol of the `underlying` events carrying the weekly prints. */
  symbol: string;
  /** Seasonal harmonics fitted by calibration (0: none). */
  harmonics: number;
  /** Level smoothing weight until calibrated. */
  alpha: number;
  /** Error scale of ln(claims) until calibrated. */
  scale: number;
  /** Error df until calibrated (>= 1e6: the normal). */
  df: number;
}

/** Defaults of {@link ClaimsStrategyParams}. */
export const DEFAULT_CLAIMS_STRATEGY_PARAMS: ClaimsStrategyParams = Object.freeze({
  ...DEFAULT_POINT_STRATEGY_PARAMS,
  minCalibrationObs: 52,
  symbol: "ICSA",
  harmonics: 2,
  alpha: 0.5,
  scale: 0.04,
  df: 5,
});

function validate(p: ClaimsStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam("ClaimsStrategy", ok, name, rule, v);
  requireSymbols("ClaimsStrategy", p, ["symbol"]);
  req(
    Number.isInteger(p.harmonics) && p.harmonics >= 0,
    "harmonics",
    "an integer >= 0",
    p.harmonics,
  );
  req(p.alpha > 0 && p.alpha <= 1, "alpha", "in (0, 1]", p.alpha);
  req(Number.isFinite(p.scale) && p.scale > 0, "scale", "finite and > 0", p.scale);
  req(p.df > 0, "df", "> 0", p.df);
}

/** How the claims model plugs into the shared point-forecast strategy. */
export function claimsBinding(p: ClaimsStrategyParams): PointFamilyBinding<ClaimsParams> {
  return {
    series: CLAIMS_SERIES,
    symbol: p.symbol,
    auxSymbols: [],
    initialParams: { alpha: p.alpha, seasonal: [], scale: p.scale, df: p.df },
    calibrate: (data, cutoffTs) =>
      claimsModel.calibrate(data.main, { cutoffTs, harmonics: p.harmonics }),
    pmf: (now, closeTs, data, params, ladder, out) =>
      claimsModel.pmf({ now, closeTs, prints: data.main }, params, ladder, out),
  };
}

/** KXJOBLESSCLAIMS ladders: seasonal local level + fitted Student-t error, fee-aware taker. */
export class ClaimsStrategy extends PointErrorStrategy<ClaimsParams> {
  readonly config: Readonly<ClaimsStrategyParams>;

  constructor(params: Partial<ClaimsStrategyParams> = {}) {
    const p: ClaimsStrategyParams = { ...DEFAULT_CLAIMS_STRATEGY_PARAMS, ...params };
    validate(p);
    super("claims", claimsBinding(p), p, { ...p });
    this.config = Object.freeze(p);
  }
}
