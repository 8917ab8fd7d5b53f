/**
 * Series, event and market declarations for CSV logs of ladder markets, which
 * carry tickers and prices but no metadata, and the merge of those declarations
 * with the data events into one tape. Shared by the CSV importers; each format's
 * spec (docs/import/*.md) restates the rules:
 *
 * - Strikes come from the tickers (lib/import/ticker_ladder.ts); a ladder that
 *   does not partition the outcome line is counted as anomaly
 *   `ladder_not_partition` (one per event, the problems as the example) and
 *   still declared mutually exclusive (a ladder is, even when the source misses
 *   some of its markets). Markets whose strikes cannot be inferred are not
 *   declared; the importer rejects their rows.
 * - Event: `mutually_exclusive` true; `outcome_step` from the series
 *   (1 for KXHIGH*) unless option `outcome_step` is given.
 * - Series fee from the options (lib/import/fee_options.ts), stated in the
 *   report (anomaly `fee_assumed` or `fee_from_options`).
 * - Market `open_ts` / `close_ts`: given by the importer from the data (each
 *   format states its rule); `price_step` 1 cent (the logs are in whole cents).
 * - Declaration times: a market, its event and its series are all declared at
 *   the first data time of the event (the earliest `declareTs` of its markets);
 *   a series at the earliest of its events. Declarations at one ts come series,
 *   then events, then markets, each sorted by ticker.
 *
 * @module
 */

import type {
  EventEvent,
  LifecycleEvent,
  MarketEvent,
  SeriesEvent,
  TapeEvent,
} from "../tape/events.ts";
import { type FeeChoice, noteFee } from "./fee_options.ts";
import { ImportOptionError } from "./option_error.ts";
import type { ReportBuilder } from "./report.ts";
import {
  describePartitionProblems,
  inferLadder,
  type MarketShape,
  parseLadderTicker,
  seriesOfTicker,
  seriesOutcomeStep,
} from "./ticker_ladder.ts";
import type { ImportOptions } from "./types.ts";

/** What the importer observed of one market. */
export interface ObservedMarket {
  /** First time the market is needed on the tape (its first data event). */
  readonly declareTs: number;
  readonly openTs: number;
  readonly closeTs: number;
}

/** Declarations built by {@link buildLadderMetadata}. */
export interface LadderMetadata {
  /** Series, event and market declarations in tape order. */
  readonly meta: TapeEvent[];
  /** Declared markets by ticker. */
  readonly markets: ReadonlyMap<string, MarketEvent>;
  /** Markets not declared (strikes not inferable) -> why (a reject detail). */
  readonly unresolved: ReadonlyMap<string, string>;
  /** Event ticker -> its declared markets' tickers, sorted. */
  readonly eventMarkets: ReadonlyMap<string, readonly string[]>;
}

/** Price step of markets from cent-denominated logs: one cent in ticks. */
export const CENT_PRICE_STEP = 100;

/**
 * The `outcome_step` option (a positive decimal), or undefined when absent.
 *
 * @throws {ImportOptionError} When present and not a positive decimal number.
 */
