/**
 * The risk engine: every order a strategy sends passes {@link RiskEngine.check}
 * before it reaches a venue (the backtest replay venue or the live dry-run
 * venue), and every rejection names the rule that made it.
 *
 * Rules, in the order they are evaluated (the first failing rule is recorded;
 * docs/RISK.md describes each): `halt`, `invalid_order`, `order_size`,
 * `order_cost`, `order_rate`, `market_order_rate`, `position_limit`, `kelly`,
 * `strike_max_loss`, `event_max_loss`, `portfolio_max_loss`, `var`.
 *
 * The daily and weekly loss caps are not checked per order: they are checked at
 * every update that changes the equity (fill, mark, settlement), and a breach
 * halts at once, so the orders that follow are rejected by `halt`, with the
 * cap's rule name and numbers in the detail (and in the {@link HaltRecord}).
 *
 * The engine keeps its own book of what was bought and spent per market
 * ({@link Holdings}), fed by {@link RiskEngine.onFill},
 * {@link RiskEngine.onSettlement} and {@link RiskEngine.onMark}, so the backtest
 * and the live lane run the same rules on the same numbers. Worst cases assume an
 * order fills in full at its limit price (lib/risk/exposure.ts). The limits on
 * losses and positions reject an order only when it would leave the measure over
 * the limit AND raise it: an order that reduces a breached measure is allowed.
 *
 * Halt: a halted engine rejects every order with rule `halt`. A halt comes from
 * the engine's holder ({@link RiskEngine.halt}), from a strategy through its
 * {@link RiskView}, from the operator, or from a breached daily or weekly loss
 * cap; each halt queues a {@link CancelAllIntent} for the venue
 * ({@link RiskEngine.takeVenueActions}). Only the {@link RiskOperator} returned
 * by {@link RiskEngine.create} can resume: the engine itself has no resume
 * method, and the view given to strategies exposes only `halted`, `haltReason`
 * and `halt`.
 *
 * Deterministic: no clock; every call takes `now` (ms), which must never go
 * backwards.
 *
 * @example
 * ```ts
 * import { RiskEngine } from "./risk_engine.ts";
 *
 * const { engine, operator } = RiskEngine.create({ maxOrderCount: 1000 });
 * const order = { market: "M", side: "yes", limitPrice: 5000, count: 500, timeInForce: "ioc" } as const;
 * engine.check(order, 0); // { ok: true }
 * engine.check({ ...order, count: 1001 }, 1); // { ok: false, rule: "order_size", ... }
 * engine.halt("kill switch", 2); // { kind: "cancel_all", ts: 2, reason: "kill switch" }
 * engine.check(order, 3); // { ok: false, rule: "halt", ... }
 * operator.resume(4, "checked"); // true
 * ```
 *
 * @module
 */

import type { Side } from "../tape/events.ts";
import type { OrderIntent } from "../engine/strategy.ts";
import type { Ladder } from "../market/ladder.ts";
import { type FeeParams, validateFeeParams } from "../fees/fees.ts";
import { DEFAULT_VAR_GRID_POINTS, type RiskLimits, validateRiskLimits } from "./limits.ts";
import {
  addFill,
  eventScenarioLosses,
  type Holdings,
  markedValue,
  netPosition,
  NO_HOLDINGS,
  orderWorstCost,
  scenarioLoss,
  worstLoss,
} from "./exposure.ts";
import { checkOrderSize, OrderThrottle } from "./throttle.ts";
import { type LossCapRule, LossCapTracker } from "./loss_caps.ts";
import { kellySize } from "./kelly.ts";
import {
  lossDistribution,
  type ScenarioSet,
  valueAtRisk,
  varGridStep,
  type VarResult,
  worstCaseLoss,
} from "./var.ts";

/** The name of each rule, as recorded with a rejection. */
export type RuleName =
  | "halt"
  | "invalid_order"
  | "order_size"
  | "order_cost"
  | "order_rate"
  | "market_order_rate"
  | "position_limit"
  | "kelly"
  | "strike_max_loss"
  | "event_max_loss"
  | "portfolio_max_loss"
  | "var";

/** Every rule, in evaluation order. */
export const RULE_ORDER: readonly RuleName[] = Object.freeze([
  "halt",
  "invalid_order",
  "order_size",
  "order_cost",
  "order_rate",
  "market_order_rate",
  "position_limit",
  "kelly",
  "strike_max_loss",
  "event_max_loss",
  "portfolio_max_loss",
  "var",
]);

