/**
 * An Avellaneda-Stoikov market maker for Kalshi binary markets: it rests a YES
 * bid and a NO bid (a YES ask) as post-only orders around a reservation price
 * skewed by its inventory, on every market whose ticker starts with
 * `marketPrefix`, and manages them with price bands, throttles with hysteresis
 * and replacement thresholds. See README.md for the signal and the parameters.
 *
 * Decisions are taken once per timestamp per market, on the settled book: a
 * market touched by an event at time t is decided at the first later event of
 * the tape (any market), so a burst of deltas stamped with one time (a requote:
 * removals first, then additions) is seen as one book change. When that later
 * event is the market's own (a tape with no other activity), the decision uses
 * the book with that event applied.
 *
 * @example
 * ```ts
 * import { MarketMakerStrategy } from "./strategy.ts";
 * const mm = new MarketMakerStrategy({ marketPrefix: "KXBTCD", maxPositionContracts: 20 });
 * // replay(tape, mm, config) ...
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
} from "../../lib/engine/strategy.ts";
import type { Side, TapeEvent } from "../../lib/tape/events.ts";
import {
  askTicksOnGrid,
  avellanedaStoikov,
  bidTicksOnGrid,
  fillProbability,
  gammaForInventory,
  ONE_DOLLAR,
  type PriceBand,
  priceBand,
} from "./model.ts";
import { MidVariance } from "./volatility.ts";
import { HysteresisGate } from "./hysteresis.ts";
import { AdverseMonitor } from "./adverse.ts";

/** Parameters of {@link MarketMakerStrategy} (README.md has the table). */
export interface MarketMakerParams {
  /** Quote markets whose ticker starts with this ("" = every market). */
  marketPrefix: string;
  /** Quote size per side, whole contracts. */
  quoteContracts: number;
  /** Position limit per market, whole contracts, on either side. */
  maxPositionContracts: number;
  /** Risk aversion gamma at zero inventory (per contract and probability unit). */
  gamma: number;
  /** Slope of gamma(q) = gamma / (1 + decay |q| / qMax); 0 keeps gamma constant. */
  gammaInventoryDecay: number;
  /** Fill-intensity decay k (per probability unit); 2/k is the spread as gamma -> 0. */
  k: number;
  /** Prior volatility of the YES mid, probability per sqrt(hour). */
  initialSigmaPerSqrtHour: number;
  /** Half-life of the EWMA mid variance (ms). */
  volHalfLifeMs: number;
  /** Cap on the risk horizon T - t (hours): min(time to close, this). */
  maxTauHours: number;
  /** Weight of the model's fair value against the mid (0 = mid only; needs a fairYes hook). */
  modelWeight: number;
  /** Soft-extreme band edge, ticks: soft below it and above 10000 - it. */
  softBandTicks: number;
  /** Hard-extreme band edge, ticks: hard below it and above 10000 - it. */
  hardBandTicks: number;
  /** Size factor in the soft and hard bands. */
  softSizeFactor: number;
  /** Stop quoting when the market spread is above this (ticks). */
  spreadStopTicks: number;
  /** Resume when the market spread is below this (ticks). */
  spreadResumeTicks: number;
  /** Stop when the smaller touch size is below this (contracts; 0 = never). */
  thinStopContracts: number;
  /** Resume when the smaller touch size is above this (contracts). */
  thinResumeContracts: number;
  /** Look at the mid this long after each fill (ms). */
  adverseHorizonMs: number;
  /** Half-life of the adverse pressure (ms). */
  adverseHalfLifeMs: number;
  /** Stop when the adverse pressure is above this (ticks). */
  adverseStopTicks: number;
  /** Resume when the adverse pressure is below this (ticks). */
  adverseResumeTicks: number;
  /** Extra distance per side in the caution zone of the thin and adverse throttles (ticks). */
  widenTicks: number;
  /** Replace a resting quote when its price is this far from the target (ticks). */
  replaceTicks: number;
  /** ... or its remaining size is off the target by more than this fraction. */
  replaceSizeFraction: number;
  /** A quote is not replaced before it is this old (ms); pulls and hard caps act at once. */
  minQuoteLifeMs: number;
  /** Stop quoting (and let orders expire) this long before close (ms). */
  stopBeforeCloseMs: number;
  /** A of the intensity A exp(-k d): fills per hour at the fair value (for the assumed fill probability). */
  arrivalPerHour: number;
  /** Horizon of the assumed fill probability (ms). */
  fillHorizonMs: number;
  /** An order never seen resting after this long is taken as rejected (ms). */
  orderTimeoutMs: number;
  /** Re-send a cancel not confirmed after this long (ms). */
  cancelRetryMs: number;
}

