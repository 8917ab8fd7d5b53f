/**
 * The strategy port: the one interface a strategy implements and the one view of
 * the world it gets. The backtest replay venue and the live dry-run venue both
 * drive strategies through it, so a strategy cannot tell them apart.
 *
 * A strategy sees the world only through {@link StrategyContext}: events are
 * handed to it one at a time in tape order, and the context holds only state
 * built from events already delivered (timestamp <= `now`). It has no handle on
 * the tape, so it cannot look ahead by construction.
 *
 * @module
 */

import type { TapeEvent } from "../tape/events.ts";
import type { Ladder } from "../market/ladder.ts";
import type { FeeParams } from "../fees/fees.ts";
import type { CancelRejectReason, LimitOrderIntent } from "./order_types.ts";
import type { MakerOrderView, QueueFill } from "./queue_fill.ts";

/** Read-only view of one market's order book at the current time. */
export interface BookView {
  /** Best YES bid in ticks, or 0 when there is none. */
  readonly bestYesBid: number;
  /** Best YES ask in ticks (10000 - best NO bid), or 10000 when there is none. */
  readonly bestYesAsk: number;
  /** Size at the best YES bid (centi-contracts), net of liquidity this run already took. */
  readonly bestYesBidSize: number;
  /** Size at the best YES ask (centi-contracts), net of liquidity this run already took. */
  readonly bestYesAskSize: number;
  /** Whether the book holds usable state (a snapshot or quote arrived and no gap since). */
  readonly valid: boolean;
  /** Time of the last update applied to this book (ms). */
  readonly updatedTs: number;
}

/**
 * An order as a strategy asks for it: a limit order on one side (the contract
 * bought), `ioc` (take what is there, cancel the rest), `gtc` (take what crosses,
 * rest the remainder in the queue) or `post_only` (rest only; rejected if it would
 * cross), with an optional expiry. Prices in ticks, counts in centi-contracts. See
 * lib/engine/order_types.ts and docs/FILLS.md.
 */
export type OrderIntent = LimitOrderIntent;
export type { CancelIntent, TimeInForce } from "./order_types.ts";
export type { MakerOrderView, QueueFill } from "./queue_fill.ts";

/** What a strategy may say about a forecast besides the PMF. */
export interface ForecastMeta {
  /**
   * When the parameters behind this forecast were fitted: the cutoff of the
   * calibration (ms; walk-forward means cutoff <= now). The run reports the
   * calibration age (now - cutoff) per forecast.
   */
  readonly calibratedTs?: number;
}

/** What a strategy can see and do at the current time. */
export interface StrategyContext {
  /** Current replay time (ms since epoch, UTC). */
  readonly now: number;
  /** Seeded pseudo-random numbers in [0, 1); the only randomness a strategy may use. */
  random(): number;
  /**
   * The ladder (ordered outcome bins) of an event, once its markets are known.
   * It is the same object until a market of the event is declared (again), so
   * a strategy may keep it until its next `market` event of that event.
   */
  ladder(event: string): Ladder | undefined;
  /** The series an event belongs to. */
  seriesOf(event: string): string | undefined;
  /** The fee parameters in force now for a series. */
  fees(series: string): FeeParams | undefined;
  /** A market's book view, or undefined for an unknown market. */
  book(market: string): BookView | undefined;
  /** Net YES-equivalent position in centi-contracts (long YES > 0, long NO < 0). */
  position(market: string): number;
  /** Close time of a market (ms), or undefined. */
  closeTs(market: string): number | undefined;
  /** Whether a market is open for trading now (lifecycle open and now < close). */
  isOpen(market: string): boolean;
  /**
   * The venue's number of a declared market: 0, 1, 2, ... in the order the tape
   * declared them, stable for the whole run; -1 for a market not declared (yet).
   * The same number comes with each of the market's events as the third argument
   * of {@link Strategy.onEvent}, so a strategy can keep per-market state in arrays
   * instead of maps keyed by ticker.
   */
  marketNumber(market: string): number;
  /** Send an order; it reaches the venue after the configured latency. Returns its id. */
  submit(order: OrderIntent): number;
  /**
   * Ask to cancel one of this strategy's orders; it takes effect after the cancel
   * latency (fills before then stand). The outcome arrives through
   * {@link Strategy.onOrderDone} (state "cancelled"), or not at all when the
   * order was already finished.
   */
  cancel(orderId: number): void;
  /** This strategy's open orders on a market (still on their way, or resting), in id order. */
  openOrders(market: string): readonly MakerOrderView[];
  /**
   * Record a forecast: a PMF over the event's ladder bins at the current time.
   * The engine stores it with the market-implied baseline at the same instant and
   * scores both once the event settles. The array is copied.
   */
  forecast(event: string, pmf: Float64Array, meta?: ForecastMeta): void;
}

/** A strategy: reacts to events, one at a time, through the context. */
export interface Strategy {
  readonly name: string;
  /** Parameters, stored with the run. */
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /**
   * Called once per delivered event, after the engine applied it to its state.
   * The event object may be reused by the reader for the next event of the same
   * kind (columnar and SQLite tapes do this to avoid allocating per event): copy
   * the fields you keep; do not keep the object.
   *
   * `market` is the venue's number of the event's market (see
   * {@link StrategyContext.marketNumber}) for the kinds that name one (`market`,
   * `quote`, `book_delta`, `book_snapshot`, `trade`, `lifecycle`, `settlement`),
   * and -1 for the others (`series`, `event`, `underlying`).
   *
   * `kind` is the event's kind code, `KIND_CODE[event.kind]` (the `K_*`
   * constants of lib/tape/events.ts), always given. Switching on it is cheaper
   * than comparing `event.kind` strings: events come in many object shapes, so
   * reading `kind` from whichever one arrived is a slow property access on every
   * event.
   *
   * A wrapper that hands events on to a strategy of unknown type passes
   * `market` and `kind` on.
   */
  onEvent(event: TapeEvent, ctx: StrategyContext, market: number, kind: number): void;
  /** Optional: one of this strategy's orders filled (maker or taker), at `ctx.now`. */
  onFill?(fill: QueueFill, ctx: StrategyContext): void;
  /**
   * Optional: one of this strategy's orders finished (filled, cancelled, expired,
   * rejected, including refusals by the venue's risk layer before sending).
   */
  onOrderDone?(order: MakerOrderView, ctx: StrategyContext): void;
  /** Optional: a cancel arrived and found nothing to cancel (not arrived yet, or finished). */
  onCancelRejected?(orderId: number, reason: CancelRejectReason, ctx: StrategyContext): void;
}
