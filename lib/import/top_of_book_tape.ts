/**
 * Rows of top of book (a YES bid and a YES ask per market and time) from one or
 * more files -> one time-ordered tape with inferred ladder metadata. Shared by
 * `top-of-book-csv` and `quote-snapshot-csv`; their specs restate the rules:
 *
 * - **Order.** Rows sort by (ts, market ticker, file name, line): rows of one
 *   market at one millisecond keep their file order; ties never depend on the
 *   order the files were given in.
 * - **Duplicates.** A row with the same market, the same timestamp text and the
 *   same values as an earlier row is skipped (anomaly `duplicate_row`).
 * - **Events.** Each other row becomes one event by lib/import/top_quote.ts: a
 *   `quote`, or an empty `book_snapshot` for a one-sided, empty or crossed book
 *   (anomalies `one_sided_book`, `empty_book`, `crossed_book`; a locked book is
 *   a quote, counted as `locked_book`).
 * - **Markets.** `open_ts` = the market's first row, `close_ts` = its last row
 *   (observation bounds, not the exchange's schedule: the logs do not carry it).
 *   Strikes from the tickers; see lib/import/ladder_meta.ts for declarations.
 * - **Gaps.** Per event: two consecutive rows of the event's markets more than
 *   `gapMs` apart, both at or before the event's last two-sided row (after it the
 *   ladder is decided and quiet), count as anomaly `gap`.
 *
 * @module
 */

import type { BookSnapshotEvent, QuoteEvent, TapeEvent } from "../tape/events.ts";
import type { FeeChoice } from "./fee_options.ts";
import { buildLadderMetadata, mergeByTs } from "./ladder_meta.ts";
import type { ReportBuilder } from "./report.ts";
import { TOP_OF_BOOK_ANOMALY, TopOfBookMapper } from "./top_quote.ts";
import type { ImportInput, ImportResult } from "./types.ts";
import { type FinalQuote, inferSettlements } from "./final_quote_settlement.ts";

/** One top-of-book row, as read by a format's reader. */
export interface TopRow {
  readonly ts: number;
  readonly market: string;
  /** Best YES bid in ticks; 0 = none. */
  readonly yesBid: number;
  /** Best YES ask in ticks; 10000 = none. */
  readonly yesAsk: number;
  /** The row's values as written, joined (with `tsText`, the duplicate key). */
  readonly values: string;
  /** The timestamp as written (a duplicate has the same text, not only the same ms). */
  readonly tsText: string;
  /** Index of the file in the name-sorted inputs. */
  readonly file: number;
  readonly line: number;
}

/** Options of {@link assembleTopOfBook}. */
export interface TopOfBookAssembly {
  /** Rows further apart than this within an event count as a gap (ms). */
  readonly gapMs: number;
  readonly fee: FeeChoice;
  /** Outcome step override (else from the series). */
  readonly outcomeStep?: number;
  /** Infer settlements from final prices at this YES threshold (ticks); see final_quote_settlement.ts. */
  readonly settleFromFinal?: number;
}

/** Inputs in name order, so that the merge's tie-break does not depend on argument order. */
export function sortInputs(inputs: readonly ImportInput[]): ImportInput[] {
  return inputs.map((input, i) => ({ input, i })).sort((a, b) =>
    a.input.name < b.input.name ? -1 : a.input.name > b.input.name ? 1 : a.i - b.i
  ).map((x) => x.input);
}

function compareRows(a: TopRow, b: TopRow): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.market !== b.market) return a.market < b.market ? -1 : 1;
  if (a.file !== b.file) return a.file - b.file;
  return a.line - b.line;
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}

function eventOf(market: string): string {
  return market.slice(0, market.lastIndexOf("-"));
}

function cents(ticks: number): string {
  return String(ticks / 100);
}

