/**
 * Idempotent client order ids: a hash of everything that makes an order what it
 * is — strategy, market, side, limit price, count, time in force, expiry, the
 * venue time of the decision and the order's index among the orders the
 * strategy sent at that time. The same decision made again (a restart that
 * replays the same data) gets the same id, so the persisted state
 * (live/rails/order_state.ts) can refuse to send it twice; two different
 * decisions never share one.
 *
 * Form: `kx-` and 32 hex digits of SHA-256 over a canonical JSON array (35
 * characters; Kalshi accepts client order ids of this shape).
 *
 * @example
 * ```ts
 * import { clientOrderId } from "./client_order_id.ts";
 *
 * const id = clientOrderId({
 *   strategy: "btc", market: "KXBTCD-26JAN0510-T95000", side: "yes", limitPrice: 4200,
 *   count: 100, timeInForce: "ioc", decisionTs: 1767621600000, index: 0,
 * });
 * console.log(id); // "kx-" + 32 hex digits, the same on every run
 * ```
 *
 * @module
 */

import { createHash } from "node:crypto";

/** The inputs of a client order id. */
export interface ClientOrderIdInput {
  readonly strategy: string;
  readonly market: string;
  readonly side: string;
  readonly limitPrice: number;
  readonly count: number;
  readonly timeInForce: string;
  readonly expireTs?: number;
  /** Venue time of the decision (ms). */
  readonly decisionTs: number;
  /** 0-based index among the orders the strategy sent at `decisionTs`. */
  readonly index: number;
}

/**
 * The client order id of an order; see the module docs.
 *
 * @throws {RangeError} when a number is not a safe integer or a string is empty.
 */
export function clientOrderId(o: ClientOrderIdInput): string {
  for (const k of ["strategy", "market", "side", "timeInForce"] as const) {
    if (typeof o[k] !== "string" || o[k].length === 0) {
      throw new RangeError(
        `Cannot derive client order id: ${k} must be a non-empty string, current value is ${
          JSON.stringify(o[k])
        }`,
      );
    }
  }
  for (const k of ["limitPrice", "count", "decisionTs", "index"] as const) {
    if (!Number.isSafeInteger(o[k])) {
      throw new RangeError(
        `Cannot derive client order id: ${k} must be an integer, current value is ${o[k]}`,
      );
    }
  }
  if (o.expireTs !== undefined && !Number.isSafeInteger(o.expireTs)) {
    throw new RangeError(
      `Cannot derive client order id: expireTs must be an integer, current value is ${o.expireTs}`,
    );
  }
  const canonical = JSON.stringify([
    1,
    o.strategy,
    o.market,
    o.side,
    o.limitPrice,
    o.count,
    o.timeInForce,
    o.expireTs ?? null,
    o.decisionTs,
    o.index,
  ]);
  return "kx-" + createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}
