/**
 * Market status changes into tape `lifecycle` and `settlement` events, from
 * Kalshi's `market_lifecycle_v2` messages and from REST market records (the
 * polling fallback). Pure: the caller passes the receive time.
 *
 * | `event_type` | tape events |
 * | --- | --- |
 * | `created` | lifecycle `initialized` |
 * | `activated` | lifecycle `active` |
 * | `deactivated` | lifecycle `inactive` |
 * | `close_date_updated` with `close_ts` not after the receive time (+1 s) | lifecycle `closed` (a later close date is only a schedule change: nothing) |
 * | `determined` | lifecycle `determined` (once), and with `result` yes/no a `settlement` (once) |
 * | `settled` | lifecycle `finalized` |
 * | anything else | nothing |
 *
 * Times: `determination_ts` / `settled_ts` / `close_ts` (a close) when the
 * message has them, else the receive time. From REST, a status different from the last one seen is a
 * lifecycle event and a `result` of yes/no a settlement (once).
 *
 * @module
 */

import type { WsMarketLifecycle } from "../../lib/kalshi/ws_messages.ts";
import type { LifecycleEvent, MarketStatus, SettlementEvent } from "../../lib/tape/events.ts";
import { MARKET_STATUSES } from "../../lib/tape/events.ts";

/** Per-market memory so that a status or a settlement is emitted once. */
export class LifecycleTracker {
  readonly #status = new Map<string, MarketStatus>();
  readonly #settled = new Set<string>();

  /** The last status emitted for a market. */
  status(market: string): MarketStatus | undefined {
    return this.#status.get(market);
  }

  /** Remembers a status without emitting (from the REST bootstrap). */
  seed(market: string, status: MarketStatus, settled: boolean): void {
    this.#status.set(market, status);
    if (settled) this.#settled.add(market);
  }

  #lifecycle(market: string, status: MarketStatus, ts: number): LifecycleEvent[] {
    if (this.#status.get(market) === status) return [];
    this.#status.set(market, status);
    return [{ kind: "lifecycle", ts, market, status }];
  }

  #settle(market: string, result: unknown, ts: number, x?: number): SettlementEvent[] {
    if ((result !== "yes" && result !== "no") || this.#settled.has(market)) return [];
    this.#settled.add(market);
    return [{
      kind: "settlement",
      ts,
      market,
      result,
      ...(x !== undefined ? { expirationValue: x } : {}),
    }];
  }

  /** Tape events of a `market_lifecycle_v2` message received at `receivedTs`. */
  fromWs(m: WsMarketLifecycle, receivedTs: number): (LifecycleEvent | SettlementEvent)[] {
    switch (m.eventType) {
      case "created":
        return this.#lifecycle(m.market, "initialized", receivedTs);
      case "activated":
        return this.#lifecycle(m.market, "active", receivedTs);
      case "deactivated":
        return this.#lifecycle(m.market, "inactive", receivedTs);
      case "close_date_updated":
        return m.closeTs !== undefined && m.closeTs <= receivedTs + 1000
          ? this.#lifecycle(m.market, "closed", Math.min(m.closeTs, receivedTs))
          : [];
      case "determined": {
        const ts = m.determinationTs ?? receivedTs;
        return [
          ...this.#lifecycle(m.market, "determined", ts),
          ...this.#settle(m.market, m.result, ts),
        ];
      }
      case "settled":
        return this.#lifecycle(m.market, "finalized", m.settledTs ?? receivedTs);
      default:
        return [];
    }
  }

  /**
   * Tape events of a REST market record polled at `receivedTs`: its `status`
   * (when it changed) and its `result` (once).
   */
  fromRest(
    market: string,
    status: unknown,
    result: unknown,
    receivedTs: number,
    expirationValue?: number,
  ): (LifecycleEvent | SettlementEvent)[] {
    const out: (LifecycleEvent | SettlementEvent)[] = [];
    if (typeof status === "string" && MARKET_STATUSES.includes(status as MarketStatus)) {
      out.push(...this.#lifecycle(market, status as MarketStatus, receivedTs));
    }
    out.push(...this.#settle(market, result, receivedTs, expirationValue));
    return out;
  }
}
