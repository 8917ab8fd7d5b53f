/**
 * Calibration of the BTC family on history: the daily closes file, the
 * realistic KXBTCD-style ladder each day is scored on, and the walk-forward task
 * (strategies/walk_forward.ts) shared by `deno task calibrate` and tests/real/.
 *
 * - History: BTC-USD daily candles (btc_daily_mz, Bitstamp then Coinbase,
 *   2011-08-18 .. 2025-09-24; columns timestamp, open, close, volume,
 *   unix_timestamp, high, low). The close of the UTC day starting at
 *   `unix_timestamp` is known at the day's end: ts = (unix_timestamp + 1 day) ms.
 * - Target: each close. Decision at the day's start (when the previous close
 *   became known); the "event" closes at the day's end, 24 hours ahead. Kalshi's
 *   daily KXBTCD settles at 17:00 ET on a 60-second BRTI average, not on a UTC
 *   candle close: the horizon (one day) is the same, the reference price is not.
 * - Ladder (KXBTCD-style, above/below, not exclusive): 41 "greater" strikes at
 *   c + j s - 0.01 (j = -20..20; Kalshi's strikes read T72999.99, T73249.99, ...),
 *   s = the 1-2-2.5-5 step nearest 0.35% of the last close ($250 at $73,000;
 *   no 0.01 offset when s < $1), c = the last close rounded to s: 42 bins over
 *   about +/- 7% of the price, a continuous outcome.
 * - Fit: lambda and drift (strategies/btc/model.ts) on every close before the
 *   cutoff; re-fitted every 30 targets (monthly) out of sample.
 *
 * @example
 * ```ts
 * import { btcForecastTask, btcHistoryFromCsv } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const text = Deno.readTextFileSync("../shared/data/btc_daily_mz/BTCUSD_1d_candles_full.csv");
 * const r = calibrateWalkForward(btcForecastTask(btcHistoryFromCsv("btc.csv", text)));
 * ```
 *
 * @module
 */

import { requireColumns, scanCsv } from "../../lib/import/csv_rows.ts";
import { ImportError } from "../../lib/import/types.ts";
import type { Ladder } from "../../lib/market/ladder.ts";
import type { Observation } from "../family.ts";
import { ladderFromStrikes, niceStep, type StrikeSpec } from "../research_ladders.ts";
import type { ForecastTask } from "../walk_forward.ts";
import { btcModel, type BtcModelParams, ewmaHalfLife } from "./model.ts";

const MS_PER_DAY = 86_400_000;

/** The history file, relative to the data folder (../shared/data). */
export const BTC_HISTORY_FILE = "btc_daily_mz/BTCUSD_1d_candles_full.csv";

/** Strikes on each side of the centre. */
const PER_SIDE = 20;
/** Target strike spacing, as a fraction of the price. */
const SPACING_FRACTION = 0.0035;

/**
 * Daily closes (ts = end of the UTC day) from the candles file. Rows may come in
 * any order; the `timestamp` text must name the UTC day of `unix_timestamp`
 * (this catches a shifted column order).
 *
 * @throws {ImportError} naming file, line and field, on a missing column, a bad
 * timestamp or close, a mismatch of the two timestamps, or a repeated day.
 */
export function btcHistoryFromCsv(file: string, text: string): Observation[] {
  let ti = -1;
  let ci = -1;
  let ui = -1;
  const rows: { ts: number; value: number; line: number }[] = [];
  scanCsv(file, text, (fields, line) => {
    const stamp = (fields[ti] ?? "").trim();
    const rawClose = (fields[ci] ?? "").trim();
    const rawUnix = (fields[ui] ?? "").trim();
    const unix = Number(rawUnix);
    if (rawUnix === "" || !Number.isSafeInteger(unix) || unix % 86_400 !== 0) {
      throw new ImportError(
        file,
        line,
        "unix_timestamp",
        `Cannot read row: unix_timestamp must be whole seconds at a UTC midnight, current value is "${rawUnix}"`,
      );
    }
    const day = new Date(unix * 1000).toISOString().slice(0, 10);
    if (stamp.slice(0, 10) !== day) {
      throw new ImportError(
        file,
        line,
        "timestamp",
        `Cannot read row: timestamp must be the UTC day of unix_timestamp (${day}), current value is "${stamp}"`,
      );
    }
    const close = Number(rawClose);
    if (rawClose === "" || !(close > 0) || !Number.isFinite(close)) {
      throw new ImportError(
        file,
        line,
        "close",
        `Cannot read row: close must be a finite price > 0, current value is "${rawClose}"`,
      );
    }
    rows.push({ ts: unix * 1000 + MS_PER_DAY, value: close, line });
  }, (header) => {
    [ti, ci, ui] = requireColumns(header, ["timestamp", "close", "unix_timestamp"]);
  });
  rows.sort((a, b) => a.ts - b.ts || a.line - b.line);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].ts === rows[i - 1].ts) {
      throw new ImportError(
        file,
        rows[i].line,
        "unix_timestamp",
        `Cannot read row: day repeated (also on line ${rows[i - 1].line}), current value is ${
          (rows[i].ts - MS_PER_DAY) / 1000
        }`,
      );
    }
  }
  return rows.map((r) => ({ ts: r.ts, value: r.value }));
}

/** The KXBTCD-style threshold ladder around the last close (see the module docs). */
export function btcLadder(lastClose: number): Ladder {
  const s = niceStep(lastClose * SPACING_FRACTION);
  const c = Math.round(lastClose / s) * s;
  const offset = s >= 1 ? 0.01 : 0;
  const specs: StrikeSpec[] = [];
  for (let j = -PER_SIDE; j <= PER_SIDE; j++) {
    const k = Math.round((c + j * s - offset) * 1e6) / 1e6;
    if (!(k > 0)) continue;
    specs.push({ suffix: `T${k}`, type: "greater", floor: k });
  }
  return ladderFromStrikes("KXBTCD-X", undefined, false, specs);
}

/** Options of {@link btcForecastTask}. */
export interface BtcTaskOptions {
  /** Re-fit every this many out-of-sample targets (default 30). */
  readonly refitEvery?: number;
  /** Fit on the latest this many closes (default: all). */
  readonly fitWindow?: number;
  /** Fit the drift (default true); false keeps the strategy's zero drift. */
  readonly drift?: boolean;
}

/** The walk-forward task of the BTC family on daily `closes` (see the module docs). */
export function btcForecastTask(
  closes: readonly Observation[],
  options: BtcTaskOptions = {},
): ForecastTask<BtcModelParams, Observation> {
  const drift = options.drift ?? true;
  return {
    family: "btc",
    history: closes,
    value: (o) => o.value,
    decisionTs: (o) => o.ts - MS_PER_DAY,
    fit: (known, cutoffTs) => btcModel.calibrate(known, { cutoffTs, drift }),
    forecast(params, known, target, now) {
      const ladder = btcLadder(known[known.length - 1].value);
      const pmf = btcModel.pmf({ now, closeTs: target.ts, closes: known }, params, ladder);
      return { ladder, pmf };
    },
    refitEvery: options.refitEvery ?? 30,
    ...(options.fitWindow !== undefined ? { fitWindow: options.fitWindow } : {}),
    minKnown: 40,
  };
}

/** Compact text of fitted BTC parameters. */
export function btcParamsSummary(p: BtcModelParams): string {
  return `lambda ${p.lambda.toFixed(3)}/day (half-life ${
    ewmaHalfLife(p.lambda).toFixed(1)
  } d), drift ${(p.driftPerDay * 1e4).toFixed(1)} bp/day`;
}
