/**
 * The dry broker: the live lane's order path between a strategy and the venue.
 * Every order a strategy sends gets an idempotent client order id
 * (live/client_order_id.ts) and passes the rails, in this order:
 *
 * | rail | blocks when |
 * | --- | --- |
 * | `duplicate` | the client id was already sent (this session or before a restart) |
 * | `kill_switch` | the kill-switch file exists (looked up before every order) |
 * | `trading_window` | the series is outside its Eastern-time windows |
 * | staleness rules | heartbeat stale, feed down or silent, book invalid or old (rails/staleness.ts) |
 * | `rate_limit` | no write token of the account tier's bucket is there now |
 *
 * A blocked order never reaches the venue: it is audited with the rail that
 * blocked it, and the strategy sees it finish at once as rejected (reason
 * "risk", a negative order id), the way the venue reports its own risk
 * refusals. An order that passes: the recorded tape is flushed (every event it
 * can depend on is on disk), its client id is journaled (write-ahead), then it
 * goes to the venue — the backtest's replay venue, so its fills come from the
 * same fill model — and every outcome (accepted, fills, done) is audited and
 * persisted in the outstanding-order state.
 *
 * Cancels go through the bounded cancel queue (rails/cancel_queue.ts) and the
 * same write limiter. When the kill-switch file appears, the broker audits a
 * cancel-all intent and queues a cancel of every live order.
 *
 * In dry and in live mode the path is the same; live order submission to the
 * exchange is not implemented (docs/LIVE.md).
 *
 * @module
 */

import type {
  MakerOrderView,
  OrderIntent,
  QueueFill,
  StrategyContext,
} from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { refusedOrderView } from "../lib/engine/queue_fill.ts";
import type { AuditLog } from "./audit_log.ts";
import { clientOrderId } from "./client_order_id.ts";
import type { FeedHealth } from "./feed_port.ts";
import type { LiveClock } from "./io.ts";
import { CancelQueue } from "./rails/cancel_queue.ts";
import type { KillSwitch } from "./rails/kill_switch.ts";
import type { OrderStateStore } from "./rails/order_state.ts";
import { stalenessCheck, type StalenessLimits } from "./rails/staleness.ts";
import { type TradingWindows, windowCheck } from "./rails/trading_windows.ts";
import type { WriteLimiter } from "./rails/write_limiter.ts";

/** Names of the rails that can block an order. */
export type RailName =
  | "duplicate"
  | "kill_switch"
  | "trading_window"
  | "stale_heartbeat"
  | "feed_down"
  | "feed_silent"
  | "book_invalid"
  | "stale_book"
  | "rate_limit";

/** Cancel queue settings. */
export interface CancelQueueSettings {
  readonly capacity: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
}

/** Default cancel queue: 256 requests, 5 attempts, 200 ms doubling to 5 s. */
export const DEFAULT_CANCEL_QUEUE: CancelQueueSettings = {
  capacity: 256,
  maxAttempts: 5,
  backoffMs: 200,
  backoffMaxMs: 5000,
};

/** What the broker needs. */
export interface DryBrokerOptions {
  /** Name of the strategy (part of every client order id). */
  readonly strategyName: string;
  readonly mode: "dry" | "live";
  readonly clock: LiveClock;
  readonly audit: AuditLog;
  readonly state: OrderStateStore;
  readonly killSwitch: KillSwitch;
  /** Wall ms since the heartbeat's last successful write. */
  readonly heartbeatAgeMs: () => number;
  readonly staleness: StalenessLimits;
  /** Trading windows (omit: no window restriction). */
  readonly windows?: TradingWindows;
  readonly limiter: WriteLimiter;
  readonly feedHealth: () => FeedHealth;
  /** Wall time the market's latest consumed book update arrived. */
  readonly bookReceivedAt: (market: string) => number | undefined;
  /** Flushed before an order goes on (the recorded tape). */
  readonly recorder?: { flush(): void };
  readonly cancelQueue?: CancelQueueSettings;
  /** How often onEvent looks at the kill-switch file, wall ms (default 250). */
  readonly killSwitchPollMs?: number;
  /**
   * Sends a cancel to the venue; returns false when it failed (tests inject
   * failures here). Default: `ctx.cancel(id)`, which never fails.
   */
  readonly sendCancel?: (venueId: number, ctx: StrategyContext) => boolean;
}

