/**
 * `top-of-book-csv`: recorder logs of the best YES and NO bids per market, one row
 * per change (spec: docs/import/top_of_book_csv.md).
 *
 * Columns: `timestamp` (zone-less local time; the zone is option `tz`, required),
 * `market_ticker`, `best_yes_bid`, `best_no_bid`, `implied_no_ask`,
 * `implied_yes_ask` (cents). Several files (one per event) merge into one tape
 * (lib/import/top_of_book_tape.ts).
 *
 * The quote is YES bid = `best_yes_bid`, YES ask = 100 - `best_no_bid`: the bids
 * are the recorded facts, the implied asks are derived. When an implied ask is
 * not 100 - the opposite bid, the row is still used (from its bids) and counted
 * as anomaly `implied_ask_mismatch`.
 *
 * @module
 */

import { gapMinutesOption, zoneOption } from "./csv_options.ts";
import { feeFromOptions } from "./fee_options.ts";
import { outcomeStepOption } from "./ladder_meta.ts";
import { scanQuoteCsv } from "./quote_csv_rows.ts";
import { ReportBuilder } from "./report.ts";
import { TickerCheck } from "./ticker_ladder.ts";
import { assembleTopOfBook, sortInputs, type TopRow } from "./top_of_book_tape.ts";
import { settleFromFinalOption } from "./final_quote_settlement.ts";
import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import type { ZoneResolver } from "./zoned_time.ts";

/** The format name. */
export const TOP_OF_BOOK_CSV_NAME = "top-of-book-csv";

/** Columns the format needs (others are ignored). */
export const TOP_OF_BOOK_COLUMNS = [
  "timestamp",
  "market_ticker",
  "best_yes_bid",
  "best_no_bid",
  "implied_no_ask",
  "implied_yes_ask",
] as const;

const ONE_DOLLAR = 10_000;

function readFile(
  input: ImportInput,
  fileIdx: number,
  zone: ZoneResolver,
  report: ReportBuilder,
  rows: TopRow[],
  tickers: TickerCheck,
): void {
  const file = input.name;
  const lastTs = new Map<string, number>();
  const parseTs = (text: string) => zone.toUtcMs(text);
  scanQuoteCsv(input, TOP_OF_BOOK_COLUMNS, parseTs, report, tickers, (cells, line) => {
    const { ts, tsText, market } = cells;
    const [yesBid, noBid, impliedNoAsk, impliedYesAsk] = cells.prices;
    if (impliedYesAsk !== ONE_DOLLAR - noBid || impliedNoAsk !== ONE_DOLLAR - yesBid) {
      report.anomaly(
        "implied_ask_mismatch",
        `${file}:${line}: implied_yes_ask ${impliedYesAsk / 100} / implied_no_ask ${
          impliedNoAsk / 100
        } are not 100 - best_no_bid ${noBid / 100} / 100 - best_yes_bid ${
          yesBid / 100
        }; the bids are used`,
      );
    }
    const prev = lastTs.get(market);
    if (prev !== undefined && ts < prev) {
      report.anomaly(
        "out_of_order_row",
        `${file}:${line}: ${market} at ${tsText} is before its previous row in the file; placed by its time`,
      );
    } else {
      lastTs.set(market, ts);
    }
    rows.push({
      ts,
      market,
      yesBid,
      yesAsk: ONE_DOLLAR - noBid,
      values: `${yesBid},${noBid},${impliedNoAsk},${impliedYesAsk}`,
      tsText,
      file: fileIdx,
      line,
    });
  });
}

function run(inputs: readonly ImportInput[], options: ImportOptions): ImportResult {
  const zone = zoneOption(options, TOP_OF_BOOK_CSV_NAME);
  const gapMs = gapMinutesOption(options) * 60_000;
  const fee = feeFromOptions(options);
  const outcomeStep = outcomeStepOption(options);
  const files = sortInputs(inputs);
  const report = new ReportBuilder(TOP_OF_BOOK_CSV_NAME, files.map((f) => f.name), {
    strict: options.strict ?? true,
  });
  const rows: TopRow[] = [];
  const tickers = new TickerCheck();
  files.forEach((input, i) => readFile(input, i, zone, report, rows, tickers));
  return assembleTopOfBook(files, rows, report, "market_ticker", {
    gapMs,
    fee,
    outcomeStep,
    settleFromFinal: settleFromFinalOption(options),
  });
}

/** The `top-of-book-csv` importer. */
export const TOP_OF_BOOK_CSV: Importer = {
  name: TOP_OF_BOOK_CSV_NAME,
  summary:
    "recorder logs of best YES/NO bids in cents (timestamp, market_ticker, best_yes_bid, best_no_bid, implied_no_ask, implied_yes_ask); needs --tz",
  spec: "docs/import/top_of_book_csv.md",
  run,
};
