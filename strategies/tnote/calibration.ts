/**
 * Calibration of the 10-year family on history: the real history file,
 * publication times, the realistic KXTNOTED ladder and the walk-forward task
 * (strategies/walk_forward.ts) shared by `deno task calibrate` and tests/real/.
 *
 * - History: FRED DGS10 (the 10-year constant-maturity yield, dated by business
 *   day D; blanks are holidays), published at {@link tnotePublishTs} (D 18:00 ET).
 * - Target: each day's yield. Decision at 10:00 ET that day (8 hours before
 *   publication); the event closes at 15:00 ET.
 * - Ladder: six 0.05-wide inclusive bins [a, a+0.04] .. [a+0.25, a+0.29] plus
 *   strict tails, a = the last known yield rounded to 0.05 minus 0.15 (the
 *   synthetic KXTNOTED shape); 8 bins; outcome reported to 0.01.
 * - Fit: random walk, scale and df on the latest 2,500 yields before the cutoff
 *   (about ten years); re-fitted every 63 targets (quarterly) out of sample.
 *
 * @example
 * ```ts
 * import { tnoteForecastTask, tnoteHistoryFromCsv } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const text = Deno.readTextFileSync("../shared/data/fred_macro_mm/DGS10.csv");
 * const r = calibrateWalkForward(tnoteForecastTask(tnoteHistoryFromCsv("DGS10.csv", text)));
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import type { Observation } from "../family.ts";
import { datedValuesFromCsv } from "../history_csv.ts";
import { ladderFromStrikes, type StrikeSpec } from "../research_ladders.ts";
import type { ForecastTask } from "../walk_forward.ts";
import { TNOTE_STEP, tnoteModel, type TnoteParams, tnotePublishTs } from "./model.ts";

/** The history file, relative to the data folder (../shared/data). */
export const TNOTE_HISTORY_FILE = "fred_macro_mm/DGS10.csv";

const HOUR = 3_600_000;

/**
 * Daily yields (ts = publication time) from a FRED-style `date,value` file.
 *
 * @throws {ImportError} as `datedValuesFromCsv`.
 */
export function tnoteHistoryFromCsv(file: string, text: string): Observation[] {
  return datedValuesFromCsv(file, text, "value").map((r) => ({
    ts: tnotePublishTs(r.day),
    value: r.value,
  }));
}

/** The KXTNOTED-style range ladder around the last known yield (see the module docs). */
export function tnoteLadder(lastYield: number): Ladder {
  const a = Math.round(lastYield * 20) * 5 - 15; // in basis points
  const specs: StrikeSpec[] = [{ suffix: "L", type: "less", cap: a / 100 }];
  for (let j = 0; j < 6; j++) {
    specs.push({
      suffix: `B${j}`,
      type: "between",
      floor: (a + 5 * j) / 100,
      cap: (a + 5 * j + 4) / 100,
    });
  }
  specs.push({ suffix: "H", type: "greater", floor: (a + 29) / 100 });
  return ladderFromStrikes("KXTNOTED-X", TNOTE_STEP, true, specs);
}

/** Options of {@link tnoteForecastTask}. */
export interface TnoteTaskOptions {
  /** Re-fit every this many out-of-sample targets (default 63). */
  readonly refitEvery?: number;
  /** Fit on the latest this many yields (default 2,500). */
  readonly fitWindow?: number;
}

/** The walk-forward task of the 10-year family on `yields` (see the module docs). */
export function tnoteForecastTask(
  yields: readonly Observation[],
  options: TnoteTaskOptions = {},
): ForecastTask<TnoteParams, Observation> {
  return {
    family: "tnote",
    history: yields,
    value: (o) => o.value,
    decisionTs: (o) => o.ts - 8 * HOUR,
    fit: (known, cutoffTs) => tnoteModel.calibrate(known, { cutoffTs }),
    forecast(params, known, target, now) {
      const ladder = tnoteLadder(known[known.length - 1].value);
      const pmf = tnoteModel.pmf(
        { now, closeTs: target.ts - 3 * HOUR, yields: known },
        params,
        ladder,
      );
      return { ladder, pmf };
    },
    refitEvery: options.refitEvery ?? 63,
    fitWindow: options.fitWindow ?? 2500,
    minKnown: 10,
  };
}

/** Compact text of fitted 10-year parameters. */
export function tnoteParamsSummary(p: TnoteParams): string {
  const df = Number.isFinite(p.df) ? p.df.toFixed(1) : "inf";
  const mr = p.kappa > 0 ? `kappa ${p.kappa.toFixed(4)}, mu ${p.mu.toFixed(2)}, ` : "";
  return `${mr}scale ${p.scale.toFixed(4)} pp/day, df ${df}`;
}
