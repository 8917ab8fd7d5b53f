/**
 * Assembles an importer's output: metadata declarations and data events collected
 * in source order become one time-ordered tape, and every source record (row) gets
 * exactly one fate, so the report's accounting rule
 * `rowsIn === rowsUsed + rejects.length + skipped` holds by construction.
 *
 * Rules (shared by the Kalshi importers; each format's spec restates them):
 *
 * - **Metadata time.** A market is declared at the earliest time it is needed:
 *   `min(open_ts, ts of its first data event)`. An event is declared at the
 *   earliest declaration time of its markets, a series at the earliest of its
 *   events. Series and events that no imported market needs are not declared
 *   (their records are skipped, reason `series_without_markets` /
 *   `event_without_markets`).
 * - **Missing metadata.** A market whose event no input describes gets an assumed
 *   event (series = the event ticker up to its first `-`, not mutually exclusive,
 *   `outcome_step` from the importer's rule; anomaly `event_assumed`); an event whose series no input describes gets a
 *   series with the fee of the options (lib/import/fee_options.ts: anomaly
 *   `fee_assumed` when a default was used, `fee_from_options` otherwise).
 * - **Repeated records.** A second record of the same series, event or market with
 *   the same content adds nothing (skipped, `duplicate_record`); with different
 *   content it is rejected (a tape declares a market once).
 * - **Ladders.** The markets of a mutually exclusive event must partition the
 *   outcome line (lib/market/ladder.ts `checkPartition`, on the event's
 *   `outcome_step` grid when it has one); when they do not (a market missing from
 *   the input, uneven bins) the event is still imported and counted as
 *   `ladder_not_partition`, with the problems as the example.
 * - **Data of unknown markets.** A data event of a market that was rejected is
 *   dropped (its record skipped, `market_rejected`); of a market no input
 *   describes, its record is rejected (field = the record's market field).
 * - **Order.** Events sort by (ts, kind: series, event, market, book_snapshot,
 *   book_delta, quote, trade, underlying, lifecycle, settlement; market or symbol
 *   name; source order). Equal input gives an identical tape.
 *
 * Pure: no clock, no I/O.
 *
 * @module
 */

import type {
  EventEvent,
  LifecycleEvent,
  MarketEvent,
  SeriesEvent,
  SettlementEvent,
  TapeEvent,
  TapeEventKind,
} from "../tape/events.ts";
import { type FeeChoice, noteFee } from "./fee_options.ts";
import { ReportBuilder } from "./report.ts";
import { TOP_OF_BOOK_ANOMALY, type TopOfBookOutcome } from "./top_quote.ts";
import { describePartitionProblems, seriesOfTicker } from "./ticker_ladder.ts";
import { checkPartition } from "../market/ladder.ts";
import { marketInterval } from "../market/interval.ts";
import type { ImportResult } from "./types.ts";

/** A series declaration without its time (the assembly computes it). */
export type SeriesDecl = Omit<SeriesEvent, "ts" | "kind">;
/** An event declaration without its time. */
export type EventDecl = Omit<EventEvent, "ts" | "kind">;
/** A market declaration without its time. */
export type MarketDecl = Omit<MarketEvent, "ts" | "kind">;
/** Every non-metadata tape event. */
export type DataEvent = Exclude<TapeEvent, SeriesEvent | EventEvent | MarketEvent>;

/** Options of a {@link TapeAssembly}. */
export interface AssemblyOptions {
  /** The importer's name (the report's `format`). */
  readonly format: string;
  /** Input names in the order given. */
  readonly files: readonly string[];
  /** Strict: the first reject throws an {@link ImportError}. */
  readonly strict: boolean;
  /** Fee of a series no input describes (lib/import/fee_options.ts; noted per series). */
  readonly fee: FeeChoice;
  /** `outcome_step` of an assumed event, by its series (default: none). */
  readonly outcomeStep?: (series: string) => number | undefined;
}

/** Row fates. */
const PENDING = 0;
const USED = 1;
const SKIPPED = 2;
const REJECTED = 3;

interface Row {
  readonly file: string;
  readonly line: number;
  fate: number;
  /** Drop reason noted while assembling: the skip code when the row ends with no event. */
  dropCode: string;
  dropExample: string;
}

interface MetaRecord<D> {
  readonly decl: D;
  readonly row: number;
}

interface DataEntry {
  readonly ev: DataEvent;
  readonly row: number;
  /** Field naming the market in the source record (for a reject). */
  readonly marketField: string;
}

