/**
 * The BTC ladder strategy: price every open KXBTC* event (KXBTCD above/below,
 * KXBTC ranges, KXBTC15M up/down) from the spot and an EWMA volatility, publish
 * the PMF as a forecast, and take liquidity where the fee-aware expected value of
 * a contract clears an edge.
 *
 * It sees the world only through the {@link StrategyContext}: the underlying ticks
 * and metadata events handed to `onEvent`, and the context's ladders, books,
 * positions and fees.
 *
 * @example
 * ```ts
 * import { BtcStrategy } from "./strategy.ts";
 * const strategy = new BtcStrategy({ edgeTicks: 500, maxContracts: 5 });
 * // engine.run(tape, strategy) ...
 * ```
 *
 * @module
 */

import type { Strategy, StrategyContext } from "../../lib/engine/strategy.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { marketProbabilities, pmfFromCdf } from "../../lib/pricing/pmf.ts";
import { anyMarketOpen, takeFeeAwareEdges } from "../taker.ts";
import { EwmaVariance, settlementDistribution, varPerMsFromAnnualVol } from "./model.ts";
import { EventCloses, ladderCloseTs } from "../event_closes.ts";

/** Parameters of {@link BtcStrategy}. */
export interface BtcParams {
  /** EWMA decay per tick (weight of the previous variance). */
  lambda: number;
  /** Minimum fee-aware EV per contract to trade, in ticks (300 = 3 cents). */
  edgeTicks: number;
  /** Position limit per market, whole contracts, on either side. */
  maxContracts: number;
  /** Minimum time between two decisions on one event (ms). */
  decisionIntervalMs: number;
  /** Symbol of the underlying events carrying the index (BRTI). */
  symbol: string;
  /** Length of the settlement averaging window before close (ms). */
  settleWindowMs: number;
  /** Do not trade when less than this is left to close (ms); forecasts continue. */
  minTauMs: number;
  /** Annualized volatility the EWMA starts from. */
  initialAnnualVol: number;
}

/** Defaults of {@link BtcParams}. */
export const DEFAULT_BTC_PARAMS: BtcParams = Object.freeze({
  lambda: 0.94,
  edgeTicks: 300,
  maxContracts: 10,
  decisionIntervalMs: 60_000,
  symbol: "BTC",
  settleWindowMs: 60_000,
  minTauMs: 60_000,
  initialAnnualVol: 0.5,
});

/** Prefix of the series (and so of the event tickers) this strategy trades. */
const SERIES_PREFIX = "KXBTC";

interface TrackedEvent {
  readonly event: string;
  readonly series: string;
  /** Close time of the event's markets (the earliest seen), or NaN until known. */
  closeTs: number;
  lastDecisionTs: number;
  pmf: Float64Array | undefined;
  probs: Float64Array | undefined;
}

function requireParam(ok: boolean, name: string, rule: string, value: unknown): void {
  if (!ok) {
    throw new RangeError(
      `Cannot create BtcStrategy: ${name} must be ${rule}, current value is ${String(value)}`,
    );
  }
}

function validate(p: BtcParams): void {
  requireParam(p.lambda > 0 && p.lambda < 1, "lambda", "in (0, 1)", p.lambda);
  requireParam(Number.isFinite(p.edgeTicks), "edgeTicks", "finite", p.edgeTicks);
  requireParam(
    Number.isInteger(p.maxContracts) && p.maxContracts >= 0,
    "maxContracts",
    "an integer >= 0",
    p.maxContracts,
  );
  requireParam(
    Number.isFinite(p.decisionIntervalMs) && p.decisionIntervalMs >= 0,
    "decisionIntervalMs",
    "finite and >= 0",
    p.decisionIntervalMs,
  );
  requireParam(
    typeof p.symbol === "string" && p.symbol.length > 0,
    "symbol",
    "a non-empty string",
    p.symbol,
  );
  requireParam(
    Number.isFinite(p.settleWindowMs) && p.settleWindowMs >= 0,
    "settleWindowMs",
    "finite and >= 0",
    p.settleWindowMs,
  );
  requireParam(
    Number.isFinite(p.minTauMs) && p.minTauMs >= 0,
    "minTauMs",
    "finite and >= 0",
    p.minTauMs,
  );
  requireParam(
    Number.isFinite(p.initialAnnualVol) && p.initialAnnualVol >= 0,
    "initialAnnualVol",
    "finite and >= 0",
    p.initialAnnualVol,
  );
}

/**
 * Recent underlying ticks (a growable ring buffer), enough to know the part of a
 * settlement window that has already elapsed: every tick of the last window plus
 * the last tick before it.
 */
class TickWindow {
  #ts = new Float64Array(256);
  #val = new Float64Array(256);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(ts: number, value: number): void {
    if (this.#size === this.#ts.length) this.#grow();
    const i = (this.#head + this.#size) % this.#ts.length;
    this.#ts[i] = ts;
    this.#val[i] = value;
    this.#size++;
  }

  /** Drop ticks older than `cutoff`, keeping the last one at or before it. */
  prune(cutoff: number): void {
    const cap = this.#ts.length;
    while (this.#size >= 2 && this.#ts[(this.#head + 1) % cap] <= cutoff) {
      this.#head = (this.#head + 1) % cap;
      this.#size--;
    }
  }

  /**
   * Time-weighted average of the ticks over [from, to] (sample and hold; before
   * the first tick its value is held backwards). NaN when there is no tick.
   */
  average(from: number, to: number): number {
    if (this.#size === 0) return Number.NaN;
    const cap = this.#ts.length;
    if (!(to > from)) return this.#val[(this.#head + this.#size - 1) % cap];
    let sum = 0;
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) % cap;
      const start = k === 0 ? -Infinity : this.#ts[i];
      const end = k === this.#size - 1 ? Infinity : this.#ts[(i + 1) % cap];
      const a = start > from ? start : from;
      const b = end < to ? end : to;
      if (b > a) sum += this.#val[i] * (b - a);
    }
    return sum / (to - from);
  }

