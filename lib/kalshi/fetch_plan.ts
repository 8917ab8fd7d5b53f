/**
 * What `deno task fetch` asks Kalshi for, and in which order. Pure over a
 * {@link PageSource}: it decides the next request from the pages it got, so it
 * runs the same against the network, the cache or a fake.
 *
 * 1. `GET /series/{series}`.
 * 2. `GET /events` for the series (or the one `--event`), every page.
 * 3. `GET /markets` for the series or event, every page (cursor pagination
 *    until the cursor is empty), with the status and close-time filters.
 * 4. With `historical`: `GET /historical/cutoff`, then `GET /historical/markets`
 *    for the series or event, every page; the status and close-time filters
 *    are applied here (that endpoint has none).
 * 5. For every selected market, in ticker order:
 *    - with `trades`: `GET /markets/trades?ticker=` (live markets) or
 *      `GET /historical/trades?ticker=` (historical markets), every page; a
 *      live market that opened before the trades cutoff also gets its older
 *      trades from `/historical/trades` (`max_ts` = the cutoff);
 *    - with `candles`: the market's candlesticks from `open_time` to the end
 *      of the period holding `close_time` (or `as_of` for a market still
 *      open), split into windows of at most 5000 candles, from `/series/{s}/markets/{t}/candlesticks` or
 *      `/historical/markets/{t}/candlesticks`.
 *
 * Markets are deduplicated by ticker (the first listing wins), trades counted
 * once per `trade_id`. A listing whose cursor repeats is an error (a server
 * loop), never an endless fetch.
 *
 * @module
 */

import type { Page, PageSource } from "./fetch_session.ts";
import {
  type EventsStatusFilter,
  type MarketsStatusFilter,
  MAX_CANDLES_PER_REQUEST,
  MAX_EVENTS_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type PagedRequest,
  type PeriodInterval,
  requestTarget,
  withCursor,
} from "./requests.ts";

/** What to fetch (the CLI's options, checked). Times in ms since the epoch. */
export interface FetchPlan {
  readonly seriesTicker: string;
  readonly eventTicker?: string;
  readonly status?: MarketsStatusFilter;
  /** Markets closing at or after this time. */
  readonly fromMs?: number;
  /** Markets closing before this time. */
  readonly toMs?: number;
  readonly trades: boolean;
  readonly candles?: PeriodInterval;
  readonly historical: boolean;
  /** Page size asked for (default and maximum {@link MAX_PAGE_LIMIT}; events at most 200). */
  readonly pageLimit?: number;
}

/** Where a market was listed. */
export type MarketTier = "live" | "historical";

/** A selected market. */
export interface SelectedMarket {
  readonly ticker: string;
  readonly eventTicker: string;
  readonly tier: MarketTier;
  readonly openMs: number;
  readonly closeMs: number;
}

/** What a plan run fetched. */
export interface PlanResult {
  /** Envelope files in the order the plan used them (each once). */
  readonly files: string[];
  /** Selected markets by ticker, in ticker order. */
  readonly markets: Map<string, SelectedMarket>;
  /** Event tickers seen in /events pages. */
  readonly events: Set<string>;
  /** Pages per path pattern ("/markets", "/markets/trades", "candlesticks", ...). */
  readonly pages: Record<string, number>;
  /** Distinct trades seen. */
  readonly trades: number;
  readonly candles: number;
  /** Markets listed more than once (dropped after the first). */
  readonly duplicateMarkets: number;
  /** Trades listed more than once (same trade_id). */
  readonly duplicateTrades: number;
  /** Historical markets left out by the status or close-time filter. */
  readonly filteredMarkets: number;
  /** Historical cutoffs (ms) when `historical` was asked. */
  readonly cutoff: { readonly marketSettledMs: number; readonly tradesCreatedMs: number } | null;
}

/** Options of {@link runPlan}. */
export interface RunPlanOptions {
  /** The run's frozen "now" (ms): the candle window end of a market still open. */
  readonly asOfMs: number;
  /** Called when a stage starts ("series", "events", "markets", "historical", "market 3/40 T"). */
  readonly onStage?: (stage: string) => void;
}

