/**
 * The mock exchange's REST answers over a played tape: the market data routes
 * of `rest_routes.ts` (series, events, markets, trades, candlesticks) fed with
 * Kalshi-shaped records built from the {@link TapePlayer}'s state, plus
 * `GET /markets/{t}/orderbook` (the live book) and the demo order routes of
 * `orders.ts`.
 *
 * Records (the shapes of `kalshi-typescript` 3.30):
 *
 * - series: `ticker`, `fee_type`, `fee_multiplier` (the one in force now);
 * - event: `event_ticker`, `series_ticker`, `mutually_exclusive`;
 * - market: `ticker`, `event_ticker`, `market_type: "binary"`, `status` (the
 *   last lifecycle played, mapped to REST's names: `open` is `active`; before
 *   any lifecycle: `initialized` before `open_time`, `active` until
 *   `close_time`, then `closed`), `open_time` / `close_time`, `strike_type`,
 *   `floor_strike` / `cap_strike`, `price_ranges` (one range on the market's
 *   price step), top of book (`yes_bid_dollars`, `yes_ask_dollars`, sizes) from
 *   the live book, `last_price_dollars`, `volume_fp`, and once settled
 *   `result`, `settlement_ts`, `expiration_value`, `settlement_value_dollars`.
 *   Strike inclusivity flags of the tape have no REST field and are not served.
 * - trades: every public trade played (tape and mock orders), newest first.
 *
 * Times are exchange times: `time(tapeTs)` maps a tape timestamp (identity
 * when the exchange clock is the tape clock).
 *
 * @module
 */

import { formatPrice } from "../lib/units/price.ts";
import { formatCount } from "../lib/units/quantity.ts";
import type { JsonObject, MockFixtures } from "./fixtures.ts";
import type { MockOrders } from "./orders.ts";
import { type RouteAnswer, routeRequest } from "./rest_routes.ts";
import type { MarketState, TapePlayer } from "./tape_player.ts";

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The REST status name of a market now. */
export function restStatus(st: MarketState, tapeNow: number): string {
  if (st.status === undefined) {
    return tapeNow < st.decl.openTs
      ? "initialized"
      : tapeNow <= st.decl.closeTs
      ? "active"
      : "closed";
  }
  return st.status === "open" ? "active" : st.status;
}

/** Builds Kalshi-shaped records from the player state (see the module docs). */
export function fixturesFromPlayer(
  player: TapePlayer,
  time: (tapeTs: number) => number,
): MockFixtures {
  const now = player.tapeNow();
  const series: Record<string, JsonObject> = {};
  for (const name of player.series.keys()) {
    const s = player.seriesNow(name)!;
    series[name] = {
      ticker: s.series,
      title: `${s.series} (mock)`,
      frequency: "custom",
      fee_type: s.feeType,
      fee_multiplier: s.feeMultiplier / 10000,
      settlement_sources: [],
      volume_fp: "0.00",
    };
  }
  const events: JsonObject[] = [...player.events.values()].map((e) => ({
    event_ticker: e.event,
    series_ticker: e.series,
    title: `${e.event} (mock)`,
    sub_title: "",
    mutually_exclusive: e.mutuallyExclusive,
    collateral_return_type: "",
  }));
  const markets: JsonObject[] = [...player.markets.values()].map((st) => {
    const d = st.decl;
    const yesBid = st.book.best("yes");
    const noBid = st.book.best("no");
    const step = formatPrice(d.priceStep);
    const s = st.settlement;
    const m: JsonObject = {
      ticker: d.market,
      event_ticker: d.event,
      market_type: "binary",
      status: restStatus(st, now),
      open_time: iso(time(d.openTs)),
      close_time: iso(time(d.closeTs)),
      strike_type: d.strikeType,
      floor_strike: d.floorStrike ?? null,
      cap_strike: d.capStrike ?? null,
      price_ranges: [{ start: step, end: formatPrice(10000 - d.priceStep), step }],
      yes_bid_dollars: formatPrice(yesBid),
      yes_bid_size_fp: formatCount(yesBid > 0 ? st.book.size("yes", yesBid) : 0),
      yes_ask_dollars: formatPrice(noBid > 0 ? 10000 - noBid : 10000),
      yes_ask_size_fp: formatCount(noBid > 0 ? st.book.size("no", noBid) : 0),
      no_bid_dollars: formatPrice(noBid),
      no_ask_dollars: formatPrice(yesBid > 0 ? 10000 - yesBid : 10000),
      last_price_dollars: formatPrice(st.lastPrice ?? 0),
      previous_price_dollars: formatPrice(st.lastPrice ?? 0),
      volume_fp: formatCount(st.volume),
      result: s?.result ?? "",
      expiration_value: s?.expirationValue !== undefined ? String(s.expirationValue) : "",
      settlement_ts: s !== undefined ? iso(time(s.ts)) : null,
    };
    if (s !== undefined) m.settlement_value_dollars = s.result === "yes" ? "1.0000" : "0.0000";
    return m;
  });
  const trades: JsonObject[] = [];
  for (let i = player.trades.length - 1; i >= 0; i--) {
    const t = player.trades[i];
    trades.push({
      trade_id: t.tradeId,
      ticker: t.market,
      count_fp: formatCount(t.count),
      yes_price_dollars: formatPrice(t.price),
      no_price_dollars: formatPrice(10000 - t.price),
      taker_side: t.takerSide,
      taker_outcome_side: t.takerSide,
      created_time: iso(time(t.ts)),
      is_block_trade: false,
    });
  }
  const cut = iso(time(player.firstTs));
  return {
    series,
    events,
    markets,
    historicalMarkets: [],
    trades,
    historicalTrades: [],
    cutoff: {
      market_settled_ts: cut,
      trades_created_ts: cut,
      orders_updated_ts: cut,
      market_positions_last_updated_ts: cut,
    },
  };
}

