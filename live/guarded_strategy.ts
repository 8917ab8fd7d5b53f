/**
 * A {@link Strategy} wrapper that puts the live lane's rails between a strategy
 * and the venue. The wrapped strategy gets a context that is the venue's own in
 * every respect but two: `submit` goes through the dry broker
 * (live/dry_broker.ts: client order id, rails, audit, persisted state) and
 * `cancel` through its cancel queue. Everything the venue reports (fills,
 * finished orders, refused cancels) reaches the broker first, then the
 * strategy. Name and parameters are the wrapped strategy's, so the results
 * database cannot tell a live run from a backtest of the same strategy.
 *
 * When no rail intervenes, the strategy sees exactly what it would see in a
 * backtest of the same events, in the same order — the parity the live lane
 * promises (tests/live_parity_test.ts).
 *
 * @example
 * ```ts ignore
 * const guarded = new GuardedStrategy(strategy, broker, { onEvent: () => heartbeat.tick() });
 * await runBacktest({ strategy: guarded, streams: [liveSource], ... });
 * ```
 *
 * @module
 */

import type {
  MakerOrderView,
  OrderIntent,
  QueueFill,
  Strategy,
  StrategyContext,
} from "../lib/engine/strategy.ts";
import type { CancelRejectReason } from "../lib/engine/order_types.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import type { DryBroker } from "./dry_broker.ts";

/** Options of a {@link GuardedStrategy}. */
export interface GuardedStrategyOptions {
  /** Called on every event before anything else (the heartbeat tick). */
  readonly onEvent?: (ev: TapeEvent) => void;
}

/** The guarded strategy; see the module docs. */
export class GuardedStrategy implements Strategy {
  readonly name: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly inner: Strategy;
  readonly #broker: DryBroker;
  readonly #onEvent: ((ev: TapeEvent) => void) | undefined;
  #venueCtx: StrategyContext | null = null;
  #ctx: StrategyContext | null = null;

  constructor(inner: Strategy, broker: DryBroker, options: GuardedStrategyOptions = {}) {
    this.inner = inner;
    this.name = inner.name;
    this.params = inner.params;
    this.#broker = broker;
    this.#onEvent = options.onEvent;
  }

  #wrap(ctx: StrategyContext): StrategyContext {
    if (ctx === this.#venueCtx && this.#ctx !== null) return this.#ctx;
    const broker = this.#broker;
    const submit = (order: OrderIntent): number => {
      const r = broker.submit(order, ctx);
      if (r.blocked !== undefined) this.inner.onOrderDone?.(r.blocked, wrapped);
      return r.id;
    };
    const wrapped: StrategyContext = {
      get now() {
        return ctx.now;
      },
      random: () => ctx.random(),
      ladder: (event) => ctx.ladder(event),
      seriesOf: (event) => ctx.seriesOf(event),
      fees: (series) => ctx.fees(series),
      book: (market) => ctx.book(market),
      position: (market) => ctx.position(market),
      closeTs: (market) => ctx.closeTs(market),
      isOpen: (market) => ctx.isOpen(market),
      marketNumber: (market) => ctx.marketNumber(market),
      submit,
      cancel: (orderId) => broker.cancel(orderId, ctx),
      openOrders: (market) => ctx.openOrders(market),
      forecast: (event, pmf, meta) => ctx.forecast(event, pmf, meta),
    };
    this.#venueCtx = ctx;
    this.#ctx = wrapped;
    return wrapped;
  }

  onEvent(event: TapeEvent, ctx: StrategyContext, market: number, kind: number): void {
    this.#onEvent?.(event);
    this.#broker.observe(event, ctx);
    this.inner.onEvent(event, this.#wrap(ctx), market, kind);
  }

  onFill(fill: QueueFill, ctx: StrategyContext): void {
    this.#broker.onFill(fill);
    this.inner.onFill?.(fill, this.#wrap(ctx));
  }

  onOrderDone(order: MakerOrderView, ctx: StrategyContext): void {
    this.#broker.onDone(order);
    this.inner.onOrderDone?.(order, this.#wrap(ctx));
  }

  onCancelRejected(orderId: number, reason: CancelRejectReason, ctx: StrategyContext): void {
    this.#broker.onCancelRejected(orderId, reason);
    this.inner.onCancelRejected?.(orderId, reason, this.#wrap(ctx));
  }
}
