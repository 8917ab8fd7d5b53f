/**
 * Calibration of the CPI family on history: the real history file, how its
 * prints get publication times, the realistic KXCPI ladder each target is scored
 * on, and the walk-forward task (strategies/walk_forward.ts) that
 * `deno task calibrate` and tests/real/ share.
 *
 * - History: FRED CPIAUCSL (CPI-U, seasonally adjusted index, dated by the 1st
 *   of its month) -> m/m % changes, released at {@link cpiReleaseTs} (the 15th of
 *   the next month, 08:30 ET; on or after the actual release nearly always).
 *   FRED holds the current vintage (revised), not first releases.
 * - Target: each print. Decision one day before its release; the event closes a
 *   minute before it.
 * - Ladder: 7 "greater than" thresholds 0.1 apart centred on the last known print
 *   rounded to 0.1 (Kalshi's KXCPI-25JUL had T-0.1 .. T0.4); 8 bins; outcome
 *   reported to 0.1.
 * - Fit: the trend error (scale, df) on every print before the cutoff;
 *   re-fitted every 3 targets (quarterly) out of sample.
 *
 * @example
 * ```ts
 * import { cpiForecastTask, cpiHistoryFromCsv } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const text = Deno.readTextFileSync("../shared/data/fred_macro_mm/CPIAUCSL.csv");
 * const r = calibrateWalkForward(cpiForecastTask(cpiHistoryFromCsv("CPIAUCSL.csv", text)));
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { dayDate, monthIndex } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import { datedValuesFromCsv } from "../history_csv.ts";
import { thresholdLadder } from "../research_ladders.ts";
import type { ForecastTask } from "../walk_forward.ts";
import { CPI_STEP, cpiModel, type CpiParams, cpiPrintsFromIndex } from "./model.ts";

/** The history file, relative to the data folder (../shared/data). */
export const CPI_HISTORY_FILE = "fred_macro_mm/CPIAUCSL.csv";

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * CPI m/m prints (ts = assumed release time) from a FRED-style `date,value` file
 * of the monthly index.
 *
 * @throws {ImportError} as `datedValuesFromCsv`, naming file, line and field.
 */
export function cpiHistoryFromCsv(file: string, text: string): Observation[] {
  const rows = datedValuesFromCsv(file, text, "value");
  return cpiPrintsFromIndex(rows.map((r) => {
    const d = dayDate(r.day);
    return { month: monthIndex(d.year, d.month), index: r.value };
  }));
}

/** The KXCPI-style ladder centred on the last known print (see the module docs). */
export function cpiLadder(lastPrint: number): Ladder {
  return thresholdLadder("KXCPI-X", "greater", Math.round(lastPrint * 10), 1, 10, CPI_STEP);
}

/** Options of {@link cpiForecastTask}. */
export interface CpiTaskOptions {
  /** Re-fit every this many out-of-sample targets (default 3). */
  readonly refitEvery?: number;
}

/** The walk-forward task of the CPI family on `prints` (see the module docs). */
export function cpiForecastTask(
  prints: readonly Observation[],
  options: CpiTaskOptions = {},
): ForecastTask<CpiParams, Observation> {
  return {
    family: "cpi",
    history: prints,
    value: (o) => o.value,
    decisionTs: (o) => o.ts - DAY,
    fit: (known, cutoffTs) => cpiModel.calibrate(known, { cutoffTs }),
    forecast(params, known, target, now) {
      const ladder = cpiLadder(known[known.length - 1].value);
      const pmf = cpiModel.pmf({ now, closeTs: target.ts - MIN, prints: known }, params, ladder);
      return { ladder, pmf };
    },
    refitEvery: options.refitEvery ?? 3,
    minKnown: 12,
  };
}

/** Compact text of fitted CPI parameters. */
export function cpiParamsSummary(p: CpiParams): string {
  return `window ${p.window}, scale ${p.trend.scale.toFixed(3)} pp, df ${fmtDf(p.trend.df)}`;
}

function fmtDf(df: number): string {
  return Number.isFinite(df) ? df.toFixed(1) : "inf";
}
