/**
 * A signal gate by factor threshold, for the backtest and the live lane:
 * `shadow` records the decision and delivers anyway, `enforce` suppresses the
 * signals that fail, `off` does nothing. The decision is returned per signal,
 * to be stored with it.
 *
 * @module
 */

import { assertComparison, compare, type Comparison } from "./condition.ts";
import {
  assertFactorName,
  assertFactors,
  assertTimed,
  factorValue,
  type Signal,
} from "./signal.ts";
import {
  assertTrailingOptions,
  TrailingQuantile,
  type TrailingQuantileOptions,
} from "./trailing_threshold.ts";

/** Gate mode: "off" (no gating), "shadow" (record, deliver anyway), "enforce" (suppress). */
export type GateMode = "off" | "shadow" | "enforce";

/**
 * What the gate reads from a signal: its time and factor values. A full
 * {@link Signal} qualifies; so does a live signal whose CLV is not known yet.
 */
export type GateInput = Pick<Signal, "ts" | "factors">;

/** Configuration of a {@link FactorGate}. Give exactly one of `threshold` and `trailing`. */
export interface GateConfig {
  /** The mode. */
  mode: GateMode;
  /** The factor read from each signal. */
  factor: string;
  /** A signal passes when `value <op> threshold`; default ">=". */
  op?: Comparison;
  /** A fixed threshold (finite). */
  threshold?: number;
  /** Or a trailing-percentile threshold, computed from earlier signals only. */
  trailing?: TrailingQuantileOptions;
  /** Trailing only: whether a signal passes while the threshold warms up; default "pass". */
  warmUp?: "pass" | "block";
}

/** The gate's decision for one signal, to be stored with it. */
export interface GateDecision {
  /** Whether the signal passed the condition (true when the gate is off). */
  pass: boolean;
  /** Whether the signal is delivered: always in "off" and "shadow", `pass` in "enforce". */
  delivered: boolean;
  /** The gate's mode. */
  mode: GateMode;
  /** The factor. */
  factor: string;
  /** The signal's factor value (undefined when the gate is off: not read). */
  value: number | undefined;
  /** The threshold applied (undefined when off or warming up). */
  threshold: number | undefined;
  /** Why, in words: for example "skew 0.41 fails >= 0.6; enforce: suppressed". */
  reason: string;
}

function checkConfig(action: string, c: GateConfig): void {
  if (c === null || typeof c !== "object") {
    throw new TypeError(`Cannot ${action}: config must be an object, current value is ${c}`);
  }
  if (c.mode !== "off" && c.mode !== "shadow" && c.mode !== "enforce") {
    throw new RangeError(
      `Cannot ${action}: mode must be "off", "shadow" or "enforce", current value is ${
        JSON.stringify(c.mode)
      }`,
    );
  }
  assertFactorName(action, c.factor);
  assertComparison(action, c.op ?? ">=");
  const hasFixed = c.threshold !== undefined;
  const hasTrailing = c.trailing !== undefined;
  if (hasFixed === hasTrailing) {
    throw new RangeError(
      `Cannot ${action}: give exactly one of threshold and trailing, current value is ${
        hasFixed ? "both" : "neither"
      }`,
    );
  }
  if (hasFixed && (typeof c.threshold !== "number" || !Number.isFinite(c.threshold))) {
    throw new RangeError(
      `Cannot ${action}: threshold must be a finite number, current value is ${
        String(c.threshold)
      }`,
    );
  }
  if (hasTrailing) assertTrailingOptions(action, c.trailing!);
  if (c.warmUp !== undefined && c.warmUp !== "pass" && c.warmUp !== "block") {
    throw new RangeError(
      `Cannot ${action}: warmUp must be "pass" or "block", current value is ${
        JSON.stringify(c.warmUp)
      }`,
    );
  }
}

function checkInput(action: string, s: GateInput, index: number): void {
  assertTimed(action, s, index);
  assertFactors(action, s, index);
}

/**
 * A gate on one factor. With a fixed `threshold` it is stateless; with a
 * `trailing` percentile it keeps the factor values of the signals it has
 * decided (all of them, delivered or not) and judges each new signal against
 * the quantile of those in the window strictly before it (see
 * `TrailingQuantile`), so signals must come in time order. During warm-up
 * the signal passes (`warmUp: "pass"`, the default: the gate knows nothing
 * yet) or fails (`"block"`). In "off" mode nothing is read or recorded.
 * Decisions are pure functions of the configuration and the signals decided
 * so far: the same sequence gives the same decisions.
 *
 * @example
 * ```ts
 * const gate = new FactorGate({ mode: "shadow", factor: "skew", threshold: 0.6 });
 * const s = { ts: 0, market: "M", side: "yes" as const, clv: 0, factors: { skew: 0.41 } };
 * gate.decide(s);
 * // { pass: false, delivered: true, mode: "shadow", factor: "skew", value: 0.41,
 * //   threshold: 0.6, reason: "skew 0.41 fails >= 0.6; shadow: delivered anyway" }
 * ```
 */
