/**
 * The strategy shared by the point-forecast families (CPI, claims, 10-year, gas):
 * collect the family's underlying releases as they are published, recalibrate
 * the model on everything seen so far when new data arrived, and at decision
 * times compute the PMF of every open ladder event of the family's series,
 * record it with `ctx.forecast` and trade by fee-aware EV (strategies/taker.ts).
 *
 * A family plugs in through a {@link PointFamilyBinding}: which series and
 * underlying symbols are its own, how to calibrate and how to price one event.
 *
 * Decision times, per event: the first as soon as its ladder and one underlying
 * value exist, then whenever `decisionIntervalMs` has passed since the last one,
 * and, with `decideOnUpdate`, at the first event after a new underlying value.
 *
 * @example
 * ```ts
 * import { PointErrorStrategy } from "./strategy.ts";
 * declare const binding: import("./strategy.ts").PointFamilyBinding<{ scale: number }>;
 * const s = new PointErrorStrategy("cpi", binding, { edgeTicks: 300 }, {});
 * ```
 *
 * @module
 */

import type { Strategy, StrategyContext } from "../../lib/engine/strategy.ts";
import type { Ladder } from "../../lib/market/ladder.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { marketProbabilities } from "../../lib/pricing/pmf.ts";
import type { Observation } from "../family.ts";
import { anyMarketOpen, takeFeeAwareEdges } from "../taker.ts";
import { EventCloses, ladderCloseTs } from "../event_closes.ts";

/** Parameters every point-forecast strategy has. */
export interface PointStrategyParams {
  /** Minimum fee-aware EV per contract to trade, in ticks (300 = 3 cents). */
  edgeTicks: number;
  /** Position limit per market, whole contracts, on either side. */
  maxContracts: number;
  /** Minimum time between two decisions on one event (ms). */
  decisionIntervalMs: number;
  /** Also decide at the first event after a new underlying value. */
  decideOnUpdate: boolean;
  /** Do not trade when less than this is left to close (ms); forecasts continue. */
  minTauMs: number;
  /** Recalibrate on the history seen so far when new data arrived. */
  recalibrate: boolean;
  /** Fewest main observations before calibrating (until then: the hand-set params). */
  minCalibrationObs: number;
  /** Calibrate on at most this many latest observations (0: all seen). */
  calibrationWindow: number;
}

/** Defaults of {@link PointStrategyParams}. */
export const DEFAULT_POINT_STRATEGY_PARAMS: PointStrategyParams = Object.freeze({
  edgeTicks: 300,
  maxContracts: 10,
  decisionIntervalMs: 3_600_000,
  decideOnUpdate: true,
  minTauMs: 60_000,
  recalibrate: true,
  minCalibrationObs: 30,
  calibrationWindow: 0,
});

/** What the strategy knows of the family's data at decision time. */
export interface PointData {
  /** Releases of the main symbol seen so far (ts <= now), in time order. */
  readonly main: readonly Observation[];
  /** Releases of each auxiliary symbol seen so far. */
  readonly aux: ReadonlyMap<string, readonly Observation[]>;
}

/** How a family plugs into {@link PointErrorStrategy}. */
export interface PointFamilyBinding<P> {
  /** Series (exact tickers) whose events this family prices. */
  readonly series: readonly string[];
  /** Symbol of the `underlying` events carrying the outcome's releases. */
  readonly symbol: string;
  /** Other symbols collected (for example a nowcast). */
  readonly auxSymbols: readonly string[];
  /** Parameters used until a calibration succeeds (and when recalibration is off). */
  readonly initialParams: P;
  /** Fit the parameters on the data (everything in it has ts < cutoffTs). */
  calibrate(data: PointData, cutoffTs: number): P;
  /** PMF over the ladder's bins for the event closing at closeTs, at time now. */
  pmf(
    now: number,
    closeTs: number,
    data: PointData,
    params: P,
    ladder: Ladder,
    out: Float64Array,
  ): Float64Array;
}

interface TrackedEvent {
  readonly event: string;
  readonly series: string;
  closeTs: number;
  lastDecisionTs: number;
  /** Data version at the last decision. */
  lastVersion: number;
  pmf: Float64Array | undefined;
  probs: Float64Array | undefined;
}

