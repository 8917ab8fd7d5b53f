/**
 * Signals from a backtest's decision rows: one {@link Signal} per order the
 * strategy sent, with its closing line value, realized PnL and the factor
 * values the replay venue recorded when the order was sent (book skew, spread,
 * time to close, recent volatility and volume, model vs market disagreement,
 * distance from the touch, the model's probability and the mid). Also the
 * same signals as a plain table (an array of flat records) for data frames.
 *
 * **Which rows become signals.** By default only **filled** orders (`filled >
 * 0`): their CLV is measured from the average fill price, a price that was
 * actually paid. With `includeUnfilled: true` unfilled orders are kept too;
 * their CLV is measured from the limit price (a price that was asked for, not
 * paid), so read such tables with care. Rows whose CLV is not finite (the
 * market never had a two-sided book to close on) are always left out and
 * counted in `nanClv`; unfilled rows left out are counted in `unfilled`.
 *
 * **Factor values that are unknown** (for example recent volatility before a
 * market's second trade, or the mid of a one-sided book) are kept as `NaN` in
 * `factors` (and `null` in the table); the analyses refuse them, so pick the
 * signals with a finite value first with {@link withFactors}, which counts
 * what it leaves out.
 *
 * The input is any object with the fields of the venue's `DecisionRow`
 * (`lib/venue/decision_types.ts`), as read back by
 * `ResultsDb.records<DecisionRow>(runId, "decisions")`; this module depends on
 * the shape only. Pure: no I/O.
 *
 * @example
 * ```ts
 * import { type DecisionInput, signalsFromDecisions, withFactors } from "./signals.ts";
 * declare const rows: DecisionInput[]; // db.records<DecisionRow>(runId, "decisions")
 * const { signals, unfilled, nanClv } = signalsFromDecisions(rows);
 * const { signals: withSkew, missing } = withFactors(signals, ["skew"]);
 * ```
 *
 * @module
 */

import type { Side, Signal } from "./signal.ts";

/** The factor names of a decision signal, in report order. */
export const DECISION_FACTORS = [
  "skew",
  "spread",
  "time_to_close_min",
  "recent_volatility",
  "recent_volume",
  "disagreement",
  "touch_distance",
  "model_yes",
  "mid",
] as const;

/** One of {@link DECISION_FACTORS}. */
export type DecisionFactor = typeof DECISION_FACTORS[number];

/** What each factor is, with its unit (for help texts and reports). */
export const DECISION_FACTOR_DESCRIPTIONS: Readonly<Record<DecisionFactor, string>> = {
  skew: "liquidity skew from the side bought: its bid depth / (bid + ask depth) within 5c, 0..1",
  spread: "YES ask - YES bid, ticks ($0.0001)",
  time_to_close_min: "time left to the market's close, minutes",
  recent_volatility: "RMS trade-to-trade change of the traded YES price, last 30 min, ticks",
  recent_volume: "traded volume over the last 30 min, centi-contracts",
  disagreement: "model minus market probability from the side bought, -1..1",
  touch_distance: "limit's distance behind the best bid of the side bought, ticks (< 0: inside)",
  model_yes: "the model's YES probability, 0..1",
  mid: "YES mid, ticks ($0.0001)",
};

/**
 * The fields of a decision row this module reads (a `DecisionRow` has them
 * all). Numbers may be NaN where the venue did not know the value.
 */
export interface DecisionInput {
  readonly orderId: number;
  readonly ts: number;
  readonly market: string;
  readonly event: string;
  readonly side: Side;
  /** Filled count, centi-contracts. */
  readonly filled: number;
  /** Closing line value from the side bought, ticks (NaN when the market never closed two-sided). */
  readonly clv: number;
  /** Realized PnL after fees, ticks (NaN when unsettled). */
  readonly pnlTicks: number;
  readonly skew: number;
  readonly spread: number;
  readonly timeToCloseMs: number;
  readonly recentVolatility: number;
  readonly recentVolume: number;
  readonly disagreement: number;
  readonly touchDistance: number;
  readonly modelYes: number;
  readonly mid: number;
}