const KIND_RANK: Readonly<Record<TapeEventKind, number>> = {
  series: 0,
  event: 1,
  market: 2,
  book_snapshot: 3,
  book_delta: 4,
  quote: 5,
  trade: 6,
  underlying: 7,
  lifecycle: 8,
  settlement: 9,
};

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with keys sorted and undefined members left out (for content comparison). */
function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

function nameOf(ev: TapeEvent): string {
  switch (ev.kind) {
    case "series":
      return ev.series;
    case "event":
      return ev.event;
    case "underlying":
      return ev.symbol;
    default:
      return ev.market;
  }
}

/**
 * Collects records, declarations and data events; {@link finish} returns the
 * ordered tape and the report. See the module documentation for the rules.
 *
 * @example
 * ```ts
 * import { TapeAssembly } from "./tape_assembly.ts";
 *
 * import { feeFromOptions } from "./fee_options.ts";
 *
 * const a = new TapeAssembly({
 *   format: "demo", files: ["f.csv"], strict: true, fee: feeFromOptions({}),
 * });
 * const r = a.row("f.csv", 2);
 * a.data(r, { kind: "underlying", ts: 5, symbol: "BTC", value: 97000 }, "value");
 * const { events, report } = a.finish();
 * // events.length === 1, report.rowsUsed === 1
 * ```
 */
export class TapeAssembly {
  readonly #opt: AssemblyOptions;
  readonly #report: ReportBuilder;
  readonly #rows: Row[] = [];
  readonly #series = new Map<string, MetaRecord<SeriesDecl>>();
  readonly #events = new Map<string, MetaRecord<EventDecl>>();
  readonly #markets = new Map<string, MetaRecord<MarketDecl>>();
  readonly #rejectedMarkets = new Set<string>();
  readonly #data: DataEntry[] = [];
  readonly #settled = new Map<string, { ev: SettlementEvent; row: number }>();

  constructor(options: AssemblyOptions) {
    this.#opt = options;
    this.#report = new ReportBuilder(options.format, options.files, { strict: options.strict });
  }

  /** Whether rejects throw. */
  get strict(): boolean {
    return this.#opt.strict;
  }

  /** Registers one source record (counted in `rowsIn`) and returns its id. */
  row(file: string, line: number): number {
    this.#rows.push({ file, line, fate: PENDING, dropCode: "", dropExample: "" });
    this.#report.rowIn();
    return this.#rows.length - 1;
  }

  /** Where a row is, as `file:line`. */
  where(row: number): string {
    const r = this.#rows[row];
    return `${r.file}:${r.line}`;
  }

  /** Whether a row has been rejected. */
  isRejected(row: number): boolean {
    return this.#rows[row].fate === REJECTED;
  }

