/**
 * The `kalshi-json` importer: Kalshi REST response bodies (or our fetcher's
 * envelopes around them) into a tape. Spec: docs/import/kalshi_json.md.
 *
 * A file holds one JSON document (a response body or an envelope
 * `{"kx_fetch":1,"path","query","fetched_at","status","body"}`); a file named
 * `*.jsonl` / `*.ndjson` holds one document per line. The response shape is
 * detected by its keys; every item (series, event, market, trade, candle, order
 * book) is one record of the report.
 *
 * @module
 */

import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { KalshiRecord, rejectFieldErrors, showValue } from "./kalshi_fields.ts";
import { addKalshiMarket } from "./kalshi_market.ts";
import { convertEvent, convertSeries } from "./kalshi_metadata.ts";
import { convertCandle, convertOrderbook, convertTrade } from "./kalshi_market_data.ts";
import { feeFromOptions } from "./fee_options.ts";
import { fetchedAtOption } from "./kalshi_options.ts";
import { TapeAssembly } from "./tape_assembly.ts";
import { TopOfBookMapper } from "./top_quote.ts";
import { outcomeStepOption } from "./ladder_meta.ts";
import { seriesOutcomeStep } from "./ticker_ladder.ts";

/** Where one document came from and what is known about its fetch. */
interface DocContext {
  readonly file: string;
  /** Gives the `line` of the next record (see the spec: record index or physical line). */
  readonly nextLine: () => number;
  readonly fetchedAt?: number;
  /** The request path of an envelope (`/markets/X/orderbook`). */
  readonly path?: string;
  /** JSON path prefix of the body (`body.` inside an envelope). */
  readonly prefix: string;
}

type Obj = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

const ORDERBOOK_PATH = /\/markets\/([^/?]+)\/orderbook\/?$/;

/** Whether a file holds one document per line, by its name. */
function isLineFile(name: string): boolean {
  const n = name.toLowerCase().replace(/\.gz$/, "");
  return n.endsWith(".jsonl") || n.endsWith(".ndjson");
}