/** A signal made from a decision row: the order's id, event and filled count come along. */
export interface DecisionSignal extends Signal {
  /** The order's id in the run. */
  readonly orderId: number;
  /** The market's event. */
  readonly event: string;
  /** Filled count, centi-contracts (0 for an unfilled order kept with `includeUnfilled`). */
  readonly filled: number;
  /** Factor values by {@link DecisionFactor}; NaN where unknown. */
  readonly factors: Readonly<Record<DecisionFactor, number>>;
}

/** Options of {@link signalsFromDecisions}. */
export interface DecisionSignalOptions {
  /** Keep orders that never filled (CLV from the limit price); default false. */
  includeUnfilled?: boolean;
}

/** The result of {@link signalsFromDecisions}. */
export interface DecisionSignals {
  /** The signals kept, in time order (rows at the same ms keep their input order). */
  signals: DecisionSignal[];
  /** Decision rows read. */
  total: number;
  /** Rows left out because the order never filled (0 with `includeUnfilled`). */
  unfilled: number;
  /** Rows left out because their CLV was not finite (counted after the unfilled ones). */
  nanClv: number;
  /** Whether unfilled orders were kept. */
  includeUnfilled: boolean;
}

const NUMERIC_FIELDS = [
  "filled",
  "clv",
  "pnlTicks",
  "skew",
  "spread",
  "timeToCloseMs",
  "recentVolatility",
  "recentVolume",
  "disagreement",
  "touchDistance",
  "modelYes",
  "mid",
] as const;

function checkRow(action: string, r: DecisionInput, i: number): void {
  const at = `decisions[${i}]`;
  if (r === null || typeof r !== "object") {
    throw new TypeError(`Cannot ${action}: ${at} must be a decision row, current value is ${r}`);
  }
  if (!Number.isSafeInteger(r.ts)) {
    throw new RangeError(
      `Cannot ${action}: ${at}.ts must be an integer of milliseconds, current value is ${
        String(r.ts)
      }`,
    );
  }
  if (!Number.isSafeInteger(r.orderId)) {
    throw new RangeError(
      `Cannot ${action}: ${at}.orderId must be an integer, current value is ${String(r.orderId)}`,
    );
  }
  for (const f of ["market", "event"] as const) {
    if (typeof r[f] !== "string" || r[f].length === 0) {
      throw new RangeError(
        `Cannot ${action}: ${at}.${f} must be a non-empty string, current value is ${
          JSON.stringify(r[f])
        }`,
      );
    }
  }
  if (r.side !== "yes" && r.side !== "no") {
    throw new RangeError(
      `Cannot ${action}: ${at}.side must be "yes" or "no", current value is ${
        JSON.stringify(r.side)
      }`,
    );
  }
  for (const f of NUMERIC_FIELDS) {
    if (typeof r[f] !== "number") {
      throw new RangeError(
        `Cannot ${action}: ${at}.${f} must be a number (NaN when unknown), current value is ${
          String(r[f])
        }`,
      );
    }
  }
  if (!(r.filled >= 0)) {
    throw new RangeError(
      `Cannot ${action}: ${at}.filled must be >= 0, current value is ${String(r.filled)}`,
    );
  }
}

/**
 * The factor values of one decision row, by {@link DecisionFactor}.
 *
 * @example
 * ```ts
 * declare const row: DecisionInput;
 * decisionFactors(row).time_to_close_min; // row.timeToCloseMs / 60_000
 * ```
 */
export function decisionFactors(r: DecisionInput): Record<DecisionFactor, number> {
  return {
    skew: r.skew,
    spread: r.spread,
    time_to_close_min: r.timeToCloseMs / 60_000,
    recent_volatility: r.recentVolatility,
    recent_volume: r.recentVolume,
    disagreement: r.disagreement,
    touch_distance: r.touchDistance,
    model_yes: r.modelYes,
    mid: r.mid,
  };
}

