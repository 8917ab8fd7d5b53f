/**
 * PnL attribution of a market-making run: what the quotes earned against the
 * mid (spread capture), what holding the inventory to settlement (or to a mark)
 * made or lost, and the fees, reconciling exactly to the run's PnL, per market
 * and in total; and the inventory of each market over time. Pure functions over
 * the run's fill and settlement rows and the mid at each fill
 * (`FillObservation.midAtFill`).
 *
 * For a fill buying `count` centi-contracts of a side at `price` ticks, with the
 * YES mid m at the fill (the side's mid is m for YES, 10000 - m for NO):
 *
 * ```
 * spread capture  = (side mid - price) x count / 100          ticks
 * ```
 *
 * and per market, in integer ticks:
 *
 * ```
 * total     = value of what was bought - notional paid - fees   (= the run's PnL)
 * spread    = round(sum of the fills' spread capture)
 * inventory = total + fees - spread                               (the rest)
 * so        spread + inventory - fees = total, exactly.
 * ```
 *
 * "Value of what was bought" is what the market pays for the contracts bought:
 * settled, $1 (100 ticks a centi-contract) for every contract bought on the
 * winning side (YES/NO pairs netted before settlement paid the same $1 earlier);
 * not settled, the netted pairs plus the open position at the given YES mark
 * (rounded to a tick), or at nothing when no mark is given (cash basis, as the
 * portfolio's cash). Notional is `ceil(count x price / 100)` a fill, as in
 * lib/engine/portfolio.ts. Inventory PnL is therefore the settlement (or
 * marking) of the inventory against the mids at which it was acquired, plus the
 * rounding of the notional and of the spread sum (at most half a tick a market
 * for whole-contract fills, where notional is exact). A fill with an unknown mid
 * (NaN) contributes nothing to spread capture (all of its PnL is inventory) and
 * is counted.
 *
 * When a settlement row is given its position and PnL must equal what the fills
 * imply; a mismatch is an error (the rows do not belong together).
 *
 * @example
 * ```ts
 * import { attributePnl } from "./pnl_attribution.ts";
 * // const a = attributePnl({ fills: result.fills, settlements: result.settlements,
 * //   observations: result.fillObservations });
 * // a.total.spreadTicks + a.total.inventoryTicks - a.total.feesTicks === a.total.totalTicks
 * ```
 *
 * @module
 */

import type { FillRow, MetricRow, SettlementRow } from "../store/results_db.ts";
import type { FillObservation } from "./decision_types.ts";

const ONE_DOLLAR = 10_000;
/** Payout of one centi-contract on the winning side, ticks. */
const PAYOUT_PER_CENTI = 100;

/** How a market's holdings were valued. */
export type Valuation = "settlement" | "mark" | "cash";

/** The attribution of one market (or of the total). Money in integer ticks. */
export interface PnlBreakdown {
  /** Spread capture, rounded to a tick. */
  readonly spreadTicks: number;
  /** Spread capture before rounding (ticks, may be fractional). */
  readonly spreadExactTicks: number;
  /** Inventory PnL: total + fees - spread. */
  readonly inventoryTicks: number;
  /** Fees paid (positive). */
  readonly feesTicks: number;
  /** PnL after fees. */
  readonly totalTicks: number;
}

/** {@link PnlBreakdown} of one market, with what it rests on. */
export interface MarketPnl extends PnlBreakdown {
  readonly market: string;
  readonly fills: number;
  /** Fills with no mid at fill time (no spread capture for them). */
  readonly fillsWithoutMid: number;
  /** Centi-contracts bought per side. */
  readonly boughtYes: number;
  readonly boughtNo: number;
  /** Net YES-equivalent position before settlement (centi-contracts). */
  readonly finalPosition: number;
  readonly valuation: Valuation;
  /** The settlement result, when settled. */
  readonly result?: "yes" | "no";
  /** The YES mark used, when valued at a mark. */
  readonly markTicks?: number;
}

/** A market's inventory over time: a step series, one point per change. */
export interface InventorySeries {
  readonly market: string;
  /** Times (ms) of the changes, increasing; at one time only the last position is kept. */
  readonly ts: number[];
  /** YES-equivalent position (centi-contracts) from that time on. */
  readonly position: number[];
  /** Largest |position| reached. */
  readonly maxAbsPosition: number;
}

