/**
 * Fill-realism metrics of a run, from what the replay venue recorded: the
 * decision rows (one per order sent), the fill rows and the fill observations
 * (lib/venue/decision_types.ts, lib/store/results_db.ts). Pure functions; they
 * never change a run's results.
 *
 * (a) **Maker fill calibration** ({@link makerFillCalibration}): for resting
 *     orders (`post_only`, `gtc`), per bucket of the distance from the touch at
 *     decision time, the fill rate observed (an order counts as filled when it
 *     got any fill), with a Wilson 95% interval, against the mean fill probability
 *     the strategy assumed (`assumedFillProbability`, for the orders that gave one).
 * (b) **Slippage** ({@link slippageByRole}): per role, the count-weighted average
 *     of (fill price - reference) in ticks, where the reference is the
 *     decision-time touch of the side bought for taker fills (YES ask for a YES
 *     buy, 10000 - YES bid for a NO buy) and the order's limit for maker fills.
 *     Positive = paid more than the reference.
 * (c) **Adverse selection** ({@link markoutsByRole}): per role and horizon (1, 5,
 *     30 minutes), the mean move of the YES mid after a fill from the side
 *     bought's view: `midAfter - midAtFill` for a YES buy, the negative for a NO
 *     buy, in ticks. Negative = the market moved against the fill. Observations
 *     with a NaN mid are excluded and counted.
 *
 * Units: ticks of $0.0001, centi-contracts, ms.
 *
 * @example
 * ```ts
 * import { fillRealism } from "./fill_realism.ts";
 * // const r = fillRealism({ decisions: result.decisions, fills: result.fills,
 * //   observations: result.fillObservations, orders: result.orders });
 * // r.maker.buckets[1]; // { bucket: "0", orders, filledOrders, fillRate, ... }
 * ```
 *
 * @module
 */

import type { FillRow, MetricRow, OrderRow } from "../store/results_db.ts";
import { wilsonInterval } from "../scoring/reliability.ts";
import { NeumaierAccumulator } from "../scoring/neumaier.ts";
import { ADVERSE_HORIZONS_MS, type DecisionRow, type FillObservation } from "./decision_types.ts";

const ONE_DOLLAR = 10_000;

/** A bucket of the distance from the touch (ticks): lo < d <= hi, or d === lo === hi. */
export interface TouchBucket {
  readonly label: string;
  /** Exclusive lower bound (or the single value when lo === hi). */
  readonly lo: number;
  /** Inclusive upper bound. */
  readonly hi: number;
}

/**
 * The default buckets: inside the spread or crossing (< 0), joining the best bid
 * (0), 1 to 100 ticks behind (up to a cent), 101 to 300, and more than 300.
 */
export const TOUCH_BUCKETS: readonly TouchBucket[] = Object.freeze([
  { label: "<0", lo: -Infinity, hi: -Number.MIN_VALUE },
  { label: "0", lo: 0, hi: 0 },
  { label: "1-100", lo: 0, hi: 100 },
  { label: "101-300", lo: 100, hi: 300 },
  { label: ">300", lo: 300, hi: Infinity },
]);

/** Index of the bucket of a touch distance, or -1 when none (NaN). */
export function touchBucketIndex(
  distance: number,
  buckets: readonly TouchBucket[] = TOUCH_BUCKETS,
): number {
  if (Number.isNaN(distance)) return -1;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (b.lo === b.hi ? distance === b.lo : distance > b.lo && distance <= b.hi) return i;
  }
  return -1;
}

/** One row of {@link makerFillCalibration}. */
export interface MakerBucketRow {
  readonly bucket: string;
  /** Maker orders in the bucket (rejected ones excluded when `orders` was given). */
  readonly orders: number;
  /** Orders that got any fill. */
  readonly filledOrders: number;
  /** filledOrders / orders (NaN when no orders). */
  readonly fillRate: number;
  /** Wilson 95% interval of the fill rate ({0, 1} when no orders). */
  readonly fillRateLo: number;
  readonly fillRateHi: number;
  /** Filled centi-contracts / ordered centi-contracts (NaN when no orders). */
  readonly quantityFillRatio: number;
  /** Orders that stated a fill probability (a finite assumedFillProbability). */
  readonly withAssumption: number;
  /** Mean assumed fill probability over those (NaN when none). */
  readonly meanAssumed: number;
  /** Fill rate observed over the same orders, and its Wilson 95% interval. */
  readonly observedWithAssumption: number;
  readonly observedLo: number;
  readonly observedHi: number;
  /** Rejected orders of the bucket, left out of the counts (needs `orders`). */
  readonly rejected: number;
}

/** Result of {@link makerFillCalibration}. */
export interface MakerFillCalibration {
  readonly buckets: readonly MakerBucketRow[];
  /** Maker orders left out because their touch distance was NaN (no book). */
  readonly noTouch: number;
  /** Maker orders in all buckets. */
  readonly orders: number;
}