/** The outcome of {@link DryBroker.submit}. */
export interface SubmitOutcome {
  /** The venue's order id, or a negative id for a blocked order. */
  readonly id: number;
  /** Set when the order was blocked: the view to report to the strategy as finished. */
  readonly blocked?: MakerOrderView;
}

/** Broker counters (the heartbeat and the session summary show them). */
export interface BrokerCounts {
  intents: number;
  sent: number;
  blocked: number;
  blockedByRail: Record<string, number>;
  fills: number;
  done: number;
  cancelsRequested: number;
  cancelsSent: number;
  cancelsDropped: number;
  killSwitchEngaged: number;
  killSwitchReleased: number;
}

/** The dry broker; see the module docs. */
export class DryBroker {
  readonly #o: DryBrokerOptions;
  readonly #queue: CancelQueue<number>;
  readonly #cidOf = new Map<number, string>();
  /** Venue ids with a cancel waiting in the queue. */
  readonly #queued = new Set<number>();
  readonly #marketEvent = new Map<string, string>();
  readonly #eventSeries = new Map<string, string>();
  readonly #pollMs: number;
  #lastPoll = Number.NEGATIVE_INFINITY;
  #tsOfIndex = Number.NaN;
  #index = 0;
  #nextBlockedId = -1;
  #submittingCid: string | null = null;
  #finishedDuringSubmit = false;
  #ctx: StrategyContext | null = null;
  readonly counts: BrokerCounts = {
    intents: 0,
    sent: 0,
    blocked: 0,
    blockedByRail: {},
    fills: 0,
    done: 0,
    cancelsRequested: 0,
    cancelsSent: 0,
    cancelsDropped: 0,
    killSwitchEngaged: 0,
    killSwitchReleased: 0,
  };

