/**
 * Calibration of the gas family on history: the real history files,
 * publication times, the realistic KXAAAGASD ladder and the walk-forward task
 * (strategies/walk_forward.ts) shared by `deno task calibrate` and tests/real/.
 *
 * - History (default): AAA's daily US average regular price 2004-2025
 *   (kalshi_sys_mb/aaa_daily_2004_2025.csv). The file's date D is taken as AAA's
 *   value published the morning of D + 1 (06:00 ET, {@link gasPublishTs}): its
 *   dates run about a day behind AAA's record (SOURCE.md), so this never looks
 *   ahead. Also readable: EIA's weekly GASREGW (FRED), Monday's price published
 *   Monday 17:00 ET ({@link gasEiaHistoryFromCsv}).
 * - Target: each value. Decision `horizonDays` before the target's publication
 *   plus an hour (the value published `horizonDays` earlier is known); the event
 *   closes a minute before the target day's 06:00 ET reference time.
 * - Ladder: 7 "strictly greater" thresholds `spacingCents` apart (1 cent for the
 *   daily job) centred on the last known price rounded to the spacing; 8 bins;
 *   outcome reported to $0.001.
 * - Fit: momentum beta, scale and df on the latest 1,500 values before the cutoff;
 *   re-fitted every 91 targets (quarterly for daily data) out of sample.
 *
 * @example
 * ```ts
 * import { gasAaaHistoryFromCsv, gasForecastTask } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const text = Deno.readTextFileSync("../shared/data/kalshi_sys_mb/aaa_daily_2004_2025.csv");
 * const r = calibrateWalkForward(gasForecastTask(gasAaaHistoryFromCsv("aaa.csv", text)));
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { easternDayNumber } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import { datedValuesFromCsv } from "../history_csv.ts";
import { thresholdLadder } from "../research_ladders.ts";
import type { ForecastTask } from "../walk_forward.ts";
import { GAS_STEP, gasModel, type GasParams, gasPublishTs } from "./model.ts";

/** The default history file (AAA daily), relative to the data folder (../shared/data). */
export const GAS_HISTORY_FILE = "kalshi_sys_mb/aaa_daily_2004_2025.csv";
/** EIA's weekly retail price (FRED GASREGW), relative to the data folder. */
export const GAS_EIA_HISTORY_FILE = "fred_macro_mm/GASREGW.csv";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * AAA daily prices (ts = publication, the morning after the file's date) from a
 * `date,regular_gas_price` file.
 *
 * @throws {ImportError} as `datedValuesFromCsv`.
 */
export function gasAaaHistoryFromCsv(file: string, text: string): Observation[] {
  return datedValuesFromCsv(file, text, "regular_gas_price").map((r) => ({
    ts: gasPublishTs(r.day + 1),
    value: r.value,
  }));
}

/**
 * EIA weekly prices (ts = Monday 17:00 ET) from FRED's `date,value` GASREGW.
 *
 * @throws {ImportError} as `datedValuesFromCsv`.
 */
export function gasEiaHistoryFromCsv(file: string, text: string): Observation[] {
  return datedValuesFromCsv(file, text, "value").map((r) => ({
    ts: gasPublishTs(r.day) + 11 * HOUR,
    value: r.value,
  }));
}

/** The KXAAAGASD-style ladder around the last known price (see the module docs). */
export function gasLadder(lastPrice: number, spacingCents: number): Ladder {
  const centre = Math.round(Math.round(lastPrice * 100) / spacingCents) * spacingCents;
  return thresholdLadder("KXAAAGASD-X", "greater", centre, spacingCents, 100, GAS_STEP);
}

/** Options of {@link gasForecastTask}. */
export interface GasTaskOptions {
  /** Days between the decision and the target (default 1). */
  readonly horizonDays?: number;
  /** Threshold spacing in cents (default 1). */
  readonly spacingCents?: number;
  /** Re-fit every this many out-of-sample targets (default 91). */
  readonly refitEvery?: number;
  /** Fit on the latest this many values (default 1,500). */
  readonly fitWindow?: number;
}

/** The walk-forward task of the gas family on `prices` (see the module docs). */
export function gasForecastTask(
  prices: readonly Observation[],
  options: GasTaskOptions = {},
): ForecastTask<GasParams, Observation> {
  const h = options.horizonDays ?? 1;
  const spacing = options.spacingCents ?? 1;
  if (!Number.isInteger(h) || h < 1) {
    throw new RangeError(
      `Cannot build the gas task: horizonDays must be an integer >= 1, current value is ${h}`,
    );
  }
  return {
    family: "gas",
    history: prices,
    value: (o) => o.value,
    // The value published h days before the target is known.
    decisionTs: (o) => o.ts - h * DAY + HOUR,
    fit: (known, cutoffTs) => gasModel.calibrate(known, { cutoffTs }),
    forecast(params, known, target, now) {
      const ladder = gasLadder(known[known.length - 1].value, spacing);
      const closeTs = gasPublishTs(easternDayNumber(target.ts)) - MIN;
      const pmf = gasModel.pmf({ now, closeTs, prices: known }, params, ladder);
      return { ladder, pmf };
    },
    refitEvery: options.refitEvery ?? 91,
    fitWindow: options.fitWindow ?? 1500,
    minKnown: 30,
  };
}

/** Compact text of fitted gas parameters. */
export function gasParamsSummary(p: GasParams): string {
  const df = Number.isFinite(p.df) ? p.df.toFixed(1) : "inf";
  return `momentum ${p.momentumDays} d, beta ${p.beta.toFixed(2)}, scale ${
    p.scale.toFixed(4)
  } (log)/day, df ${df}`;
}