/** `GET /markets/{t}/orderbook`: both sides' bids, ascending by price as Kalshi lists them. */
export function orderbookAnswer(
  player: TapePlayer,
  ticker: string,
  q: URLSearchParams,
): RouteAnswer {
  const st = player.markets.get(ticker);
  if (st === undefined) {
    return {
      status: 404,
      body: { error: { code: "not_found", message: `market ${ticker} not found` } },
    };
  }
  const depthText = q.get("depth");
  const depth = depthText === null || depthText === "" ? 0 : Number(depthText);
  if (!Number.isInteger(depth) || depth < 0 || depth > 100) {
    return {
      status: 400,
      body: {
        error: {
          code: "bad_request",
          message: `depth must be an integer in 0..100, got ${depthText}`,
        },
      },
    };
  }
  const side = (s: "yes" | "no") => {
    const best = st.book.levels(s);
    const kept = depth > 0 ? best.slice(0, depth) : best;
    return kept.reverse().map(([p, z]) => [formatPrice(p), formatCount(z)]);
  };
  return {
    status: 200,
    body: { orderbook_fp: { yes_dollars: side("yes"), no_dollars: side("no") } },
  };
}

/** Options of {@link TapeRest}. */
export interface TapeRestOptions {
  /** Largest page served (forces pagination in tests). Default 1000. */
  readonly maxPageSize?: number;
}

/** Routes one REST request over the played tape (see the module docs). */
export class TapeRest {
  readonly #player: TapePlayer;
  readonly #orders: MockOrders;
  readonly #time: (tapeTs: number) => number;
  readonly #maxPageSize: number;
  #cache: { key: string; fixtures: MockFixtures } | null = null;
  #changes = 0;

  constructor(
    player: TapePlayer,
    orders: MockOrders,
    time: (tapeTs: number) => number,
    options: TapeRestOptions = {},
  ) {
    this.#player = player;
    this.#orders = orders;
    this.#time = time;
    this.#maxPageSize = options.maxPageSize ?? 1000;
    player.onHappening(() => this.#changes++);
  }

  /** The records now (cached until the state changes). */
  fixtures(): MockFixtures {
    const key = `${this.#changes}:${this.#player.position}:${this.#player.tapeNow()}`;
    if (this.#cache?.key !== key) {
      this.#cache = { key, fixtures: fixturesFromPlayer(this.#player, this.#time) };
    }
    return this.#cache.fixtures;
  }

  /**
   * Answers a request.
   *
   * @param method HTTP method.
   * @param path Path below `/trade-api/v2`.
   * @param body Parsed JSON body (POST), or undefined.
   * @param authed Whether the request carried the auth headers (portfolio routes need them).
   */
  route(
    method: string,
    path: string,
    q: URLSearchParams,
    body: unknown,
    authed: boolean,
  ): RouteAnswer {
    const parts = path.split("/").filter((s) => s !== "").map(decodeURIComponent);
    if (parts[0] === "portfolio") {
      if (!authed) {
        return {
          status: 401,
          body: { error: { code: "unauthorized", message: "authentication headers required" } },
        };
      }
      if (parts[1] === "orders" && parts.length === 2) {
        if (method === "POST") return this.#orders.create(body);
        if (method === "GET") return this.#orders.list(q);
      }
      if (parts[1] === "orders" && parts.length === 3) {
        if (method === "GET") return this.#orders.get(parts[2]);
        if (method === "DELETE") return this.#orders.cancel(parts[2]);
      }
      if (parts[1] === "orders") {
        return {
          status: 405,
          body: { error: { code: "method_not_allowed", message: `${method} ${path}` } },
        };
      }
      return {
        status: 404,
        body: { error: { code: "not_found", message: `path ${path} not found` } },
      };
    }
    if (method !== "GET") {
      return { status: 405, body: { error: { code: "method_not_allowed", message: "GET only" } } };
    }
    if (parts[0] === "markets" && parts[2] === "orderbook" && parts.length === 3) {
      return orderbookAnswer(this.#player, parts[1], q);
    }
    return routeRequest(this.fixtures(), path, q, { maxPageSize: this.#maxPageSize });
  }
}