/** The outcome of a check: accepted, or the first rule that rejected and why. */
export type RiskCheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly rule: RuleName; readonly detail: string };

/** One checked order, for storage. */
export interface RiskDecision {
  readonly ts: number;
  readonly intent: OrderIntent;
  readonly ok: boolean;
  /** The rejecting rule; null when accepted. */
  readonly rule: RuleName | null;
  /** Why it was rejected; "" when accepted. */
  readonly detail: string;
}

/** What a halt asks of the venue: cancel every resting order. */
export interface CancelAllIntent {
  readonly kind: "cancel_all";
  readonly ts: number;
  readonly reason: string;
}

/** Who halted or resumed. */
export type HaltSource = "system" | "strategy" | "operator" | "rule";

/** One halt or resume, for storage. */
export interface HaltRecord {
  readonly ts: number;
  readonly action: "halt" | "resume";
  readonly by: HaltSource;
  /** The loss cap that halted, when `by` is "rule"; else null. */
  readonly rule: LossCapRule | null;
  readonly reason: string;
}

/** What the venue knows about an order that the engine does not. */
export interface OrderRiskContext {
  /** Fee terms in force for the market's series; default the engine's `defaultFee`. */
  readonly fee?: FeeParams;
  /**
   * Model probability that the market settles YES (for the `kelly` rule). Default:
   * from the event's probabilities ({@link RiskEngine.setEventProbabilities}) or
   * the market's ({@link RiskEngine.setYesProbability}).
   */
  readonly yesProbability?: number;
}

/** One fill, as the venue reports it. */
export interface FillReport {
  readonly market: string;
  /** The contract bought. */
  readonly side: Side;
  /** Price of the contract bought, ticks. */
  readonly price: number;
  /** Centi-contracts. */
  readonly count: number;
  /** Fee charged for this fill, ticks. */
  readonly feeTicks: number;
}

/** Settings of {@link RiskEngine.create} that are not limits. */
export interface RiskEngineOptions {
  /** Starting capital, ticks (default 0). Required when the `kelly` rule is on. */
  readonly bankrollTicks?: number;
  /**
   * Fee terms assumed when a check gets none: default the taker formula with
   * M = 1 (`quadratic`, 10000), the highest multiplier seen on Kalshi.
   */
  readonly defaultFee?: FeeParams;
}

/** What a strategy may see and do: it can halt, never resume. */
export interface RiskView {
  readonly halted: boolean;
  readonly haltReason: string | undefined;
  /** Halt trading; only the operator can resume. */
  halt(reason: string, now: number): void;
}

/** The operator's handle: the only way to resume a halted engine. */
export interface RiskOperator {
  readonly halted: boolean;
  readonly haltReason: string | undefined;
  /** Halt trading (queues a cancel-all for the venue). */
  halt(reason: string, now: number): CancelAllIntent;
  /**
   * Lift the halt, recording `note`. The loss caps are checked at once: if one is
   * still breached the engine halts again (by "rule"). Returns whether trading is
   * enabled afterwards (true also when the engine was not halted).
   */
  resume(now: number, note: string): boolean;
}

interface MarketState {
  holdings: Holdings;
  /** Last YES price known (a mark or the last fill), ticks. */
  mark: number | undefined;
  result: Side | undefined;
}

interface LadderEntry {
  readonly ladder: Ladder;
  pmf: Float64Array | undefined;
}

const DEFAULT_FEE: FeeParams = Object.freeze({ feeType: "quadratic", multiplier: 10_000 });
const ONE_DOLLAR = 10_000;

function reject(rule: RuleName, detail: string): RiskCheckResult {
  return { ok: false, rule, detail };
}

function intentProblem(intent: OrderIntent): string | undefined {
  if (typeof intent !== "object" || intent === null) {
    return `order must be an object, current value is ${String(intent)}`;
  }
  if (typeof intent.market !== "string" || intent.market === "") {
    return `market must be a non-empty ticker, current value is ${JSON.stringify(intent.market)}`;
  }
  if (intent.side !== "yes" && intent.side !== "no") {
    return `side must be "yes" or "no", current value is ${JSON.stringify(intent.side)}`;
  }
  const p = intent.limitPrice;
  if (!Number.isInteger(p) || p <= 0 || p >= ONE_DOLLAR) {
    return `limit price must be an integer number of ticks in 1..9999, current value is ${p}`;
  }
  const c = intent.count;
  if (!Number.isSafeInteger(c) || c <= 0) {
    return `count must be a positive integer of centi-contracts, current value is ${c}`;
  }
  return undefined;
}