/**
 * Signals from decision rows: filled orders only by default (see the module
 * notes), rows with a non-finite CLV left out and counted, in time order. The
 * signal's `clv` is the row's CLV in ticks, `pnl` its realized PnL after fees
 * in ticks (absent when unsettled), `factors` the {@link DECISION_FACTORS}.
 *
 * @param rows Decision rows, as `ResultsDb.records<DecisionRow>(runId, "decisions")` returns them.
 * @param options `includeUnfilled` keeps orders that never filled.
 * @throws TypeError / RangeError naming the row and field for a malformed row
 * (a missing field, a non-integer time, an unknown side).
 *
 * @example
 * ```ts
 * const row = {
 *   orderId: 1, ts: 0, market: "M", event: "E", side: "yes" as const, filled: 100,
 *   clv: 150, pnlTicks: 900, skew: 0.7, spread: 100, timeToCloseMs: 600_000,
 *   recentVolatility: NaN, recentVolume: 0, disagreement: 0.05, touchDistance: -100,
 *   modelYes: 0.55, mid: 5000,
 * };
 * const r = signalsFromDecisions([row, { ...row, orderId: 2, filled: 0 }]);
 * r.signals.length; // 1
 * r.unfilled; // 1
 * r.signals[0].factors.time_to_close_min; // 10
 * ```
 */
export function signalsFromDecisions(
  rows: readonly DecisionInput[],
  options: DecisionSignalOptions = {},
): DecisionSignals {
  const action = "build signals from decisions";
  if (!Array.isArray(rows)) {
    throw new TypeError(`Cannot ${action}: rows must be an array, current value is ${rows}`);
  }
  const includeUnfilled = options.includeUnfilled ?? false;
  if (typeof includeUnfilled !== "boolean") {
    throw new TypeError(
      `Cannot ${action}: includeUnfilled must be a boolean, current value is ${
        String(includeUnfilled)
      }`,
    );
  }
  const kept: DecisionSignal[] = [];
  let unfilled = 0;
  let nanClv = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    checkRow(action, r, i);
    if (r.filled === 0 && !includeUnfilled) {
      unfilled++;
      continue;
    }
    if (!Number.isFinite(r.clv)) {
      nanClv++;
      continue;
    }
    const s: DecisionSignal = {
      ts: r.ts,
      market: r.market,
      side: r.side,
      clv: r.clv,
      ...(Number.isFinite(r.pnlTicks) ? { pnl: r.pnlTicks } : {}),
      factors: decisionFactors(r),
      orderId: r.orderId,
      event: r.event,
      filled: r.filled,
    };
    kept.push(s);
  }
  // Stable: rows at the same millisecond keep the order they were sent in.
  const signals = kept.map((s, i) => [s, i] as const)
    .sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1])
    .map(([s]) => s);
  return { signals, total: rows.length, unfilled, nanClv, includeUnfilled };
}

/**
 * Check a factor name against {@link DECISION_FACTORS}; throws a RangeError
 * listing the known names.
 *
 * @example
 * ```ts
 * assertDecisionFactor("analyze factors", "skew"); // passes
 * assertDecisionFactor("analyze factors", "skw");
 * // RangeError: Cannot analyze factors: unknown factor (known: skew, spread, ...),
 * // current value is "skw"
 * ```
 */
export function assertDecisionFactor(
  action: string,
  name: string,
): asserts name is DecisionFactor {
  if (!(DECISION_FACTORS as readonly string[]).includes(name)) {
    throw new RangeError(
      `Cannot ${action}: unknown factor (known: ${DECISION_FACTORS.join(", ")}), ` +
        `current value is ${JSON.stringify(name)}`,
    );
  }
}

/** The result of {@link withFactors}. */
export interface FactorSubset<S extends Signal> {
  /** The signals with a finite value of every factor asked for, in the input order. */
  signals: S[];
  /** Per factor, how many input signals lacked a finite value of it. */
  missing: Record<string, number>;
  /** Signals left out (lacking at least one of the factors). */
  dropped: number;
}

