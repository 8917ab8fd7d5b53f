/**
 * `quote-snapshot-csv`: polled market snapshots with YES/NO bid and ask in cents
 * (spec: docs/import/quote_snapshot_csv.md).
 *
 * Columns: `timestamp` (with a zone, e.g. `+00:00`; a zone-less one needs option
 * `tz`), `ticker`, `yes_bid`, `yes_ask`, `no_bid`, `no_ask` (cents). The columns
 * `last_price`, `open_interest`, `volume` and `liquidity` are not read (the tape
 * has no kind for them; a last price is not a trade). The quote is YES bid =
 * `yes_bid`, YES ask = `yes_ask` (0 = no bid, 100 = no ask); when `no_bid` is not
 * 100 - `yes_ask` or `no_ask` is not 100 - `yes_bid`, the row is still used (from
 * its YES side) and counted as anomaly `implied_price_mismatch`. Assembly rules:
 * lib/import/top_of_book_tape.ts.
 *
 * @module
 */

import { gapMinutesOption } from "./csv_options.ts";
import { feeFromOptions } from "./fee_options.ts";
import { outcomeStepOption } from "./ladder_meta.ts";
import { ImportOptionError } from "./option_error.ts";
import { scanQuoteCsv } from "./quote_csv_rows.ts";
import { ReportBuilder } from "./report.ts";
import { TickerCheck } from "./ticker_ladder.ts";
import { assembleTopOfBook, sortInputs, type TopRow } from "./top_of_book_tape.ts";
import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { parseTimestamp, ZoneResolver } from "./zoned_time.ts";

/** The format name. */
export const QUOTE_SNAPSHOT_CSV_NAME = "quote-snapshot-csv";

/** Columns the format reads (others are ignored). */
export const QUOTE_SNAPSHOT_COLUMNS = [
  "timestamp",
  "ticker",
  "yes_bid",
  "yes_ask",
  "no_bid",
  "no_ask",
] as const;

const ONE_DOLLAR = 10_000;

function optionalZone(options: ImportOptions): ZoneResolver | undefined {
  if (options.tz === undefined) return undefined;
  try {
    return new ZoneResolver(options.tz);
  } catch (e) {
    throw new ImportOptionError("tz", (e as Error).message);
  }
}

function readFile(
  input: ImportInput,
  fileIdx: number,
  zone: ZoneResolver | undefined,
  report: ReportBuilder,
  rows: TopRow[],
  tickers: TickerCheck,
): void {
  const file = input.name;
  const parseTs = (text: string) => parseTimestamp(text, zone);
  scanQuoteCsv(input, QUOTE_SNAPSHOT_COLUMNS, parseTs, report, tickers, (cells, line) => {
    const { ts, tsText, market } = cells;
    const [yesBid, yesAsk, noBid, noAsk] = cells.prices;
    if (noBid !== ONE_DOLLAR - yesAsk || noAsk !== ONE_DOLLAR - yesBid) {
      report.anomaly(
        "implied_price_mismatch",
        `${file}:${line}: no_bid ${noBid / 100} / no_ask ${noAsk / 100} are not 100 - yes_ask ${
          yesAsk / 100
        } / 100 - yes_bid ${yesBid / 100}; the YES side is used`,
      );
    }
    rows.push({
      ts,
      market,
      yesBid,
      yesAsk,
      values: `${yesBid},${yesAsk},${noBid},${noAsk}`,
      tsText,
      file: fileIdx,
      line,
    });
  });
}

function run(inputs: readonly ImportInput[], options: ImportOptions): ImportResult {
  const zone = optionalZone(options);
  const gapMs = gapMinutesOption(options) * 60_000;
  const fee = feeFromOptions(options);
  const outcomeStep = outcomeStepOption(options);
  const files = sortInputs(inputs);
  const report = new ReportBuilder(QUOTE_SNAPSHOT_CSV_NAME, files.map((f) => f.name), {
    strict: options.strict ?? true,
  });
  const rows: TopRow[] = [];
  const tickers = new TickerCheck();
  files.forEach((input, i) => readFile(input, i, zone, report, rows, tickers));
  return assembleTopOfBook(files, rows, report, "ticker", { gapMs, fee, outcomeStep });
}

/** The `quote-snapshot-csv` importer. */
export const QUOTE_SNAPSHOT_CSV: Importer = {
  name: QUOTE_SNAPSHOT_CSV_NAME,
  summary:
    "polled market snapshots (timestamp, ticker, yes_bid, yes_ask, no_bid, no_ask, ... in cents); timestamps with a zone, or --tz",
  spec: "docs/import/quote_snapshot_csv.md",
  run,
};