/** The risk engine; see the module documentation. Create it with {@link RiskEngine.create}. */
export class RiskEngine {
  readonly limits: RiskLimits;
  readonly bankrollTicks: number;
  readonly defaultFee: FeeParams;
  readonly #throttle: OrderThrottle;
  readonly #caps: LossCapTracker;
  readonly #markets = new Map<string, MarketState>();
  /** Unsettled markets with holdings, in first-fill order. */
  readonly #open = new Set<string>();
  readonly #ladders = new Map<string, LadderEntry>();
  /** Market -> its ladder's event and its index there. */
  readonly #marketLadder = new Map<string, { event: string; index: number }>();
  readonly #yesProbability = new Map<string, number>();
  readonly #decisions: RiskDecision[] = [];
  readonly #haltLog: HaltRecord[] = [];
  #venueActions: CancelAllIntent[] = [];
  #realized = 0;
  #now = Number.MIN_SAFE_INTEGER;
  #halted = false;
  #haltReason: string | undefined;

  private constructor(limits: RiskLimits, options: RiskEngineOptions) {
    this.limits = validateRiskLimits(limits);
    const bankroll = options.bankrollTicks ?? 0;
    if (!Number.isSafeInteger(bankroll) || bankroll < 0) {
      throw new RangeError(
        `Cannot create risk engine: bankrollTicks must be a non-negative integer of ticks, current value is ${bankroll}`,
      );
    }
    if (this.limits.kelly !== undefined && options.bankrollTicks === undefined) {
      throw new RangeError(
        "Cannot create risk engine: the kelly rule needs bankrollTicks, current value is undefined",
      );
    }
    this.bankrollTicks = bankroll;
    const fee = options.defaultFee ?? DEFAULT_FEE;
    validateFeeParams(fee);
    this.defaultFee = fee;
    this.#throttle = new OrderThrottle(this.limits.orderRate, this.limits.marketOrderRate);
    this.#caps = new LossCapTracker(this.limits.dailyLossCap, this.limits.weeklyLossCap);
  }

  /**
   * A new engine and the operator handle that alone can resume it. Give the
   * engine to the venue, {@link RiskEngine.strategyView} to strategies, and keep
   * the operator with the person or process allowed to restart trading.
   *
   * @throws {RangeError} for invalid limits or options.
   */
  static create(
    limits: RiskLimits,
    options: RiskEngineOptions = {},
  ): { engine: RiskEngine; operator: RiskOperator } {
    const engine = new RiskEngine(limits, options);
    const operator: RiskOperator = Object.freeze({
      get halted() {
        return engine.#halted;
      },
      get haltReason() {
        return engine.#haltReason;
      },
      halt: (reason: string, now: number) => engine.#halt(reason, now, "operator"),
      resume: (now: number, note: string) => engine.#resume(now, note),
    });
    return { engine, operator };
  }

  /** Whether trading is halted. */
  get halted(): boolean {
    return this.#halted;
  }

  /** Why trading is halted, or undefined. */
  get haltReason(): string | undefined {
    return this.#haltReason;
  }

  /** Every checked order, in order, for storage. */
  get decisions(): readonly RiskDecision[] {
    return this.#decisions;
  }

  /** Every halt and resume, in order, for storage. */
  get haltLog(): readonly HaltRecord[] {
    return this.#haltLog;
  }

  /**
   * The view a strategy gets: it can read the halt state and halt, nothing else.
   * It is a frozen object holding no reference a strategy can reach the engine by.
   */
  strategyView(): RiskView {
    const halt = (reason: string, now: number): void => {
      this.#halt(reason, now, "strategy");
    };
    const isHalted = () => this.#halted;
    const reason = () => this.#haltReason;
    return Object.freeze({
      get halted() {
        return isHalted();
      },
      get haltReason() {
        return reason();
      },
      halt,
    });
  }