/** Whether an order rests on the book (post-only or GTC) rather than IOC. */
export function isMakerTimeInForce(tif: string): boolean {
  return tif === "post_only" || tif === "gtc";
}

function filledByOrder(fills: readonly FillRow[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const f of fills) out.set(f.orderId, (out.get(f.orderId) ?? 0) + f.count);
  return out;
}

function checkProbability(p: number, orderId: number): void {
  if (!Number.isNaN(p) && !(p >= 0 && p <= 1)) {
    throw new RangeError(
      `Cannot calibrate maker fills: assumedFillProbability of order ${orderId} must be in [0, 1] or NaN, current value is ${p}`,
    );
  }
}

/**
 * Assumed against observed fill rates of resting orders, per touch-distance
 * bucket. Pass the run's `orders` to leave rejected orders out (a post-only
 * order rejected for crossing never had a chance to fill).
 *
 * @throws {RangeError} on an assumed probability outside [0, 1] (NaN is "not stated").
 */
export function makerFillCalibration(
  decisions: readonly DecisionRow[],
  fills: readonly FillRow[],
  options: { readonly orders?: readonly OrderRow[]; readonly buckets?: readonly TouchBucket[] } =
    {},
): MakerFillCalibration {
  const buckets = options.buckets ?? TOUCH_BUCKETS;
  const filled = filledByOrder(fills);
  const rejected = new Set<number>();
  for (const o of options.orders ?? []) if (o.status === "rejected") rejected.add(o.id);
  const acc = buckets.map(() => ({
    orders: 0,
    filledOrders: 0,
    count: 0,
    filled: 0,
    withA: 0,
    filledA: 0,
    sumA: new NeumaierAccumulator(),
    rejected: 0,
  }));
  let noTouch = 0;
  let total = 0;
  for (const d of decisions) {
    if (!isMakerTimeInForce(d.timeInForce)) continue;
    checkProbability(d.assumedFillProbability, d.orderId);
    const i = touchBucketIndex(d.touchDistance, buckets);
    if (i < 0) {
      noTouch++;
      continue;
    }
    const a = acc[i];
    if (rejected.has(d.orderId)) {
      a.rejected++;
      continue;
    }
    const f = Math.min(filled.get(d.orderId) ?? 0, d.count);
    a.orders++;
    total++;
    a.count += d.count;
    a.filled += f;
    if (f > 0) a.filledOrders++;
    if (!Number.isNaN(d.assumedFillProbability)) {
      a.withA++;
      a.sumA.add(d.assumedFillProbability);
      if (f > 0) a.filledA++;
    }
  }
  const rows = buckets.map((b, i): MakerBucketRow => {
    const a = acc[i];
    const w = wilsonInterval(a.filledOrders, a.orders);
    const wa = wilsonInterval(a.filledA, a.withA);
    return {
      bucket: b.label,
      orders: a.orders,
      filledOrders: a.filledOrders,
      fillRate: a.orders === 0 ? Number.NaN : a.filledOrders / a.orders,
      fillRateLo: w.lo,
      fillRateHi: w.hi,
      quantityFillRatio: a.count === 0 ? Number.NaN : a.filled / a.count,
      withAssumption: a.withA,
      meanAssumed: a.withA === 0 ? Number.NaN : a.sumA.value / a.withA,
      observedWithAssumption: a.withA === 0 ? Number.NaN : a.filledA / a.withA,
      observedLo: wa.lo,
      observedHi: wa.hi,
      rejected: a.rejected,
    };
  });
  return { buckets: rows, noTouch, orders: total };
}

/** One row of {@link slippageByRole}. */
export interface SlippageRow {
  readonly role: "maker" | "taker";
  /** Fills with a reference price. */
  readonly fills: number;
  /** Their centi-contracts. */
  readonly contracts: number;
  /** Count-weighted mean of (price - reference), ticks (NaN when none). */
  readonly avgSlippageTicks: number;
  /** Largest single (price - reference), ticks (NaN when none). */
  readonly worstTicks: number;
  /** Fills whose order has no decision row. */
  readonly missingDecision: number;
  /** Taker fills whose decision-time touch was missing (no ask / no bid). */
  readonly missingTouch: number;
}

/**
 * Slippage against the decision price, per role (maker first, then taker).
 * Reference: the decision-time touch of the side bought for taker fills, the
 * limit for maker fills.
 */
