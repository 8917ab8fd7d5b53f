/**
 * The `cpi-events-csv` importer: the CSV extracts of Kalshi CPI (m/m) events in
 * the kalshi_cpi_yf layout. Spec: docs/import/cpi_events_csv.md.
 *
 * Each file is recognised by its header:
 *
 * - **events table** (`event_ticker, first_open_time, close_time, settled,
 *   actual_cpi_mom`, ...): one row per monthly event. Every row is an event record
 *   (series = the ticker up to its first `-`; not mutually exclusive: the markets
 *   are "above X" thresholds; `outcome_step` 0.1), declared when markets of the
 *   event are imported with it. A settled row's `actual_cpi_mom` (the first-release
 *   m/m % the markets settled on) becomes an `underlying` event of `--symbol`
 *   (default `CPI_MOM`) at the release: the first `release_time` (default 08:30)
 *   in `release_zone` (default America/New_York) at or after the event's
 *   `close_time`. BLS publishes CPI at 08:30 ET and Kalshi closes CPI markets just
 *   before; the exact release date is not in the file, so this is the earliest
 *   time consistent with it, not a published timestamp.
 * - **markets extract** (`ticker, event_ticker, strike_type, floor_strike,
 *   open_time, close_time, settlement_ts, status, result, expiration_value`, ...):
 *   one market per row, read as a Kalshi market record (lib/import/kalshi_market.ts),
 *   so `greater` is strictly greater (T0.2 settles NO on a print of 0.2; a result
 *   that contradicts the strikes is counted). `settlement_value_dollars`, when
 *   present, must agree with `result` (1 for yes, 0 for no), else it is counted.
 * - **daily candles** (`end_period_ts, yes_bid_close, yes_ask_close`, ...): one
 *   candle per row of the market named by `--extra ticker=` or by the file name
 *   up to its first `_` (`KXCPI-25JUL-T0.2_daily_candles.csv`). The close bid and
 *   ask become the top of book at `end_period_ts` (the candle rule,
 *   lib/import/candle_quotes.ts; mapped by lib/import/top_quote.ts). The market
 *   must be declared by a markets extract imported with it.
 *
 * @module
 */

import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { ImportError } from "./types.ts";
import { type CsvTable, fieldCountProblem, readCsvRows, requireColumns } from "./csv_rows.ts";
import { dollarsToTicks, FieldError, KalshiRecord } from "./kalshi_fields.ts";
import { convertMarket } from "./kalshi_market.ts";
import { feeFromOptions } from "./fee_options.ts";
import { type ClockTime, nextLocalTimeAtOrAfter, parseClockTime } from "./known_time.ts";
import { ImportOptionError } from "./option_error.ts";
import { TapeAssembly } from "./tape_assembly.ts";
import { seriesOfTicker } from "./ticker_ladder.ts";
import { TopOfBookMapper } from "./top_quote.ts";
import { parseZonedTimestamp, ZoneResolver } from "./zoned_time.ts";

/** The reporting precision of CPI m/m (percent). */
export const CPI_OUTCOME_STEP = 0.1;

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

type Kind = "events" | "markets" | "candles";

function kindOf(t: CsvTable): Kind {
  const has = (n: string) => t.names.includes(n);
  if (has("actual_cpi_mom")) return "events";
  if (has("ticker") && has("strike_type")) return "markets";
  if (has("end_period_ts")) return "candles";
  throw new ImportError(
    t.file,
    t.line,
    "(header)",
    `Cannot detect file: not an events table (actual_cpi_mom), markets extract (ticker, strike_type) or daily candles (end_period_ts), current value is ${
      JSON.stringify(t.names.join(","))
    }`,
  );
}

/** The file name without folders, up to its first `_`. */
function tickerOfFileName(name: string): string {
  const base = name.replace(/^.*[\\/]/, "");
  const i = base.indexOf("_");
  return i < 0 ? base.replace(/\.csv(\.gz)?$/i, "") : base.slice(0, i);
}

interface Release {
  readonly zone: ZoneResolver;
  readonly at: ClockTime;
}

function releaseOption(options: ImportOptions): Release {
  const extra = options.extra ?? {};
  let zone: ZoneResolver;
  try {
    zone = new ZoneResolver(extra.release_zone ?? "America/New_York");
  } catch (e) {
    throw new ImportOptionError("release_zone", (e as Error).message);
  }
  try {
    return { zone, at: parseClockTime(extra.release_time ?? "08:30") };
  } catch (e) {
    throw new ImportOptionError("release_time", (e as Error).message);
  }
}

function time(field: string, s: string): number {
  try {
    return parseZonedTimestamp(s);
  } catch (e) {
    throw new FieldError(field, (e as Error).message);
  }
}

class CpiRun {
  readonly asm: TapeAssembly;
  readonly symbol: string;
  readonly release: Release;
  readonly tickerOption?: string;
  readonly tops = new TopOfBookMapper();

  constructor(inputs: readonly ImportInput[], options: ImportOptions) {
    this.asm = new TapeAssembly({
      format: "cpi-events-csv",
      files: inputs.map((i) => i.name),
      strict: options.strict ?? true,
      fee: feeFromOptions(options),
    });
    this.symbol = options.symbol ?? "CPI_MOM";
    this.release = releaseOption(options);
    if (options.extra?.ticker !== undefined) this.tickerOption = options.extra.ticker;
  }

