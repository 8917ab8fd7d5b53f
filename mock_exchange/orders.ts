/**
 * Demo-style order handling of the mock exchange: `POST /portfolio/orders`,
 * `GET /portfolio/orders[/{id}]`, `DELETE /portfolio/orders/{id}`, shaped like
 * Kalshi's `CreateOrderRequest` / `Order` (fixed-point `_dollars` and `_fp`
 * strings), matched against the book the {@link TapePlayer} plays.
 *
 * Rules (minimal, documented in docs/MOCK_EXCHANGE.md):
 *
 * - An order is a bid on one side of the book: buy YES at p is a YES bid at p,
 *   sell YES at p a NO bid at $1 - p (and the same for NO). The price comes
 *   from `yes_price_dollars` or `no_price_dollars` (or the legacy integer-cent
 *   `yes_price` / `no_price`), the size from `count_fp` (or integer `count`).
 * - It takes liquidity at once from the opposite side's bids that cross it
 *   (best first), each fill a public trade. The mock's own resting orders are
 *   never matched: when the rest would cross one of them it is canceled
 *   (self-trade prevention, Kalshi's default "taker at cross"). Otherwise the
 *   rest rests (`good_till_canceled`, the default), is canceled
 *   (`immediate_or_cancel`), or the whole order is canceled unfilled when it
 *   cannot fill completely (`fill_or_kill`). A `post_only` order that would
 *   cross is rejected.
 * - A resting order fills when a tape trade crosses its price (the taker of
 *   that trade bought the other side), up to the trade's size, best price first
 *   then oldest: queue position is ignored, so fills are optimistic. It also
 *   fills when tape liquidity moves onto or through it (the tape side is the
 *   taker, at the order's price), so the public book never stays crossed.
 * - Orders are accepted only while the market's status is active/open and the
 *   tape clock is inside [open, close]; when a market closes its resting
 *   orders are canceled.
 * - Fees are not charged (`*_fees_dollars` are "0.0000").
 *
 * @module
 */

import { LevelBook } from "../lib/kalshi/ws_book.ts";
import type { Side } from "../lib/tape/events.ts";
import { formatMoney, formatPrice, parsePrice } from "../lib/units/price.ts";
import { formatCount, parseCount } from "../lib/units/quantity.ts";
import type { TapePlayer } from "./tape_player.ts";

/** An answer: HTTP status and JSON body. */
export interface OrderAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

type TimeInForce = "good_till_canceled" | "immediate_or_cancel" | "fill_or_kill";

interface MockOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly ticker: string;
  readonly side: Side;
  readonly action: "buy" | "sell";
  /** Which side's bids the order sits on, and its price in that side's terms. */
  readonly bookSide: Side;
  readonly price: number;
  readonly initial: number;
  remaining: number;
  filled: number;
  status: "resting" | "canceled" | "executed";
  /** Sum of price x count of taker fills, in money ticks x 100 (price ticks x centi-contracts). */
  takerCost: number;
  makerCost: number;
  readonly createdTs: number;
  lastUpdateTs: number;
}

const other = (s: Side): Side => (s === "yes" ? "no" : "yes");

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function err(status: number, code: string, message: string): OrderAnswer {
  return { status, body: { error: { code, message } } };
}

/** Orders of the mock exchange; see the module docs. */
export class MockOrders {
  readonly #player: TapePlayer;
  readonly #now: () => number;
  readonly #orders: MockOrder[] = [];
  readonly #byId = new Map<string, MockOrder>();

  /**
   * @param player The played market state.
   * @param now Exchange time for `created_time` / `last_update_time`, ms.
   */
  constructor(player: TapePlayer, now: () => number) {
    this.#player = player;
    this.#now = now;
    player.setOverlay((m) => this.restingBook(m));
    player.onHappening((h) => {
      if (h.kind === "book" && h.clientOrderId === undefined) this.#uncross(h.market);
      if (h.kind === "trade" && !h.byOrder) {
        this.#fillResting(h.market, h.price, h.count, h.takerSide);
      }
      if (
        h.kind === "lifecycle" &&
        ["closed", "determined", "finalized", "inactive"].includes(h.status)
      ) {
        for (const o of this.#orders) {
          if (o.ticker === h.market && o.status === "resting") this.#cancel(o);
        }
      }
    });
  }