/** Kalshi market statuses each /markets status filter stands for. */
const STATUS_MEMBERS: Readonly<Record<MarketsStatusFilter, readonly string[]>> = {
  unopened: ["initialized", "unopened"],
  open: ["active", "open"],
  paused: ["inactive", "paused"],
  closed: ["closed"],
  settled: ["determined", "disputed", "amended", "finalized", "settled"],
};

const EVENTS_STATUS: ReadonlySet<string> = new Set<EventsStatusFilter>([
  "unopened",
  "open",
  "closed",
  "settled",
]);

/** Checks a plan; throws a RangeError naming the bad field. */
export function checkPlan(plan: FetchPlan): FetchPlan {
  const t = plan.seriesTicker;
  if (typeof t !== "string" || !/^[A-Za-z0-9._-]+$/.test(t)) {
    throw new RangeError(
      `Cannot plan fetch: series ticker must be letters, digits, '.', '_' or '-', current value is ${
        JSON.stringify(t)
      }`,
    );
  }
  if (plan.eventTicker !== undefined && !/^[A-Za-z0-9._-]+$/.test(plan.eventTicker)) {
    throw new RangeError(
      `Cannot plan fetch: event ticker must be letters, digits, '.', '_' or '-', current value is ${
        JSON.stringify(plan.eventTicker)
      }`,
    );
  }
  if (plan.status !== undefined && !(plan.status in STATUS_MEMBERS)) {
    throw new RangeError(
      `Cannot plan fetch: status must be one of ${
        Object.keys(STATUS_MEMBERS).join(", ")
      }, current value is ${plan.status}`,
    );
  }
  for (const [name, v] of [["fromMs", plan.fromMs], ["toMs", plan.toMs]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
      throw new RangeError(
        `Cannot plan fetch: ${name} must be integer ms >= 0, current value is ${v}`,
      );
    }
  }
  if (plan.fromMs !== undefined && plan.toMs !== undefined && plan.toMs <= plan.fromMs) {
    throw new RangeError(
      `Cannot plan fetch: the end (toMs) must be after the start (${plan.fromMs}), current value is ${plan.toMs}`,
    );
  }
  if (plan.candles !== undefined && ![1, 60, 1440].includes(plan.candles)) {
    throw new RangeError(
      `Cannot plan fetch: candles must be 1, 60 or 1440 minutes, current value is ${plan.candles}`,
    );
  }
  const limit = plan.pageLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT)) {
    throw new RangeError(
      `Cannot plan fetch: pageLimit must be an integer in 1..${MAX_PAGE_LIMIT}, current value is ${limit}`,
    );
  }
  return plan;
}

/** Parses a Kalshi timestamp: an RFC 3339 string, or Unix seconds as a number or digit string. */
export function parseKalshiTime(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === "string") {
    if (/^\d+$/.test(v)) return Number(v) * 1000;
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw new RangeError(
    `Cannot read ${what}: not a timestamp, current value is ${JSON.stringify(v)}`,
  );
}

function list(page: Page, field: string): Record<string, unknown>[] {
  const v = page.body[field];
  if (!Array.isArray(v)) {
    throw new TypeError(
      `Cannot read ${page.target.path} (${page.file}): field "${field}" must be an array, current value is ${
        JSON.stringify(v)?.slice(0, 60)
      }`,
    );
  }
  return v as Record<string, unknown>[];
}

function str(o: Record<string, unknown>, field: string, where: string): string {
  const v = o[field];
  if (typeof v !== "string" || v === "") {
    throw new TypeError(
      `Cannot read ${where}: field "${field}" must be a non-empty string, current value is ${
        JSON.stringify(v)
      }`,
    );
  }
  return v;
}

/** Pages through a listing, following `next_cursor` until it is empty. */
async function* pagesOf(source: PageSource, req: PagedRequest): AsyncGenerator<Page> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await source.get(withCursor(req, cursor));
    yield page;
    const next = page.entry.next_cursor ?? "";
    if (next === "") return;
    if (seen.has(next)) {
      throw new Error(
        `Cannot page ${
          requestTarget(req).path
        }: the server returned the same cursor twice, current value is ${JSON.stringify(next)}`,
      );
    }
    seen.add(next);
    cursor = next;
  }
}