  constructor(options: DryBrokerOptions) {
    this.#o = options;
    this.#pollMs = options.killSwitchPollMs ?? 250;
    const q = options.cancelQueue ?? DEFAULT_CANCEL_QUEUE;
    this.#queue = new CancelQueue<number>({
      ...q,
      now: () => options.clock.now(),
      limiter: options.limiter,
      onDrop: (venueId, reason, attempts, lastError) => {
        this.counts.cancelsDropped++;
        if (reason !== "capacity") this.#queued.delete(venueId);
        options.audit.write("cancel_dropped", {
          venueId,
          clientId: this.#cidOf.get(venueId) ?? null,
          reason,
          attempts,
          lastError,
        });
      },
    });
  }

  /** Cancels waiting in the queue. */
  get queuedCancels(): number {
    return this.#queue.size;
  }

  /** The cancel queue's counters. */
  get cancelQueueCounts(): { sent: number; retries: number; dropped: number } {
    return this.#queue.counts;
  }

  /** Whether the kill switch was engaged at the last look. */
  get killSwitchEngaged(): boolean {
    return this.#o.killSwitch.engaged;
  }

  /**
   * Housekeeping on every consumed event, before the strategy sees it: learn
   * the market's series, look at the kill switch (every `killSwitchPollMs`),
   * send queued cancels.
   */
  observe(ev: TapeEvent, ctx: StrategyContext): void {
    this.#ctx = ctx;
    if (ev.kind === "market") this.#marketEvent.set(ev.market, ev.event);
    else if (ev.kind === "event") this.#eventSeries.set(ev.event, ev.series);
    const now = this.#o.clock.now();
    if (now - this.#lastPoll >= this.#pollMs) this.#pollKillSwitch(ctx);
    if (this.#queue.size > 0) this.#drain(ctx);
  }

  /** The series of a market, when its metadata was seen. */
  seriesOf(market: string): string | undefined {
    const e = this.#marketEvent.get(market);
    return e === undefined ? undefined : this.#eventSeries.get(e);
  }

  #pollKillSwitch(ctx: StrategyContext): void {
    this.#lastPoll = this.#o.clock.now();
    const change = this.#o.killSwitch.poll();
    if (change === "engaged") this.#onKill(ctx);
    else if (change === "released") {
      this.counts.killSwitchReleased++;
      this.#o.audit.write("kill_switch", { state: "released", path: this.#o.killSwitch.path });
    }
  }

  /** The kill switch appeared: audit the cancel-all intent and cancel every live order. */
  #onKill(ctx: StrategyContext): void {
    this.counts.killSwitchEngaged++;
    const audit = this.#o.audit;
    audit.write("kill_switch", { state: "engaged", path: this.#o.killSwitch.path });
    const live = [...this.#cidOf.entries()].map(([venueId, clientId]) => ({ venueId, clientId }));
    audit.write("cancel_all_intent", {
      reason: "kill_switch",
      orders: live,
      outstanding: this.#o.state.outstanding().map((o) => o.clientId),
    });
    for (const { venueId } of live) this.#requestCancel(venueId, ctx, "kill_switch");
  }

  /** Route a strategy's order; see the module docs. */
  submit(intent: OrderIntent, ctx: StrategyContext): SubmitOutcome {
    this.#ctx = ctx;
    const o = this.#o;
    const decisionTs = ctx.now;
    if (decisionTs !== this.#tsOfIndex) {
      this.#tsOfIndex = decisionTs;
      this.#index = 0;
    }
    const index = this.#index++;
    this.counts.intents++;
    const clientId = clientOrderId({
      strategy: o.strategyName,
      market: intent.market,
      side: intent.side,
      limitPrice: intent.limitPrice,
      count: intent.count,
      timeInForce: intent.timeInForce,
      expireTs: intent.expireTs,
      decisionTs,
      index,
    });
    o.audit.write("intent", {
      clientId,
      mode: o.mode,
      market: intent.market,
      side: intent.side,
      limitPrice: intent.limitPrice,
      count: intent.count,
      timeInForce: intent.timeInForce,
      expireTs: intent.expireTs ?? null,
      decisionTs,
      index,
      reason: intent.reason ?? "",
    });
    const passed: string[] = [];
    const block = this.#rails(intent, clientId, ctx, passed);
    if (block !== null) {
      const id = this.#nextBlockedId--;
      this.counts.blocked++;
      this.counts.blockedByRail[block.rail] = (this.counts.blockedByRail[block.rail] ?? 0) + 1;
      o.audit.write("blocked", {
        clientId,
        rail: block.rail,
        detail: block.detail,
        passed,
        id,
      });
      return {
        id,
        blocked: refusedOrderView(
          id,
          intent,
          decisionTs,
          "risk",
          `Cannot send order: rail ${block.rail} blocked it: ${block.detail}`,
        ),
      };
    }
    // Every event this order can depend on reaches the disk before the order goes on.
    o.recorder?.flush();
    o.state.recordSending({
      clientId,
      market: intent.market,
      side: intent.side,
      limitPrice: intent.limitPrice,
      count: intent.count,
      timeInForce: intent.timeInForce,
      decisionTs,
      sentAt: o.clock.now(),
    });
    this.#submittingCid = clientId;
    this.#finishedDuringSubmit = false;
    let venueId: number;
    try {
      venueId = ctx.submit(intent);
    } finally {
      this.#submittingCid = null;
    }
    this.counts.sent++;
    o.audit.write("sent", {
      clientId,
      venueId,
      rails: passed,
      finished: this.#finishedDuringSubmit,
    });
    if (!this.#finishedDuringSubmit) {
      this.#cidOf.set(venueId, clientId);
      o.state.markVenue(clientId, venueId);
    }
    return { id: venueId };
  }

  /** The rails in order; the names of those passed are pushed on `passed`. */
  #rails(
    intent: OrderIntent,
    clientId: string,
    ctx: StrategyContext,
    passed: string[],
  ): { rail: RailName; detail: string } | null {
    const o = this.#o;
    if (o.state.hasSent(clientId)) {
      return { rail: "duplicate", detail: "this client order id was already sent" };
    }
    passed.push("duplicate");
    const change = o.killSwitch.poll();
    this.#lastPoll = o.clock.now();
    if (change === "engaged") this.#onKill(ctx);
    else if (change === "released") {
      this.counts.killSwitchReleased++;
      o.audit.write("kill_switch", { state: "released", path: o.killSwitch.path });
    }
    if (o.killSwitch.engaged) {
      return { rail: "kill_switch", detail: `kill-switch file ${o.killSwitch.path} exists` };
    }
    passed.push("kill_switch");
    if (o.windows !== undefined) {
      const series = this.seriesOf(intent.market) ?? "";
      const w = windowCheck(o.windows, series, ctx.now);
      if (!w.ok) return { rail: "trading_window", detail: w.detail };
      passed.push("trading_window");
    }
    const now = o.clock.now();
    const health = o.feedHealth();
    const book = ctx.book(intent.market);
    const s = stalenessCheck(o.staleness, {
      now,
      heartbeatAgeMs: o.heartbeatAgeMs(),
      feedMode: health.mode,
      feedLastMessageTs: health.lastMessageTs,
      bookValid: book?.valid ?? false,
      bookAwaitingResync: health.invalidBooks.includes(intent.market),
      bookReceivedTs: o.bookReceivedAt(intent.market),
    });
    if (!s.ok) return { rail: s.rule, detail: s.detail };
    passed.push("staleness");
    // Cancels go first: no new order takes a write token while cancels wait for one.
    if (this.#queue.size > 0) this.#drain(ctx);
    if (this.#queue.size > 0) {
      return {
        rail: "rate_limit",
        detail: `${this.#queue.size} cancel(s) wait for a write token`,
      };
    }
    if (!o.limiter.tryTake()) {
      return {
        rail: "rate_limit",
        detail: `no write token (${o.limiter.tier}: ${o.limiter.ratePerSecond}/s)`,
      };
    }
    passed.push("rate_limit");
    return null;
  }

  /** A strategy's cancel: queued, then sent as tokens allow. Blocked (negative) ids are ignored. */
  cancel(orderId: number, ctx: StrategyContext): void {
    this.#ctx = ctx;
    if (orderId < 0) return;
    this.#requestCancel(orderId, ctx, "strategy");
  }

  #requestCancel(venueId: number, ctx: StrategyContext, by: string): void {
    this.counts.cancelsRequested++;
    // A cancel of an order whose cancel is already waiting adds nothing: coalesced.
    const coalesced = this.#queued.has(venueId);
    this.#o.audit.write("cancel_requested", {
      venueId,
      clientId: this.#cidOf.get(venueId) ?? null,
      by,
      ...(coalesced ? { coalesced: true } : {}),
    });
    if (coalesced) return;
    if (this.#queue.enqueue(venueId)) {
      this.#queued.add(venueId);
      this.#drain(ctx);
    }
  }

  #drain(ctx: StrategyContext): void {
    const send = this.#o.sendCancel;
    this.#queue.drain((venueId) => {
      const ok = send === undefined ? (ctx.cancel(venueId), true) : send(venueId, ctx);
      if (ok) {
        this.#queued.delete(venueId);
        this.counts.cancelsSent++;
        this.#o.audit.write("cancel_sent", {
          venueId,
          clientId: this.#cidOf.get(venueId) ?? null,
        });
      }
      return ok;
    });
  }

  /** Send queued cancels now (the lane calls it when idle too). */
  drain(): void {
    if (this.#ctx !== null && this.#queue.size > 0) this.#drain(this.#ctx);
  }

  /** A fill of one of our orders (from the venue). */
  onFill(f: QueueFill): void {
    this.counts.fills++;
    const clientId = this.#cidOf.get(f.orderId) ?? this.#submittingCid;
    if (clientId !== null) this.#o.state.addFill(clientId, f.count);
    this.#o.audit.write("fill", {
      clientId,
      venueId: f.orderId,
      market: f.market,
      side: f.side,
      price: f.price,
      count: f.count,
      feeTicks: f.feeTicks,
      role: f.role,
      ts: f.ts,
    });
  }

  /** One of our venue orders finished. */
  onDone(v: MakerOrderView): void {
    this.counts.done++;
    let clientId = this.#cidOf.get(v.id) ?? null;
    if (clientId === null && this.#submittingCid !== null) {
      clientId = this.#submittingCid;
      this.#finishedDuringSubmit = true;
    }
    this.#cidOf.delete(v.id);
    if (clientId !== null) this.#o.state.finish(clientId);
    this.#o.audit.write("venue_done", {
      clientId,
      venueId: v.id,
      state: v.state,
      filled: v.filled,
      rejectReason: v.rejectReason ?? null,
      rejectMessage: v.rejectMessage,
      doneTs: v.doneTs,
    });
  }

  /** A cancel reached the venue and found nothing to cancel (audited). */
  onCancelRejected(venueId: number, reason: string): void {
    this.#o.audit.write("cancel_rejected", {
      venueId,
      clientId: this.#cidOf.get(venueId) ?? null,
      reason,
    });
  }

  /** Live venue orders: venue id -> client id. */
  liveOrders(): { venueId: number; clientId: string }[] {
    return [...this.#cidOf.entries()].map(([venueId, clientId]) => ({ venueId, clientId }));
  }
}
