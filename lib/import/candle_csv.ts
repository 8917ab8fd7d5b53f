/**
 * `candle-csv`: sparse trade candles per market (open/high/low/close in cents,
 * a trade count), optionally with a file of ladder results that settles the
 * markets (spec: docs/import/candle_csv.md).
 *
 * Candle columns: `market_id`, `ticker`, `start` (with a zone, e.g. `+00:00`; a
 * zone-less one needs option `tz`), `open`, `high`, `low`, `close` (cents,
 * strictly between 0 and 100), `count` (trades, a positive integer). The
 * interval is option `interval_minutes` (default 5).
 *
 * Results (option `results` = the name of one input, the CLI's `--results`):
 * columns `date` (YYYY-MM-DD, the event's date) and `winning_market` (a label,
 * lib/import/result_labels.ts); other columns are not read.
 *
 * @module
 */

import { intervalGridRange, marketInterval } from "../market/interval.ts";
import type { QuoteEvent, SettlementEvent, TapeEvent } from "../tape/events.ts";
import { tradeCandleQuote } from "./candle_quotes.ts";
import { parseCents } from "./cents.ts";
import { requireColumns, scanCsvRows } from "./csv_rows.ts";
import { feeFromOptions } from "./fee_options.ts";
import {
  buildLadderMetadata,
  type LadderMetadata,
  mergeByTs,
  outcomeStepOption,
} from "./ladder_meta.ts";
import { ImportOptionError } from "./option_error.ts";
import { ReportBuilder } from "./report.ts";
import { formatResultLabel, marketsForLabel, parseResultLabel } from "./result_labels.ts";
import { eventDateCode, seriesOfTicker, TickerCheck } from "./ticker_ladder.ts";
import { sortInputs } from "./top_of_book_tape.ts";
import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { parseTimestamp, ZoneResolver } from "./zoned_time.ts";

/** The format name. */
export const CANDLE_CSV_NAME = "candle-csv";

/** Candle columns the format reads. */
export const CANDLE_COLUMNS = [
  "market_id",
  "ticker",
  "start",
  "open",
  "high",
  "low",
  "close",
  "count",
] as const;

/** Result columns the format reads. */
export const RESULT_COLUMNS = ["date", "winning_market"] as const;

/** Default of option `interval_minutes`. */
export const DEFAULT_INTERVAL_MINUTES = 5;

interface Candle {
  readonly start: number;
  /** When the candle is known: start + interval (the quote's ts). */
  readonly ts: number;
  readonly market: string;
  readonly close: number;
  /** The values as written (duplicate detection). */
  readonly values: string;
  readonly file: number;
  readonly line: number;
}