function pageKind(path: string): string {
  if (path.startsWith("/series/") && path.endsWith("/candlesticks")) return "candlesticks";
  if (path.startsWith("/historical/markets/") && path.endsWith("/candlesticks")) {
    return "historical candlesticks";
  }
  if (path.startsWith("/series/")) return "/series";
  return path;
}

/** Whether a market passes the status and close-time filters. */
export function marketMatches(plan: FetchPlan, status: string, closeMs: number): boolean {
  if (plan.status !== undefined && !STATUS_MEMBERS[plan.status].includes(status)) return false;
  if (plan.fromMs !== undefined && closeMs < plan.fromMs) return false;
  if (plan.toMs !== undefined && closeMs >= plan.toMs) return false;
  return true;
}

/** Candle windows [start, end] (Unix seconds, inclusive) of at most 5000 candles each. */
export function candleWindows(
  startSec: number,
  endSec: number,
  period: PeriodInterval,
): [number, number][] {
  const span = (MAX_CANDLES_PER_REQUEST - 1) * period * 60;
  const out: [number, number][] = [];
  for (let a = startSec; a <= endSec; a += span + 1) out.push([a, Math.min(endSec, a + span)]);
  return out;
}

/**
 * Runs the plan against a page source; see the module docs.
 *
 * @throws when a page is malformed (naming the file and field), a cursor
 *   repeats, or the source fails (after its own retries).
 */