export function slippageByRole(
  decisions: readonly DecisionRow[],
  fills: readonly FillRow[],
): SlippageRow[] {
  const byId = new Map<number, DecisionRow>();
  for (const d of decisions) byId.set(d.orderId, d);
  const roles = ["maker", "taker"] as const;
  return roles.map((role): SlippageRow => {
    const sum = new NeumaierAccumulator();
    let n = 0;
    let contracts = 0;
    let worst = -Infinity;
    let missingDecision = 0;
    let missingTouch = 0;
    for (const f of fills) {
      if (f.role !== role) continue;
      const d = byId.get(f.orderId);
      if (d === undefined) {
        missingDecision++;
        continue;
      }
      let ref: number;
      if (role === "maker") ref = d.limitPrice;
      else if (f.side === "yes") ref = d.yesAsk >= ONE_DOLLAR ? Number.NaN : d.yesAsk;
      else ref = d.yesBid <= 0 ? Number.NaN : ONE_DOLLAR - d.yesBid;
      if (Number.isNaN(ref)) {
        missingTouch++;
        continue;
      }
      const s = f.price - ref;
      sum.add(s * f.count);
      contracts += f.count;
      n++;
      if (s > worst) worst = s;
    }
    return {
      role,
      fills: n,
      contracts,
      avgSlippageTicks: contracts === 0 ? Number.NaN : sum.value / contracts,
      worstTicks: n === 0 ? Number.NaN : worst,
      missingDecision,
      missingTouch,
    };
  });
}

/** One row of {@link markoutsByRole}. */
export interface MarkoutRow {
  readonly role: "maker" | "taker";
  readonly horizonMs: number;
  /** Observations with both mids known. */
  readonly n: number;
  /** Mean move from the side bought's view, ticks (NaN when n = 0). Negative = adverse. */
  readonly meanMoveTicks: number;
  /** Observations whose move was negative (against the fill). */
  readonly adverse: number;
  /** Observations left out because a mid was NaN. */
  readonly excludedNaN: number;
}

/**
 * Mean mid move after fills at each horizon, per role (maker rows first, then
 * taker; horizons in {@link ADVERSE_HORIZONS_MS} order).
 *
 * @throws {RangeError} on an observation whose midAfter does not have one value per horizon.
 */
export function markoutsByRole(observations: readonly FillObservation[]): MarkoutRow[] {
  const rows: MarkoutRow[] = [];
  for (const role of ["maker", "taker"] as const) {
    for (let h = 0; h < ADVERSE_HORIZONS_MS.length; h++) {
      const sum = new NeumaierAccumulator();
      let n = 0;
      let adverse = 0;
      let excluded = 0;
      for (const o of observations) {
        if (o.role !== role) continue;
        if (o.midAfter.length !== ADVERSE_HORIZONS_MS.length) {
          throw new RangeError(
            `Cannot compute markouts: fill ${o.fillIndex} needs ${ADVERSE_HORIZONS_MS.length} later mids, current value is ${o.midAfter.length}`,
          );
        }
        const after = o.midAfter[h];
        if (Number.isNaN(after) || Number.isNaN(o.midAtFill)) {
          excluded++;
          continue;
        }
        const move = o.side === "yes" ? after - o.midAtFill : o.midAtFill - after;
        sum.add(move);
        n++;
        if (move < 0) adverse++;
      }
      rows.push({
        role,
        horizonMs: ADVERSE_HORIZONS_MS[h],
        n,
        meanMoveTicks: n === 0 ? Number.NaN : sum.value / n,
        adverse,
        excludedNaN: excluded,
      });
    }
  }
  return rows;
}

/** Everything {@link fillRealism} computes. */
export interface FillRealismReport {
  readonly maker: MakerFillCalibration;
  readonly slippage: readonly SlippageRow[];
  readonly markouts: readonly MarkoutRow[];
}

/** The three fill-realism views of a run. */
export function fillRealism(input: {
  readonly decisions: readonly DecisionRow[];
  readonly fills: readonly FillRow[];
  readonly observations: readonly FillObservation[];
  /** The run's orders, to leave rejected orders out of the maker calibration. */
  readonly orders?: readonly OrderRow[];
}): FillRealismReport {
  return {
    maker: makerFillCalibration(input.decisions, input.fills, { orders: input.orders }),
    slippage: slippageByRole(input.decisions, input.fills),
    markouts: markoutsByRole(input.observations),
  };
}

/**
 * The report as named scalars (for the run's metrics table): per touch bucket
 * `fill_maker_<bucket>_{orders,rate,assumed}`, per role `slippage_<role>_ticks`,
 * per role and horizon `markout_<role>_<minutes>m_{ticks,n}`.
 */
export function fillRealismMetricRows(r: FillRealismReport): MetricRow[] {
  const out: MetricRow[] = [];
  for (const b of r.maker.buckets) {
    const key = b.bucket.replace("<", "lt").replace(">", "gt").replace("-", "_");
    out.push(
      { name: `fill_maker_${key}_orders`, value: b.orders },
      { name: `fill_maker_${key}_rate`, value: b.fillRate },
      { name: `fill_maker_${key}_assumed`, value: b.meanAssumed },
    );
  }
  for (const s of r.slippage) {
    out.push({ name: `slippage_${s.role}_ticks`, value: s.avgSlippageTicks });
  }
  for (const m of r.markouts) {
    const min = m.horizonMs / 60_000;
    out.push(
      { name: `markout_${m.role}_${min}m_ticks`, value: m.meanMoveTicks },
      { name: `markout_${m.role}_${min}m_n`, value: m.n },
    );
  }
  return out;
}
