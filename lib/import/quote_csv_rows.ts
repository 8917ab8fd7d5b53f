/**
 * The row reading that the quote CSV formats (`quote-snapshot-csv`,
 * `top-of-book-csv`) share: columns `timestamp`, a ticker column and four cent
 * prices, in that order. A row with the wrong field count, a bad timestamp, a
 * bad ticker or a bad price is rejected naming its file, line and field; the
 * format decides what the four prices mean.
 *
 * @module
 */

import { parseCents } from "./cents.ts";
import { requireColumns, scanCsvRows } from "./csv_rows.ts";
import type { ReportBuilder } from "./report.ts";
import type { TickerCheck } from "./ticker_ladder.ts";
import type { ImportInput } from "./types.ts";

/** One readable quote row: its time, ticker and four prices (1e-4 dollars). */
export interface QuoteCells {
  readonly ts: number;
  readonly tsText: string;
  readonly market: string;
  readonly prices: readonly [number, number, number, number];
}

/**
 * Reads each row of `input` whose header has `columns` (timestamp, ticker, four
 * prices) and passes the readable ones to `onRow`; the others go to `report`.
 */
export function scanQuoteCsv(
  input: ImportInput,
  columns: readonly [string, string, string, string, string, string],
  parseTs: (text: string) => number,
  report: ReportBuilder,
  tickers: TickerCheck,
  onRow: (cells: QuoteCells, line: number) => void,
): void {
  const file = input.name;
  let cols: number[] = [];
  scanCsvRows(file, input.text, report, (fields, line) => {
    const tsText = fields[cols[0]];
    let ts: number;
    try {
      ts = parseTs(tsText);
    } catch (e) {
      return report.reject(file, line, "timestamp", (e as Error).message);
    }
    const market = fields[cols[1]];
    const tickerProblem = tickers.problem(market);
    if (tickerProblem !== null) return report.reject(file, line, columns[1], tickerProblem);
    const p: [number, number, number, number] = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      try {
        p[k] = parseCents(fields[cols[k + 2]]);
      } catch (e) {
        return report.reject(file, line, columns[k + 2], (e as Error).message);
      }
    }
    onRow({ ts, tsText, market, prices: p }, line);
  }, (h) => {
    cols = requireColumns(h, columns);
  });
}
