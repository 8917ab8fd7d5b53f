/**
 * The Kalshi REST reads the fetch lane makes, as plain data: one variant per
 * endpoint, with the endpoint's own parameters. {@link requestTarget} turns a
 * request into the path (relative to the `/trade-api/v2` base) and the query
 * (parameter names as Kalshi spells them, values as they appear in the URL),
 * which name the request in the response cache and the fetch journal.
 *
 * Times in requests are Unix **seconds**, as Kalshi's query parameters take
 * them (the rest of the workbench uses ms; convert at the edge).
 *
 * @example
 * ```ts
 * import { requestTarget } from "./requests.ts";
 *
 * const t = requestTarget({ endpoint: "markets", seriesTicker: "KXHIGHNY", limit: 1000 });
 * // { path: "/markets", query: { limit: "1000", series_ticker: "KXHIGHNY" } }
 * console.log(t);
 * ```
 *
 * @module
 */

/** Status filter of GET /markets (Kalshi's query values, not market statuses). */
export type MarketsStatusFilter = "unopened" | "open" | "paused" | "closed" | "settled";
/** Status filter of GET /events. */
export type EventsStatusFilter = "unopened" | "open" | "closed" | "settled";
/** Candlestick period in minutes (1 minute, 1 hour, 1 day). */
export type PeriodInterval = 1 | 60 | 1440;

export const MARKETS_STATUS_FILTERS: readonly MarketsStatusFilter[] = [
  "unopened",
  "open",
  "paused",
  "closed",
  "settled",
];
export const PERIOD_INTERVALS: readonly PeriodInterval[] = [1, 60, 1440];

/** Largest page Kalshi serves: /markets, /markets/trades and the historical lists. */
export const MAX_PAGE_LIMIT = 1000;
/** Largest page of GET /events. */
export const MAX_EVENTS_PAGE_LIMIT = 200;
/** Most candlesticks one candlestick request may cover (more is a 400). */
export const MAX_CANDLES_PER_REQUEST = 5000;

/** GET /series/{series_ticker} */
export interface SeriesRequest {
  readonly endpoint: "series";
  readonly seriesTicker: string;
}