/** Throws the strategy's constructor error unless each named parameter is a non-empty string. */
export function requireSymbols<P>(
  strategy: string,
  params: P,
  keys: readonly (keyof P & string)[],
): void {
  for (const k of keys) {
    const v = params[k];
    requireParam(strategy, typeof v === "string" && v.length > 0, k, "a non-empty string", v);
  }
}

/** Throws the strategy's constructor error for a parameter. */
export function requireParam(
  strategy: string,
  ok: boolean,
  name: string,
  rule: string,
  value: unknown,
): void {
  if (!ok) {
    throw new RangeError(
      `Cannot create ${strategy}: ${name} must be ${rule}, current value is ${String(value)}`,
    );
  }
}

/** Validate the shared parameters (throws naming the strategy and the parameter). */
export function validatePointParams(strategy: string, p: PointStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam(strategy, ok, name, rule, v);
  req(Number.isFinite(p.edgeTicks), "edgeTicks", "finite", p.edgeTicks);
  req(
    Number.isInteger(p.maxContracts) && p.maxContracts >= 0,
    "maxContracts",
    "an integer >= 0",
    p.maxContracts,
  );
  req(
    Number.isFinite(p.decisionIntervalMs) && p.decisionIntervalMs >= 0,
    "decisionIntervalMs",
    "finite and >= 0",
    p.decisionIntervalMs,
  );
  req(typeof p.decideOnUpdate === "boolean", "decideOnUpdate", "true or false", p.decideOnUpdate);
  req(Number.isFinite(p.minTauMs) && p.minTauMs >= 0, "minTauMs", "finite and >= 0", p.minTauMs);
  req(typeof p.recalibrate === "boolean", "recalibrate", "true or false", p.recalibrate);
  req(
    Number.isInteger(p.minCalibrationObs) && p.minCalibrationObs >= 1,
    "minCalibrationObs",
    "an integer >= 1",
    p.minCalibrationObs,
  );
  req(
    Number.isInteger(p.calibrationWindow) && p.calibrationWindow >= 0,
    "calibrationWindow",
    "an integer >= 0",
    p.calibrationWindow,
  );
}

/** See the module docs. */
export class PointErrorStrategy<P> implements Strategy {
  readonly name: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly common: Readonly<PointStrategyParams>;
  readonly #binding: PointFamilyBinding<P>;
  readonly #series: ReadonlySet<string>;
  readonly #main: Observation[] = [];
  readonly #aux = new Map<string, Observation[]>();
  readonly #events = new Map<string, TrackedEvent>();
  readonly #closes = new EventCloses();
  #version = 0;
  #calibratedVersion = -1;
  #model: P;
  #calibrations = 0;
  #calibrationFailures = 0;
  #lastCalibrationError: string | undefined;

  constructor(
    name: string,
    binding: PointFamilyBinding<P>,
    common: Partial<PointStrategyParams>,
    params: Readonly<Record<string, number | string | boolean>>,
  ) {
    const c: PointStrategyParams = { ...DEFAULT_POINT_STRATEGY_PARAMS, ...common };
    validatePointParams(name, c);
    this.name = name;
    this.common = Object.freeze(c);
    this.params = Object.freeze({ ...params });
    this.#binding = binding;
    this.#series = new Set(binding.series);
    for (const s of binding.auxSymbols) this.#aux.set(s, []);
    this.#model = binding.initialParams;
  }

  /** The model parameters in use now (hand-set until a calibration succeeded). */
  get model(): P {
    return this.#model;
  }

