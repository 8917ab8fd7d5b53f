/**
 * The mock exchange's REST answers: a pure function from (path, query) to
 * (status, JSON body) over a {@link MockFixtures} set, in Kalshi's shapes.
 * The HTTP transport, fault injection and request counting live in
 * `http_server.ts`.
 *
 * Served (paths relative to `/trade-api/v2`):
 *
 * | path | parameters |
 * | --- | --- |
 * | `/series/{t}` | |
 * | `/events`, `/events/{t}` | limit (<= 200), cursor, series_ticker, tickers, status, min_close_ts |
 * | `/markets`, `/markets/{t}` | limit (<= 1000), cursor, series_ticker, event_ticker, tickers, status, min_close_ts, max_close_ts |
 * | `/markets/trades` | limit (<= 1000), cursor, ticker, min_ts, max_ts |
 * | `/series/{s}/markets/{t}/candlesticks` | start_ts, end_ts, period_interval (1, 60, 1440; <= 5000 candles) |
 * | `/historical/cutoff` | |
 * | `/historical/markets`, `/historical/markets/{t}` | limit, cursor, series_ticker, event_ticker, tickers |
 * | `/historical/markets/{t}/candlesticks` | start_ts, end_ts, period_interval |
 * | `/historical/trades` | limit, cursor, ticker, min_ts, max_ts |
 *
 * Lists page with an opaque cursor (empty on the last page); `maxPageSize`
 * caps every page below the asked `limit`, to force pagination in tests.
 * Unknown paths are 404, bad parameters 400, with Kalshi's error body
 * `{"error":{"code":..,"message":..}}`.
 *
 * @module
 */

import { formatPrice, parsePrice } from "../lib/units/price.ts";
import { formatCount, parseCount } from "../lib/units/quantity.ts";
import type { JsonObject, MockFixtures } from "./fixtures.ts";

/** An answer: HTTP status and JSON body. */
export interface RouteAnswer {
  readonly status: number;
  readonly body: JsonObject;
}

/** Options of {@link routeRequest}. */
export interface RouteOptions {
  /** Largest page served whatever the limit (default 1000, Kalshi's maximum). */
  readonly maxPageSize?: number;
}

class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function bad(message: string): never {
  throw new HttpProblem(400, "bad_request", message);
}

function notFound(what: string): never {
  throw new HttpProblem(404, "not_found", `${what} not found`);
}

const MARKET_STATUS: Readonly<Record<string, readonly string[]>> = {
  unopened: ["initialized"],
  open: ["active"],
  paused: ["inactive"],
  closed: ["closed"],
  settled: ["determined", "disputed", "amended", "finalized"],
};

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d+$/.test(v)) bad(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

function sec(iso: unknown): number {
  return Math.floor(Date.parse(String(iso)) / 1000);
}

/** Encodes a page offset as an opaque cursor. */
export function encodeCursor(offset: number): string {
  return btoa(`mock:${offset}`).replace(/=+$/, "");
}

function decodeCursor(cursor: string): number {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    bad(`invalid cursor ${JSON.stringify(cursor)}`);
  }
  const m = /^mock:(\d+)$/.exec(text);
  if (m === null) bad(`invalid cursor ${JSON.stringify(cursor)}`);
  return Number(m[1]);
}

function page(
  items: readonly JsonObject[],
  q: URLSearchParams,
  field: string,
  defaultLimit: number,
  maxLimit: number,
  maxPageSize: number,
  extra: JsonObject = {},
): RouteAnswer {
  const limit = int(q, "limit") ?? defaultLimit;
  if (limit < 1 || limit > maxLimit) bad(`limit must be in 1..${maxLimit}, got ${limit}`);
  const cursor = q.get("cursor");
  const offset = cursor === null || cursor === "" ? 0 : decodeCursor(cursor);
  if (offset > items.length) bad(`cursor past the end of the list`);
  const size = Math.min(limit, maxPageSize);
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeCursor(offset + size) : "";
  return { status: 200, body: { [field]: slice, ...extra, cursor: next } };
}

