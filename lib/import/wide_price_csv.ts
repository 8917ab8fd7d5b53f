/**
 * `wide-price-csv`: Kalshi website "download price history" exports, one row per
 * minute (or hour), one column per bucket of one ladder event
 * (spec: docs/import/wide_price_csv.md).
 *
 * Header: `timestamp`, then one bucket label per column ("78° or below",
 * "79° to 80°", ..., "87° or above"). Cells: the bucket's YES price ("chance") in
 * cents, blank when there is no value.
 *
 * @module
 */

import type { BookSnapshotEvent, QuoteEvent, TapeEvent } from "../tape/events.ts";
import { parseCents } from "./cents.ts";
import { type CsvHeader, scanCsvRows } from "./csv_rows.ts";
import { feeFromOptions } from "./fee_options.ts";
import { buildLadderMetadata, mergeByTs, outcomeStepOption } from "./ladder_meta.ts";
import { ImportOptionError } from "./option_error.ts";
import { ReportBuilder } from "./report.ts";
import { parseResultLabel, type ResultLabel } from "./result_labels.ts";
import { sortInputs } from "./top_of_book_tape.ts";
import { TOP_OF_BOOK_ANOMALY, TopOfBookMapper } from "./top_quote.ts";
import {
  type Importer,
  ImportError,
  type ImportInput,
  type ImportOptions,
  type ImportResult,
} from "./types.ts";
import { parseTimestamp, ZoneResolver } from "./zoned_time.ts";

/** The format name. */
export const WIDE_PRICE_CSV_NAME = "wide-price-csv";

const FILE_NAME = /kalshi-price-history-([a-z0-9]+-[a-z0-9]+)-(minute|hour)\.csv(?:\.gz)?$/i;

/**
 * The event ticker and interval a file name states
 * (`kalshi-price-history-kxhighmia-26apr20-minute.csv` -> KXHIGHMIA-26APR20, 1 min),
 * or null when the name does not follow the export's pattern.
 *
 * @example
 * ```ts
 * import { eventOfExportName } from "./wide_price_csv.ts";
 *
 * eventOfExportName("data/kalshi-price-history-kxhighmia-26apr20-minute.csv");
 * // { event: "KXHIGHMIA-26APR20", intervalMs: 60000 }
 * ```
 */
export function eventOfExportName(name: string): { event: string; intervalMs: number } | null {
  const m = FILE_NAME.exec(name);
  if (m === null) return null;
  return {
    event: m[1].toUpperCase(),
    intervalMs: m[2].toLowerCase() === "hour" ? 3_600_000 : 60_000,
  };
}

/**
 * The ladder ticker Kalshi gives a bucket label on a whole-degree series with
 * 2-degree bins: "79° to 80°" -> B79.5, "78° or below" -> T79, "87° or above" -> T86.
 *
 * @throws {SyntaxError} For a label of another shape (a bin that is not two whole degrees wide).
 */
export function tickerSuffixOfLabel(label: ResultLabel, text: string): string {
  if (label.lo === -Infinity && Number.isInteger(label.hi)) return `T${label.hi + 1}`;
  if (label.hi === Infinity && Number.isInteger(label.lo)) return `T${label.lo - 1}`;
  if (Number.isInteger(label.lo) && label.hi === label.lo + 1) return `B${label.lo + 0.5}`;
  throw new SyntaxError(
    `Cannot name the market of a bucket: not two whole degrees wide or a whole-degree tail, current value is ${
      JSON.stringify(text)
    }`,
  );
}

interface Cell {
  readonly ts: number;
  readonly market: string;
  readonly price: number;
  readonly file: number;
  readonly line: number;
}

