/**
 * The `kalshi-2024-snapshot` importer: Kalshi API data of July 2024 serialized by
 * the old official Python client (keys with a leading underscore, prices in
 * integer cents). Spec: docs/import/kalshi_2024_snapshot.md.
 *
 * Four JSON documents (any file names; each detected by its shape, element by
 * element):
 *
 * - events: a list of `{_event_ticker, _series_ticker, _mutually_exclusive, ...}`;
 * - markets: a list of `{<event ticker>: [market, ...]}`, each market with
 *   `_ticker`, `_strike_type`, `_floor_strike`, `_cap_strike`, `_open_time`,
 *   `_close_time`, `_status`, `_result`, `_expiration_value`, `_yes_bid`, ...;
 * - history: a list of `{<market ticker>: [{_ts, _yes_bid, _yes_ask, ...}, ...]}`
 *   (`_ts` Unix seconds, prices integer cents);
 * - order books: a list of `{<market ticker>: {_yes: [[cents, contracts]...], _no}}`.
 *
 * Records are the events, the markets, the history points and the order books.
 * Markets are converted as by kalshi-json (lib/import/kalshi_market.ts); history
 * points and market tops of book map through lib/import/top_quote.ts; order books
 * need `--extra fetched_at=<ms>` (the snapshot does not say when it was pulled).
 * Markets that appear only in the history / order books (no market record) have
 * strikes inferred from their tickers when their series is a daily-high
 * temperature series (`HIGH*` / `KXHIGH*`: whole degrees, lib/import/ticker_ladder.ts);
 * their open/close times are the first/last observation. Rows of any other
 * undescribed market are rejected.
 *
 * @module
 */

import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { KalshiRecord, rejectFieldErrors, showValue } from "./kalshi_fields.ts";
import { addKalshiMarket, marketTickerOf } from "./kalshi_market.ts";
import { convertEvent } from "./kalshi_metadata.ts";
import { convertOrderbook } from "./kalshi_market_data.ts";
import { fetchedAtOption } from "./kalshi_options.ts";
import { feeFromOptions } from "./fee_options.ts";
import { type DataEvent, TapeAssembly } from "./tape_assembly.ts";
import { TopOfBookMapper } from "./top_quote.ts";
import { inferLadder, parseLadderTicker, seriesOfTicker } from "./ticker_ladder.ts";

type Obj = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Series whose undescribed markets get strikes from their tickers (whole-degree highs). */
const TEMPERATURE_SERIES = /^(?:KX)?HIGH[A-Z]+$/;

/** A data event waiting for its market's metadata (history point or order book). */
interface Pending {
  readonly row: number;
  readonly ev: DataEvent;
  readonly field: string;
}

class SnapshotRun {
  readonly asm: TapeAssembly;
  readonly fetchedAt?: number;
  readonly tops = new TopOfBookMapper();
  /** Tickers that have a market record (accepted or rejected). */
  readonly described = new Set<string>();
  /** Data of markets, in source order. */
  readonly pending: Pending[] = [];

  constructor(inputs: readonly ImportInput[], options: ImportOptions) {
    this.asm = new TapeAssembly({
      format: "kalshi-2024-snapshot",
      files: inputs.map((i) => i.name),
      strict: options.strict ?? true,
      fee: feeFromOptions(options),
    });
    const f = fetchedAtOption(options.extra ?? {});
    if (f !== undefined) this.fetchedAt = f;
  }

  file(input: ImportInput): void {
    const asm = this.asm;
    let n = 0;
    const nextLine = () => ++n;
    let doc: unknown;
    try {
      doc = JSON.parse(input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text);
    } catch (e) {
      asm.reject(
        asm.row(input.name, nextLine()),
        "(file)",
        `Cannot parse JSON: ${(e as Error).message}, current value is ${
          showValue(input.text.slice(0, 60))
        }`,
      );
      return;
    }
    if (!Array.isArray(doc)) {
      asm.reject(
        asm.row(input.name, nextLine()),
        "(file)",
        `Cannot read snapshot: not a JSON list, current value is ${showValue(doc)}`,
      );
      return;
    }
    doc.forEach((el, i) => this.#element(el, `[${i}]`, input.name, nextLine));
  }

  #element(el: unknown, path: string, file: string, nextLine: () => number): void {
    const asm = this.asm;
    if (isObject(el) && "_event_ticker" in el) {
      const row = asm.row(file, nextLine());
      rejectFieldErrors(this.asm, row, () => {
        const rec = new KalshiRecord(el, path, "_");
        const notes: string[] = [];
        const decl = convertEvent(rec, notes);
        for (const c of notes) asm.anomaly(c, `${asm.where(row)} ${decl.event}`);
        asm.event(row, decl, rec.field("event_ticker"));
      });
      return;
    }
    const keys = isObject(el) ? Object.keys(el).filter((k) => k !== "discriminator") : [];
    if (!isObject(el) || keys.length !== 1) {
      asm.reject(
        asm.row(file, nextLine()),
        path,
        `Cannot detect snapshot element: not an event record nor a one-key {ticker: ...} object, current value is ${
          showValue(el)
        }`,
      );
      return;
    }
    const key = keys[0];
    const value = el[key];
    const p = `${path}.${key}`;
    if (Array.isArray(value)) {
      value.forEach((item, j) => {
        const ip = `${p}[${j}]`;
        const row = asm.row(file, nextLine());
        if (isObject(item) && "_ts" in item) this.#point(row, item, ip, key);
        else if (isObject(item)) this.#market(row, item, ip);
        else {
          asm.reject(
            row,
            ip,
            `Cannot read snapshot record: not a JSON object, current value is ${showValue(item)}`,
          );
        }
      });
    } else if (isObject(value)) {
      this.#orderbook(asm.row(file, nextLine()), value, p, key);
    } else {
      asm.reject(
        asm.row(file, nextLine()),
        p,
        `Cannot read snapshot element: value is neither a list nor an order book, current value is ${
          showValue(value)
        }`,
      );
    }
  }