  /**
   * Rejects a row: throws an {@link ImportError} in strict mode; otherwise records
   * the reject (once per row) and drops everything the row contributed.
   *
   * @param detail "Cannot <action>: <detail>, current value is <v>".
   */
  reject(row: number, field: string, detail: string): void {
    const r = this.#rows[row];
    if (r.fate === REJECTED || r.fate === SKIPPED) {
      if (this.#opt.strict) this.#report.reject(r.file, r.line, field, detail);
      return;
    }
    this.#report.reject(r.file, r.line, field, detail);
    r.fate = REJECTED;
  }

  /** Skips a row for a stated, non-error reason (counted under `code`). */
  skip(row: number, code: string, note = ""): void {
    const r = this.#rows[row];
    if (r.fate === REJECTED || r.fate === SKIPPED) return;
    r.fate = SKIPPED;
    this.#report.skip(code, note === "" ? `${r.file}:${r.line}` : `${r.file}:${r.line} ${note}`);
  }

  /** Counts an irregularity that does not decide a row's fate. */
  anomaly(code: string, example: string): void {
    this.#report.anomaly(code, example);
  }

  /**
   * Counts the anomaly of a top of book mapped by top_quote.ts's `TopOfBookMapper`
   * (none for an ordinary quote), with the row and market as its example.
   */
  topOfBookAnomaly(row: number, market: string, outcome: TopOfBookOutcome): void {
    const code = TOP_OF_BOOK_ANOMALY[outcome];
    if (code !== null) this.anomaly(code, `${this.where(row)} ${market}`);
  }

  /** Declares a series from a record (see "Repeated records"). */
  series(row: number, decl: SeriesDecl, field: string): void {
    this.#meta(this.#series, decl.series, row, decl, field, "series");
  }

  /** Declares an event from a record. */
  event(row: number, decl: EventDecl, field: string): void {
    this.#meta(this.#events, decl.event, row, decl, field, "event");
  }

  /** Declares a market from a record. */
  market(row: number, decl: MarketDecl, field: string): void {
    this.#meta(this.#markets, decl.market, row, decl, field, "market");
  }

  /**
   * Declares a market that no record describes (its strikes inferred, e.g. from
   * its ticker); a record of the same market, if any, wins.
   */
  inferMarket(decl: MarketDecl): void {
    if (!this.#markets.has(decl.market)) this.#markets.set(decl.market, { decl, row: -1 });
  }

  /** Declares an event that no record describes; a record of the same event wins. */
  inferEvent(decl: EventDecl): void {
    if (!this.#events.has(decl.event)) this.#events.set(decl.event, { decl, row: -1 });
  }

  /** Notes that a market's record was rejected: its data events are dropped, not rejected. */
  marketRejected(ticker: string): void {
    this.#rejectedMarkets.add(ticker);
  }

  /** Whether a market has a declaration so far. */
  hasMarket(ticker: string): boolean {
    return this.#markets.has(ticker);
  }

  /** A market's declaration so far, if any. */
  marketDecl(ticker: string): MarketDecl | undefined {
    return this.#markets.get(ticker)?.decl;
  }

  /**
   * Adds a data event owned by a row. A settlement repeated with the same content
   * adds nothing; with a different result or time it rejects the later row.
   *
   * @param marketField The source field that names the market (for rejects).
   */
  data(row: number, ev: DataEvent, marketField: string): void {
    if (this.#rows[row].fate === REJECTED) return;
    if (ev.kind === "settlement") {
      const prev = this.#settled.get(ev.market);
      if (prev !== undefined) {
        if (!sameJson(prev.ev, ev)) {
          this.reject(
            row,
            marketField,
            `Cannot settle market ${ev.market}: already settled ${prev.ev.result} at ${prev.ev.ts} by ${
              this.where(prev.row)
            }, current value is ${ev.result} at ${ev.ts}`,
          );
        } else this.#noteDrop(row, "duplicate_record", ev.market);
        return;
      }
      this.#settled.set(ev.market, { ev, row });
    }
    this.#data.push({ ev, row, marketField });
  }

  #meta<D>(
    map: Map<string, MetaRecord<D>>,
    key: string,
    row: number,
    decl: D,
    field: string,
    what: string,
  ): void {
    if (this.#rows[row].fate === REJECTED) return;
    const prev = map.get(key);
    if (prev === undefined || prev.row < 0) {
      map.set(key, { decl, row });
      return;
    }
    if (sameJson(prev.decl, decl)) {
      this.#noteDrop(row, "duplicate_record", key);
      return;
    }
    this.reject(
      row,
      field,
      `Cannot declare ${what} ${key}: a record with different content came first (${
        this.where(prev.row)
      }: ${canonical(prev.decl)}), current value is ${canonical(decl)}`,
    );
  }

  /**
   * Notes why a row may end with no event (the skip code used then, unless an
   * earlier reason was noted). Rows that own an event are used regardless.
   */
  dropReason(row: number, code: string, example: string): void {
    this.#noteDrop(row, code, example);
  }

  #noteDrop(row: number, code: string, example: string): void {
    const r = this.#rows[row];
    if (r.dropCode === "") {
      r.dropCode = code;
      r.dropExample = example;
    }
  }

  /** Counts a mutually exclusive event whose markets do not partition the outcome line. */
  #checkLadder(event: EventDecl, markets: readonly MarketDecl[]): void {
    const items = [...markets]
      .sort((a, b) => (a.market < b.market ? -1 : a.market > b.market ? 1 : 0))
      .map((m) => ({
        market: m.market,
        interval: marketInterval({ kind: "market", ts: 0, ...m }),
      }));
    const problems = checkPartition(items, event.outcomeStep);
    if (problems.length > 0) {
      this.anomaly(
        "ladder_not_partition",
        `${event.event}: ${describePartitionProblems(problems)}`,
      );
    }
  }

  /**
   * Orders the tape, settles every row's fate and builds the report.
   *
   * @throws {ImportError} in strict mode, when a data event names a market no input describes.
   */
  finish(): ImportResult {
    const rows = this.#rows;
    const owned = new Uint8Array(rows.length);
    const alive = (row: number) => row < 0 || rows[row].fate !== REJECTED;
    const own = (row: number) => {
      if (row >= 0) owned[row] = 1;
    };
    const out: { ev: TapeEvent; idx: number }[] = [];
    let idx = 0;

    // Markets whose record survived.
    for (const [ticker, rec] of this.#markets) {
      if (!alive(rec.row)) {
        this.#markets.delete(ticker);
        this.#rejectedMarkets.add(ticker);
      }
    }

    // Data events: keep those of declared markets.
    const firstData = new Map<string, number>();
    const kept: DataEntry[] = [];
    for (const d of this.#data) {
      if (rows[d.row].fate === REJECTED) continue;
      const ev = d.ev;
      if (ev.kind !== "underlying") {
        const m = ev.market;
        if (!this.#markets.has(m)) {
          if (this.#rejectedMarkets.has(m)) {
            this.#noteDrop(d.row, "market_rejected", m);
          } else {
            this.reject(
              d.row,
              d.marketField,
              `Cannot use market: no record in the inputs describes it (import its market record with it), current value is ${
                JSON.stringify(m)
              }`,
            );
          }
          continue;
        }
        const f = firstData.get(m);
        if (f === undefined || ev.ts < f) firstData.set(m, ev.ts);
      }
      kept.push(d);
    }
    for (const d of kept) {
      if (rows[d.row].fate === REJECTED) continue;
      out.push({ ev: d.ev, idx: idx++ });
      owned[d.row] = 1;
    }

    // Markets, then the events and series they need.
    const eventTs = new Map<string, number>();
    for (const [ticker, rec] of this.#markets) {
      const d = rec.decl;
      const f = firstData.get(ticker);
      const ts = f === undefined ? d.openTs : Math.min(d.openTs, f);
      out.push({ ev: { kind: "market", ts, ...d } as MarketEvent, idx: idx++ });
      // The sources carry no status history: each market is declared open at its
      // open time (a replay lets a strategy trade it until close_ts).
      out.push({
        ev: { kind: "lifecycle", ts: d.openTs, market: ticker, status: "open" } as LifecycleEvent,
        idx: idx++,
      });
      own(rec.row);
      const e = eventTs.get(d.event);
      if (e === undefined || ts < e) eventTs.set(d.event, ts);
    }
    const byEvent = new Map<string, MarketDecl[]>();
    for (const rec of this.#markets.values()) {
      const list = byEvent.get(rec.decl.event);
      if (list === undefined) byEvent.set(rec.decl.event, [rec.decl]);
      else list.push(rec.decl);
    }
    const seriesTs = new Map<string, number>();
    for (const [event, ts] of eventTs) {
      const rec = this.#events.get(event);
      let decl: EventDecl;
      if (rec !== undefined && alive(rec.row)) {
        decl = rec.decl;
        own(rec.row);
      } else {
        const series = seriesOfTicker(event);
        const step = this.#opt.outcomeStep?.(series);
        decl = {
          event,
          series,
          mutuallyExclusive: false,
          ...(step !== undefined ? { outcomeStep: step } : {}),
        };
        this.anomaly("event_assumed", `${event} (series ${decl.series}, not mutually exclusive)`);
      }
      out.push({ ev: { kind: "event", ts, ...decl } as EventEvent, idx: idx++ });
      if (decl.mutuallyExclusive) this.#checkLadder(decl, byEvent.get(event)!);
      const s = seriesTs.get(decl.series);
      if (s === undefined || ts < s) seriesTs.set(decl.series, ts);
    }
    for (const [series, ts] of seriesTs) {
      const rec = this.#series.get(series);
      let decl: SeriesDecl;
      if (rec !== undefined && alive(rec.row)) {
        decl = rec.decl;
        own(rec.row);
      } else {
        const fee = this.#opt.fee;
        decl = { series, feeType: fee.feeType, feeMultiplier: fee.feeMultiplier };
        noteFee(this.#report, series, fee);
      }
      out.push({ ev: { kind: "series", ts, ...decl } as SeriesEvent, idx: idx++ });
    }
    for (const [event, rec] of this.#events) {
      if (!eventTs.has(event) && rec.row >= 0) {
        this.#noteDrop(rec.row, "event_without_markets", event);
      }
    }
    for (const [series, rec] of this.#series) {
      if (!seriesTs.has(series)) this.#noteDrop(rec.row, "series_without_markets", series);
    }

    out.sort((a, b) => {
      const x = a.ev;
      const y = b.ev;
      if (x.ts !== y.ts) return x.ts - y.ts;
      const k = KIND_RANK[x.kind] - KIND_RANK[y.kind];
      if (k !== 0) return k;
      const nx = nameOf(x);
      const ny = nameOf(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
      return a.idx - b.idx;
    });

    // Fates.
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.fate !== PENDING) continue;
      if (owned[i] === 1) {
        r.fate = USED;
        this.#report.used();
      } else this.skip(i, r.dropCode === "" ? "no_event" : r.dropCode, r.dropExample);
    }
    const events = out.map((o) => o.ev);
    return { events, report: this.#report.finish(events) };
  }
}