/** The message of a JSON.parse failure, without engine-specific decoration. */
function parseMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class KalshiJsonRun {
  readonly asm: TapeAssembly;
  readonly extraFetchedAt?: number;
  readonly extraTicker?: string;
  readonly seenTrades = new Set<string>();
  /** Market + period end -> the close bid/ask read first (repeated candles). */
  readonly seenCandles = new Map<string, string>();
  readonly tops = new TopOfBookMapper();
  readonly outcomeStepOption: number | undefined;

  constructor(inputs: readonly ImportInput[], options: ImportOptions) {
    const extra = options.extra ?? {};
    this.asm = new TapeAssembly({
      format: "kalshi-json",
      files: inputs.map((i) => i.name),
      strict: options.strict ?? true,
      fee: feeFromOptions(options),
      outcomeStep: (series) => this.outcomeStepOf(series),
    });
    this.outcomeStepOption = outcomeStepOption(options);
    const f = fetchedAtOption(extra);
    if (f !== undefined) this.extraFetchedAt = f;
    if (extra.ticker !== undefined) this.extraTicker = extra.ticker;
  }

  /** An event's `outcome_step`: option `outcome_step`, else the series' rule (1 for KXHIGH*). */
  outcomeStepOf(series: string): number | undefined {
    return this.outcomeStepOption ?? seriesOutcomeStep(series);
  }

  file(input: ImportInput): void {
    const text = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
    if (isLineFile(input.name)) {
      const lines = text.split("\n");
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i].replace(/\r$/, "");
        if (line.trim() === "") continue;
        const lineNo = i + 1;
        this.#parsed(input.name, line, () => lineNo, "(line)");
      }
    } else {
      let n = 0;
      this.#parsed(input.name, text, () => ++n, "(file)");
    }
  }

  #parsed(file: string, text: string, nextLine: () => number, what: string): void {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      const row = this.asm.row(file, nextLine());
      this.asm.reject(
        row,
        what,
        `Cannot parse JSON: ${parseMessage(e)}, current value is ${showValue(text.slice(0, 60))}`,
      );
      return;
    }
    this.#document(doc, file, nextLine);
  }

  #document(doc: unknown, file: string, nextLine: () => number): void {
    if (isObject(doc) && "kx_fetch" in doc) {
      this.#envelope(doc, file, nextLine);
      return;
    }
    const ctx: DocContext = {
      file,
      nextLine,
      prefix: "",
      ...(this.extraFetchedAt !== undefined ? { fetchedAt: this.extraFetchedAt } : {}),
    };
    this.#body(doc, ctx);
  }

  #envelope(env: Obj, file: string, nextLine: () => number): void {
    const bad = (field: string, detail: string) => {
      this.asm.reject(this.asm.row(file, nextLine()), field, detail);
    };
    if (env.kx_fetch !== 1) {
      return bad(
        "kx_fetch",
        `Cannot read envelope: unknown version (expected 1), current value is ${
          showValue(env.kx_fetch)
        }`,
      );
    }
    const fa = env.fetched_at;
    if (typeof fa !== "number" || !Number.isSafeInteger(fa) || fa < 0) {
      return bad(
        "fetched_at",
        `Cannot read envelope: fetched_at is not an integer of ms since the epoch, current value is ${
          showValue(fa)
        }`,
      );
    }
    const path = env.path;
    if (path !== undefined && typeof path !== "string") {
      return bad(
        "path",
        `Cannot read envelope: path is not a string, current value is ${showValue(path)}`,
      );
    }
    const status = env.status;
    if (typeof status !== "number" || !Number.isInteger(status)) {
      return bad(
        "status",
        `Cannot read envelope: status is not an integer, current value is ${showValue(status)}`,
      );
    }
    if (status !== 200) {
      const row = this.asm.row(file, nextLine());
      this.asm.skip(row, "http_status_not_200", `status ${status} ${path ?? ""}`.trim());
      return;
    }
    if (!("body" in env)) {
      return bad("body", "Cannot read envelope: missing field, current value is undefined");
    }
    this.#body(env.body, {
      file,
      nextLine,
      fetchedAt: fa,
      prefix: "body.",
      ...(path !== undefined ? { path } : {}),
    });
  }

  #body(body: unknown, ctx: DocContext): void {
    const asm = this.asm;
    const p = ctx.prefix;
    if (!isObject(body)) {
      asm.reject(
        asm.row(ctx.file, ctx.nextLine()),
        p === "" ? "(response)" : "body",
        `Cannot read response: not a JSON object, current value is ${showValue(body)}`,
      );
      return;
    }
    if (isObject(body.orderbook_fp)) {
      this.#orderbook(body.orderbook_fp, `${p}orderbook_fp`, "yes_dollars", "no_dollars", ctx);
    } else if (isObject(body.orderbook)) {
      const ob = body.orderbook;
      const dollars = "yes_dollars" in ob || "no_dollars" in ob;
      this.#orderbook(
        ob,
        `${p}orderbook`,
        dollars ? "yes_dollars" : "yes",
        dollars ? "no_dollars" : "no",
        ctx,
      );
    } else if (Array.isArray(body.orderbooks)) {
      body.orderbooks.forEach((item, i) => {
        const path = `${p}orderbooks[${i}]`;
        const row = asm.row(ctx.file, ctx.nextLine());
        if (!isObject(item) || !isObject(item.orderbook_fp)) {
          asm.reject(
            row,
            path,
            `Cannot read order book: not {ticker, orderbook_fp}, current value is ${
              showValue(item)
            }`,
          );
          return;
        }
        const ticker = typeof item.ticker === "string" && item.ticker !== ""
          ? item.ticker
          : undefined;
        this.#orderbookRow(
          row,
          item.orderbook_fp,
          `${path}.orderbook_fp`,
          "yes_dollars",
          "no_dollars",
          ticker,
          `${path}.ticker`,
          ctx,
        );
      });
    } else if (Array.isArray(body.candlesticks)) {
      const tickerKey = typeof body.ticker === "string" ? "ticker" : "market_ticker";
      this.#candles(
        body.candlesticks,
        body[tickerKey],
        `${p}${tickerKey}`,
        `${p}candlesticks`,
        ctx,
      );
    } else if (isObject(body.event)) {
      this.#event(body.event, `${p}event`, ctx);
      if (Array.isArray(body.markets)) this.#markets(body.markets, `${p}markets`, ctx);
    } else if (Array.isArray(body.events)) {
      body.events.forEach((e, i) => this.#event(e, `${p}events[${i}]`, ctx));
    } else if (Array.isArray(body.markets)) {
      this.#markets(body.markets, `${p}markets`, ctx);
    } else if (isObject(body.market)) {
      this.#market(body.market, `${p}market`, ctx);
    } else if (Array.isArray(body.series)) {
      body.series.forEach((s, i) => this.#series(s, `${p}series[${i}]`, ctx));
    } else if (isObject(body.series)) {
      this.#series(body.series, `${p}series`, ctx);
    } else if (Array.isArray(body.trades)) {
      body.trades.forEach((t, i) => this.#trade(t, `${p}trades[${i}]`, ctx));
    } else {
      asm.reject(
        asm.row(ctx.file, ctx.nextLine()),
        p === "" ? "(response)" : "body",
        `Cannot detect response shape: none of orderbook_fp, orderbook, orderbooks, candlesticks, event, events, markets, market, series, trades, current value is keys ${
          showValue(Object.keys(body).sort())
        }`,
      );
    }
  }

  #notObject(row: number, path: string, v: unknown, what: string): boolean {
    if (isObject(v)) return false;
    this.asm.reject(
      row,
      path,
      `Cannot read ${what}: not a JSON object, current value is ${showValue(v)}`,
    );
    return true;
  }

  #series(v: unknown, path: string, ctx: DocContext): void {
    const row = this.asm.row(ctx.file, ctx.nextLine());
    if (this.#notObject(row, path, v, "series")) return;
    rejectFieldErrors(this.asm, row, () => {
      const rec = new KalshiRecord(v as Obj, path);
      this.asm.series(row, convertSeries(rec), rec.field("ticker"));
    });
  }

  #event(v: unknown, path: string, ctx: DocContext): void {
    const row = this.asm.row(ctx.file, ctx.nextLine());
    if (this.#notObject(row, path, v, "event")) return;
    const obj = v as Obj;
    rejectFieldErrors(this.asm, row, () => {
      const rec = new KalshiRecord(obj, path);
      const notes: string[] = [];
      const decl = convertEvent(rec, notes);
      for (const n of notes) this.asm.anomaly(n, `${this.asm.where(row)} ${decl.event}`);
      const step = this.outcomeStepOf(decl.series);
      this.asm.event(
        row,
        step !== undefined ? { ...decl, outcomeStep: step } : decl,
        rec.field("event_ticker"),
      );
    });
    if (Array.isArray(obj.markets)) this.#markets(obj.markets, `${path}.markets`, ctx);
  }

  #markets(list: readonly unknown[], path: string, ctx: DocContext): void {
    list.forEach((m, i) => {
      if (isObject(m) && Array.isArray(m.candlesticks)) {
        this.#candles(
          m.candlesticks,
          m.market_ticker,
          `${path}[${i}].market_ticker`,
          `${path}[${i}].candlesticks`,
          ctx,
        );
      } else {
        this.#market(m, `${path}[${i}]`, ctx);
      }
    });
  }

  #market(v: unknown, path: string, ctx: DocContext): void {
    const asm = this.asm;
    const row = asm.row(ctx.file, ctx.nextLine());
    if (this.#notObject(row, path, v, "market")) return;
    addKalshiMarket(asm, this.tops, row, new KalshiRecord(v as Obj, path), ctx.fetchedAt);
  }

  #trade(v: unknown, path: string, ctx: DocContext): void {
    const asm = this.asm;
    const row = asm.row(ctx.file, ctx.nextLine());
    if (this.#notObject(row, path, v, "trade")) return;
    rejectFieldErrors(this.asm, row, () => {
      const rec = new KalshiRecord(v as Obj, path);
      const t = convertTrade(rec);
      if (t.tradeId !== undefined) {
        if (this.seenTrades.has(t.tradeId)) {
          asm.skip(row, "duplicate_trade", t.tradeId);
          return;
        }
        this.seenTrades.add(t.tradeId);
      }
      asm.data(row, t.trade, rec.field("ticker"));
    });
  }

  #candles(
    list: readonly unknown[],
    ticker: unknown,
    tickerField: string,
    path: string,
    ctx: DocContext,
  ): void {
    const asm = this.asm;
    list.forEach((c, i) => {
      const row = asm.row(ctx.file, ctx.nextLine());
      const cp = `${path}[${i}]`;
      if (typeof ticker !== "string" || ticker === "") {
        asm.reject(
          row,
          tickerField,
          `Cannot read candlesticks: missing market ticker, current value is ${showValue(ticker)}`,
        );
        return;
      }
      if (this.#notObject(row, cp, c, "candlestick")) return;
      rejectFieldErrors(this.asm, row, () => {
        const rec = new KalshiRecord(c as Obj, cp);
        const t = convertCandle(rec);
        const key = `${ticker} ${t.ts}`;
        const closes = `${t.yesBid} ${t.yesAsk}`;
        const prev = this.seenCandles.get(key);
        if (prev !== undefined) {
          if (prev === closes) asm.skip(row, "duplicate_candle", `${ticker} at ${t.ts}`);
          else {
            asm.reject(
              row,
              rec.field("end_period_ts"),
              `Cannot accept candle of ${ticker}: the same period was read with other closes (bid/ask ticks ${prev}), current value is ${
                t.ts / 1000
              }`,
            );
          }
          return;
        }
        this.seenCandles.set(key, closes);
        const { event, outcome } = this.tops.map(t.ts, ticker, t.yesBid, t.yesAsk);
        asm.data(row, event, tickerField);
        asm.topOfBookAnomaly(row, ticker, outcome);
      });
    });
  }

  #orderbook(book: Obj, path: string, yes: string, no: string, ctx: DocContext): void {
    const row = this.asm.row(ctx.file, ctx.nextLine());
    const m = ctx.path !== undefined ? ORDERBOOK_PATH.exec(ctx.path) : null;
    const ticker = m !== null ? decodeURIComponent(m[1]) : this.extraTicker;
    this.#orderbookRow(row, book, path, yes, no, ticker, m !== null ? "path" : "ticker", ctx);
  }

  #orderbookRow(
    row: number,
    book: Obj,
    path: string,
    yes: string,
    no: string,
    ticker: string | undefined,
    tickerField: string,
    ctx: DocContext,
  ): void {
    const asm = this.asm;
    if (ticker === undefined) {
      asm.reject(
        row,
        tickerField,
        "Cannot name order book: no market ticker (use the fetcher's envelope, whose path names it, or --extra ticker=<t>), current value is undefined",
      );
      return;
    }
    if (ctx.fetchedAt === undefined) {
      asm.reject(
        row,
        "fetched_at",
        `Cannot date order book of ${ticker}: no fetch time (use the fetcher's envelope or --extra fetched_at=<ms>), current value is undefined`,
      );
      return;
    }
    const ts = ctx.fetchedAt;
    rejectFieldErrors(this.asm, row, () => {
      const snap = convertOrderbook(new KalshiRecord(book, path), yes, no, ticker, ts);
      asm.data(row, snap, tickerField);
    });
  }
}

/**
 * Runs the importer (see the module doc and docs/import/kalshi_json.md).
 *
 * @throws {ImportError} in strict mode, at the first bad record.
 * @throws {ImportOptionError} for a bad `--extra` option.
 * @throws {RangeError} for a bad `fee-type` / `fee-multiplier` (lib/import/fee_options.ts).
 */
export function importKalshiJson(
  inputs: readonly ImportInput[],
  options: ImportOptions,
): ImportResult {
  const run = new KalshiJsonRun(inputs, options);
  for (const input of inputs) run.file(input);
  return run.asm.finish();
}

/** The `kalshi-json` importer. */
export const KALSHI_JSON_IMPORTER: Importer = {
  name: "kalshi-json",
  summary:
    "Kalshi REST responses or fetcher envelopes: series, events, markets, trades, candles, books",
  spec: "docs/import/kalshi_json.md",
  run: importKalshiJson,
};