/**
 * Sorts the rows (in place) and builds the tape and the report (see the module
 * rules). Rows of markets whose strikes cannot be inferred are rejected here
 * (field `tickerField`).
 *
 * @param files The name-sorted inputs (row `file` indexes into it).
 * @throws {ImportError} In strict mode, for such a row.
 */
export function assembleTopOfBook(
  files: readonly ImportInput[],
  rows: TopRow[],
  report: ReportBuilder,
  tickerField: string,
  opts: TopOfBookAssembly,
): ImportResult {
  rows.sort(compareRows);
  // Pass 1: exact duplicates and market spans.
  const keep = new Uint8Array(rows.length);
  const observed = new Map<string, { declareTs: number; openTs: number; closeTs: number }>();
  const lastTwoSided = new Map<string, number>();
  let groupStart = 0;
  let groupKeys = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const g = rows[groupStart];
    if (r.ts !== g.ts || r.market !== g.market) {
      groupStart = i;
      if (groupKeys.size > 0) groupKeys = new Set();
    }
    const key = `${r.tsText},${r.values}`;
    if (groupKeys.has(key)) {
      report.skip(
        "duplicate_row",
        `${files[r.file].name}:${r.line}: ${r.market} at ${r.tsText} repeats an earlier row`,
      );
      continue;
    }
    groupKeys.add(key);
    keep[i] = 1;
    const o = observed.get(r.market);
    if (o === undefined) observed.set(r.market, { declareTs: r.ts, openTs: r.ts, closeTs: r.ts });
    else o.closeTs = r.ts;
    if (r.yesBid > 0 && r.yesAsk < 10000 && r.yesBid < r.yesAsk) {
      lastTwoSided.set(eventOf(r.market), r.ts);
    }
  }
  const meta = buildLadderMetadata(observed, opts.fee, report, { outcomeStep: opts.outcomeStep });

  // Pass 2: events, book anomalies, gaps.
  const mapper = new TopOfBookMapper();
  const data: (QuoteEvent | BookSnapshotEvent)[] = [];
  const lastRowTs = new Map<string, number>();
  const finals = new Map<string, FinalQuote>();
  for (let i = 0; i < rows.length; i++) {
    if (keep[i] === 0) continue;
    const r = rows[i];
    const file = files[r.file].name;
    const why = meta.unresolved.get(r.market);
    if (why !== undefined) {
      report.reject(file, r.line, tickerField, why);
      continue;
    }
    const { event, outcome } = mapper.map(r.ts, r.market, r.yesBid, r.yesAsk);
    const code = TOP_OF_BOOK_ANOMALY[outcome];
    if (code !== null) {
      report.anomaly(
        code,
        `${file}:${r.line}: ${r.market} yes bid ${cents(r.yesBid)}, yes ask ${cents(r.yesAsk)}${
          event.kind === "book_snapshot" ? " -> empty book" : ""
        }`,
      );
    }
    data.push(event);
    report.used();
    if (r.yesBid > 0 || r.yesAsk < 10000) {
      finals.set(r.market, { ts: r.ts, yesBid: r.yesBid, yesAsk: r.yesAsk });
    }
    const ev = eventOf(r.market);
    const prev = lastRowTs.get(ev);
    const last = lastTwoSided.get(ev);
    if (prev !== undefined && last !== undefined && r.ts - prev > opts.gapMs && r.ts <= last) {
      report.anomaly(
        "gap",
        `${ev}: no row from ${iso(prev)} to ${iso(r.ts)} (${
          ((r.ts - prev) / 60_000).toFixed(1)
        } min), next row ${file}:${r.line}`,
      );
    }
    lastRowTs.set(ev, r.ts);
  }
  const settlements = opts.settleFromFinal === undefined
    ? []
    : inferSettlements(meta.eventMarkets, finals, lastRowTs, opts.settleFromFinal, report);
  const events: TapeEvent[] = mergeByTs<TapeEvent>(meta.meta, data, settlements);
  return { events, report: report.finish(events) };
}
