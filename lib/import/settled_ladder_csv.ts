/**
 * The `settled-ladder-csv` importer: one CSV row per market of settled ladder
 * events, with the first and last trade and the result (the layout of the
 * kalshi_weather_jm recorder). Spec: docs/import/settled_ladder_csv.md.
 *
 * Columns (by name, any order, others ignored): `event_ticker`, `market_ticker`,
 * `lower`, `upper`, `side`, `open_yes`, `open_ts`, `close_yes`, `close_ts`,
 * `result`.
 *
 * - Strikes come from the market ticker (lib/import/ticker_ladder.ts: `B<mid>` is
 *   the bin mid - 0.5 .. mid + 0.5, both inclusive, on whole units; `T<s>` a tail).
 *   The recorder's `lower` / `upper` / `side` are only checked: its encoding is
 *   `bracket` lower = mid, upper = mid + 1; `tail_lo` -100 .. s; `tail_hi` s .. 200.
 *   A row that disagrees is counted (`bounds_disagree`); the ticker wins.
 * - Trades: `open_yes` at `open_ts` and `close_yes` at `close_ts` are trade
 *   prices in dollars with no count and no taker side. They become **locked
 *   quotes** (bid = ask = the trade price, sizes unknown), as trade-price candles
 *   do (lib/import/candle_quotes.ts); a tape trade needs a positive count and a
 *   taker side, which the source does not have.
 * - Market `open_ts` / `close_ts`: the first and last trade (the observed trading
 *   window; the exchange's own times are not in the source).
 * - Settlement: `result` at the event's last observed trade (the latest
 *   `close_ts` of its markets). Each event must have exactly one `yes`; otherwise
 *   every row of the event is rejected.
 * - Event: mutually exclusive, `outcome_step` from the series (1 for KXHIGH*) or
 *   option `outcome_step`; series fee from the options (lib/import/fee_options.ts).
 *
 * @module
 */

import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { fieldCountProblem, readCsvRows, requireColumns, showRow } from "./csv_rows.ts";
import { dollarsToTicks, FieldError } from "./kalshi_fields.ts";
import { feeFromOptions } from "./fee_options.ts";
import { outcomeStepOption } from "./ladder_meta.ts";
import { type DataEvent, type MarketDecl, TapeAssembly } from "./tape_assembly.ts";
import {
  inferLadder,
  type LadderTicker,
  parseLadderTicker,
  seriesOfTicker,
  seriesOutcomeStep,
} from "./ticker_ladder.ts";
import { parseZonedTimestamp } from "./zoned_time.ts";
import type { Side } from "../tape/events.ts";

const COLUMNS = [
  "event_ticker",
  "market_ticker",
  "lower",
  "upper",
  "side",
  "open_yes",
  "open_ts",
  "close_yes",
  "close_ts",
  "result",
] as const;

/** The recorder's sentinels for an open end. */
const LOW_SENTINEL = -100;
const HIGH_SENTINEL = 200;

/** One parsed row. */
interface LadderRow {
  readonly row: number;
  readonly line: number;
  readonly file: string;
  readonly ticker: LadderTicker;
  readonly lower: number;
  readonly upper: number;
  readonly side: string;
  readonly openPrice: number;
  readonly openTs: number;
  readonly closePrice: number;
  readonly closeTs: number;
  readonly result: Side;
  readonly text: string;
}

function num(field: string, s: string): number {
  if (!/^-?\d+(?:\.\d+)?$/.test(s)) {
    throw new FieldError(
      field,
      `Cannot parse number: not a decimal, current value is ${JSON.stringify(s)}`,
    );
  }
  return Number(s);
}