export class FactorGate {
  readonly #config: Readonly<GateConfig>;
  readonly #op: Comparison;
  readonly #trailing: TrailingQuantile | undefined;
  #count = 0;
  #lastTs = -Infinity;

  /** @param config The gate's configuration (checked). */
  constructor(config: GateConfig) {
    checkConfig("create gate", config);
    this.#config = { ...config };
    this.#op = config.op ?? ">=";
    this.#trailing = config.trailing === undefined
      ? undefined
      : new TrailingQuantile(config.trailing);
  }

  /** The gate's mode. */
  get mode(): GateMode {
    return this.#config.mode;
  }

  /** The factor the gate reads. */
  get factor(): string {
    return this.#config.factor;
  }

  /**
   * Decide one signal (and, for a trailing gate, record its factor value).
   *
   * @throws RangeError for a bad signal, a missing or NaN factor, or (trailing)
   * a signal earlier than the previous one.
   *
   * @example
   * ```ts
   * const gate = new FactorGate({ mode: "enforce", factor: "skew", op: "<", threshold: 0.3 });
   * gate.decide({ ts: 0, factors: { skew: 0.5 } }).delivered; // false (a live signal: no CLV yet)
   * ```
   */
  decide(signal: GateInput): GateDecision {
    const action = "gate signal";
    const index = this.#count;
    checkInput(action, signal, index);
    const { mode, factor } = this.#config;
    if (mode === "off") {
      this.#count++;
      return {
        pass: true,
        delivered: true,
        mode,
        factor,
        value: undefined,
        threshold: undefined,
        reason: "gate off",
      };
    }
    const value = factorValue(action, signal, factor, index);
    if (this.#trailing !== undefined && signal.ts < this.#lastTs) {
      throw new RangeError(
        `Cannot ${action}: a trailing gate needs signals in time order, signals[${index}].ts ` +
          `is before ${this.#lastTs}, current value is ${signal.ts}`,
      );
    }
    let threshold: number | undefined;
    let pass: boolean;
    let why: string;
    if (this.#trailing === undefined) {
      threshold = this.#config.threshold!;
      pass = compare(value, this.#op, threshold);
      why = `${factor} ${value} ${pass ? "meets" : "fails"} ${this.#op} ${threshold}`;
    } else {
      const t = this.#trailing.at(signal.ts);
      this.#trailing.add(signal.ts, value);
      this.#lastTs = signal.ts;
      threshold = t.threshold;
      if (threshold === undefined) {
        const rule = this.#config.warmUp ?? "pass";
        pass = rule === "pass";
        why = `${factor} ${value} in warm-up (${t.priorCount} of ${
          this.#config.trailing!.minObs
        } observations), warm-up rule "${rule}"`;
      } else {
        pass = compare(value, this.#op, threshold);
        why = `${factor} ${value} ${pass ? "meets" : "fails"} ${this.#op} ${threshold} ` +
          `(trailing q${this.#config.trailing!.quantile} of ${t.priorCount})`;
      }
    }
    this.#count++;
    const delivered = mode === "shadow" ? true : pass;
    const tail = pass
      ? ""
      : mode === "shadow"
      ? "; shadow: delivered anyway"
      : "; enforce: suppressed";
    return { pass, delivered, mode, factor, value, threshold, reason: why + tail };
  }
}

/**
 * Decide a list of signals in order with a fresh {@link FactorGate}: one
 * decision per signal, same order (for a backtest's signal table).
 *
 * @example
 * ```ts
 * const s = (ts: number, skew: number) =>
 *   ({ ts, market: "M", side: "yes" as const, clv: 0, factors: { skew } });
 * gateSignals([s(0, 0.7), s(1, 0.2)], { mode: "enforce", factor: "skew", threshold: 0.5 })
 *   .map((d) => d.delivered); // [true, false]
 * ```
 */
export function gateSignals(
  signals: readonly GateInput[],
  config: GateConfig,
): GateDecision[] {
  const gate = new FactorGate(config);
  return signals.map((s) => gate.decide(s));
}
