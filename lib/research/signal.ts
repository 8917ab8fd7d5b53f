/**
 * The signal record that the factor analyses take, and its checks.
 *
 * A signal is one trading decision (an entry on one side of one market) with
 * its closing line value and the factor values known when it was made. The
 * analyses in `lib/research` only read signals; they never change them.
 *
 * **CLV convention.** `clv` is in **ticks of $0.0001** (1 cent = 100 ticks), the
 * workbench's price unit: the closing price of the side bought minus the entry
 * price paid for it, so a positive value means the market later moved toward
 * the signal. For a NO entry the prices are NO prices (a YES closing price c
 * gives the NO closing price 10,000 - c). A signal "has positive CLV" when
 * `clv > 0` strictly; zero is not positive. `clv` need not be an integer (a
 * closing mid between two ticks gives half ticks), but it must be finite.
 *
 * @module
 */

import type { Side } from "../tape/events.ts";

export type { Side };

/** One trading signal with its closing line value and factor values. */
export interface Signal {
  /** Decision time, integer milliseconds since the Unix epoch, UTC. */
  readonly ts: number;
  /** Market ticker. */
  readonly market: string;
  /** The side bought. */
  readonly side: Side;
  /**
   * Closing line value in ticks ($0.0001): closing price minus entry price of
   * the side bought. Finite; positive means the line moved toward the signal.
   */
  readonly clv: number;
  /** Realized profit and loss in ticks, when known (finite). */
  readonly pnl?: number;
  /** Factor values at decision time, by factor name (for example `skew`). */
  readonly factors: Readonly<Record<string, number>>;
}

/**
 * Check one signal's fields; throws a RangeError naming the action, the
 * signal's index and the bad field.
 *
 * Factor values are not checked here (a factor that is not analyzed may be
 * absent); {@link factorValue} checks the one being read.
 *
 * @param action What the caller is doing, for messages ("analyze buckets").
 * @param s The signal.
 * @param index Its index in the caller's array, for messages.
 *
 * @example
 * ```ts
 * assertSignal("analyze buckets", { ts: 0, market: "M", side: "yes", clv: 5, factors: {} }, 0);
 * ```
 */
export function assertSignal(action: string, s: Signal, index: number): void {
  assertTimed(action, s, index);
  const at = `signals[${index}]`;
  if (typeof s.market !== "string" || s.market.length === 0) {
    throw new RangeError(
      `Cannot ${action}: ${at}.market must be a non-empty string, current value is ${
        JSON.stringify(s.market)
      }`,
    );
  }
  if (s.side !== "yes" && s.side !== "no") {
    throw new RangeError(
      `Cannot ${action}: ${at}.side must be "yes" or "no", current value is ${
        JSON.stringify(s.side)
      }`,
    );
  }
  if (typeof s.clv !== "number" || !Number.isFinite(s.clv)) {
    throw new RangeError(
      `Cannot ${action}: ${at}.clv must be a finite number of ticks, current value is ${
        String(s.clv)
      }`,
    );
  }
  if (s.pnl !== undefined && (typeof s.pnl !== "number" || !Number.isFinite(s.pnl))) {
    throw new RangeError(
      `Cannot ${action}: ${at}.pnl must be a finite number of ticks, current value is ${
        String(s.pnl)
      }`,
    );
  }
  assertFactors(action, s, index);
}

/**
 * The first checks of {@link assertSignal}: `signals[index]` is an object with
 * an integer `ts` (ms).
 *
 * @throws {TypeError | RangeError} naming the action, the index and the field.
 */
export function assertTimed(action: string, s: Pick<Signal, "ts">, index: number): void {
  if (s === null || typeof s !== "object") {
    throw new TypeError(
      `Cannot ${action}: signals[${index}] must be a signal object, current value is ${s}`,
    );
  }
  if (!Number.isSafeInteger(s.ts)) {
    throw new RangeError(
      `Cannot ${action}: signals[${index}].ts must be an integer of milliseconds, current value is ${
        String(s.ts)
      }`,
    );
  }
}

/**
 * The last check of {@link assertSignal}: `signals[index].factors` is an object.
 *
 * @throws {TypeError} naming the action and the index.
 */
export function assertFactors(action: string, s: Pick<Signal, "factors">, index: number): void {
  if (s.factors === null || typeof s.factors !== "object") {
    throw new TypeError(
      `Cannot ${action}: signals[${index}].factors must be an object, current value is ${
        String(s.factors)
      }`,
    );
  }
}

/**
 * Check every signal ({@link assertSignal}) and, when `sorted` is true, that
 * the timestamps never decrease.
 *
 * @example
 * ```ts
 * assertSignals("check stability", [], true); // an empty list passes
 * ```
 */
export function assertSignals(action: string, signals: readonly Signal[], sorted: boolean): void {
  if (!Array.isArray(signals)) {
    throw new TypeError(
      `Cannot ${action}: signals must be an array, current value is ${String(signals)}`,
    );
  }
  for (let i = 0; i < signals.length; i++) {
    assertSignal(action, signals[i], i);
    if (sorted && i > 0 && signals[i].ts < signals[i - 1].ts) {
      throw new RangeError(
        `Cannot ${action}: signals must be in time order, signals[${i}].ts is before signals[${
          i - 1
        }].ts, current value is ${signals[i].ts} < ${signals[i - 1].ts}`,
      );
    }
  }
}

/**
 * Check a factor name: a non-empty string.
 *
 * @example
 * ```ts
 * assertFactorName("gate signals", "skew"); // passes
 * ```
 */
export function assertFactorName(action: string, factor: string): void {
  if (typeof factor !== "string" || factor.length === 0) {
    throw new RangeError(
      `Cannot ${action}: factor must be a non-empty string, current value is ${
        JSON.stringify(factor)
      }`,
    );
  }
}

/**
 * The value of one factor of a signal; throws when it is absent or not finite.
 *
 * @param action What the caller is doing, for messages.
 * @param s The signal.
 * @param factor The factor name.
 * @param index The signal's index, for messages.
 *
 * @example
 * ```ts
 * const s = { ts: 0, market: "M", side: "yes" as const, clv: 5, factors: { skew: 0.7 } };
 * factorValue("analyze buckets", s, "skew", 0); // 0.7
 * factorValue("analyze buckets", s, "spread", 0);
 * // RangeError: Cannot analyze buckets: signals[0].factors.spread must be a finite number,
 * // current value is undefined
 * ```
 */
export function factorValue(
  action: string,
  s: Pick<Signal, "factors">,
  factor: string,
  index: number,
): number {
  const v = Object.hasOwn(s.factors, factor) ? s.factors[factor] : undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new RangeError(
      `Cannot ${action}: signals[${index}].factors.${factor} must be a finite number, ` +
        `current value is ${String(v)}`,
    );
  }
  return v;
}

/**
 * Whether a signal has positive closing line value (`clv > 0`, strictly).
 *
 * @example
 * ```ts
 * isPositiveClv({ ts: 0, market: "M", side: "no", clv: 0, factors: {} }); // false
 * ```
 */
export function isPositiveClv(s: Signal): boolean {
  return s.clv > 0;
}