  file(input: ImportInput): void {
    const t = readCsvRows(input.name, input.text);
    const kind = kindOf(t);
    const cols = kind === "events"
      ? ["event_ticker", "close_time", "settled", "actual_cpi_mom"]
      : kind === "markets"
      ? ["ticker", "event_ticker", "strike_type", "open_time", "close_time", "result"]
      : ["end_period_ts", "yes_bid_close", "yes_ask_close"];
    requireColumns(t, cols);
    const ticker = kind === "candles" ? this.tickerOption ?? tickerOfFileName(input.name) : "";
    for (const r of t.rows) {
      const row = this.asm.row(input.name, r.line);
      const bad = fieldCountProblem(t, r.fields);
      if (bad !== null) {
        this.asm.reject(row, "(row)", bad);
        continue;
      }
      const obj: Record<string, string> = {};
      t.names.forEach((n, i) => obj[n] = r.fields[i]);
      try {
        if (kind === "events") this.#event(row, obj);
        else if (kind === "markets") this.#market(row, obj);
        else this.#candle(row, obj, ticker);
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        this.asm.reject(row, e.field, e.detail);
      }
    }
  }

  #event(row: number, f: Record<string, string>): void {
    const asm = this.asm;
    const event = f.event_ticker;
    if (event === "") {
      throw new FieldError(
        "event_ticker",
        'Cannot read row: missing event ticker, current value is ""',
      );
    }
    const closeTs = time("close_time", f.close_time);
    const settled = f.settled;
    if (settled !== "True" && settled !== "False") {
      throw new FieldError(
        "settled",
        `Cannot read row: settled is not True or False, current value is ${
          JSON.stringify(settled)
        }`,
      );
    }
    const text = f.actual_cpi_mom.trim();
    if (settled === "True" && !DECIMAL.test(text)) {
      throw new FieldError(
        "actual_cpi_mom",
        `Cannot read outcome of settled event ${event}: not a decimal number, current value is ${
          JSON.stringify(text)
        }`,
      );
    }
    if (settled === "False" && text !== "") {
      throw new FieldError(
        "actual_cpi_mom",
        `Cannot read row: an unsettled event has an outcome, current value is ${
          JSON.stringify(text)
        }`,
      );
    }
    asm.event(
      row,
      {
        event,
        series: seriesOfTicker(event),
        mutuallyExclusive: false,
        outcomeStep: CPI_OUTCOME_STEP,
      },
      "event_ticker",
    );
    if (settled === "False") {
      asm.dropReason(row, "not_settled", event);
      return;
    }
    const value = Number(text);
    if (Math.abs(value * 10 - Math.round(value * 10)) > 1e-9) {
      asm.anomaly(
        "outcome_off_grid",
        `${asm.where(row)} ${event}: ${text} is not a multiple of 0.1`,
      );
    }
    let ts: number;
    try {
      ts = nextLocalTimeAtOrAfter(this.release.zone, closeTs, this.release.at);
    } catch (e) {
      throw new FieldError("close_time", (e as Error).message);
    }
    asm.data(row, { kind: "underlying", ts, symbol: this.symbol, value }, "actual_cpi_mom");
  }

  #market(row: number, f: Record<string, string>): void {
    const asm = this.asm;
    const obj: Record<string, unknown> = { ...f };
    for (const k of ["floor_strike", "cap_strike"]) {
      if (!(k in f)) continue;
      obj[k] = f[k] === "" ? null : DECIMAL.test(f[k]) ? Number(f[k]) : f[k];
    }
    const rec = new KalshiRecord(obj, "");
    try {
      const m = convertMarket(rec);
      for (const c of m.notes) asm.anomaly(c, `${asm.where(row)} ${m.decl.market}`);
      asm.market(row, m.decl, "ticker");
      if (m.settlement !== undefined) {
        asm.data(row, m.settlement, "ticker");
        const sv = f.settlement_value_dollars;
        if (sv !== undefined && sv !== "") {
          const want = m.settlement.result === "yes" ? 10000 : 0;
          if (dollarsToTicks("settlement_value_dollars", sv) !== want) {
            asm.anomaly(
              "settlement_value_disagrees",
              `${
                asm.where(row)
              } ${m.decl.market}: result ${m.settlement.result}, settlement_value_dollars ${sv}`,
            );
          }
        }
      }
    } catch (e) {
      if (f.ticker !== undefined && f.ticker !== "") asm.marketRejected(f.ticker);
      throw e;
    }
  }

  #candle(row: number, f: Record<string, string>, market: string): void {
    const s = f.end_period_ts;
    if (!/^\d{1,10}$/.test(s)) {
      throw new FieldError(
        "end_period_ts",
        `Cannot read candle: not an integer of Unix seconds, current value is ${JSON.stringify(s)}`,
      );
    }
    const ts = Number(s) * 1000;
    const bid = dollarsToTicks("yes_bid_close", f.yes_bid_close);
    const ask = dollarsToTicks("yes_ask_close", f.yes_ask_close);
    const { event, outcome } = this.tops.map(ts, market, bid, ask);
    this.asm.topOfBookAnomaly(row, market, outcome);
    this.asm.data(row, event, "ticker");
  }
}

/**
 * Runs the importer (see the module doc and docs/import/cpi_events_csv.md).
 *
 * @throws {ImportError} for an unknown header or missing column, and (strict) at
 *   the first bad row.
 * @throws {ImportOptionError} for a bad `release_zone` / `release_time`.
 */
export function importCpiEventsCsv(
  inputs: readonly ImportInput[],
  options: ImportOptions,
): ImportResult {
  const run = new CpiRun(inputs, options);
  for (const input of inputs) run.file(input);
  return run.asm.finish();
}

/** The `cpi-events-csv` importer. */
export const CPI_EVENTS_CSV_IMPORTER: Importer = {
  name: "cpi-events-csv",
  summary: "Kalshi CPI m/m CSV extracts: events table (outcomes), markets extract, daily candles",
  spec: "docs/import/cpi_events_csv.md",
  run: importCpiEventsCsv,
};