  /** Calibrations run, and how many of them failed (the previous parameters stay). */
  get calibrationCounts(): { runs: number; failures: number; lastError?: string } {
    return {
      runs: this.#calibrations,
      failures: this.#calibrationFailures,
      ...(this.#lastCalibrationError !== undefined
        ? { lastError: this.#lastCalibrationError }
        : {}),
    };
  }

  /** The data seen so far (read-only use). */
  get data(): PointData {
    return { main: this.#main, aux: this.#aux };
  }

  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    switch (ev.kind) {
      case "underlying":
        if (ev.symbol === this.#binding.symbol) {
          this.#main.push({ ts: ev.ts, value: ev.value });
          this.#version++;
        } else {
          const list = this.#aux.get(ev.symbol);
          if (list !== undefined) {
            list.push({ ts: ev.ts, value: ev.value });
            this.#version++;
          }
        }
        break;
      case "event":
        if (this.#series.has(ev.series) && !this.#events.has(ev.event)) {
          this.#events.set(ev.event, {
            event: ev.event,
            series: ev.series,
            closeTs: this.#closes.get(ev.event),
            lastDecisionTs: -Infinity,
            lastVersion: -1,
            pmf: undefined,
            probs: undefined,
          });
        }
        break;
      case "market": {
        const tracked = this.#events.get(ev.event);
        const known = !Number.isNaN(this.#closes.get(ev.event));
        if (tracked === undefined && !known && !this.#maybeOurs(ev.event)) break;
        const close = this.#closes.note(ev.event, ev.closeTs);
        if (tracked !== undefined) tracked.closeTs = close;
        break;
      }
    }
    if (this.#events.size === 0 || this.#main.length === 0) return;
    const now = ctx.now;
    const cfg = this.common;
    for (const t of this.#events.values()) {
      const updated = cfg.decideOnUpdate && t.lastVersion !== this.#version;
      if (!updated && now - t.lastDecisionTs < cfg.decisionIntervalMs) continue;
      if (Number.isNaN(t.closeTs)) {
        const close = ladderCloseTs(ctx, t.event);
        if (close === undefined) continue;
        t.closeTs = close;
      }
      if (now >= t.closeTs) {
        this.#events.delete(t.event);
        this.#closes.delete(t.event);
        continue;
      }
      this.#decide(t, ctx);
    }
  }

  /** Market metadata may precede its event's: keep closes for tickers of our series. */
  #maybeOurs(event: string): boolean {
    const dash = event.indexOf("-");
    return dash > 0 && this.#series.has(event.slice(0, dash));
  }

  /** When the current parameters were fitted (NaN while on the configured defaults). */
  #calibratedTs = Number.NaN;

  #calibrateIfStale(now: number): void {
    const cfg = this.common;
    if (!cfg.recalibrate || this.#calibratedVersion === this.#version) return;
    this.#calibratedVersion = this.#version;
    if (this.#main.length < cfg.minCalibrationObs) return;
    const w = cfg.calibrationWindow;
    const main = w > 0 && this.#main.length > w ? this.#main.slice(-w) : this.#main;
    const from = main[0].ts;
    const aux = new Map<string, readonly Observation[]>();
    for (const [k, v] of this.#aux) aux.set(k, w > 0 ? v.filter((o) => o.ts >= from) : v);
    this.#calibrations++;
    try {
      // Everything seen has ts <= now: the cutoff is the next millisecond.
      this.#model = this.#binding.calibrate({ main, aux }, now + 1);
      this.#calibratedTs = now;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.#calibrationFailures++;
      this.#lastCalibrationError = e.message;
    }
  }

  #decide(t: TrackedEvent, ctx: StrategyContext): void {
    const ladder = ctx.ladder(t.event);
    if (ladder === undefined) return;
    const markets = ladder.markets;
    if (!anyMarketOpen(ctx, markets)) return;
    const now = ctx.now;
    this.#calibrateIfStale(now);
    if (t.pmf === undefined || t.pmf.length !== ladder.bins.length) {
      t.pmf = new Float64Array(ladder.bins.length);
    }
    if (t.probs === undefined || t.probs.length !== markets.length) {
      t.probs = new Float64Array(markets.length);
    }
    const pmf = this.#binding.pmf(now, t.closeTs, this.data, this.#model, ladder, t.pmf);
    t.lastDecisionTs = now;
    t.lastVersion = this.#version;
    // Walk-forward: the parameters were fitted at #calibratedTs (<= now) on data seen by then.
    if (Number.isFinite(this.#calibratedTs)) {
      ctx.forecast(t.event, pmf, { calibratedTs: this.#calibratedTs });
    } else ctx.forecast(t.event, pmf);

    if (t.closeTs - now < this.common.minTauMs) return;
    const fee = ctx.fees(ctx.seriesOf(t.event) ?? t.series);
    if (fee === undefined) return;
    // The PMF is on the ladder's bins; market probabilities use the same bins.
    const probs = marketProbabilities(ladder, pmf, t.probs);
    takeFeeAwareEdges(ctx, ladder, probs, fee, this.common);
  }
}