  /**
   * Halt trading (from the venue or lane holding the engine: a kill switch, a
   * stale heartbeat). Queues and returns a cancel-all intent.
   *
   * @throws {RangeError} when `now` goes backwards or the reason is empty.
   */
  halt(reason: string, now: number): CancelAllIntent {
    return this.#halt(reason, now, "system");
  }

  /** Cancel-all intents queued by halts since the last call, oldest first. */
  takeVenueActions(): CancelAllIntent[] {
    const out = this.#venueActions;
    this.#venueActions = [];
    return out;
  }

  #advance(now: number, action: string): void {
    if (!Number.isSafeInteger(now)) {
      throw new RangeError(
        `Cannot ${action}: time must be an integer of ms since the epoch, current value is ${now}`,
      );
    }
    if (now < this.#now) {
      throw new RangeError(
        `Cannot ${action}: time went backwards from ${this.#now}, current value is ${now}`,
      );
    }
    this.#now = now;
    this.#caps.advance(now, this.equity());
  }

  #halt(reason: string, now: number, by: HaltSource): CancelAllIntent {
    if (typeof reason !== "string" || reason === "") {
      throw new RangeError(
        `Cannot halt: a reason is required, current value is ${JSON.stringify(reason)}`,
      );
    }
    this.#advance(now, "halt");
    return this.#enterHalt(reason, now, by, null);
  }

  #enterHalt(
    reason: string,
    now: number,
    by: HaltSource,
    rule: LossCapRule | null,
  ): CancelAllIntent {
    if (!this.#halted) {
      this.#halted = true;
      this.#haltReason = reason;
    }
    this.#haltLog.push({ ts: now, action: "halt", by, rule, reason });
    const intent: CancelAllIntent = { kind: "cancel_all", ts: now, reason };
    this.#venueActions.push(intent);
    return intent;
  }

  #resume(now: number, note: string): boolean {
    this.#advance(now, "resume");
    if (!this.#halted) return true;
    this.#halted = false;
    this.#haltReason = undefined;
    this.#haltLog.push({
      ts: now,
      action: "resume",
      by: "operator",
      rule: null,
      reason: String(note),
    });
    this.#evaluateCaps(now);
    return !this.#halted;
  }

  /** Halt when a loss cap is breached (unless already halted). */
  #evaluateCaps(now: number): void {
    const breach = this.#caps.evaluate(this.equity());
    if (breach === undefined || this.#halted) return;
    this.#enterHalt(`${breach.rule}: ${breach.detail}`, now, "rule", breach.rule);
  }

  // ---- markets, ladders and probabilities ---------------------------------

  #state(market: string): MarketState {
    let st = this.#markets.get(market);
    if (st === undefined) {
      st = { holdings: NO_HOLDINGS, mark: undefined, result: undefined };
      this.#markets.set(market, st);
    }
    return st;
  }

  /** What the engine holds of a market (empty when nothing was bought). */
  holdings(market: string): Holdings {
    return this.#markets.get(market)?.holdings ?? NO_HOLDINGS;
  }

  /**
   * Registers an event's ladder, so its markets are evaluated together over the
   * ladder's outcome bins. Without it a market is its own two-outcome event.
   * Registering the same ladder again is a no-op.
   *
   * @throws {RangeError} when another ladder was registered for the event, a
   *   market is in another registered ladder, or results already known leave no
   *   bin possible.
   */
  registerLadder(ladder: Ladder): void {
    const known = this.#ladders.get(ladder.event);
    if (known !== undefined) {
      const same = known.ladder.markets.length === ladder.markets.length &&
        known.ladder.markets.every((m, i) => ladder.markets[i] === m) &&
        known.ladder.bins.length === ladder.bins.length;
      if (!same) {
        throw new RangeError(
          `Cannot register ladder: event ${ladder.event} already has a different ladder, current value is ${ladder.markets.length} markets`,
        );
      }
      return;
    }
    for (const m of ladder.markets) {
      const other = this.#marketLadder.get(m);
      if (other !== undefined) {
        throw new RangeError(
          `Cannot register ladder ${ladder.event}: market ${m} is in the ladder of ${other.event}, current value is ${m}`,
        );
      }
    }
    const entry: LadderEntry = { ladder, pmf: undefined };
    if (this.#consistentBins(entry).length === 0) {
      throw new RangeError(
        `Cannot register ladder ${ladder.event}: the results already recorded leave no bin possible, current value is ${ladder.bins.length} bins`,
      );
    }
    this.#ladders.set(ladder.event, entry);
    ladder.markets.forEach((m, index) => this.#marketLadder.set(m, { event: ladder.event, index }));
  }

  /**
   * Sets the probabilities of an event's outcome bins (the model PMF), used by
   * the `var` rule and, for its markets, by the `kelly` rule. Without them the
   * bins are taken as equally likely. The array is copied.
   *
   * @throws {RangeError} for an unregistered event, a wrong length, or
   *   probabilities that are negative, not finite or do not sum to 1 (within 1e-6).
   */
  setEventProbabilities(event: string, pmf: ArrayLike<number>): void {
    const entry = this.#ladders.get(event);
    if (entry === undefined) {
      throw new RangeError(
        `Cannot set probabilities: event ${event} has no registered ladder, current value is ${event}`,
      );
    }
    if (pmf.length !== entry.ladder.bins.length) {
      throw new RangeError(
        `Cannot set probabilities of ${event}: need one per bin (${entry.ladder.bins.length}), current value is ${pmf.length}`,
      );
    }
    let sum = 0;
    for (let b = 0; b < pmf.length; b++) {
      const p = pmf[b];
      if (!(p >= 0) || !Number.isFinite(p)) {
        throw new RangeError(
          `Cannot set probabilities of ${event}: bin ${b} must be finite and non-negative, current value is ${p}`,
        );
      }
      sum += p;
    }
    if (!(Math.abs(sum - 1) <= 1e-6)) {
      throw new RangeError(
        `Cannot set probabilities of ${event}: they must sum to 1, current value is ${sum}`,
      );
    }
    entry.pmf = Float64Array.from(pmf as ArrayLike<number>);
  }

  /**
   * Sets the model probability of YES of a market outside any registered ladder
   * (used by `var` and `kelly`; default 0.5 for `var`, none for `kelly`).
   *
   * @throws {RangeError} when `q` is outside [0, 1].
   */
  setYesProbability(market: string, q: number): void {
    if (!(q >= 0 && q <= 1)) {
      throw new RangeError(
        `Cannot set probability of ${market}: it must be in [0, 1], current value is ${q}`,
      );
    }
    this.#yesProbability.set(market, q);
  }

  /** Bins still possible given the results recorded for the ladder's markets. */
  #consistentBins(entry: LadderEntry): number[] {
    const { ladder } = entry;
    const bins: number[] = [];
    for (let b = 0; b < ladder.bins.length; b++) {
      let ok = true;
      for (let i = 0; i < ladder.markets.length && ok; i++) {
        const r = this.#markets.get(ladder.markets[i])?.result;
        if (r === undefined) continue;
        const yes = ladder.binStart[i] <= b && b < ladder.binEnd[i];
        ok = yes === (r === "yes");
      }
      if (ok) bins.push(b);
    }
    return bins;
  }

  /** The model YES probability of a market, when one is known. */
  #modelYesProbability(market: string): number | undefined {
    const at = this.#marketLadder.get(market);
    if (at === undefined) return this.#yesProbability.get(market);
    const entry = this.#ladders.get(at.event)!;
    if (entry.pmf === undefined) return undefined;
    let q = 0;
    for (let b = entry.ladder.binStart[at.index]; b < entry.ladder.binEnd[at.index]; b++) {
      q += entry.pmf[b];
    }
    return Math.min(1, q);
  }

  /** Key of a market's event: its ladder's event, or the market alone. */
  #eventKey(market: string): string {
    const at = this.#marketLadder.get(market);
    return at === undefined ? `market:${market}` : `event:${at.event}`;
  }

  /** Scenario losses and probabilities of the event a market belongs to. */
  #scenarios(market: string, override?: { market: string; holdings: Holdings }): ScenarioSet {
    const holdingsOf = (m: string): Holdings =>
      override !== undefined && override.market === m
        ? override.holdings
        : this.#markets.get(m)?.holdings ?? NO_HOLDINGS;
    const at = this.#marketLadder.get(market);
    if (at === undefined) {
      const h = holdingsOf(market);
      const r = this.#markets.get(market)?.result;
      if (r !== undefined) return { losses: [scenarioLoss(h, r)], probs: [1] };
      const q = this.#yesProbability.get(market) ?? 0.5;
      return { losses: [scenarioLoss(h, "no"), scenarioLoss(h, "yes")], probs: [1 - q, q] };
    }
    const entry = this.#ladders.get(at.event)!;
    const all = eventScenarioLosses(entry.ladder, entry.ladder.markets.map(holdingsOf));
    const bins = this.#consistentBins(entry);
    const losses = bins.map((b) => all[b]);
    let probs = bins.map((b) => entry.pmf === undefined ? 1 : entry.pmf[b]);
    let sum = probs.reduce((a, b) => a + b, 0);
    if (!(sum > 0)) {
      probs = bins.map(() => 1);
      sum = bins.length;
    }
    return { losses, probs: probs.map((p) => p / sum) };
  }

  /** Scenario sets of the open events, with the order's event replaced when given. */
  #openScenarioSets(override?: { market: string; holdings: Holdings }): ScenarioSet[] {
    const seen = new Set<string>();
    const sets: ScenarioSet[] = [];
    const visit = (m: string) => {
      const key = this.#eventKey(m);
      if (seen.has(key)) return;
      seen.add(key);
      sets.push(this.#scenarios(m, override));
    };
    for (const m of this.#open) visit(m);
    if (override !== undefined) visit(override.market);
    return sets;
  }

  // ---- state updates --------------------------------------------------------

  /**
   * Equity, ticks: starting bankroll, plus realized PnL of settled markets, plus
   * each open market's marked value (at its last mark or last fill) less what was
   * spent on it.
   */
  equity(): number {
    let e = this.bankrollTicks + this.#realized;
    for (const m of this.#open) {
      const st = this.#markets.get(m)!;
      e += (st.mark === undefined ? 0 : markedValue(st.holdings, st.mark)) - st.holdings.spent;
    }
    return e;
  }

  /** Loss since the start of the current ET day, ticks (negative: a gain). */
  dayLoss(): number {
    return this.#caps.dayLoss(this.equity());
  }

  /** Loss since the start of the current ET week, ticks (negative: a gain). */
  weekLoss(): number {
    return this.#caps.weekLoss(this.equity());
  }

  /**
   * VaR and worst case of the open events now (see lib/risk/var.ts).
   *
   * @param confidence default the `var` limit's confidence, else 0.99.
   */
  portfolioRisk(confidence?: number): VarResult {
    const c = confidence ?? this.limits.var?.confidence ?? 0.99;
    const g = this.limits.var?.maxGridPoints ?? DEFAULT_VAR_GRID_POINTS;
    const sets = this.#openScenarioSets();
    const dist = lossDistribution(sets, g);
    return {
      valueAtRisk: valueAtRisk(dist, c),
      worstCase: worstCaseLoss(sets),
      step: dist.step,
      exact: dist.exact,
    };
  }

  /**
   * Records a fill: updates the market's holdings and its mark (the fill price),
   * then checks the loss caps (a breach halts).
   *
   * @throws {RangeError} for an invalid fill, a settled market, or time going backwards.
   */
  onFill(fill: FillReport, now: number): void {
    this.#advance(now, "record fill");
    if (typeof fill.market !== "string" || fill.market === "") {
      throw new RangeError(
        `Cannot record fill: market must be a non-empty ticker, current value is ${
          JSON.stringify(fill.market)
        }`,
      );
    }
    const st = this.#state(fill.market);
    if (st.result !== undefined) {
      throw new RangeError(
        `Cannot record fill on ${fill.market}: the market already settled, current value is ${st.result}`,
      );
    }
    st.holdings = addFill(st.holdings, fill.side, fill.price, fill.count, fill.feeTicks);
    st.mark = fill.side === "yes" ? fill.price : ONE_DOLLAR - fill.price;
    this.#open.add(fill.market);
    this.#evaluateCaps(now);
  }

  /**
   * Records a mark: the YES price (ticks, 0..10000) at which the market's open
   * position is valued, then checks the loss caps (a breach halts).
   *
   * @throws {RangeError} for an invalid price, a settled market, or time going backwards.
   */
  onMark(market: string, yesPrice: number, now: number): void {
    this.#advance(now, "record mark");
    if (!Number.isInteger(yesPrice) || yesPrice < 0 || yesPrice > ONE_DOLLAR) {
      throw new RangeError(
        `Cannot record mark of ${market}: YES price must be an integer number of ticks in 0..10000, current value is ${yesPrice}`,
      );
    }
    const st = this.#state(market);
    if (st.result !== undefined) {
      throw new RangeError(
        `Cannot record mark of ${market}: the market already settled, current value is ${st.result}`,
      );
    }
    st.mark = yesPrice;
    this.#evaluateCaps(now);
  }

  /**
   * Records a settlement: the market's holdings become realized PnL, and its
   * ladder's scenarios narrow to the bins consistent with the results so far.
   * Then checks the loss caps (a breach halts).
   *
   * @throws {RangeError} for an invalid result, a market already settled, a
   *   result that leaves no bin of its ladder possible, or time going backwards.
   */
  onSettlement(market: string, result: Side, now: number): void {
    this.#advance(now, "record settlement");
    if (result !== "yes" && result !== "no") {
      throw new RangeError(
        `Cannot record settlement of ${market}: result must be "yes" or "no", current value is ${
          JSON.stringify(result)
        }`,
      );
    }
    const st = this.#state(market);
    if (st.result !== undefined) {
      throw new RangeError(
        `Cannot record settlement of ${market}: it already settled, current value is ${st.result}`,
      );
    }
    st.result = result;
    const at = this.#marketLadder.get(market);
    if (at !== undefined && this.#consistentBins(this.#ladders.get(at.event)!).length === 0) {
      st.result = undefined;
      throw new RangeError(
        `Cannot record settlement of ${market}: with the results of ${at.event} so far no bin is possible, current value is ${result}`,
      );
    }
    this.#realized -= scenarioLoss(st.holdings, result);
    this.#open.delete(market);
    this.#evaluateCaps(now);
  }

  // ---- the check ------------------------------------------------------------

  /**
   * Checks an order against every rule (in {@link RULE_ORDER}; the first failing
   * rule is returned) and records the decision. An accepted order takes a slot
   * of the order-rate windows.
   *
   * @param now time of the check (ms); must not go backwards.
   * @param context fee terms and model probability, when the venue knows them.
   * @throws {RangeError} when `now` goes backwards or the context is invalid.
   */
  check(intent: OrderIntent, now: number, context: OrderRiskContext = {}): RiskCheckResult {
    this.#advance(now, "check order");
    const fee = context.fee ?? this.defaultFee;
    validateFeeParams(fee);
    const q = context.yesProbability;
    if (q !== undefined && !(q >= 0 && q <= 1)) {
      throw new RangeError(
        `Cannot check order: yesProbability must be in [0, 1], current value is ${q}`,
      );
    }
    const result = this.#evaluate(intent, now, fee, q);
    if (result.ok) this.#throttle.record(intent.market, now);
    const copy = typeof intent === "object" && intent !== null ? { ...intent } : intent;
    this.#decisions.push({
      ts: now,
      intent: copy,
      ok: result.ok,
      rule: result.ok ? null : result.rule,
      detail: result.ok ? "" : result.detail,
    });
    return result;
  }

  #evaluate(
    intent: OrderIntent,
    now: number,
    fee: FeeParams,
    contextQ: number | undefined,
  ): RiskCheckResult {
    if (this.#halted) return reject("halt", `trading is halted: ${this.#haltReason}`);
    const problem = intentProblem(intent);
    if (problem !== undefined) return reject("invalid_order", problem);
    const { market, side, limitPrice, count } = intent;
    const st = this.#markets.get(market);
    if (st?.result !== undefined) {
      return reject("invalid_order", `market ${market} already settled ${st.result}`);
    }
    const L = this.limits;

    if (L.maxOrderCount !== undefined) {
      const why = checkOrderSize(count, L.maxOrderCount);
      if (why !== undefined) return reject("order_size", why);
    }
    const cost = orderWorstCost(limitPrice, count, fee);
    if (L.maxOrderCost !== undefined && cost.total > L.maxOrderCost) {
      return reject(
        "order_cost",
        `worst-case cost ${cost.total} ticks (notional ${cost.notional} + fee ${cost.fee}) exceeds the cap of ${L.maxOrderCost}`,
      );
    }
    const rate = this.#throttle.check(market, now);
    if (rate !== undefined) return reject(rate.rule, rate.detail);

    const before = st?.holdings ?? NO_HOLDINGS;
    const after = addFill(before, side, limitPrice, count, cost.fee);
    if (L.maxPosition !== undefined) {
      const b = Math.abs(netPosition(before));
      const a = Math.abs(netPosition(after));
      if (a > L.maxPosition && a > b) {
        return reject(
          "position_limit",
          `position on ${market} would be ${
            netPosition(after)
          } centi-contracts, beyond the limit of ${L.maxPosition} (now ${netPosition(before)})`,
        );
      }
    }
    if (L.kelly !== undefined) {
      const r = this.#kelly(market, side, count, cost.total, before, contextQ);
      if (r !== undefined) return r;
    }
    if (L.maxStrikeLoss !== undefined) {
      const b = worstLoss(before);
      const a = worstLoss(after);
      if (a > L.maxStrikeLoss && a > b) {
        return reject(
          "strike_max_loss",
          `worst-case loss on ${market} would be ${a} ticks, beyond the limit of ${L.maxStrikeLoss} (now ${b})`,
        );
      }
    }
    const override = { market, holdings: after };
    if (L.maxEventLoss !== undefined) {
      const b = maxOf(this.#scenarios(market));
      const a = maxOf(this.#scenarios(market, override));
      if (a > L.maxEventLoss && a > b) {
        return reject(
          "event_max_loss",
          `worst-case loss of ${
            this.#eventKey(market)
          } would be ${a} ticks, beyond the limit of ${L.maxEventLoss} (now ${b})`,
        );
      }
    }
    if (L.maxPortfolioLoss !== undefined) {
      const b = worstCaseLoss(this.#openScenarioSets());
      const a = worstCaseLoss(this.#openScenarioSets(override));
      if (a > L.maxPortfolioLoss && a > b) {
        return reject(
          "portfolio_max_loss",
          `worst-case loss over open events would be ${a} ticks, beyond the limit of ${L.maxPortfolioLoss} (now ${b})`,
        );
      }
    }
    const V = L.var;
    if (V !== undefined) {
      const g = V.maxGridPoints ?? DEFAULT_VAR_GRID_POINTS;
      const setsBefore = this.#openScenarioSets();
      const setsAfter = this.#openScenarioSets(override);
      const step = Math.max(varGridStep(setsBefore, g), varGridStep(setsAfter, g));
      const b = valueAtRisk(lossDistribution(setsBefore, g, step), V.confidence);
      const a = valueAtRisk(lossDistribution(setsAfter, g, step), V.confidence);
      if (a > V.maxLoss && a > b) {
        return reject(
          "var",
          `VaR at ${V.confidence} would be ${a} ticks, beyond the limit of ${V.maxLoss} (now ${b}; grid step ${step})`,
        );
      }
    }
    return { ok: true };
  }

  #kelly(
    market: string,
    side: Side,
    count: number,
    costTotal: number,
    before: Holdings,
    contextQ: number | undefined,
  ): RiskCheckResult | undefined {
    const k = this.limits.kelly!;
    const net = netPosition(before);
    const held = side === "yes" ? Math.max(net, 0) : Math.max(-net, 0);
    const opposite = side === "yes" ? Math.max(-net, 0) : Math.max(net, 0);
    const opening = Math.max(0, count - opposite);
    if (opening === 0) return undefined; // only closes the opposite side: no Kelly needed
    const q = contextQ ?? this.#modelYesProbability(market);
    if (q === undefined) {
      return reject("kelly", `no model probability for ${market}, so no Kelly size`);
    }
    const costPerContract = Math.ceil((costTotal * 100) / count);
    const bankroll = this.equity();
    const allowed = kellySize({
      side,
      yesProbability: q,
      costTicks: costPerContract,
      bankrollTicks: bankroll,
      multiplier: k.multiplier,
      maxFraction: k.maxFraction,
    });
    if (held + opening > allowed) {
      return reject(
        "kelly",
        `${side} holding on ${market} would be ${
          held + opening
        } centi-contracts, Kelly allows ${allowed} (P(yes) ${q}, all-in cost ${costPerContract} ticks, bankroll ${bankroll} ticks)`,
      );
    }
    return undefined;
  }
}

function maxOf(set: ScenarioSet): number {
  let m = -Infinity;
  for (let i = 0; i < set.losses.length; i++) m = Math.max(m, set.losses[i]);
  return m;
}