function filterMarkets(
  markets: readonly JsonObject[],
  q: URLSearchParams,
  f: MockFixtures,
  live: boolean,
): JsonObject[] {
  const series = q.get("series_ticker");
  const event = q.get("event_ticker");
  const tickers = q.get("tickers")?.split(",").filter((t) => t !== "");
  const status = q.get("status");
  if (status !== null && status !== "" && !(status in MARKET_STATUS)) {
    bad(`status must be one of ${Object.keys(MARKET_STATUS).join(", ")}, got ${status}`);
  }
  const minClose = live ? int(q, "min_close_ts") : undefined;
  const maxClose = live ? int(q, "max_close_ts") : undefined;
  const seriesOf = new Map(f.events.map((e) => [e.event_ticker, e.series_ticker]));
  return markets.filter((m) =>
    (series === null || seriesOf.get(m.event_ticker) === series) &&
    (event === null || m.event_ticker === event) &&
    (tickers === undefined || tickers.includes(String(m.ticker))) &&
    (status === null || status === "" || MARKET_STATUS[status].includes(String(m.status))) &&
    (minClose === undefined || sec(m.close_time) >= minClose) &&
    (maxClose === undefined || sec(m.close_time) <= maxClose)
  );
}

function filterTrades(trades: readonly JsonObject[], q: URLSearchParams): JsonObject[] {
  const ticker = q.get("ticker");
  const minTs = int(q, "min_ts");
  const maxTs = int(q, "max_ts");
  return trades.filter((t) =>
    (ticker === null || t.ticker === ticker) &&
    (minTs === undefined || sec(t.created_time) >= minTs) &&
    (maxTs === undefined || sec(t.created_time) <= maxTs)
  );
}

function eventStatus(f: MockFixtures, eventTicker: unknown): string {
  const ms = [...f.markets, ...f.historicalMarkets].filter((m) => m.event_ticker === eventTicker);
  if (ms.some((m) => m.status === "active")) return "open";
  if (ms.length > 0 && ms.every((m) => MARKET_STATUS.settled.includes(String(m.status)))) {
    return "settled";
  }
  return "closed";
}

/** A price in ticks, clamped to $0..$1, as a 4-decimal dollar string. */
function dollars(ticks: number): string {
  return formatPrice(Math.max(0, Math.min(10_000, Math.round(ticks))));
}

/** Candlesticks of a market from its trades (see the module docs of fixtures for the data). */
function candles(
  market: JsonObject,
  trades: readonly JsonObject[],
  q: URLSearchParams,
  historical: boolean,
): RouteAnswer {
  const start = int(q, "start_ts");
  const end = int(q, "end_ts");
  const period = int(q, "period_interval");
  if (start === undefined || end === undefined || period === undefined) {
    bad("start_ts, end_ts and period_interval are required");
  }
  if (![1, 60, 1440].includes(period)) bad(`period_interval must be 1, 60 or 1440, got ${period}`);
  if (end < start) bad(`end_ts must be >= start_ts`);
  const p = period * 60;
  const first = Math.ceil(start / p) * p;
  const n = end >= first ? Math.floor((end - first) / p) + 1 : 0;
  if (n > 5000) bad(`the range holds ${n} candlesticks, more than 5000`);
  const open = sec(market.open_time);
  const close = sec(market.close_time);
  const own = trades.filter((t) => t.ticker === market.ticker)
    .map((t) => ({
      ts: sec(t.created_time),
      price: parsePrice(String(t.yes_price_dollars)),
      c: parseCount(String(t.count_fp)),
    }))
    .sort((a, b) => a.ts - b.ts);
  let last = parsePrice(String(market.previous_price_dollars));
  let oi = 0;
  const out: JsonObject[] = [];
  for (let e = first; e <= end; e += p) {
    if (e <= open || e - p >= close) continue;
    const inPeriod = own.filter((t) => t.ts > e - p && t.ts <= e);
    const prev = last;
    for (const t of own) if (t.ts <= e) last = t.price;
    const volume = inPeriod.reduce((s, t) => s + t.c, 0);
    oi += Math.floor(volume / 2);
    const bid = dollars(last - 100);
    const ask = dollars(last + 100);
    const prices = inPeriod.map((t) => t.price);
    const stats = prices.length === 0 ? null : {
      open: dollars(prices[0]),
      low: dollars(Math.min(...prices)),
      high: dollars(Math.max(...prices)),
      close: dollars(prices[prices.length - 1]),
      mean: dollars(prices.reduce((s, x) => s + x, 0) / prices.length),
    };
    if (historical) {
      out.push({
        end_period_ts: e,
        yes_bid: { open: bid, low: bid, high: bid, close: bid },
        yes_ask: { open: ask, low: ask, high: ask, close: ask },
        price: {
          open: stats?.open ?? null,
          low: stats?.low ?? null,
          high: stats?.high ?? null,
          close: stats?.close ?? null,
          mean: stats?.mean ?? null,
          previous: dollars(prev),
        },
        volume: formatCount(volume),
        open_interest: formatCount(oi),
      });
    } else {
      const price: JsonObject = { previous_dollars: dollars(prev) };
      if (stats !== null) {
        Object.assign(price, {
          open_dollars: stats.open,
          low_dollars: stats.low,
          high_dollars: stats.high,
          close_dollars: stats.close,
          mean_dollars: stats.mean,
          min_dollars: stats.low,
          max_dollars: stats.high,
        });
      }
      out.push({
        end_period_ts: e,
        yes_bid: { open_dollars: bid, low_dollars: bid, high_dollars: bid, close_dollars: bid },
        yes_ask: { open_dollars: ask, low_dollars: ask, high_dollars: ask, close_dollars: ask },
        price,
        volume_fp: formatCount(volume),
        open_interest_fp: formatCount(oi),
      });
    }
  }
  return { status: 200, body: { ticker: market.ticker, candlesticks: out } };
}

