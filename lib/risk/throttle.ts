/**
 * Order throttles: a per-order size cap and order-count limits over a sliding
 * window, for all orders and per market.
 *
 * The window of an order at time `now` is `(now - intervalMs, now]`: an order
 * accepted exactly `intervalMs` ago no longer counts. An order is refused when
 * the orders already in its window plus itself would exceed `maxOrders`. Only
 * accepted orders are recorded (a refused order uses no slot). Times are
 * injected, never read from a clock, and must not go backwards.
 *
 * @example
 * ```ts
 * import { OrderThrottle } from "./throttle.ts";
 *
 * const t = new OrderThrottle({ maxOrders: 2, intervalMs: 1000 });
 * t.record("M", 0);
 * t.record("M", 500);
 * t.check("M", 999); // { rule: "order_rate", ... }: 3 orders in (-1, 999]
 * t.check("M", 1000); // undefined: the order at 0 left the window
 * ```
 *
 * @module
 */

import type { OrderRateLimit } from "./limits.ts";

/** Which throttle refused an order, and why. */
export interface ThrottleBreach {
  readonly rule: "order_rate" | "market_order_rate";
  readonly detail: string;
}

function checkInterval(action: string, intervalMs: number): void {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(
      `Cannot ${action}: interval must be a positive integer of ms, current value is ${intervalMs}`,
    );
  }
}

function checkTime(action: string, now: number, last: number): void {
  if (!Number.isSafeInteger(now)) {
    throw new RangeError(
      `Cannot ${action}: time must be an integer of ms since the epoch, current value is ${now}`,
    );
  }
  if (now < last) {
    throw new RangeError(
      `Cannot ${action}: time went backwards from ${last}, current value is ${now}`,
    );
  }
}

/**
 * Timestamps of recorded orders within a sliding window of `intervalMs`.
 *
 * @example
 * ```ts
 * import { SlidingWindow } from "./throttle.ts";
 *
 * const w = new SlidingWindow(1000);
 * w.record(0);
 * w.count(999); // 1
 * w.count(1000); // 0
 * ```
 */
export class SlidingWindow {
  readonly intervalMs: number;
  #ts: number[] = [];
  #head = 0;
  #last = Number.MIN_SAFE_INTEGER;

  /** @throws {RangeError} when `intervalMs` is not a positive integer. */
  constructor(intervalMs: number) {
    checkInterval("create sliding window", intervalMs);
    this.intervalMs = intervalMs;
  }

  #prune(now: number): void {
    const cutoff = now - this.intervalMs;
    const ts = this.#ts;
    while (this.#head < ts.length && ts[this.#head] <= cutoff) this.#head++;
    if (this.#head > 64 && this.#head * 2 > ts.length) {
      this.#ts = ts.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Recorded times in `(now - intervalMs, now]`.
   *
   * @throws {RangeError} when `now` is not an integer or is before the last record.
   */
  count(now: number): number {
    checkTime("count orders", now, this.#last);
    this.#prune(now);
    return this.#ts.length - this.#head;
  }

  /**
   * Records an order at `now`.
   *
   * @throws {RangeError} when `now` is not an integer or is before the last record.
   */
  record(now: number): void {
    checkTime("record order", now, this.#last);
    this.#last = now;
    this.#ts.push(now);
    this.#prune(now);
  }
}

/**
 * The size cap of one order: a breach message, or undefined when `count` is
 * within `maxOrderCount` (at the cap passes).
 *
 * @example
 * ```ts
 * import { checkOrderSize } from "./throttle.ts";
 *
 * checkOrderSize(1000, 1000); // undefined
 * checkOrderSize(1001, 1000); // "order count 1001 centi-contracts exceeds the cap of 1000"
 * ```
 */
export function checkOrderSize(count: number, maxOrderCount: number): string | undefined {
  if (count <= maxOrderCount) return undefined;
  return `order count ${count} centi-contracts exceeds the cap of ${maxOrderCount}`;
}

/**
 * Order-count limits over sliding windows: over all markets and per market.
 * Either limit may be absent.
 *
 * @example
 * ```ts
 * import { OrderThrottle } from "./throttle.ts";
 *
 * const t = new OrderThrottle(undefined, { maxOrders: 1, intervalMs: 60_000 });
 * t.record("A", 0);
 * t.check("A", 1); // { rule: "market_order_rate", ... }
 * t.check("B", 1); // undefined
 * ```
 */
export class OrderThrottle {
  readonly #global?: OrderRateLimit;
  readonly #perMarket?: OrderRateLimit;
  readonly #all?: SlidingWindow;
  readonly #markets = new Map<string, SlidingWindow>();
  #last = Number.MIN_SAFE_INTEGER;

  /** @throws {RangeError} when a limit has a non-positive interval or a negative count. */
  constructor(global?: OrderRateLimit, perMarket?: OrderRateLimit) {
    for (const l of [global, perMarket]) {
      if (l === undefined) continue;
      checkInterval("create order throttle", l.intervalMs);
      if (!Number.isSafeInteger(l.maxOrders) || l.maxOrders < 0) {
        throw new RangeError(
          `Cannot create order throttle: maxOrders must be a non-negative integer, current value is ${l.maxOrders}`,
        );
      }
    }
    this.#global = global;
    this.#perMarket = perMarket;
    if (global !== undefined) this.#all = new SlidingWindow(global.intervalMs);
  }

  /**
   * Whether one more order on `market` at `now` fits: undefined, or the breach.
   *
   * @throws {RangeError} when `now` is not an integer or goes backwards.
   */
  check(market: string, now: number): ThrottleBreach | undefined {
    checkTime("check order rate", now, this.#last);
    const g = this.#global;
    if (g !== undefined) {
      const n = this.#all!.count(now);
      if (n + 1 > g.maxOrders) {
        return {
          rule: "order_rate",
          detail: `${n} orders in the last ${g.intervalMs} ms, at most ${g.maxOrders} allowed`,
        };
      }
    }
    const m = this.#perMarket;
    if (m !== undefined) {
      const n = this.#markets.get(market)?.count(now) ?? 0;
      if (n + 1 > m.maxOrders) {
        return {
          rule: "market_order_rate",
          detail:
            `${n} orders on ${market} in the last ${m.intervalMs} ms, at most ${m.maxOrders} allowed`,
        };
      }
    }
    return undefined;
  }

  /**
   * Records an accepted order on `market` at `now`.
   *
   * @throws {RangeError} when `now` is not an integer or goes backwards.
   */
  record(market: string, now: number): void {
    checkTime("record order", now, this.#last);
    this.#last = now;
    this.#all?.record(now);
    const m = this.#perMarket;
    if (m !== undefined) {
      let w = this.#markets.get(market);
      if (w === undefined) {
        w = new SlidingWindow(m.intervalMs);
        this.#markets.set(market, w);
      }
      w.record(now);
    }
  }
}