/** Defaults of {@link MarketMakerParams}. */
export const DEFAULT_MARKET_MAKER_PARAMS: MarketMakerParams = Object.freeze({
  marketPrefix: "",
  quoteContracts: 5,
  maxPositionContracts: 25,
  gamma: 1,
  gammaInventoryDecay: 1,
  k: 100,
  initialSigmaPerSqrtHour: 0.05,
  volHalfLifeMs: 900_000,
  maxTauHours: 1,
  modelWeight: 0,
  softBandTicks: 1500,
  hardBandTicks: 500,
  softSizeFactor: 0.5,
  spreadStopTicks: 1000,
  spreadResumeTicks: 600,
  thinStopContracts: 5,
  thinResumeContracts: 20,
  adverseHorizonMs: 30_000,
  adverseHalfLifeMs: 600_000,
  adverseStopTicks: 1000,
  adverseResumeTicks: 400,
  widenTicks: 100,
  replaceTicks: 200,
  replaceSizeFraction: 0.5,
  minQuoteLifeMs: 5_000,
  stopBeforeCloseMs: 60_000,
  arrivalPerHour: 20,
  fillHorizonMs: 300_000,
  orderTimeoutMs: 60_000,
  cancelRetryMs: 10_000,
});

/** Options of {@link MarketMakerStrategy} that are code, not parameters. */
export interface MarketMakerOptions {
  /**
   * A model's fair YES probability for a market now (NaN or undefined: none).
   * Blended with the mid by `modelWeight`.
   */
  readonly fairYes?: (market: string, ctx: StrategyContext) => number | undefined;
}

/** One fill of the market maker, with the YES mid when it happened. */
export interface MakerFillRecord {
  readonly orderId: number;
  readonly market: string;
  readonly side: Side;
  readonly ts: number;
  readonly price: number;
  readonly count: number;
  readonly role: "maker" | "taker";
  /** YES mid (ticks) at the fill, NaN when the book was not two-sided. */
  readonly midAtFill: number;
}

/** Counters of what the market maker did. */
export interface MarketMakerStats {
  decisions: number;
  quotesSent: number;
  replacements: number;
  cancelsSent: number;
  /** Decisions that pulled quotes, by reason. */
  pulledNoBook: number;
  pulledClosing: number;
  pulledSpread: number;
  pulledThin: number;
  pulledAdverse: number;
  /** Decisions per band (with a two-sided book, not throttled). */
  bandNormal: number;
  bandSoft: number;
  bandHard: number;
  /** Orders dropped from tracking after orderTimeoutMs without being seen (e.g. risk-rejected). */
  orphans: number;
}

const CENTI = 100;
const MS_PER_HOUR = 3_600_000;

interface TrackedOrder {
  readonly id: number;
  readonly side: Side;
  readonly price: number;
  readonly count: number;
  filled: number;
  readonly sentTs: number;
  /** When a cancel was last sent, NaN when none. */
  cancelTs: number;
  seenLive: boolean;
}

interface MarketState {
  readonly market: string;
  readonly step: number;
  readonly closeTs: number;
  readonly vol: MidVariance;
  readonly spreadGate: HysteresisGate;
  readonly thinGate: HysteresisGate;
  readonly adverseGate: HysteresisGate;
  readonly adverse: AdverseMonitor;
  readonly orders: TrackedOrder[];
  dirtyTs: number;
  dirty: boolean;
}

function requireParam(ok: boolean, name: string, rule: string, value: unknown): void {
  if (!ok) {
    throw new RangeError(
      `Cannot create MarketMakerStrategy: ${name} must be ${rule}, current value is ${
        String(value)
      }`,
    );
  }
}

function nonNegative(p: MarketMakerParams, names: (keyof MarketMakerParams)[]): void {
  for (const n of names) {
    const v = p[n] as number;
    requireParam(typeof v === "number" && Number.isFinite(v) && v >= 0, n, "finite and >= 0", v);
  }
}

function positive(p: MarketMakerParams, names: (keyof MarketMakerParams)[]): void {
  for (const n of names) {
    const v = p[n] as number;
    requireParam(typeof v === "number" && Number.isFinite(v) && v > 0, n, "finite and > 0", v);
  }
}

/**
 * Check parameters.
 *
 * @throws {RangeError} naming the first bad parameter.
 */