export async function runPlan(
  plan: FetchPlan,
  source: PageSource,
  options: RunPlanOptions,
): Promise<PlanResult> {
  checkPlan(plan);
  const limit = plan.pageLimit ?? MAX_PAGE_LIMIT;
  const files: string[] = [];
  const fileSet = new Set<string>();
  const pages: Record<string, number> = {};
  const seen = (p: Page): Page => {
    const k = pageKind(p.target.path);
    pages[k] = (pages[k] ?? 0) + 1;
    if (!fileSet.has(p.file)) {
      fileSet.add(p.file);
      files.push(p.file);
    }
    return p;
  };
  const stage = options.onStage ?? (() => {});
  const S = plan.seriesTicker;
  const E = plan.eventTicker;
  const minCloseTs = plan.fromMs === undefined ? undefined : Math.ceil(plan.fromMs / 1000);
  const maxCloseTs = plan.toMs === undefined ? undefined : Math.floor((plan.toMs - 1) / 1000);

  stage("series");
  const series = seen(await source.get({ endpoint: "series", seriesTicker: S }));
  if (typeof series.body.series !== "object" || series.body.series === null) {
    throw new TypeError(
      `Cannot read /series/${S} (${series.file}): field "series" must be an object, current value is ${
        JSON.stringify(series.body.series)
      }`,
    );
  }

  stage("events");
  const events = new Set<string>();
  for await (
    const p of pagesOf(source, {
      endpoint: "events",
      seriesTicker: E === undefined ? S : undefined,
      tickers: E,
      status: plan.status !== undefined && EVENTS_STATUS.has(plan.status)
        ? plan.status as EventsStatusFilter
        : undefined,
      minCloseTs,
      limit: Math.min(limit, MAX_EVENTS_PAGE_LIMIT),
    })
  ) {
    for (const ev of list(seen(p), "events")) {
      events.add(str(ev, "event_ticker", `event in ${p.file}`));
    }
  }

  const markets = new Map<string, SelectedMarket>();
  let duplicateMarkets = 0;
  let filteredMarkets = 0;
  const addMarkets = (p: Page, tier: MarketTier): void => {
    for (const m of list(p, "markets")) {
      const where = `market in ${p.file}`;
      const ticker = str(m, "ticker", where);
      if (markets.has(ticker)) {
        duplicateMarkets++;
        continue;
      }
      const at = `${where} ${ticker}`;
      const closeMs = parseKalshiTime(m.close_time, `${at}: field "close_time"`);
      if (tier === "historical" && !marketMatches(plan, String(m.status), closeMs)) {
        filteredMarkets++;
        continue;
      }
      markets.set(ticker, {
        ticker,
        eventTicker: str(m, "event_ticker", at),
        tier,
        openMs: parseKalshiTime(m.open_time, `${at}: field "open_time"`),
        closeMs,
      });
    }
  };

  stage("markets");
  for await (
    const p of pagesOf(source, {
      endpoint: "markets",
      seriesTicker: E === undefined ? S : undefined,
      eventTicker: E,
      status: plan.status,
      minCloseTs,
      maxCloseTs,
      limit,
    })
  ) addMarkets(seen(p), "live");

  let cutoff: PlanResult["cutoff"] = null;
  if (plan.historical) {
    stage("historical");
    const c = seen(await source.get({ endpoint: "historical_cutoff" }));
    cutoff = {
      marketSettledMs: parseKalshiTime(
        c.body.market_settled_ts,
        `${c.file}: field "market_settled_ts"`,
      ),
      tradesCreatedMs: parseKalshiTime(
        c.body.trades_created_ts,
        `${c.file}: field "trades_created_ts"`,
      ),
    };
    for await (
      const p of pagesOf(source, {
        endpoint: "historical_markets",
        seriesTicker: E === undefined ? S : undefined,
        eventTicker: E,
        limit,
      })
    ) addMarkets(seen(p), "historical");
  }

  const tickers = [...markets.keys()].sort();
  const sorted = new Map(tickers.map((t) => [t, markets.get(t)!]));
  const tradeIds = new Set<string>();
  let duplicateTrades = 0;
  let candles = 0;
  const addTrades = (p: Page): void => {
    for (const t of list(p, "trades")) {
      const id = str(t, "trade_id", `trade in ${p.file}`);
      if (tradeIds.has(id)) duplicateTrades++;
      else tradeIds.add(id);
    }
  };

  if (plan.trades || plan.candles !== undefined) {
    let i = 0;
    for (const m of sorted.values()) {
      stage(`market ${++i}/${sorted.size} ${m.ticker}`);
      if (plan.trades) {
        if (m.tier === "live") {
          for await (const p of pagesOf(source, { endpoint: "trades", ticker: m.ticker, limit })) {
            addTrades(seen(p));
          }
        }
        if (m.tier === "historical" || (cutoff !== null && m.openMs < cutoff.tradesCreatedMs)) {
          const maxTs = m.tier === "live" ? Math.floor(cutoff!.tradesCreatedMs / 1000) : undefined;
          for await (
            const p of pagesOf(source, {
              endpoint: "historical_trades",
              ticker: m.ticker,
              maxTs,
              limit,
            })
          ) addTrades(seen(p));
        }
      }
      if (plan.candles !== undefined) {
        // Candles are named by their period's end: the last one that holds trades
        // before close (or as_of) ends at the next period boundary.
        const p = plan.candles * 60;
        const start = Math.floor(m.openMs / 1000);
        const end = Math.ceil(Math.min(m.closeMs, options.asOfMs) / 1000 / p) * p;
        for (const [a, b] of end >= start ? candleWindows(start, end, plan.candles) : []) {
          const p = seen(
            await source.get(
              m.tier === "live"
                ? {
                  endpoint: "candlesticks",
                  seriesTicker: S,
                  ticker: m.ticker,
                  startTs: a,
                  endTs: b,
                  periodInterval: plan.candles,
                }
                : {
                  endpoint: "historical_candlesticks",
                  ticker: m.ticker,
                  startTs: a,
                  endTs: b,
                  periodInterval: plan.candles,
                },
            ),
          );
          candles += list(p, "candlesticks").length;
        }
      }
    }
  }

  return {
    files,
    markets: sorted,
    events,
    pages,
    trades: tradeIds.size,
    candles,
    duplicateMarkets,
    duplicateTrades,
    filteredMarkets,
    cutoff,
  };
}