export function outcomeStepOption(options: ImportOptions): number | undefined {
  const s = options.extra?.outcome_step;
  if (s === undefined) return undefined;
  const v = /^\d+(?:\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!(v > 0)) {
    throw new ImportOptionError(
      "outcome_step",
      `Cannot use outcome step: not a positive decimal number, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  return v;
}

/**
 * Declarations for the observed markets (all tickers must parse as ladder
 * tickers: the importer rejects rows of those that do not before calling this).
 */
export function buildLadderMetadata(
  observed: ReadonlyMap<string, ObservedMarket>,
  fee: FeeChoice,
  report: ReportBuilder,
  options: { outcomeStep?: number } = {},
): LadderMetadata {
  const byEvent = new Map<string, string[]>();
  for (const ticker of observed.keys()) {
    const event = parseLadderTicker(ticker).event;
    const list = byEvent.get(event);
    if (list === undefined) byEvent.set(event, [ticker]);
    else list.push(ticker);
  }
  const unresolved = new Map<string, string>();
  const markets = new Map<string, MarketEvent>();
  const eventMarkets = new Map<string, readonly string[]>();
  const seriesTs = new Map<string, number>();
  const eventDecls: EventEvent[] = [];
  const marketDecls: MarketEvent[] = [];
  for (const event of [...byEvent.keys()].sort()) {
    const series = seriesOfTicker(event);
    const outcomeStep = options.outcomeStep ?? seriesOutcomeStep(series);
    const ladder = inferLadder(event, byEvent.get(event)!, { outcomeStep });
    for (const u of ladder.unresolved) unresolved.set(u.market, u.detail);
    const tickers = [...ladder.shapes.keys()].sort();
    if (tickers.length === 0) continue;
    if (ladder.problems.length > 0) {
      report.anomaly(
        "ladder_not_partition",
        `${event}: ${describePartitionProblems(ladder.problems)}`,
      );
    }
    let ts = Infinity;
    for (const t of tickers) ts = Math.min(ts, observed.get(t)!.declareTs);
    eventMarkets.set(event, tickers);
    seriesTs.set(series, Math.min(seriesTs.get(series) ?? Infinity, ts));
    const ev: EventEvent = outcomeStep === undefined
      ? { kind: "event", ts, event, series, mutuallyExclusive: true }
      : { kind: "event", ts, event, series, mutuallyExclusive: true, outcomeStep };
    eventDecls.push(ev);
    // Every market of an event opens and closes with its event: a log stops
    // recording a market once it stops trading, but the event's markets are
    // listed and closed together, so the event's first and last rows bound all.
    let openTs = Infinity;
    let closeTs = -Infinity;
    for (const t of tickers) {
      const o = observed.get(t)!;
      openTs = Math.min(openTs, o.openTs);
      closeTs = Math.max(closeTs, o.closeTs);
    }
    for (const market of tickers) {
      const decl = marketEvent(ts, market, event, ladder.shapes.get(market)!, { openTs, closeTs });
      markets.set(market, decl);
      marketDecls.push(decl);
    }
  }
  const seriesDecls: SeriesEvent[] = [...seriesTs.keys()].sort().map((series) => {
    noteFee(report, series, fee);
    return {
      kind: "series",
      ts: seriesTs.get(series)!,
      series,
      feeType: fee.feeType,
      feeMultiplier: fee.feeMultiplier,
    };
  });
  // The logs carry no market status: each market is declared open when it is
  // declared (its event's first data), so strategies may trade it until close_ts.
  const opens: LifecycleEvent[] = marketDecls.map((m) => ({
    kind: "lifecycle",
    ts: m.ts,
    market: m.market,
    status: "open",
  }));
  const rank = { series: 0, event: 1, market: 2, lifecycle: 3 } as Record<string, number>;
  const name = (e: TapeEvent): string =>
    e.kind === "series"
      ? e.series
      : e.kind === "event"
      ? e.event
      : (e as MarketEvent | LifecycleEvent).market;
  const meta: TapeEvent[] = [...seriesDecls, ...eventDecls, ...marketDecls, ...opens];
  meta.sort((a, b) => {
    if (a.ts !== b.ts) return a.ts - b.ts;
    const r = rank[a.kind] - rank[b.kind];
    if (r !== 0) return r;
    const na = name(a);
    const nb = name(b);
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
  return { meta, markets, unresolved, eventMarkets };
}

function marketEvent(
  ts: number,
  market: string,
  event: string,
  shape: MarketShape,
  o: { readonly openTs: number; readonly closeTs: number },
): MarketEvent {
  const base = { kind: "market" as const, ts, market, event, strikeType: shape.strikeType };
  const strikes: { floorStrike?: number; capStrike?: number } = {};
  if (shape.floorStrike !== undefined) strikes.floorStrike = shape.floorStrike;
  if (shape.capStrike !== undefined) strikes.capStrike = shape.capStrike;
  return {
    ...base,
    ...strikes,
    openTs: o.openTs,
    closeTs: o.closeTs,
    priceStep: CENT_PRICE_STEP,
  };
}

/**
 * Merges lists that are each sorted by ts into one list sorted by ts; at equal
 * ts, earlier lists come first (pass metadata, then data, then settlements).
 *
 * @example
 * ```ts
 * import { mergeByTs } from "./ladder_meta.ts";
 *
 * mergeByTs([{ ts: 1 }, { ts: 5 }], [{ ts: 1 }, { ts: 2 }]); // ts 1 (first list), 1, 2, 5
 * ```
 */
export function mergeByTs<T extends { readonly ts: number }>(...lists: readonly T[][]): T[] {
  const out: T[] = [];
  const pos = lists.map(() => 0);
  let total = 0;
  for (const l of lists) total += l.length;
  while (out.length < total) {
    let best = -1;
    let bestTs = Infinity;
    for (let i = 0; i < lists.length; i++) {
      const p = pos[i];
      if (p < lists[i].length && lists[i][p].ts < bestTs) {
        best = i;
        bestTs = lists[i][p].ts;
      }
    }
    // Take the whole run of the chosen list up to the next list's head.
    let limit = Infinity;
    for (let i = 0; i < lists.length; i++) {
      if (i === best || pos[i] >= lists[i].length) continue;
      const t = lists[i][pos[i]].ts;
      limit = Math.min(limit, i < best ? t - 1 : t);
    }
    const l = lists[best];
    let p = pos[best];
    do {
      out.push(l[p++]);
    } while (p < l.length && l[p].ts <= limit && l[p].ts >= bestTs);
    pos[best] = p;
  }
  return out;
}