function intervalOption(options: ImportOptions): number {
  const s = options.extra?.interval_minutes;
  if (s === undefined) return DEFAULT_INTERVAL_MINUTES * 60_000;
  if (!/^[1-9]\d{0,5}$/.test(s)) {
    throw new ImportOptionError(
      "interval_minutes",
      `Cannot use candle interval: not a positive integer of minutes, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  return Number(s) * 60_000;
}

function optionalZone(options: ImportOptions): ZoneResolver | undefined {
  if (options.tz === undefined) return undefined;
  try {
    return new ZoneResolver(options.tz);
  } catch (e) {
    throw new ImportOptionError("tz", (e as Error).message);
  }
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}

function readCandles(
  input: ImportInput,
  fileIdx: number,
  intervalMs: number,
  zone: ZoneResolver | undefined,
  report: ReportBuilder,
  out: Candle[],
  tickers: TickerCheck,
): void {
  const file = input.name;
  let cols: number[] = [];
  scanCsvRows(file, input.text, report, (fields, line) => {
    const market = fields[cols[1]];
    const tickerProblem = tickers.problem(market);
    if (tickerProblem !== null) return report.reject(file, line, "ticker", tickerProblem);
    const id = fields[cols[0]];
    if (id !== market) {
      return report.reject(
        file,
        line,
        "market_id",
        `Cannot match candle: market_id differs from ticker ${
          JSON.stringify(market)
        }, current value is ${JSON.stringify(id)}`,
      );
    }
    let start: number;
    try {
      start = parseTimestamp(fields[cols[2]], zone);
    } catch (e) {
      return report.reject(file, line, "start", (e as Error).message);
    }
    const ohlc = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      const name = CANDLE_COLUMNS[k + 3];
      const text = fields[cols[k + 3]];
      try {
        ohlc[k] = parseCents(text);
      } catch (e) {
        return report.reject(file, line, name, (e as Error).message);
      }
      if (ohlc[k] < 1 || ohlc[k] > 9999) {
        return report.reject(
          file,
          line,
          name,
          `Cannot accept trade price: not strictly between 0 and 100 cents, current value is ${
            JSON.stringify(text)
          }`,
        );
      }
    }
    const [open, high, low, close] = ohlc;
    if (low > high || open < low || open > high || close < low || close > high) {
      const field = low > high || open < low || close < low ? "low" : "high";
      return report.reject(
        file,
        line,
        field,
        `Cannot accept candle: open ${open / 100} and close ${close / 100} must lie within low ${
          low / 100
        } .. high ${high / 100}, current value is ${
          JSON.stringify(fields[cols[field === "low" ? 5 : 4]])
        }`,
      );
    }
    const countText = fields[cols[7]];
    if (!/^[1-9]\d{0,14}$/.test(countText)) {
      return report.reject(
        file,
        line,
        "count",
        `Cannot read trade count: not a positive integer, current value is ${
          JSON.stringify(countText)
        }`,
      );
    }
    if (start % intervalMs !== 0) {
      report.anomaly(
        "unaligned_candle",
        `${file}:${line}: ${market} start ${iso(start)} is not a multiple of the interval`,
      );
    }
    out.push({
      start,
      ts: start + intervalMs,
      market,
      close,
      values: `${open},${high},${low},${close},${countText}`,
      file: fileIdx,
      line,
    });
  }, (h) => {
    cols = requireColumns(h, CANDLE_COLUMNS);
  });
}

function compareCandles(a: Candle, b: Candle): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.market !== b.market) return a.market < b.market ? -1 : 1;
  if (a.file !== b.file) return a.file - b.file;
  return a.line - b.line;
}

/** What the results settle: event -> the YES market, and the settlement events. */
function settle(
  results: readonly ImportInput[],
  meta: LadderMetadata,
  report: ReportBuilder,
  options: ImportOptions,
): SettlementEvent[] {
  const out: SettlementEvent[] = [];
  if (results.length === 0) return out;
  const series = new Set([...meta.eventMarkets.keys()].map(seriesOfTicker));
  let theSeries = options.extra?.results_series;
  if (theSeries === undefined) {
    if (series.size > 1) {
      throw new ImportOptionError(
        "results_series",
        `Cannot attach results: the candles hold several series, so name the results' series (--extra results_series=SERIES), current value is none (series: ${
          [...series].sort().join(", ")
        })`,
      );
    }
    theSeries = series.size === 1 ? [...series][0] : "";
  }
  const settledBy = new Map<string, { line: number; file: string; label: string }>();
  for (const input of results) {
    const file = input.name;
    let cols: number[] = [];
    scanCsvRows(file, input.text, report, (fields, line) => {
      const date = fields[cols[0]];
      let event: string;
      try {
        event = `${theSeries}-${eventDateCode(date)}`;
      } catch (e) {
        return report.reject(file, line, "date", (e as Error).message);
      }
      const labelText = fields[cols[1]];
      let label;
      try {
        label = parseResultLabel(labelText);
      } catch (e) {
        return report.reject(file, line, "winning_market", (e as Error).message);
      }
      const tickers = meta.eventMarkets.get(event);
      if (tickers === undefined) {
        return report.skip(
          "result_without_event",
          `${file}:${line}: ${date} -> ${event}: no imported market of that event`,
        );
      }
      const prev = settledBy.get(event);
      if (prev !== undefined) {
        if (prev.label === formatResultLabel(label)) {
          return report.skip(
            "duplicate_row",
            `${file}:${line}: ${event} settled again with the same label`,
          );
        }
        return report.reject(
          file,
          line,
          "winning_market",
          `Cannot settle ${event}: already settled as ${
            JSON.stringify(prev.label)
          } by ${prev.file}:${prev.line}, current value is ${JSON.stringify(labelText)}`,
        );
      }
      const markets = tickers.map((t) => meta.markets.get(t)!);
      const step = markets[0] === undefined ? undefined : eventStep(meta, event);
      if (step === undefined) {
        return report.reject(
          file,
          line,
          "winning_market",
          `Cannot settle ${event}: the event has no outcome step to compare labels on, current value is ${
            JSON.stringify(labelText)
          }`,
        );
      }
      const winners = marketsForLabel(label, markets, step);
      if (winners.length !== 1) {
        const bins = markets.map((m) => {
          const g = intervalGridRange(marketInterval(m), step);
          return `${m.market} ${g.first}..${g.last}`;
        }).join(", ");
        return report.reject(
          file,
          line,
          "winning_market",
          `Cannot settle ${event}: ${
            winners.length === 0 ? "no market" : "several markets"
          } of the ladder cover exactly that bin (markets: ${bins}), current value is ${
            JSON.stringify(labelText)
          }`,
        );
      }
      settledBy.set(event, { line, file, label: formatResultLabel(label) });
      let ts = 0;
      for (const m of markets) ts = Math.max(ts, m.closeTs);
      for (const m of markets) {
        out.push({
          kind: "settlement",
          ts,
          market: m.market,
          result: m.market === winners[0] ? "yes" : "no",
        });
      }
      report.used();
    }, (h) => {
      cols = requireColumns(h, RESULT_COLUMNS);
    });
  }
  out.sort((a, b) => a.ts - b.ts || (a.market < b.market ? -1 : a.market > b.market ? 1 : 0));
  return out;
}

function eventStep(meta: LadderMetadata, event: string): number | undefined {
  for (const ev of meta.meta) {
    if (ev.kind === "event" && ev.event === event) return ev.outcomeStep;
  }
  return undefined;
}

function run(inputs: readonly ImportInput[], options: ImportOptions): ImportResult {
  const intervalMs = intervalOption(options);
  const zone = optionalZone(options);
  const fee = feeFromOptions(options);
  const outcomeStep = outcomeStepOption(options);
  const resultsName = options.extra?.results;
  const files = sortInputs(inputs);
  if (resultsName !== undefined && !files.some((f) => f.name === resultsName)) {
    throw new ImportOptionError(
      "results",
      `Cannot attach results: no input has that name, current value is ${
        JSON.stringify(resultsName)
      }`,
    );
  }
  const candleFiles = files.filter((f) => f.name !== resultsName);
  const resultFiles = files.filter((f) => f.name === resultsName);
  const report = new ReportBuilder(CANDLE_CSV_NAME, files.map((f) => f.name), {
    strict: options.strict ?? true,
  });
  const candles: Candle[] = [];
  const tickers = new TickerCheck();
  candleFiles.forEach((input, i) =>
    readCandles(input, i, intervalMs, zone, report, candles, tickers)
  );
  candles.sort(compareCandles);

  // Duplicates (same market and start): identical -> skipped; different -> rejected.
  const firstOf = new Map<string, Candle>();
  const kept: Candle[] = [];
  const observed = new Map<string, { declareTs: number; openTs: number; closeTs: number }>();
  for (const c of candles) {
    const key = `${c.market}@${c.start}`;
    const first = firstOf.get(key);
    if (first !== undefined) {
      const where = `${candleFiles[first.file].name}:${first.line}`;
      if (first.values === c.values) {
        report.skip(
          "duplicate_row",
          `${candleFiles[c.file].name}:${c.line}: repeats ${where}`,
        );
      } else {
        report.reject(
          candleFiles[c.file].name,
          c.line,
          "start",
          `Cannot accept candle: ${c.market} already has a different candle at this start (${where}), current value is ${
            JSON.stringify(iso(c.start))
          }`,
        );
      }
      continue;
    }
    firstOf.set(key, c);
    kept.push(c);
    const o = observed.get(c.market);
    if (o === undefined) {
      observed.set(c.market, { declareTs: c.ts, openTs: c.start, closeTs: c.ts });
    } else {
      o.openTs = Math.min(o.openTs, c.start);
      o.closeTs = Math.max(o.closeTs, c.ts);
    }
  }
  const meta = buildLadderMetadata(observed, fee, report, { outcomeStep });
  const data: QuoteEvent[] = [];
  for (const c of kept) {
    const why = meta.unresolved.get(c.market);
    if (why !== undefined) {
      report.reject(candleFiles[c.file].name, c.line, "ticker", why);
      continue;
    }
    data.push(tradeCandleQuote(c.market, c.start, intervalMs, c.close));
    report.used();
  }
  const settlements = settle(resultFiles, meta, report, options);
  const settled = new Set(settlements.map((s) => s.market));
  const unsettled = [...meta.markets.keys()].filter((m) => !settled.has(m));
  if (unsettled.length > 0) {
    const events = [...new Set(unsettled.map((m) => m.slice(0, m.lastIndexOf("-"))))];
    report.anomaly(
      "unsettled_market",
      `${unsettled.length} markets of ${events.length} events have no result${
        resultFiles.length === 0 ? " (no --results given)" : ""
      }, e.g. ${events.slice(0, 3).join(", ")}`,
      unsettled.length,
    );
  }
  const events: TapeEvent[] = mergeByTs<TapeEvent>(meta.meta, data, settlements);
  return { events, report: report.finish(events) };
}

/** The `candle-csv` importer. */
export const CANDLE_CSV: Importer = {
  name: CANDLE_CSV_NAME,
  summary:
    "sparse trade candles (market_id, ticker, start, open, high, low, close in cents, count) -> quotes at candle end; --results FILE settles ladders",
  spec: "docs/import/candle_csv.md",
  run,
};