/** Result of {@link attributePnl}. */
export interface PnlAttribution {
  /** Per market, in order of first fill (then settled markets without fills). */
  readonly markets: readonly MarketPnl[];
  readonly total: PnlBreakdown & { readonly fills: number; readonly fillsWithoutMid: number };
  readonly inventory: readonly InventorySeries[];
}

/** Input of {@link attributePnl}. */
export interface PnlAttributionInput {
  readonly fills: readonly FillRow[];
  readonly settlements: readonly SettlementRow[];
  /** The YES mid (ticks) at fills, by fill index (FillObservation rows fit). */
  readonly observations: readonly Pick<FillObservation, "fillIndex" | "midAtFill">[];
  /** YES marks (ticks) for markets that did not settle; without one, cash basis. */
  readonly marks?: ReadonlyMap<string, number>;
}

interface Acc {
  readonly market: string;
  fills: number;
  noMid: number;
  boughtYes: number;
  boughtNo: number;
  notional: number;
  fees: number;
  /** Sum of 2 x (side mid - price) x count: spread capture x 200. */
  spread2: number;
  ts: number[];
  position: number[];
  pos: number;
  maxAbs: number;
}

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot attribute PnL: ${detail}, current value is ${String(value)}`);
}

function checkFill(f: FillRow, i: number): void {
  if (f.side !== "yes" && f.side !== "no") fail(`fill ${i} side must be yes or no`, f.side);
  if (!Number.isSafeInteger(f.count) || f.count <= 0) {
    fail(`fill ${i} count must be a positive integer`, f.count);
  }
  if (!Number.isSafeInteger(f.price) || f.price < 0 || f.price > ONE_DOLLAR) {
    fail(`fill ${i} price must be an integer in 0..10000`, f.price);
  }
  if (!Number.isSafeInteger(f.feeTicks) || f.feeTicks < 0) {
    fail(`fill ${i} feeTicks must be an integer >= 0`, f.feeTicks);
  }
  if (!Number.isFinite(f.ts)) fail(`fill ${i} ts must be finite`, f.ts);
}

/**
 * Split a run's PnL into spread capture, inventory and fees, per market and in
 * total, and build each market's inventory series.
 *
 * @throws {RangeError} on a malformed fill, an observation for a fill that does
 * not exist or given twice, a settlement whose position or PnL differs from what
 * the fills imply, a market settled twice, or a non-finite mark.
 */
export function attributePnl(input: PnlAttributionInput): PnlAttribution {
  const { fills, settlements } = input;
  const mids = new Float64Array(fills.length).fill(Number.NaN);
  const seen = new Uint8Array(fills.length);
  for (const o of input.observations) {
    const i = o.fillIndex;
    if (!Number.isInteger(i) || i < 0 || i >= fills.length) {
      fail(`observation fillIndex must be in 0..${fills.length - 1}`, i);
    }
    if (seen[i] === 1) fail("two observations for one fill", i);
    seen[i] = 1;
    mids[i] = o.midAtFill;
  }
  const accs = new Map<string, Acc>();
  const accOf = (market: string): Acc => {
    let a = accs.get(market);
    if (a === undefined) {
      a = {
        market,
        fills: 0,
        noMid: 0,
        boughtYes: 0,
        boughtNo: 0,
        notional: 0,
        fees: 0,
        spread2: 0,
        ts: [],
        position: [],
        pos: 0,
        maxAbs: 0,
      };
      accs.set(market, a);
    }
    return a;
  };
  const step = (a: Acc, ts: number, pos: number) => {
    const n = a.ts.length;
    if (n > 0 && a.ts[n - 1] === ts) a.position[n - 1] = pos;
    else {
      if (n > 0 && ts < a.ts[n - 1]) fail(`times of ${a.market} must not go back`, ts);
      a.ts.push(ts);
      a.position.push(pos);
    }
    const abs = Math.abs(pos);
    if (abs > a.maxAbs) a.maxAbs = abs;
  };
  for (let i = 0; i < fills.length; i++) {
    const f = fills[i];
    checkFill(f, i);
    const a = accOf(f.market);
    a.fills++;
    a.notional += Math.ceil((f.count * f.price) / 100);
    a.fees += f.feeTicks;
    if (f.side === "yes") {
      a.boughtYes += f.count;
      a.pos += f.count;
    } else {
      a.boughtNo += f.count;
      a.pos -= f.count;
    }
    const m = mids[i];
    if (Number.isNaN(m)) a.noMid++;
    else {
      if (!(m >= 0 && m <= ONE_DOLLAR)) fail(`mid at fill ${i} must be in [0, 10000]`, m);
      const sideMid = f.side === "yes" ? m : ONE_DOLLAR - m;
      a.spread2 += (2 * sideMid - 2 * f.price) * f.count;
    }
    step(a, f.ts, a.pos);
  }
  const settledBy = new Map<string, SettlementRow>();
  for (const s of settlements) {
    if (settledBy.has(s.market)) fail(`market ${s.market} settled twice`, s.ts);
    settledBy.set(s.market, s);
    const a = accOf(s.market);
    step(a, s.ts, 0);
  }

  const markets: MarketPnl[] = [];
  let spread = 0;
  let spreadExact = 0;
  let inventory = 0;
  let fees = 0;
  let total = 0;
  let nFills = 0;
  let noMid = 0;
  for (const a of accs.values()) {
    const pairs = Math.min(a.boughtYes, a.boughtNo);
    const pos = a.boughtYes - a.boughtNo;
    const s = settledBy.get(a.market);
    let value: number;
    let valuation: Valuation;
    let markTicks: number | undefined;
    if (s !== undefined) {
      if (s.position !== pos) {
        fail(
          `settlement of ${a.market} holds position ${s.position}, the fills make ${pos}`,
          s.position,
        );
      }
      value = PAYOUT_PER_CENTI * (s.result === "yes" ? a.boughtYes : a.boughtNo);
      valuation = "settlement";
    } else {
      const mark = input.marks?.get(a.market);
      value = PAYOUT_PER_CENTI * pairs;
      if (mark === undefined) valuation = "cash";
      else {
        if (!(Number.isFinite(mark) && mark >= 0 && mark <= ONE_DOLLAR)) {
          fail(`mark of ${a.market} must be in [0, 10000]`, mark);
        }
        const open = pos >= 0 ? pos * mark : -pos * (ONE_DOLLAR - mark);
        value += Math.round(open / 100);
        valuation = "mark";
        markTicks = mark;
      }
    }
    const totalTicks = value - a.notional - a.fees;
    if (s !== undefined && s.pnlTicks !== totalTicks) {
      fail(
        `settlement of ${a.market} has PnL ${s.pnlTicks}, the fills make ${totalTicks}`,
        s.pnlTicks,
      );
    }
    const spreadExactTicks = a.spread2 / 200;
    const spreadTicks = Math.round(spreadExactTicks);
    const inventoryTicks = totalTicks + a.fees - spreadTicks;
    markets.push({
      market: a.market,
      fills: a.fills,
      fillsWithoutMid: a.noMid,
      boughtYes: a.boughtYes,
      boughtNo: a.boughtNo,
      finalPosition: pos,
      valuation,
      ...(s !== undefined ? { result: s.result } : {}),
      ...(markTicks !== undefined ? { markTicks } : {}),
      spreadTicks,
      spreadExactTicks,
      inventoryTicks,
      feesTicks: a.fees,
      totalTicks,
    });
    spread += spreadTicks;
    spreadExact += spreadExactTicks;
    inventory += inventoryTicks;
    fees += a.fees;
    total += totalTicks;
    nFills += a.fills;
    noMid += a.noMid;
  }
  const inventorySeries: InventorySeries[] = [...accs.values()].map((a) => ({
    market: a.market,
    ts: a.ts,
    position: a.position,
    maxAbsPosition: a.maxAbs,
  }));
  return {
    markets,
    total: {
      spreadTicks: spread,
      spreadExactTicks: spreadExact,
      inventoryTicks: inventory,
      feesTicks: fees,
      totalTicks: total,
      fills: nFills,
      fillsWithoutMid: noMid,
    },
    inventory: inventorySeries,
  };
}

/** The totals as named scalars (for the run's metrics table). */
export function pnlAttributionMetricRows(a: PnlAttribution): MetricRow[] {
  let maxAbs = 0;
  for (const s of a.inventory) if (s.maxAbsPosition > maxAbs) maxAbs = s.maxAbsPosition;
  return [
    { name: "pnl_spread_ticks", value: a.total.spreadTicks },
    { name: "pnl_inventory_ticks", value: a.total.inventoryTicks },
    { name: "pnl_fees_ticks", value: a.total.feesTicks },
    { name: "pnl_total_ticks", value: a.total.totalTicks },
    { name: "pnl_fills_without_mid", value: a.total.fillsWithoutMid },
    { name: "inventory_max_abs_centi", value: maxAbs },
  ];
}