/**
 * The signals with a finite value of every one of `factors`, and per factor
 * how many lacked one (a signal may lack several).
 *
 * @example
 * ```ts
 * const s = (v: number) => ({ ts: 0, market: "M", side: "yes" as const, clv: 1, factors: { v } });
 * const r = withFactors([s(1), s(NaN), s(2)], ["v"]);
 * r.signals.length; // 2
 * r.missing; // { v: 1 }
 * ```
 */
export function withFactors<S extends Signal>(
  signals: readonly S[],
  factors: readonly string[],
): FactorSubset<S> {
  const missing: Record<string, number> = {};
  for (const f of factors) missing[f] = 0;
  const out: S[] = [];
  for (const s of signals) {
    let ok = true;
    for (const f of factors) {
      const v = Object.hasOwn(s.factors, f) ? s.factors[f] : undefined;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        missing[f]++;
        ok = false;
      }
    }
    if (ok) out.push(s);
  }
  return { signals: out, missing, dropped: signals.length - out.length };
}

/** One row of {@link signalTable}: flat, with null where a value is unknown. */
export interface SignalRecord {
  /** Decision time, ms since the epoch (UTC). */
  ts: number;
  /** The same time as an ISO-8601 UTC string. */
  time: string;
  market: string;
  /** The event (null for a signal not made from a decision row). */
  event: string | null;
  /** The order id (null for a signal not made from a decision row). */
  orderId: number | null;
  side: Side;
  /** CLV, ticks. */
  clv: number;
  /** clv > 0. */
  positive: boolean;
  /** Realized PnL, ticks; null when unknown. */
  pnl: number | null;
  /** Factor values (null when not finite), one column per factor. */
  [factor: string]: number | string | boolean | null;
}

/**
 * The signals as a plain table: one flat record per signal with `ts`, `time`,
 * `market`, `event`, `orderId`, `side`, `clv`, `positive`, `pnl` and one
 * column per factor (the union of every signal's factor names, in first-seen
 * order; null where a signal lacks a finite value). Ready for
 * `pl.DataFrame(signalTable(signals))` (nodejs-polars), which reads null as
 * missing.
 *
 * @throws RangeError when a factor name collides with a fixed column.
 *
 * @example
 * ```ts
 * signalTable([{ ts: 0, market: "M", side: "no", clv: -5, factors: { skew: NaN } }]);
 * // [{ ts: 0, time: "1970-01-01T00:00:00.000Z", market: "M", event: null, orderId: null,
 * //    side: "no", clv: -5, positive: false, pnl: null, skew: null }]
 * ```
 */
export function signalTable(signals: readonly Signal[]): SignalRecord[] {
  const action = "build the signal table";
  const fixed = new Set(["ts", "time", "market", "event", "orderId", "side", "clv", "positive"]);
  fixed.add("pnl");
  const names: string[] = [];
  const seen = new Set<string>();
  for (const s of signals) {
    for (const f of Object.keys(s.factors)) {
      if (seen.has(f)) continue;
      if (fixed.has(f)) {
        throw new RangeError(
          `Cannot ${action}: a factor name collides with a column, current value is ${
            JSON.stringify(f)
          }`,
        );
      }
      seen.add(f);
      names.push(f);
    }
  }
  return signals.map((s) => {
    const d = s as Partial<DecisionSignal>;
    const rec: SignalRecord = {
      ts: s.ts,
      time: new Date(s.ts).toISOString(),
      market: s.market,
      event: typeof d.event === "string" ? d.event : null,
      orderId: typeof d.orderId === "number" ? d.orderId : null,
      side: s.side,
      clv: s.clv,
      positive: s.clv > 0,
      pnl: s.pnl !== undefined && Number.isFinite(s.pnl) ? s.pnl : null,
    };
    for (const f of names) {
      const v = Object.hasOwn(s.factors, f) ? s.factors[f] : undefined;
      rec[f] = typeof v === "number" && Number.isFinite(v) ? v : null;
    }
    return rec;
  });
}