  #grow(): void {
    const cap = this.#ts.length;
    const ts = new Float64Array(cap * 2);
    const val = new Float64Array(cap * 2);
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) % cap;
      ts[k] = this.#ts[i];
      val[k] = this.#val[i];
    }
    this.#ts = ts;
    this.#val = val;
    this.#head = 0;
  }
}

/**
 * GBM + EWMA-volatility pricing of KXBTC* ladders against the 60-second settlement
 * average; takes the touch (IOC) when fee-aware EV >= `edgeTicks`.
 */
export class BtcStrategy implements Strategy {
  readonly name = "btc";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly config: Readonly<BtcParams>;
  readonly #ewma: EwmaVariance;
  readonly #ticks = new TickWindow();
  readonly #events = new Map<string, TrackedEvent>();
  /** Close times from market events, by event ticker (kept even before the event event). */
  readonly #closes = new EventCloses();

  constructor(params: Partial<BtcParams> = {}) {
    const p: BtcParams = { ...DEFAULT_BTC_PARAMS, ...params };
    validate(p);
    this.config = Object.freeze(p);
    this.params = Object.freeze({ ...p });
    this.#ewma = new EwmaVariance(p.lambda, varPerMsFromAnnualVol(p.initialAnnualVol));
  }

  /** The volatility estimator (read-only use: diagnostics and notebooks). */
  get ewma(): EwmaVariance {
    return this.#ewma;
  }

  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    switch (ev.kind) {
      case "underlying":
        if (ev.symbol === this.config.symbol) {
          this.#ewma.update(ev.ts, ev.value);
          this.#ticks.push(ev.ts, ev.value);
          this.#ticks.prune(ctx.now - this.config.settleWindowMs);
        }
        break;
      case "event":
        if (ev.series.startsWith(SERIES_PREFIX) && !this.#events.has(ev.event)) {
          this.#events.set(ev.event, {
            event: ev.event,
            series: ev.series,
            closeTs: this.#closes.get(ev.event),
            lastDecisionTs: -Infinity,
            pmf: undefined,
            probs: undefined,
          });
        }
        break;
      case "market":
        if (ev.event.startsWith(SERIES_PREFIX)) {
          const close = this.#closes.note(ev.event, ev.closeTs);
          const t = this.#events.get(ev.event);
          if (t !== undefined) t.closeTs = close;
        }
        break;
    }
    if (this.#events.size === 0 || Number.isNaN(this.#ewma.last)) return;
    const now = ctx.now;
    for (const t of this.#events.values()) {
      if (now - t.lastDecisionTs < this.config.decisionIntervalMs) continue;
      if (Number.isNaN(t.closeTs)) {
        // No market event seen for it: ask the context for the ladder's close.
        const close = ladderCloseTs(ctx, t.event);
        if (close === undefined) continue;
        t.closeTs = close;
      }
      if (now >= t.closeTs) {
        // Past close: nothing more to decide for this event.
        this.#events.delete(t.event);
        this.#closes.delete(t.event);
        continue;
      }
      this.#decide(t, ctx);
    }
  }

  #decide(t: TrackedEvent, ctx: StrategyContext): void {
    const ladder = ctx.ladder(t.event);
    if (ladder === undefined) return;
    const markets = ladder.markets;
    if (!anyMarketOpen(ctx, markets)) return;

    const cfg = this.config;
    const now = ctx.now;
    const tau = t.closeTs - now;
    const spot = this.#ewma.last;
    const windowStart = t.closeTs - cfg.settleWindowMs;
    let knownAvg = spot;
    let knownMs = 0;
    if (now > windowStart) {
      knownMs = now - windowStart;
      const avg = this.#ticks.average(windowStart, now);
      if (avg > 0) knownAvg = avg;
    }
    const dist = settlementDistribution(
      spot,
      this.#ewma.varPerMs,
      tau,
      cfg.settleWindowMs,
      knownAvg,
      knownMs,
    );
    if (t.pmf === undefined || t.pmf.length !== ladder.bins.length) {
      t.pmf = new Float64Array(ladder.bins.length);
    }
    if (t.probs === undefined || t.probs.length !== markets.length) {
      t.probs = new Float64Array(markets.length);
    }
    const pmf = pmfFromCdf(ladder, dist, t.pmf);
    t.lastDecisionTs = now;
    ctx.forecast(t.event, pmf);

    if (tau < cfg.minTauMs) return;
    const fee = ctx.fees(ctx.seriesOf(t.event) ?? t.series);
    if (fee === undefined) return;
    const probs = marketProbabilities(ladder, pmf, t.probs);
    // The shared fee-aware taker (strategies/taker.ts): the better side of each open market
    // at its touch, up to the position limit, when its EV clears the edge.
    takeFeeAwareEdges(ctx, ladder, probs, fee, cfg);
  }
}