function positiveMinutes(options: ImportOptions): number | undefined {
  const s = options.extra?.interval_minutes;
  if (s === undefined) return undefined;
  if (!/^[1-9]\d{0,5}$/.test(s)) {
    throw new ImportOptionError(
      "interval_minutes",
      `Cannot use interval: not a positive integer of minutes, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  return Number(s) * 60_000;
}

function fileMeta(
  input: ImportInput,
  options: ImportOptions,
): { event: string; intervalMs: number } {
  const fromName = eventOfExportName(input.name);
  const event = options.extra?.event ?? fromName?.event;
  const intervalMs = positiveMinutes(options) ?? fromName?.intervalMs;
  if (event === undefined || intervalMs === undefined) {
    throw new ImportOptionError(
      event === undefined ? "event" : "interval_minutes",
      `Cannot tell the event and interval of ${
        JSON.stringify(input.name)
      }: the name is not kalshi-price-history-<event>-<minute|hour>.csv; give --extra event=TICKER and --extra interval_minutes=N, current value is none`,
    );
  }
  if (!/^[A-Z0-9]+-[A-Z0-9]+$/.test(event)) {
    throw new ImportOptionError(
      "event",
      `Cannot use event ticker: not SERIES-DATE, current value is ${JSON.stringify(event)}`,
    );
  }
  return { event, intervalMs };
}

function readFile(
  input: ImportInput,
  fileIdx: number,
  options: ImportOptions,
  zone: ZoneResolver | undefined,
  report: ReportBuilder,
  cells: Cell[],
  observed: Map<string, { declareTs: number; openTs: number; closeTs: number }>,
  seen: Map<string, string>,
): void {
  const file = input.name;
  const { event, intervalMs } = fileMeta(input, options);
  let header: CsvHeader | null = null;
  let markets: string[] = [];
  let first = Infinity;
  let last = -Infinity;
  scanCsvRows(file, input.text, report, (fields, line) => {
    const tsText = fields[0];
    let start: number;
    try {
      start = parseTimestamp(tsText, zone);
    } catch (e) {
      return report.reject(file, line, "timestamp", (e as Error).message);
    }
    const prices: number[] = [];
    for (let k = 1; k < fields.length; k++) {
      if (fields[k] === "") {
        prices.push(-1);
        continue;
      }
      try {
        prices.push(parseCents(fields[k]));
      } catch (e) {
        return report.reject(file, line, header!.names[k], (e as Error).message);
      }
    }
    if (prices.every((p) => p < 0)) {
      return report.skip("no_values", `${file}:${line}: every bucket is blank at ${tsText}`);
    }
    const key = `${event}|${intervalMs}|${start}`;
    const values = prices.join(",");
    const prev = seen.get(key);
    if (prev !== undefined) {
      if (prev === values) {
        return report.skip("duplicate_row", `${file}:${line}: ${event} at ${tsText} repeats a row`);
      }
      return report.reject(
        file,
        line,
        "timestamp",
        `Cannot accept row: ${event} already has a different row at this time, current value is ${
          JSON.stringify(tsText)
        }`,
      );
    }
    seen.set(key, values);
    const ts = start + intervalMs;
    first = Math.min(first, start);
    last = Math.max(last, start);
    prices.forEach((price, k) => {
      if (price < 0) return;
      const market = markets[k];
      cells.push({ ts, market, price, file: fileIdx, line });
      const o = observed.get(market);
      if (o === undefined) observed.set(market, { declareTs: ts, openTs: start, closeTs: ts });
      else {
        o.declareTs = Math.min(o.declareTs, ts);
        o.openTs = Math.min(o.openTs, start);
        o.closeTs = Math.max(o.closeTs, ts);
      }
    });
    report.used();
  }, (h) => {
    header = h;
    if (h.names[0] !== "timestamp") {
      throw new ImportError(
        file,
        h.line,
        h.names[0],
        `Cannot read header: the first column must be "timestamp", current value is ${
          JSON.stringify(h.names[0])
        }`,
      );
    }
    markets = h.names.slice(1).map((text) => {
      try {
        return `${event}-${tickerSuffixOfLabel(parseResultLabel(text), text)}`;
      } catch (e) {
        throw new ImportError(file, h.line, text, (e as Error).message);
      }
    });
  });
  // A bucket of the header with no value in any row still exists: declare it over the file's span.
  if (first <= last) {
    for (const market of markets) {
      if (!observed.has(market)) {
        observed.set(market, {
          declareTs: first + intervalMs,
          openTs: first,
          closeTs: last + intervalMs,
        });
      }
    }
  }
}

function run(inputs: readonly ImportInput[], options: ImportOptions): ImportResult {
  let zone: ZoneResolver | undefined;
  if (options.tz !== undefined) {
    try {
      zone = new ZoneResolver(options.tz);
    } catch (e) {
      throw new ImportOptionError("tz", (e as Error).message);
    }
  }
  const fee = feeFromOptions(options);
  const outcomeStep = outcomeStepOption(options);
  const files = sortInputs(inputs);
  const report = new ReportBuilder(WIDE_PRICE_CSV_NAME, files.map((f) => f.name), {
    strict: options.strict ?? true,
  });
  const cells: Cell[] = [];
  const observed = new Map<string, { declareTs: number; openTs: number; closeTs: number }>();
  const seen = new Map<string, string>();
  files.forEach((input, i) => readFile(input, i, options, zone, report, cells, observed, seen));
  cells.sort((a, b) =>
    a.ts - b.ts || (a.market < b.market ? -1 : a.market > b.market ? 1 : 0) || a.file - b.file ||
    a.line - b.line
  );
  const meta = buildLadderMetadata(observed, fee, report, { outcomeStep });
  if (meta.unresolved.size > 0) {
    // Labels name both tails explicitly, so every market is placeable; a failure here is a bug.
    throw new Error(
      `Cannot import ${WIDE_PRICE_CSV_NAME}: unplaceable markets ${[...meta.unresolved.keys()]}`,
    );
  }
  const mapper = new TopOfBookMapper();
  const data: (QuoteEvent | BookSnapshotEvent)[] = [];
  for (const c of cells) {
    const { event, outcome } = mapper.map(c.ts, c.market, c.price, c.price);
    const code = TOP_OF_BOOK_ANOMALY[outcome];
    if (code !== null && outcome !== "locked") {
      report.anomaly(
        code,
        `${files[c.file].name}:${c.line}: ${c.market} at ${c.price / 100} cents -> empty book`,
      );
    }
    data.push(event);
  }
  const events: TapeEvent[] = mergeByTs<TapeEvent>(meta.meta, data);
  return { events, report: report.finish(events) };
}

/** The `wide-price-csv` importer. */
export const WIDE_PRICE_CSV: Importer = {
  name: WIDE_PRICE_CSV_NAME,
  summary:
    'Kalshi website price-history exports (timestamp, then one column per bucket label such as "79° to 80°"); event and interval from the file name',
  spec: "docs/import/wide_price_csv.md",
  run,
};