  /** The resting size of the mock's orders per level of a market. */
  restingBook(market: string): LevelBook | undefined {
    let book: LevelBook | undefined;
    for (const o of this.#orders) {
      if (o.ticker !== market || o.status !== "resting") continue;
      book ??= new LevelBook();
      book.apply(o.bookSide, o.price, o.remaining);
    }
    return book;
  }

  /** Every order, oldest first. */
  get all(): readonly Readonly<MockOrder>[] {
    return this.#orders;
  }

  /** Answers `POST /portfolio/orders`. */
  create(body: unknown): OrderAnswer {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return err(400, "invalid_parameters", "body must be a JSON object");
    }
    const b = body as Record<string, unknown>;
    const ticker = b.ticker;
    if (typeof ticker !== "string" || ticker === "") {
      return err(400, "invalid_parameters", "ticker is required");
    }
    const st = this.#player.markets.get(ticker);
    if (st === undefined) return err(404, "market_not_found", `market ${ticker} not found`);
    const side = b.side;
    const action = b.action;
    if (side !== "yes" && side !== "no") {
      return err(400, "invalid_parameters", `side must be yes or no, got ${JSON.stringify(side)}`);
    }
    if (action !== "buy" && action !== "sell") {
      return err(
        400,
        "invalid_parameters",
        `action must be buy or sell, got ${JSON.stringify(action)}`,
      );
    }
    let count: number;
    try {
      if (typeof b.count_fp === "string") count = parseCount(b.count_fp);
      else if (Number.isSafeInteger(b.count)) count = (b.count as number) * 100;
      else return err(400, "invalid_parameters", "count_fp (or count) is required");
    } catch (e) {
      return err(400, "invalid_parameters", (e as Error).message);
    }
    if (count <= 0) return err(400, "invalid_parameters", "count must be positive");
    const prices = ["yes_price_dollars", "no_price_dollars", "yes_price", "no_price"]
      .filter((k) => b[k] !== undefined && b[k] !== null);
    if (prices.length !== 1) {
      return err(
        400,
        "invalid_parameters",
        "exactly one of yes_price_dollars / no_price_dollars is required",
      );
    }
    const key = prices[0];
    let p: number;
    try {
      const v = b[key];
      if (key.endsWith("_dollars")) {
        if (typeof v !== "string") throw new RangeError(`${key} must be a dollar string`);
        p = parsePrice(v);
      } else {
        if (!Number.isInteger(v)) throw new RangeError(`${key} must be an integer of cents`);
        p = (v as number) * 100;
      }
    } catch (e) {
      return err(400, "invalid_parameters", (e as Error).message);
    }
    if (p < 1 || p > 9999) {
      return err(400, "invalid_price", `price must be inside $0..$1, got ${formatPrice(p)}`);
    }
    if (p % st.decl.priceStep !== 0) {
      return err(400, "invalid_price", `price ${formatPrice(p)} is not on the market's price step`);
    }
    const yesPrice = key.startsWith("yes") ? p : 10000 - p;
    const sidePrice = side === "yes" ? yesPrice : 10000 - yesPrice;
    const tif = (b.time_in_force ?? "good_till_canceled") as TimeInForce;
    if (!["good_till_canceled", "immediate_or_cancel", "fill_or_kill"].includes(tif)) {
      return err(
        400,
        "invalid_parameters",
        `time_in_force ${JSON.stringify(tif)} is not supported`,
      );
    }
    const now = this.#player.tapeNow();
    const status = st.status;
    const open = status === undefined
      ? now >= st.decl.openTs
      : status === "active" || status === "open";
    if (!open || now < st.decl.openTs || now > st.decl.closeTs) {
      return err(409, "market_closed", `market ${ticker} is not open for trading`);
    }
    const bookSide: Side = action === "buy" ? side : other(side);
    const price = action === "buy" ? sidePrice : 10000 - sidePrice;
    const opposite = other(bookSide);
    // Liquidity that crosses: opposite bids q with price + q >= $1, best first, minus own orders.
    const own = this.restingBook(ticker);
    const avail: [number, number][] = [];
    for (const [q, size] of st.book.levels(opposite)) {
      if (price + q < 10000) break;
      const free = size - (own?.size(opposite, q) ?? 0);
      if (free > 0) avail.push([q, free]);
    }
    const fillable = avail.reduce((s, [, z]) => s + z, 0);
    if (b.post_only === true && fillable > 0) {
      return err(400, "post_only_cross", "a post-only order would cross the book");
    }
    const t = this.#now();
    const order: MockOrder = {
      orderId: crypto.randomUUID(),
      clientOrderId: typeof b.client_order_id === "string" ? b.client_order_id : "",
      ticker,
      side,
      action,
      bookSide,
      price,
      initial: count,
      remaining: count,
      filled: 0,
      status: "resting",
      takerCost: 0,
      makerCost: 0,
      createdTs: t,
      lastUpdateTs: t,
    };
    this.#orders.push(order);
    this.#byId.set(order.orderId, order);
    if (tif === "fill_or_kill" && fillable < count) {
      order.status = "canceled";
      return { status: 201, body: { order: this.#wire(order) } };
    }
    for (const [q, free] of avail) {
      if (order.remaining === 0) break;
      const n = Math.min(free, order.remaining);
      this.#player.changeBook(
        ticker,
        [{ side: opposite, price: q, delta: -n }],
        order.clientOrderId || undefined,
      );
      order.remaining -= n;
      order.filled += n;
      order.takerCost += (10000 - q) * n;
      const yes = bookSide === "yes" ? 10000 - q : q;
      this.#player.publishTrade(ticker, yes, n, bookSide, true);
    }
    const crossesOwn = own !== undefined &&
      own.levels(opposite).some(([q]) => price + q >= 10000);
    if (order.remaining === 0) order.status = "executed";
    else if (tif === "immediate_or_cancel" || crossesOwn) {
      // IOC, or self-trade prevention (Kalshi's default: the taker is canceled at the cross).
      order.status = "canceled";
    } else {
      this.#player.changeBook(
        ticker,
        [{ side: bookSide, price, delta: order.remaining }],
        order.clientOrderId || undefined,
      );
    }
    return { status: 201, body: { order: this.#wire(order) } };
  }

  /** Answers `GET /portfolio/orders/{id}`. */
  get(id: string): OrderAnswer {
    const o = this.#byId.get(id);
    return o === undefined
      ? err(404, "not_found", `order ${id} not found`)
      : { status: 200, body: { order: this.#wire(o) } };
  }

  /** Answers `GET /portfolio/orders` (filters `ticker`, `status`; one page). */
  list(q: URLSearchParams): OrderAnswer {
    const ticker = q.get("ticker");
    const status = q.get("status");
    if (status !== null && !["resting", "canceled", "executed"].includes(status)) {
      return err(
        400,
        "invalid_parameters",
        `status must be resting, canceled or executed, got ${status}`,
      );
    }
    const orders = this.#orders
      .filter((o) =>
        (ticker === null || o.ticker === ticker) && (status === null || o.status === status)
      )
      .reverse()
      .map((o) => this.#wire(o));
    return { status: 200, body: { orders, cursor: "" } };
  }

  /** Answers `DELETE /portfolio/orders/{id}`. */
  cancel(id: string): OrderAnswer {
    const o = this.#byId.get(id);
    if (o === undefined) return err(404, "not_found", `order ${id} not found`);
    if (o.status !== "resting") return err(409, "order_not_resting", `order ${id} is ${o.status}`);
    const reduced = o.remaining;
    this.#cancel(o);
    return { status: 200, body: { order: this.#wire(o), reduced_by_fp: formatCount(reduced) } };
  }

  #cancel(o: MockOrder): void {
    const n = o.remaining;
    o.status = "canceled";
    o.remaining = 0;
    o.lastUpdateTs = this.#now();
    if (n > 0) {
      this.#player.changeBook(
        o.ticker,
        [{ side: o.bookSide, price: o.price, delta: -n }],
        o.clientOrderId || undefined,
      );
    }
  }

  /**
   * Tape liquidity that moved onto or through a resting order trades with it at
   * the order's price (the tape side is the taker), so the public book never
   * stays crossed.
   */
  #uncross(market: string): void {
    const book = this.#player.markets.get(market)!.book;
    for (;;) {
      const own = this.restingBook(market);
      if (own === undefined) return;
      const hit = this.#orders
        .filter((o) => o.ticker === market && o.status === "resting")
        .sort((a, b) => b.price - a.price || a.createdTs - b.createdTs)
        .find((o) => {
          const q = book.best(other(o.bookSide));
          return q > 0 && o.price + q >= 10000 &&
            book.size(other(o.bookSide), q) > own.size(other(o.bookSide), q);
        });
      if (hit === undefined) return;
      const opp = other(hit.bookSide);
      const q = book.best(opp);
      const n = Math.min(hit.remaining, book.size(opp, q) - own.size(opp, q));
      hit.remaining -= n;
      hit.filled += n;
      hit.makerCost += hit.price * n;
      hit.lastUpdateTs = this.#now();
      if (hit.remaining === 0) hit.status = "executed";
      this.#player.changeBook(
        market,
        [{ side: hit.bookSide, price: hit.price, delta: -n }, { side: opp, price: q, delta: -n }],
        hit.clientOrderId || "mock",
      );
      const yes = hit.bookSide === "yes" ? hit.price : 10000 - hit.price;
      this.#player.publishTrade(market, yes, n, opp, true);
    }
  }

  /** A tape trade whose taker bought `takerSide` at YES price `yes` fills crossing resting orders. */
  #fillResting(market: string, yes: number, count: number, takerSide: Side): void {
    const makerSide = other(takerSide);
    // The taker paid `takerSide`'s price; resting bids on the other side at or above $1 - that price fill.
    const limit = 10000 - (takerSide === "yes" ? yes : 10000 - yes);
    const hit = this.#orders
      .filter((o) =>
        o.ticker === market && o.status === "resting" && o.bookSide === makerSide &&
        o.price >= limit
      )
      .sort((a, b) => b.price - a.price || a.createdTs - b.createdTs);
    let left = count;
    for (const o of hit) {
      if (left === 0) break;
      const n = Math.min(left, o.remaining);
      left -= n;
      o.remaining -= n;
      o.filled += n;
      o.makerCost += o.price * n;
      o.lastUpdateTs = this.#now();
      if (o.remaining === 0) o.status = "executed";
      this.#player.changeBook(
        market,
        [{ side: o.bookSide, price: o.price, delta: -n }],
        o.clientOrderId || undefined,
      );
    }
  }

  #wire(o: MockOrder): Record<string, unknown> {
    const sidePrice = o.action === "buy" ? o.price : 10000 - o.price;
    const yes = o.side === "yes" ? sidePrice : 10000 - sidePrice;
    return {
      order_id: o.orderId,
      user_id: "mock-user",
      client_order_id: o.clientOrderId,
      ticker: o.ticker,
      side: o.side,
      action: o.action,
      outcome_side: o.side,
      book_side: o.action === "buy" ? "bid" : "ask",
      type: "limit",
      status: o.status,
      yes_price_dollars: formatPrice(yes),
      no_price_dollars: formatPrice(10000 - yes),
      fill_count_fp: formatCount(o.filled),
      remaining_count_fp: formatCount(o.remaining),
      initial_count_fp: formatCount(o.initial),
      taker_fill_cost_dollars: formatMoney(Math.round(o.takerCost / 100)),
      maker_fill_cost_dollars: formatMoney(Math.round(o.makerCost / 100)),
      taker_fees_dollars: "0.0000",
      maker_fees_dollars: "0.0000",
      expiration_time: null,
      created_time: iso(o.createdTs),
      last_update_time: iso(o.lastUpdateTs),
    };
  }
}