export function validateMarketMakerParams(p: MarketMakerParams): void {
  requireParam(typeof p.marketPrefix === "string", "marketPrefix", "a string", p.marketPrefix);
  positive(p, [
    "gamma",
    "k",
    "volHalfLifeMs",
    "adverseHalfLifeMs",
    "orderTimeoutMs",
    "cancelRetryMs",
  ]);
  nonNegative(p, [
    "gammaInventoryDecay",
    "initialSigmaPerSqrtHour",
    "maxTauHours",
    "adverseHorizonMs",
    "widenTicks",
    "replaceTicks",
    "replaceSizeFraction",
    "minQuoteLifeMs",
    "stopBeforeCloseMs",
    "arrivalPerHour",
    "fillHorizonMs",
    "spreadResumeTicks",
    "thinStopContracts",
    "adverseResumeTicks",
  ]);
  for (const n of ["quoteContracts", "maxPositionContracts"] as const) {
    requireParam(Number.isSafeInteger(p[n]) && p[n] >= 1, n, "an integer >= 1", p[n]);
  }
  requireParam(
    Number.isSafeInteger(p.stopBeforeCloseMs),
    "stopBeforeCloseMs",
    "an integer of ms",
    p.stopBeforeCloseMs,
  );
  requireParam(
    p.modelWeight >= 0 && p.modelWeight <= 1,
    "modelWeight",
    "in [0, 1]",
    p.modelWeight,
  );
  requireParam(
    p.softSizeFactor >= 0 && p.softSizeFactor <= 1,
    "softSizeFactor",
    "in [0, 1]",
    p.softSizeFactor,
  );
  requireParam(
    Number.isInteger(p.hardBandTicks) && Number.isInteger(p.softBandTicks) &&
      p.hardBandTicks >= 0 && p.hardBandTicks <= p.softBandTicks && p.softBandTicks <= 5000,
    "hardBandTicks/softBandTicks",
    "integers with 0 <= hard <= soft <= 5000",
    `${p.hardBandTicks}/${p.softBandTicks}`,
  );
  requireParam(
    p.spreadResumeTicks <= p.spreadStopTicks,
    "spreadResumeTicks",
    `<= spreadStopTicks (${p.spreadStopTicks})`,
    p.spreadResumeTicks,
  );
  requireParam(
    p.thinResumeContracts >= p.thinStopContracts,
    "thinResumeContracts",
    `>= thinStopContracts (${p.thinStopContracts})`,
    p.thinResumeContracts,
  );
  requireParam(
    p.adverseResumeTicks <= p.adverseStopTicks,
    "adverseResumeTicks",
    `<= adverseStopTicks (${p.adverseStopTicks})`,
    p.adverseResumeTicks,
  );
}

/** Floor a centi-contract amount to whole contracts; 0 when not positive. */
function wholeContracts(centi: number): number {
  return centi > 0 ? Math.floor(centi / CENTI) * CENTI : 0;
}

/** What one side should rest: a price and a size, or nothing (size 0). */
interface SideTarget {
  readonly price: number;
  readonly size: number;
  /** The size is a hard cap (reduce-only side of a hard band): no tolerance, no rate limit. */
  readonly strict: boolean;
  readonly assumedFill: number;
}

const NONE: SideTarget = { price: 0, size: 0, strict: true, assumedFill: Number.NaN };

/** The Avellaneda-Stoikov market maker. */
export class MarketMakerStrategy implements Strategy {
  readonly name = "market_maker";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly config: Readonly<MarketMakerParams>;
  readonly stats: MarketMakerStats = {
    decisions: 0,
    quotesSent: 0,
    replacements: 0,
    cancelsSent: 0,
    pulledNoBook: 0,
    pulledClosing: 0,
    pulledSpread: 0,
    pulledThin: 0,
    pulledAdverse: 0,
    bandNormal: 0,
    bandSoft: 0,
    bandHard: 0,
    orphans: 0,
  };
  /** Every fill of this strategy's orders, in the order the venue reported them. */
  readonly fillLog: MakerFillRecord[] = [];
  readonly #fairYes: MarketMakerOptions["fairYes"];
  readonly #markets = new Map<string, MarketState>();
  readonly #dirty: MarketState[] = [];
  readonly #orders = new Map<number, { st: MarketState; o: TrackedOrder }>();
  #submitting = false;
  #doneDuringSubmit = -1;

