/**
 * The live feed's metadata bootstrap: REST market, event and series records
 * into the tape's `series`, `event` and `market` events, with the converters
 * the Kalshi JSON importer uses (lib/import/kalshi_market.ts,
 * kalshi_metadata.ts), so a recorded live session declares markets exactly as
 * an imported one would.
 *
 * Reads: `GET /markets?tickers=...` (100 tickers a request, following the
 * cursor), then `GET /events/{e}` and `GET /series/{s}` once each. A market
 * that cannot be converted (a non-binary market, a strike type the workbench
 * cannot price, a series fee type it does not know) or that the exchange does
 * not list is left out and reported in `rejected`; the feed does not subscribe
 * to it.
 *
 * @module
 */

import { convertMarket } from "../../lib/import/kalshi_market.ts";
import { FieldError, KalshiRecord } from "../../lib/import/kalshi_fields.ts";
import { RetryExhaustedError } from "../../lib/kalshi/retry.ts";
import { convertEvent, convertSeries } from "../../lib/import/kalshi_metadata.ts";
import { seriesOutcomeStep } from "../../lib/import/ticker_ladder.ts";
import type { EventEvent, MarketEvent, SeriesEvent } from "../../lib/tape/events.ts";
import type { FeedRest } from "./rest.ts";

/** What the bootstrap found. */
export interface Metadata {
  readonly series: SeriesEvent[];
  readonly events: EventEvent[];
  readonly markets: MarketEvent[];
  /** The raw market records by ticker (status, result, expiration value). */
  readonly records: Map<string, Record<string, unknown>>;
  /** Markets left out, with the reason. */
  readonly rejected: { readonly market: string; readonly reason: string }[];
  /** When the answers arrived (the latest), ms. */
  readonly ts: number;
}

/**
 * Whether an error is about one record (a bad field, or a 4xx other than 429:
 * the record is missing): its markets are left out. Anything else (network,
 * 5xx, 429 after the retries) fails the bootstrap, which the feed retries.
 */
function isRecordProblem(err: unknown): boolean {
  if (err instanceof FieldError) return true;
  if (err instanceof RetryExhaustedError) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 429;
}

/** Reads market records for `tickers` (any number; 100 per request). */
export async function fetchMarketRecords(
  rest: FeedRest,
  tickers: readonly string[],
): Promise<{ records: Map<string, Record<string, unknown>>; ts: number }> {
  const records = new Map<string, Record<string, unknown>>();
  let ts = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < tickers.length; i += 100) {
    let cursor = "";
    do {
      const q: Record<string, string> = {
        tickers: tickers.slice(i, i + 100).join(","),
        limit: "1000",
      };
      if (cursor !== "") q.cursor = cursor;
      const a = await rest.get("/markets", q);
      ts = Math.max(ts, a.receivedTs);
      const list = a.body.markets;
      if (!Array.isArray(list)) {
        throw new Error(
          `Cannot read /markets: markets is not an array, current value is ${typeof list}`,
        );
      }
      for (const m of list) {
        if (
          typeof m === "object" && m !== null &&
          typeof (m as { ticker?: unknown }).ticker === "string"
        ) {
          records.set((m as { ticker: string }).ticker, m as Record<string, unknown>);
        }
      }
      cursor = typeof a.body.cursor === "string" ? a.body.cursor : "";
    } while (cursor !== "");
  }
  return { records, ts };
}

/**
 * Reads and converts the metadata of `tickers`, skipping series and events
 * already `known` (a feed adding markets later).
 *
 * @throws when a read fails for good (the caller retries the bootstrap).
 */
export async function bootstrapMetadata(
  rest: FeedRest,
  tickers: readonly string[],
  known: { readonly series: ReadonlySet<string>; readonly events: ReadonlySet<string> } = {
    series: new Set(),
    events: new Set(),
  },
): Promise<Metadata> {
  const { records, ts: t0 } = await fetchMarketRecords(rest, tickers);
  let ts = t0;
  const rejected: { market: string; reason: string }[] = [];
  const markets: MarketEvent[] = [];
  for (const t of tickers) {
    const rec = records.get(t);
    if (rec === undefined) {
      rejected.push({ market: t, reason: "not listed by GET /markets" });
      continue;
    }
    try {
      const c = convertMarket(new KalshiRecord(rec, `markets[${t}]`));
      markets.push({ kind: "market", ts: 0, ...c.decl });
    } catch (e) {
      rejected.push({ market: t, reason: (e as Error).message });
    }
  }
  const events: EventEvent[] = [];
  const series: SeriesEvent[] = [];
  const badEvents = new Map<string, string>();
  const eventSeries = new Map<string, string>();
  for (const e of [...new Set(markets.map((m) => m.event))]) {
    if (known.events.has(e)) continue;
    try {
      const a = await rest.get(`/events/${encodeURIComponent(e)}`);
      ts = Math.max(ts, a.receivedTs);
      const rec = a.body.event;
      if (typeof rec !== "object" || rec === null) {
        throw new FieldError(
          "event",
          "Cannot read event: not an object, current value is " + typeof rec,
        );
      }
      const decl = convertEvent(new KalshiRecord(rec as Record<string, unknown>, "event"), []);
      // The REST record has no reporting precision: the series rule gives it (as on import).
      const step = decl.outcomeStep ?? seriesOutcomeStep(decl.series);
      events.push(
        step === undefined
          ? { kind: "event", ts: 0, ...decl }
          : { kind: "event", ts: 0, ...decl, outcomeStep: step },
      );
      eventSeries.set(e, decl.series);
    } catch (err) {
      if (!isRecordProblem(err)) throw err;
      badEvents.set(e, (err as Error).message);
    }
  }
  for (const s of [...new Set(eventSeries.values())]) {
    if (known.series.has(s)) continue;
    try {
      const a = await rest.get(`/series/${encodeURIComponent(s)}`);
      ts = Math.max(ts, a.receivedTs);
      const rec = a.body.series;
      if (typeof rec !== "object" || rec === null) {
        throw new FieldError(
          "series",
          "Cannot read series: not an object, current value is " + typeof rec,
        );
      }
      series.push({
        kind: "series",
        ts: 0,
        ...convertSeries(new KalshiRecord(rec as Record<string, unknown>, "series")),
      });
    } catch (err) {
      if (!isRecordProblem(err)) throw err;
      for (const [e, sr] of eventSeries) {
        if (sr === s) badEvents.set(e, `series ${s}: ${(err as Error).message}`);
      }
    }
  }
  const kept = markets.filter((m) => {
    const why = badEvents.get(m.event);
    if (why !== undefined) rejected.push({ market: m.market, reason: `event ${m.event}: ${why}` });
    return why === undefined;
  });
  const usedEvents = new Set(kept.map((m) => m.event));
  const keptEvents = events.filter((e) => usedEvents.has(e.event));
  const usedSeries = new Set(keptEvents.map((e) => e.series));
  return {
    series: series.filter((s) => usedSeries.has(s.series)).map((s) => ({ ...s, ts })),
    events: keptEvents.map((e) => ({ ...e, ts })),
    markets: kept.map((m) => ({ ...m, ts })),
    records,
    rejected,
    ts,
  };
}
