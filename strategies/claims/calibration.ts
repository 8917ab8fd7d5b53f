/**
 * Calibration of the jobless-claims family on history: the real history file,
 * publication times, the realistic KXJOBLESSCLAIMS ladder and the walk-forward
 * task (strategies/walk_forward.ts) shared by `deno task calibrate` and
 * tests/real/.
 *
 * - History: FRED ICSA (initial claims, seasonally adjusted, dated by the week
 *   ending Saturday W), released at {@link claimsReleaseTs} (Thursday W + 5,
 *   08:30 ET).
 * - Target: each print. Decision one day before its release; the event closes a
 *   minute before it.
 * - Ladder: 7 "at least N" thresholds 5,000 apart centred on the last known
 *   print rounded to 5,000; 8 bins; outcome reported to the thousand.
 * - Fit: seasonal terms, alpha, scale and df on every print before the cutoff;
 *   re-fitted every 13 targets (quarterly) out of sample.
 *
 * @example
 * ```ts
 * import { claimsForecastTask, claimsHistoryFromCsv } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const text = Deno.readTextFileSync("../shared/data/fred_macro_mm/ICSA.csv");
 * const r = calibrateWalkForward(claimsForecastTask(claimsHistoryFromCsv("ICSA.csv", text)));
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import type { Observation } from "../family.ts";
import { datedValuesFromCsv } from "../history_csv.ts";
import { thresholdLadder } from "../research_ladders.ts";
import type { ForecastTask } from "../walk_forward.ts";
import { CLAIMS_STEP, claimsModel, type ClaimsParams, claimsReleaseTs } from "./model.ts";

/** The history file, relative to the data folder (../shared/data). */
export const CLAIMS_HISTORY_FILE = "fred_macro_mm/ICSA.csv";

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * Claims prints (ts = release time) from a FRED-style `date,value` file dated by
 * the week-ending Saturday.
 *
 * @throws {ImportError} as `datedValuesFromCsv`.
 */
export function claimsHistoryFromCsv(file: string, text: string): Observation[] {
  return datedValuesFromCsv(file, text, "value").map((r) => ({
    ts: claimsReleaseTs(r.day),
    value: r.value,
  }));
}

/** The KXJOBLESSCLAIMS-style ladder centred on the last known print (see the module docs). */
export function claimsLadder(lastPrint: number): Ladder {
  const c = Math.round(lastPrint / 5000) * 5000;
  return thresholdLadder("KXJOBLESSCLAIMS-X", "greater_or_equal", c, 5000, 1, CLAIMS_STEP);
}

/** Options of {@link claimsForecastTask}. */
export interface ClaimsTaskOptions {
  /** Re-fit every this many out-of-sample targets (default 13). */
  readonly refitEvery?: number;
}

/** The walk-forward task of the claims family on `prints` (see the module docs). */
export function claimsForecastTask(
  prints: readonly Observation[],
  options: ClaimsTaskOptions = {},
): ForecastTask<ClaimsParams, Observation> {
  return {
    family: "claims",
    history: prints,
    value: (o) => o.value,
    decisionTs: (o) => o.ts - DAY,
    fit: (known, cutoffTs) => claimsModel.calibrate(known, { cutoffTs }),
    forecast(params, known, target, now) {
      const ladder = claimsLadder(known[known.length - 1].value);
      const pmf = claimsModel.pmf({ now, closeTs: target.ts - MIN, prints: known }, params, ladder);
      return { ladder, pmf };
    },
    refitEvery: options.refitEvery ?? 13,
    minKnown: 16,
  };
}

/** Compact text of fitted claims parameters. */
export function claimsParamsSummary(p: ClaimsParams): string {
  const df = Number.isFinite(p.df) ? p.df.toFixed(1) : "inf";
  return `alpha ${p.alpha.toFixed(2)}, ${p.seasonal.length / 2} harmonics, scale ${
    p.scale.toFixed(4)
  } (log), df ${df}`;
}