/**
 * Answers one GET request; see the module docs.
 *
 * @param path The path below `/trade-api/v2` (e.g. "/markets").
 */
export function routeRequest(
  f: MockFixtures,
  path: string,
  q: URLSearchParams,
  options: RouteOptions = {},
): RouteAnswer {
  const maxPage = options.maxPageSize ?? 1000;
  try {
    const parts = path.split("/").filter((s) => s !== "").map(decodeURIComponent);
    const allTrades = [...f.trades, ...f.historicalTrades];
    const [a, b, c, d, e] = parts;
    if (a === "series" && parts.length === 2) {
      const s = f.series[b];
      return s === undefined ? notFound(`series ${b}`) : { status: 200, body: { series: s } };
    }
    if (a === "series" && c === "markets" && e === "candlesticks" && parts.length === 5) {
      const m = f.markets.find((x) => x.ticker === d);
      const ev = f.events.find((x) => x.event_ticker === m?.event_ticker);
      if (m === undefined || ev?.series_ticker !== b) return notFound(`market ${d} in series ${b}`);
      return candles(m, allTrades, q, false);
    }
    if (a === "events" && parts.length === 1) {
      const series = q.get("series_ticker");
      const tickers = q.get("tickers")?.split(",").filter((t) => t !== "");
      const status = q.get("status");
      const minClose = int(q, "min_close_ts");
      const all = [...f.markets, ...f.historicalMarkets];
      const events = f.events.filter((ev) =>
        (series === null || ev.series_ticker === series) &&
        (tickers === undefined || tickers.includes(String(ev.event_ticker))) &&
        (status === null || status === "" || eventStatus(f, ev.event_ticker) === status) &&
        (minClose === undefined ||
          all.some((m) => m.event_ticker === ev.event_ticker && sec(m.close_time) >= minClose))
      );
      return page(events, q, "events", 200, 200, maxPage);
    }
    if (a === "events" && parts.length === 2) {
      const ev = f.events.find((x) => x.event_ticker === b);
      if (ev === undefined) return notFound(`event ${b}`);
      return {
        status: 200,
        body: { event: ev, markets: f.markets.filter((m) => m.event_ticker === b) },
      };
    }
    if (a === "markets" && parts.length === 1) {
      return page(filterMarkets(f.markets, q, f, true), q, "markets", 100, 1000, maxPage);
    }
    if (a === "markets" && b === "trades" && parts.length === 2) {
      return page(filterTrades(f.trades, q), q, "trades", 100, 1000, maxPage);
    }
    if (a === "markets" && parts.length === 2) {
      const m = f.markets.find((x) => x.ticker === b);
      return m === undefined ? notFound(`market ${b}`) : { status: 200, body: { market: m } };
    }
    if (a === "historical") {
      if (b === "cutoff" && parts.length === 2) return { status: 200, body: { ...f.cutoff } };
      if (b === "trades" && parts.length === 2) {
        return page(filterTrades(f.historicalTrades, q), q, "trades", 100, 1000, maxPage);
      }
      if (b === "markets" && parts.length === 2) {
        return page(
          filterMarkets(f.historicalMarkets, q, f, false),
          q,
          "markets",
          100,
          1000,
          maxPage,
        );
      }
      if (b === "markets" && (parts.length === 3 || (parts.length === 4 && d === "candlesticks"))) {
        const m = f.historicalMarkets.find((x) => x.ticker === c);
        if (m === undefined) return notFound(`historical market ${c}`);
        return parts.length === 3
          ? { status: 200, body: { market: m } }
          : candles(m, allTrades, q, true);
      }
    }
    return notFound(`path ${path}`);
  } catch (err) {
    if (err instanceof HttpProblem) {
      return { status: err.status, body: { error: { code: err.code, message: err.message } } };
    }
    throw err;
  }
}