/** GET /events (paginated) */
export interface EventsRequest {
  readonly endpoint: "events";
  readonly seriesTicker?: string;
  /** Comma-separated event tickers. */
  readonly tickers?: string;
  readonly status?: EventsStatusFilter;
  readonly minCloseTs?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

/** GET /markets (paginated) */
export interface MarketsRequest {
  readonly endpoint: "markets";
  readonly seriesTicker?: string;
  readonly eventTicker?: string;
  readonly status?: MarketsStatusFilter;
  readonly minCloseTs?: number;
  readonly maxCloseTs?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

/** GET /markets/trades (paginated) */
export interface TradesRequest {
  readonly endpoint: "trades";
  readonly ticker: string;
  readonly minTs?: number;
  readonly maxTs?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

/** GET /series/{series_ticker}/markets/{ticker}/candlesticks */
export interface CandlesticksRequest {
  readonly endpoint: "candlesticks";
  readonly seriesTicker: string;
  readonly ticker: string;
  readonly startTs: number;
  readonly endTs: number;
  readonly periodInterval: PeriodInterval;
}

/** GET /historical/cutoff */
export interface HistoricalCutoffRequest {
  readonly endpoint: "historical_cutoff";
}

/** GET /historical/markets (paginated) */
export interface HistoricalMarketsRequest {
  readonly endpoint: "historical_markets";
  readonly seriesTicker?: string;
  readonly eventTicker?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** GET /historical/trades (paginated) */
export interface HistoricalTradesRequest {
  readonly endpoint: "historical_trades";
  readonly ticker: string;
  readonly minTs?: number;
  readonly maxTs?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

/** GET /historical/markets/{ticker}/candlesticks */
export interface HistoricalCandlesticksRequest {
  readonly endpoint: "historical_candlesticks";
  readonly ticker: string;
  readonly startTs: number;
  readonly endTs: number;
  readonly periodInterval: PeriodInterval;
}

/** Every read the fetch lane makes. */
export type KalshiRequest =
  | SeriesRequest
  | EventsRequest
  | MarketsRequest
  | TradesRequest
  | CandlesticksRequest
  | HistoricalCutoffRequest
  | HistoricalMarketsRequest
  | HistoricalTradesRequest
  | HistoricalCandlesticksRequest;

/** The requests that page with `cursor`. */
export type PagedRequest =
  | EventsRequest
  | MarketsRequest
  | TradesRequest
  | HistoricalMarketsRequest
  | HistoricalTradesRequest;

/** Path (relative to the API base) and query of a request, as sent. */
export interface RequestTarget {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

/** Whether a request pages with a cursor. */
export function isPaged(req: KalshiRequest): req is PagedRequest {
  return req.endpoint === "events" || req.endpoint === "markets" || req.endpoint === "trades" ||
    req.endpoint === "historical_markets" || req.endpoint === "historical_trades";
}

/** The same paged request for the page at `cursor` ("" or undefined: the first page). */
export function withCursor<R extends PagedRequest>(req: R, cursor: string | undefined): R {
  return { ...req, cursor: cursor === "" ? undefined : cursor };
}

function seg(action: string, name: string, v: string): string {
  if (typeof v !== "string" || v === "" || /[/?#\s]/.test(v)) {
    throw new RangeError(
      `Cannot ${action}: ${name} must be a non-empty ticker without '/', '?', '#' or spaces, current value is ${
        JSON.stringify(v)
      }`,
    );
  }
  return encodeURIComponent(v);
}

function checkSeconds(action: string, name: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(
      `Cannot ${action}: ${name} must be a non-negative integer of Unix seconds, current value is ${v}`,
    );
  }
}

function checkLimit(action: string, v: number | undefined, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(
      `Cannot ${action}: limit must be an integer in 1..${max}, current value is ${v}`,
    );
  }
}

/** Builds a query from [name, value] pairs, leaving out undefined values; keys keep this order. */
function query(pairs: [string, string | number | undefined][]): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of pairs) if (v !== undefined) q[k] = String(v);
  return q;
}

/**
 * The path and query of a request (see the module docs). Parameters are
 * checked: tickers must be path-safe, times non-negative integer seconds,
 * limits within Kalshi's page sizes, periods one of 1, 60, 1440.
 *
 * @throws {RangeError} naming the bad parameter.
 */
export function requestTarget(req: KalshiRequest): RequestTarget {
  const action = `build request ${req.endpoint}`;
  switch (req.endpoint) {
    case "series":
      return { path: `/series/${seg(action, "seriesTicker", req.seriesTicker)}`, query: {} };
    case "events":
      checkLimit(action, req.limit, MAX_EVENTS_PAGE_LIMIT);
      checkSeconds(action, "minCloseTs", req.minCloseTs);
      return {
        path: "/events",
        query: query([
          ["limit", req.limit],
          ["cursor", req.cursor],
          ["status", req.status],
          ["series_ticker", req.seriesTicker],
          ["tickers", req.tickers],
          ["min_close_ts", req.minCloseTs],
        ]),
      };
    case "markets":
      checkLimit(action, req.limit, MAX_PAGE_LIMIT);
      checkSeconds(action, "minCloseTs", req.minCloseTs);
      checkSeconds(action, "maxCloseTs", req.maxCloseTs);
      return {
        path: "/markets",
        query: query([
          ["limit", req.limit],
          ["cursor", req.cursor],
          ["event_ticker", req.eventTicker],
          ["series_ticker", req.seriesTicker],
          ["max_close_ts", req.maxCloseTs],
          ["min_close_ts", req.minCloseTs],
          ["status", req.status],
        ]),
      };
    case "trades":
    case "historical_trades":
      seg(action, "ticker", req.ticker);
      checkLimit(action, req.limit, MAX_PAGE_LIMIT);
      checkSeconds(action, "minTs", req.minTs);
      checkSeconds(action, "maxTs", req.maxTs);
      return {
        path: req.endpoint === "trades" ? "/markets/trades" : "/historical/trades",
        query: query([
          ["limit", req.limit],
          ["cursor", req.cursor],
          ["ticker", req.ticker],
          ["min_ts", req.minTs],
          ["max_ts", req.maxTs],
        ]),
      };
    case "candlesticks":
    case "historical_candlesticks": {
      checkSeconds(action, "startTs", req.startTs);
      checkSeconds(action, "endTs", req.endTs);
      if (req.startTs === undefined || req.endTs === undefined || req.endTs < req.startTs) {
        throw new RangeError(
          `Cannot ${action}: endTs must be >= startTs (${req.startTs}), current value is ${req.endTs}`,
        );
      }
      if (!PERIOD_INTERVALS.includes(req.periodInterval)) {
        throw new RangeError(
          `Cannot ${action}: periodInterval must be 1, 60 or 1440 minutes, current value is ${req.periodInterval}`,
        );
      }
      const q = query([
        ["start_ts", req.startTs],
        ["end_ts", req.endTs],
        ["period_interval", req.periodInterval],
      ]);
      const t = seg(action, "ticker", req.ticker);
      if (req.endpoint === "historical_candlesticks") {
        return { path: `/historical/markets/${t}/candlesticks`, query: q };
      }
      const s = seg(action, "seriesTicker", req.seriesTicker);
      return { path: `/series/${s}/markets/${t}/candlesticks`, query: q };
    }
    case "historical_cutoff":
      return { path: "/historical/cutoff", query: {} };
    case "historical_markets":
      checkLimit(action, req.limit, MAX_PAGE_LIMIT);
      return {
        path: "/historical/markets",
        query: query([
          ["limit", req.limit],
          ["cursor", req.cursor],
          ["event_ticker", req.eventTicker],
          ["series_ticker", req.seriesTicker],
        ]),
      };
    default: {
      const never: never = req;
      throw new RangeError(
        `Cannot build request: unknown endpoint, current value is ${
          JSON.stringify((never as { endpoint?: unknown }).endpoint)
        }`,
      );
    }
  }
}

/** `path?query` with the query's keys sorted: the canonical name of a request. */
export function canonicalKey(target: RequestTarget): string {
  const keys = Object.keys(target.query).sort();
  if (keys.length === 0) return target.path;
  const qs = keys.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(target.query[k])}`);
  return `${target.path}?${qs.join("&")}`;
}