  constructor(params: Partial<MarketMakerParams> = {}, options: MarketMakerOptions = {}) {
    const p: MarketMakerParams = { ...DEFAULT_MARKET_MAKER_PARAMS, ...params };
    validateMarketMakerParams(p);
    this.config = Object.freeze(p);
    this.params = Object.freeze({ ...p });
    this.#fairYes = options.fairYes;
  }

  /** Markets being quoted (declared, not yet settled). */
  get marketCount(): number {
    return this.#markets.size;
  }

  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    const ts = ev.ts;
    if (this.#dirty.length > 0) this.#flush(ts, ctx);
    switch (ev.kind) {
      case "market":
        if (ev.market.startsWith(this.config.marketPrefix) && !this.#markets.has(ev.market)) {
          this.#markets.set(ev.market, this.#newMarket(ev.market, ev.priceStep, ev.closeTs));
        }
        break;
      case "book_snapshot":
      case "book_delta":
      case "quote":
      case "trade":
      case "lifecycle": {
        const st = this.#markets.get(ev.market);
        if (st !== undefined) this.#markDirty(st, ts);
        break;
      }
      case "settlement": {
        const st = this.#markets.get(ev.market);
        if (st !== undefined) {
          this.#markets.delete(ev.market);
          const i = this.#dirty.indexOf(st);
          if (i >= 0) this.#dirty.splice(i, 1);
          for (const o of st.orders) this.#orders.delete(o.id);
          st.orders.length = 0;
        }
        break;
      }
    }
  }

  onFill(fill: QueueFill, ctx: StrategyContext): void {
    const t = this.#orders.get(fill.orderId);
    const book = ctx.book(fill.market);
    const mid = book !== undefined && book.valid && book.bestYesBid > 0 &&
        book.bestYesAsk < ONE_DOLLAR
      ? (book.bestYesBid + book.bestYesAsk) / 2
      : Number.NaN;
    this.fillLog.push({
      orderId: fill.orderId,
      market: fill.market,
      side: fill.side,
      ts: fill.ts,
      price: fill.price,
      count: fill.count,
      role: fill.role,
      midAtFill: mid,
    });
    if (t === undefined) return;
    t.o.filled += fill.count;
    t.o.seenLive = true;
    t.st.adverse.onFill(fill.ts, fill.side, mid);
    this.#markDirty(t.st, ctx.now);
  }

  onOrderDone(order: MakerOrderView, ctx: StrategyContext): void {
    const t = this.#orders.get(order.id);
    if (t === undefined) {
      if (this.#submitting) this.#doneDuringSubmit = order.id;
      return;
    }
    this.#orders.delete(order.id);
    const list = t.st.orders;
    const i = list.indexOf(t.o);
    if (i >= 0) list.splice(i, 1);
    this.#markDirty(t.st, ctx.now);
  }

  #newMarket(market: string, step: number, closeTs: number): MarketState {
    const c = this.config;
    return {
      market,
      step,
      closeTs,
      vol: new MidVariance(c.volHalfLifeMs, c.initialSigmaPerSqrtHour ** 2),
      spreadGate: HysteresisGate.above(c.spreadStopTicks, c.spreadResumeTicks),
      thinGate: HysteresisGate.below(c.thinStopContracts * CENTI, c.thinResumeContracts * CENTI),
      adverseGate: HysteresisGate.above(c.adverseStopTicks, c.adverseResumeTicks),
      adverse: new AdverseMonitor(c.adverseHorizonMs, c.adverseHalfLifeMs),
      orders: [],
      dirtyTs: Number.NaN,
      dirty: false,
    };
  }