  #market(row: number, obj: Obj, path: string): void {
    const rec = new KalshiRecord(obj, path, "_");
    const ticker = marketTickerOf(rec);
    if (ticker !== undefined) this.described.add(ticker);
    addKalshiMarket(this.asm, this.tops, row, rec, this.fetchedAt);
  }

  #point(row: number, obj: Obj, path: string, market: string): void {
    rejectFieldErrors(this.asm, row, () => {
      const rec = new KalshiRecord(obj, path, "_");
      const ts = rec.unixSeconds("ts");
      const bid = rec.price("yes_bid_dollars", "yes_bid");
      const ask = rec.price("yes_ask_dollars", "yes_ask");
      const { event, outcome } = this.tops.map(ts, market, bid, ask);
      this.asm.topOfBookAnomaly(row, market, outcome);
      this.pending.push({ row, ev: event, field: path });
    });
  }

  #orderbook(row: number, obj: Obj, path: string, market: string): void {
    if (this.fetchedAt === undefined) {
      this.asm.reject(
        row,
        "fetched_at",
        `Cannot date order book of ${market}: the snapshot has no pull time (give --extra fetched_at=<ms>), current value is undefined`,
      );
      return;
    }
    const ts = this.fetchedAt;
    rejectFieldErrors(this.asm, row, () => {
      const snap = convertOrderbook(new KalshiRecord(obj, path, "_"), "yes", "no", market, ts);
      this.pending.push({ row, ev: snap, field: path });
    });
  }

  /** Declares undescribed temperature markets from their tickers, then adds the data. */
  finish(): ImportResult {
    const asm = this.asm;
    const window = new Map<string, { first: number; last: number }>();
    for (const p of this.pending) {
      if (p.ev.kind === "underlying" || this.described.has(p.ev.market)) continue;
      const w = window.get(p.ev.market);
      if (w === undefined) window.set(p.ev.market, { first: p.ev.ts, last: p.ev.ts });
      else {
        w.first = Math.min(w.first, p.ev.ts);
        w.last = Math.max(w.last, p.ev.ts);
      }
    }
    const why = new Map<string, string>();
    const byEvent = new Map<string, string[]>();
    for (const ticker of [...window.keys()].sort()) {
      let event: string;
      try {
        event = parseLadderTicker(ticker).event;
      } catch (e) {
        why.set(ticker, (e as Error).message);
        continue;
      }
      if (!TEMPERATURE_SERIES.test(seriesOfTicker(ticker))) {
        why.set(
          ticker,
          `Cannot use market: no market record, and strikes are inferred from tickers only for daily-high temperature series (HIGH*, KXHIGH*), current value is ${
            JSON.stringify(ticker)
          }`,
        );
        continue;
      }
      const list = byEvent.get(event);
      if (list === undefined) byEvent.set(event, [ticker]);
      else list.push(ticker);
    }
    for (const [event, tickers] of byEvent) {
      const ladder = inferLadder(event, tickers, { outcomeStep: 1 });
      for (const u of ladder.unresolved) why.set(u.market, u.detail);
      if (ladder.shapes.size === 0) continue;
      asm.inferEvent({
        event,
        series: seriesOfTicker(event),
        mutuallyExclusive: true,
        outcomeStep: 1,
      });
      for (const [market, shape] of ladder.shapes) {
        const w = window.get(market)!;
        asm.inferMarket({
          market,
          event,
          strikeType: shape.strikeType,
          ...(shape.floorStrike !== undefined ? { floorStrike: shape.floorStrike } : {}),
          ...(shape.capStrike !== undefined ? { capStrike: shape.capStrike } : {}),
          openTs: w.first,
          closeTs: w.last,
          priceStep: 100,
        });
        asm.anomaly(
          "market_inferred_from_ticker",
          `${market}: ${shape.strikeType} ${shape.floorStrike ?? ""}..${
            shape.capStrike ?? ""
          }, open/close = first/last observation`,
        );
      }
    }
    for (const p of this.pending) {
      if (asm.isRejected(p.row)) continue;
      const m = p.ev.kind === "underlying" ? undefined : p.ev.market;
      const reason = m === undefined ? undefined : why.get(m);
      if (reason !== undefined) asm.reject(p.row, p.field, reason);
      else asm.data(p.row, p.ev, p.field);
    }
    return asm.finish();
  }
}

/**
 * Runs the importer (see the module doc and docs/import/kalshi_2024_snapshot.md).
 *
 * @throws {ImportError} in strict mode, at the first bad record (the snapshot
 *   holds custom and null strike types: import it with `strict: false`).
 */
export function importKalshi2024Snapshot(
  inputs: readonly ImportInput[],
  options: ImportOptions,
): ImportResult {
  const run = new SnapshotRun(inputs, options);
  for (const input of inputs) run.file(input);
  return run.finish();
}

/** The `kalshi-2024-snapshot` importer. */
export const KALSHI_2024_SNAPSHOT_IMPORTER: Importer = {
  name: "kalshi-2024-snapshot",
  summary: "Kalshi API snapshot of July 2024 by the old Python client (_-prefixed keys, cents)",
  spec: "docs/import/kalshi_2024_snapshot.md",
  run: importKalshi2024Snapshot,
};