function innerPrice(field: string, s: string): number {
  const p = dollarsToTicks(field, s);
  if (p < 1 || p > 9999) {
    throw new FieldError(
      field,
      `Cannot accept trade price: not strictly between $0 and $1, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  return p;
}

function time(field: string, s: string): number {
  try {
    return parseZonedTimestamp(s);
  } catch (e) {
    throw new FieldError(field, (e as Error).message);
  }
}

/** The recorder's encoding of a market's bounds, from its inferred strikes. */
function recorderBounds(
  shape: { strikeType: string; floorStrike?: number; capStrike?: number },
  t: LadderTicker,
): { lower: number; upper: number; side: string } {
  if (shape.strikeType === "between") {
    return { lower: t.strike, upper: t.strike + 1, side: "bracket" };
  }
  if (shape.strikeType === "less") return { lower: LOW_SENTINEL, upper: t.strike, side: "tail_lo" };
  return { lower: t.strike, upper: HIGH_SENTINEL, side: "tail_hi" };
}

/**
 * Runs the importer (see the module doc and docs/import/settled_ladder_csv.md).
 *
 * @throws {ImportError} in strict mode at the first bad row; always for a missing
 *   column or broken CSV quoting.
 */
export function importSettledLadderCsv(
  inputs: readonly ImportInput[],
  options: ImportOptions,
): ImportResult {
  const asm = new TapeAssembly({
    format: "settled-ladder-csv",
    files: inputs.map((i) => i.name),
    strict: options.strict ?? true,
    fee: feeFromOptions(options),
  });
  const stepOption = outcomeStepOption(options);
  const rows: LadderRow[] = [];
  const seen = new Map<string, LadderRow>();
  for (const input of inputs) {
    const table = readCsvRows(input.name, input.text);
    const idx = requireColumns(table, COLUMNS);
    const col = (name: (typeof COLUMNS)[number]) => idx[COLUMNS.indexOf(name)];
    for (const r of table.rows) {
      const row = asm.row(input.name, r.line);
      const bad = fieldCountProblem(table, r.fields);
      if (bad !== null) {
        asm.reject(row, "(row)", bad);
        continue;
      }
      const f = (name: (typeof COLUMNS)[number]) => r.fields[col(name)];
      try {
        let ticker: LadderTicker;
        try {
          ticker = parseLadderTicker(f("market_ticker"));
        } catch (e) {
          throw new FieldError("market_ticker", (e as Error).message);
        }
        if (ticker.event !== f("event_ticker")) {
          throw new FieldError(
            "market_ticker",
            `Cannot read row: market ticker is not of event ${
              JSON.stringify(f("event_ticker"))
            }, current value is ${JSON.stringify(ticker.market)}`,
          );
        }
        const result = f("result");
        if (result !== "yes" && result !== "no") {
          throw new FieldError(
            "result",
            `Cannot read result: not "yes" or "no", current value is ${JSON.stringify(result)}`,
          );
        }
        const openTs = time("open_ts", f("open_ts"));
        const closeTs = time("close_ts", f("close_ts"));
        if (closeTs < openTs) {
          throw new FieldError(
            "close_ts",
            `Cannot read row: last trade before first trade ${f("open_ts")}, current value is ${
              JSON.stringify(f("close_ts"))
            }`,
          );
        }
        const parsed: LadderRow = {
          row,
          line: r.line,
          file: input.name,
          ticker,
          lower: num("lower", f("lower")),
          upper: num("upper", f("upper")),
          side: f("side"),
          openPrice: innerPrice("open_yes", f("open_yes")),
          openTs,
          closePrice: innerPrice("close_yes", f("close_yes")),
          closeTs,
          result,
          text: showRow(r.fields),
        };
        const prev = seen.get(ticker.market);
        if (prev !== undefined) {
          if (prev.text === parsed.text) asm.skip(row, "duplicate_row", ticker.market);
          else {
            asm.reject(
              row,
              "market_ticker",
              `Cannot read row: market already read with different values at ${prev.file}:${prev.line}, current value is ${
                JSON.stringify(ticker.market)
              }`,
            );
          }
          continue;
        }
        seen.set(ticker.market, parsed);
        rows.push(parsed);
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        asm.reject(row, e.field, e.detail);
      }
    }
  }

  // Per event: exactly one YES, then strikes from the tickers.
  const byEvent = new Map<string, LadderRow[]>();
  for (const r of rows) {
    const list = byEvent.get(r.ticker.event);
    if (list === undefined) byEvent.set(r.ticker.event, [r]);
    else list.push(r);
  }
  for (const event of [...byEvent.keys()].sort()) {
    const list = byEvent.get(event)!;
    const yes = list.filter((r) => r.result === "yes");
    if (yes.length !== 1) {
      for (const r of list) {
        asm.reject(
          r.row,
          "result",
          `Cannot settle event ${event}: ${yes.length} of its ${list.length} markets settle yes (exactly 1 expected), current value is ${
            JSON.stringify(r.result)
          }`,
        );
      }
      continue;
    }
    const series = seriesOfTicker(event);
    const outcomeStep = stepOption ?? seriesOutcomeStep(series);
    const ladder = inferLadder(event, list.map((r) => r.ticker.market), { outcomeStep });
    const unresolved = new Map(ladder.unresolved.map((u) => [u.market, u.detail]));
    asm.inferEvent({
      event,
      series,
      mutuallyExclusive: true,
      ...(outcomeStep !== undefined ? { outcomeStep } : {}),
    });
    let settleTs = 0;
    for (const r of list) settleTs = Math.max(settleTs, r.closeTs);
    for (const r of list) {
      const m = r.ticker.market;
      const shape = ladder.shapes.get(m);
      if (shape === undefined) {
        asm.reject(
          r.row,
          "market_ticker",
          unresolved.get(m) ?? `Cannot infer strike, current value is ${m}`,
        );
        asm.marketRejected(m);
        continue;
      }
      const want = recorderBounds(shape, r.ticker);
      if (want.lower !== r.lower || want.upper !== r.upper || want.side !== r.side) {
        asm.anomaly(
          "bounds_disagree",
          `${r.file}:${r.line} ${m}: recorder ${r.side} ${r.lower}..${r.upper}, ticker gives ${want.side} ${want.lower}..${want.upper} (${shape.strikeType} ${
            shape.floorStrike ?? ""
          }..${shape.capStrike ?? ""}); the ticker is used`,
        );
      }
      const decl: MarketDecl = {
        market: m,
        event,
        strikeType: shape.strikeType,
        ...(shape.floorStrike !== undefined ? { floorStrike: shape.floorStrike } : {}),
        ...(shape.capStrike !== undefined ? { capStrike: shape.capStrike } : {}),
        openTs: r.openTs,
        closeTs: r.closeTs,
        priceStep: 100,
      };
      asm.market(r.row, decl, "market_ticker");
      const q = (ts: number, p: number): DataEvent => ({
        kind: "quote",
        ts,
        market: m,
        yesBid: p,
        yesAsk: p,
        yesBidSize: 0,
        yesAskSize: 0,
      });
      asm.data(r.row, q(r.openTs, r.openPrice), "market_ticker");
      if (r.closeTs !== r.openTs || r.closePrice !== r.openPrice) {
        asm.data(r.row, q(r.closeTs, r.closePrice), "market_ticker");
      }
      asm.data(r.row, { kind: "settlement", ts: settleTs, market: m, result: r.result }, "result");
    }
  }
  return asm.finish();
}

/** The `settled-ladder-csv` importer. */
export const SETTLED_LADDER_CSV_IMPORTER: Importer = {
  name: "settled-ladder-csv",
  summary:
    "settled ladder markets, one CSV row each: ticker, recorder bounds, first/last trade, result",
  spec: "docs/import/settled_ladder_csv.md",
  run: importSettledLadderCsv,
};