  #markDirty(st: MarketState, ts: number): void {
    st.dirtyTs = ts;
    if (!st.dirty) {
      st.dirty = true;
      this.#dirty.push(st);
    }
  }

  /** Decide every market touched before `ts` (its book is settled for that time). */
  #flush(ts: number, ctx: StrategyContext): void {
    const dirty = this.#dirty;
    let w = 0;
    for (let i = 0; i < dirty.length; i++) {
      const st = dirty[i];
      if (st.dirtyTs < ts) {
        st.dirty = false;
        this.#decide(st, ctx);
      } else dirty[w++] = st;
    }
    dirty.length = w;
  }

  #decide(st: MarketState, ctx: StrategyContext): void {
    const c = this.config;
    const now = ctx.now;
    const m = st.market;
    this.stats.decisions++;
    this.#housekeeping(st, ctx);
    const book = ctx.book(m);
    const bid = book?.bestYesBid ?? 0;
    const ask = book?.bestYesAsk ?? ONE_DOLLAR;
    const twoSided = book !== undefined && book.valid && bid > 0 && ask < ONE_DOLLAR && bid < ask;
    const mid = twoSided ? (bid + ask) / 2 : Number.NaN;
    st.adverse.observe(now, mid);
    if (!twoSided) {
      this.stats.pulledNoBook++;
      this.#pullAll(st, ctx);
      return;
    }
    st.vol.update(now, mid / ONE_DOLLAR);
    const spreadBlocked = st.spreadGate.update(ask - bid);
    const bidSize = book.bestYesBidSize;
    const askSize = book.bestYesAskSize;
    // A price with size 0 is a quote of unknown size (top-of-book data): no thin check.
    const thinBlocked = bidSize > 0 && askSize > 0
      ? st.thinGate.update(Math.min(bidSize, askSize))
      : st.thinGate.blocked;
    const adverseBlocked = st.adverseGate.update(st.adverse.pressure(now));
    if (!ctx.isOpen(m) || now >= st.closeTs - c.stopBeforeCloseMs) {
      this.stats.pulledClosing++;
      this.#pullAll(st, ctx);
      return;
    }
    if (spreadBlocked || thinBlocked || adverseBlocked) {
      if (spreadBlocked) this.stats.pulledSpread++;
      else if (thinBlocked) this.stats.pulledThin++;
      else this.stats.pulledAdverse++;
      this.#pullAll(st, ctx);
      return;
    }

    // Fair value: the mid, optionally blended with a model.
    let s = mid / ONE_DOLLAR;
    if (this.#fairYes !== undefined && c.modelWeight > 0) {
      const p = this.#fairYes(m, ctx);
      if (p !== undefined && Number.isFinite(p) && p >= 0 && p <= 1) {
        s = (1 - c.modelWeight) * s + c.modelWeight * p;
      }
    }
    const pos = ctx.position(m);
    const limit = c.maxPositionContracts * CENTI;
    const gamma = gammaForInventory(c.gamma, pos, limit, c.gammaInventoryDecay);
    const tauHours = Math.min(c.maxTauHours, Math.max(0, st.closeTs - now) / MS_PER_HOUR);
    const q = avellanedaStoikov({
      fair: s,
      inventory: pos / CENTI,
      gamma,
      variancePerHour: st.vol.variancePerHour,
      tauHours,
      k: c.k,
    });
    const widen = st.thinGate.caution || st.adverseGate.caution ? c.widenTicks / ONE_DOLLAR : 0;
    const step = st.step;
    let bidT = bidTicksOnGrid(q.bid - widen, step);
    let askT = askTicksOnGrid(q.ask + widen, step);
    // Post-only: never at or through the other side of the book.
    const maxBid = Math.floor((ask - 1) / step) * step;
    if (bidT > maxBid) bidT = maxBid;
    const minAsk = (Math.floor(bid / step) + 1) * step;
    if (askT < minAsk) askT = minAsk;

    const band = priceBand(mid, { soft: c.softBandTicks, hard: c.hardBandTicks });
    const base = c.quoteContracts * CENTI;
    const size = band === "normal" ? base : wholeContracts(base * c.softSizeFactor);
    if (band === "normal") this.stats.bandNormal++;
    else if (band === "soft_low" || band === "soft_high") this.stats.bandSoft++;
    else this.stats.bandHard++;

    const dist = (t: number) => Math.abs(t / ONE_DOLLAR - s);
    const yesOk = bidT >= step && bidT >= 1 && bidT <= ONE_DOLLAR - 1;
    const noOk = askT <= ONE_DOLLAR - step && askT >= 1 && askT <= ONE_DOLLAR - 1;
    let yes: SideTarget = yesOk
      ? {
        price: bidT,
        size,
        strict: false,
        assumedFill: fillProbability(dist(bidT), c.arrivalPerHour, c.k, c.fillHorizonMs),
      }
      : NONE;
    let no: SideTarget = noOk
      ? {
        price: ONE_DOLLAR - askT,
        size,
        strict: false,
        assumedFill: fillProbability(dist(askT), c.arrivalPerHour, c.k, c.fillHorizonMs),
      }
      : NONE;
    // Hard bands: buy only the cheap contract (worst-case loss <= the band edge a
    // contract); the expensive side only to reduce inventory.
    if (band === "hard_low") no = reduceOnly(no, pos > 0 ? pos : 0);
    else if (band === "hard_high") yes = reduceOnly(yes, pos < 0 ? -pos : 0);

    const reason = () =>
      `as s=${s.toFixed(4)} r=${q.reservation.toFixed(4)} d=${q.spread.toFixed(4)} q=${
        pos / CENTI
      } band=${band}`;
    this.#side(st, ctx, "yes", yes, limit - pos, band, reason);
    this.#side(st, ctx, "no", no, limit + pos, band, reason);
  }

  /**
   * Keep, replace, cancel or place the quote of one side. `room` is the limit
   * minus the position on that side; live orders of the side (also those being
   * cancelled) use it up, so fills can never take the position past the limit.
   */
  #side(
    st: MarketState,
    ctx: StrategyContext,
    side: Side,
    target: SideTarget,
    room: number,
    band: PriceBand,
    reason: () => string,
  ): void {
    const c = this.config;
    const now = ctx.now;
    let keep: TrackedOrder | undefined;
    let committed = 0;
    for (const o of st.orders) {
      if (o.side !== side) continue;
      committed += o.count - o.filled;
      if (!Number.isNaN(o.cancelTs)) continue;
      if (keep === undefined) keep = o;
      else this.#cancel(o, ctx); // one quote a side
    }
    if (target.size < CENTI) {
      if (keep !== undefined) this.#cancel(keep, ctx);
      return;
    }
    if (keep !== undefined) {
      const rem = keep.count - keep.filled;
      const tol = target.strict ? 0 : c.replaceSizeFraction * target.size;
      const drift = Math.abs(keep.price - target.price) >= c.replaceTicks ||
        rem < target.size - tol || rem > target.size + tol;
      if (!drift) return;
      const forced = target.strict && rem > target.size;
      if (!forced && now - keep.sentTs < c.minQuoteLifeMs) return;
      this.#cancel(keep, ctx);
      this.stats.replacements++;
    }
    const count = wholeContracts(Math.min(target.size, room - committed));
    if (count <= 0) return;
    const intent: OrderIntent & { readonly assumedFillProbability: number } = {
      market: st.market,
      side,
      limitPrice: target.price,
      count,
      timeInForce: "post_only",
      expireTs: st.closeTs - c.stopBeforeCloseMs,
      clientTag: `mm:${band}`,
      reason: reason(),
      assumedFillProbability: target.assumedFill,
    };
    this.#submitting = true;
    this.#doneDuringSubmit = -1;
    let id: number;
    try {
      id = ctx.submit(intent);
    } finally {
      this.#submitting = false;
    }
    this.stats.quotesSent++;
    if (this.#doneDuringSubmit === id) return; // rejected at once
    const o: TrackedOrder = {
      id,
      side,
      price: target.price,
      count,
      filled: 0,
      sentTs: now,
      cancelTs: Number.NaN,
      seenLive: false,
    };
    st.orders.push(o);
    this.#orders.set(id, { st, o });
  }

  #cancel(o: TrackedOrder, ctx: StrategyContext): void {
    if (!Number.isNaN(o.cancelTs)) return;
    o.cancelTs = ctx.now;
    this.stats.cancelsSent++;
    ctx.cancel(o.id);
  }

  #pullAll(st: MarketState, ctx: StrategyContext): void {
    for (const o of st.orders) this.#cancel(o, ctx);
  }

  /** Re-send stale cancels; drop orders never seen at the venue (rejected without a callback). */
  #housekeeping(st: MarketState, ctx: StrategyContext): void {
    const c = this.config;
    const now = ctx.now;
    let check = false;
    for (const o of st.orders) {
      if (!Number.isNaN(o.cancelTs) && now - o.cancelTs >= c.cancelRetryMs) {
        o.cancelTs = now;
        ctx.cancel(o.id);
      }
      if (!o.seenLive && now - o.sentTs >= c.orderTimeoutMs) check = true;
    }
    if (!check) return;
    const live = new Set<number>();
    for (const v of ctx.openOrders(st.market)) live.add(v.id);
    const orders = st.orders;
    let w = 0;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i];
      if (!o.seenLive && now - o.sentTs >= c.orderTimeoutMs) {
        if (live.has(o.id)) o.seenLive = true;
        else {
          this.#orders.delete(o.id);
          this.stats.orphans++;
          continue;
        }
      }
      orders[w++] = o;
    }
    orders.length = w;
  }
}

/** The reduce-only form of a side target: at most `inventory` (whole contracts), strictly. */
function reduceOnly(t: SideTarget, inventory: number): SideTarget {
  if (t.size === 0) return NONE;
  const size = wholeContracts(Math.min(t.size, inventory));
  return size === 0 ? NONE : { ...t, size, strict: true };
}
