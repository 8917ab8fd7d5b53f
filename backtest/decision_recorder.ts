/**
 * Records a {@link DecisionRow} for every order a strategy sends and a
 * {@link FillObservation} for every fill, for research and fill-realism metrics
 * (see decision_types.ts). It reads the venue's books; it never changes them, the
 * fills or any result, so a run's digest does not depend on it.
 *
 * Cost on the replay's hot path: one update of two decayed sums per trade, and
 * one comparison per event for due fill observations.
 *
 * @module
 */

import type { L2Book } from "../lib/engine/book.ts";
import type { OrderIntent } from "../lib/engine/strategy.ts";
import type { FillRow, OrderRow, SettlementRow } from "../lib/store/results_db.ts";
import {
  ADVERSE_HORIZONS_MS,
  DecisionRow,
  DEPTH_WINDOW_TICKS,
  FillObservation,
} from "./decision_types.ts";

const ONE_DOLLAR = 10_000;
/** Half-life of the decayed trade volume and volatility. */
const HALF_LIFE_MS = 30 * 60_000;
const DECAY_PER_MS = Math.LN2 / HALF_LIFE_MS;

/** Decayed trade statistics of one market. */
export class TradeStats {
  #ts = Number.NaN;
  #volume = 0;
  #sq = 0;
  #weight = 0;
  #lastPrice = Number.NaN;

  /** Add a trade (price in ticks, count in centi-contracts). */
  add(ts: number, price: number, count: number): void {
    if (!Number.isNaN(this.#ts) && ts > this.#ts) {
      const f = Math.exp(-(ts - this.#ts) * DECAY_PER_MS);
      this.#volume *= f;
      this.#sq *= f;
      this.#weight *= f;
    }
    this.#ts = ts;
    this.#volume += count;
    if (!Number.isNaN(this.#lastPrice)) {
      const d = price - this.#lastPrice;
      this.#sq += d * d;
      this.#weight += 1;
    }
    this.#lastPrice = price;
  }

  /** Decayed volume as of `ts`. */
  volume(ts: number): number {
    return Number.isNaN(this.#ts) ? 0 : this.#volume * Math.exp(-(ts - this.#ts) * DECAY_PER_MS);
  }

  /** Root of the decayed mean squared trade-to-trade change (ticks); NaN before two trades. */
  volatility(): number {
    return this.#weight === 0 ? Number.NaN : Math.sqrt(this.#sq / this.#weight);
  }
}

/** What the recorder needs to know of a market when an order is sent. */
export interface MarketView {
  readonly book: L2Book;
  readonly event: string;
  readonly stats: TradeStats;
  /** The model's latest YES probability for the market (NaN when none yet). */
  modelYes: number;
  /** Last mid before close, once the market closed or settled (NaN until then). */
  closeMid: number;
  closed: boolean;
}

/** YES mid of a book in ticks, NaN when it is not valid and two-sided. */
export function bookMid(book: L2Book): number {
  const b = book.bestYesBid;
  const a = book.bestYesAsk;
  if (!book.valid || b === 0 || a === ONE_DOLLAR) return Number.NaN;
  return (b + a) / 2;
}

function depth(sizes: Int32Array, best: number): number {
  if (best <= 0) return 0;
  let sum = 0;
  const lo = Math.max(1, best - DEPTH_WINDOW_TICKS);
  for (let p = best; p >= lo; p--) sum += sizes[p];
  return sum;
}

interface Pending {
  row: Omit<DecisionRow, "filled" | "avgFillPrice" | "closeMid" | "clv" | "pnlTicks">;
  view: MarketView;
}

interface DueObservation {
  readonly due: number;
  readonly obs: number;
  readonly h: number;
  readonly view: MarketView;
}

/** The recorder; the venue owns one. */
export class DecisionRecorder {
  readonly #pending: Pending[] = [];
  readonly #obs: { o: Omit<FillObservation, "midAfter">; after: number[] }[] = [];
  readonly #due: DueObservation[] = [];
  /** Earliest due observation time, Infinity when none. */
  nextDue = Number.POSITIVE_INFINITY;

  /** Record an order as it is sent. */
  onSubmit(
    orderId: number,
    intent: OrderIntent & { readonly assumedFillProbability?: number },
    ts: number,
    view: MarketView,
    closeTs: number,
  ): void {
    const book = view.book;
    const bid = book.bestYesBid;
    const ask = book.bestYesAsk;
    const mid = bookMid(book);
    const yesBidDepth = depth(book.yes, bid);
    const yesAskDepth = depth(book.no, ONE_DOLLAR - ask);
    const yes = intent.side === "yes";
    const own = yes ? yesBidDepth : yesAskDepth;
    const other = yes ? yesAskDepth : yesBidDepth;
    const sideBid = yes ? bid : ONE_DOLLAR - ask;
    const modelYes = view.modelYes;
    const dis = modelYes - mid / ONE_DOLLAR;
    this.#pending.push({
      view,
      row: {
        orderId,
        ts,
        market: intent.market,
        event: view.event,
        side: intent.side,
        timeInForce: intent.timeInForce,
        limitPrice: intent.limitPrice,
        count: intent.count,
        bookValid: !Number.isNaN(mid),
        yesBid: bid,
        yesAsk: ask,
        mid,
        spread: Number.isNaN(mid) ? Number.NaN : ask - bid,
        yesBidDepth,
        yesAskDepth,
        skew: own + other === 0 ? Number.NaN : own / (own + other),
        touchDistance: sideBid - intent.limitPrice,
        timeToCloseMs: closeTs - ts,
        modelYes,
        disagreement: yes ? dis : -dis,
        assumedFillProbability: intent.assumedFillProbability ?? Number.NaN,
        recentVolume: view.stats.volume(ts),
        recentVolatility: view.stats.volatility(),
      },
    });
  }

  /** Record a fill (its index in the fill rows) and schedule the later looks at the market. */
  onFill(fillIndex: number, f: FillRow, view: MarketView): void {
    const obs = this.#obs.length;
    this.#obs.push({
      o: {
        fillIndex,
        orderId: f.orderId,
        market: f.market,
        side: f.side,
        ts: f.ts,
        price: f.price,
        role: f.role,
        midAtFill: bookMid(view.book),
      },
      after: [Number.NaN, Number.NaN, Number.NaN],
    });
    for (let h = 0; h < ADVERSE_HORIZONS_MS.length; h++) {
      const due = f.ts + ADVERSE_HORIZONS_MS[h];
      const item = { due, obs, h, view };
      let i = this.#due.length;
      while (i > 0 && this.#due[i - 1].due > due) i--;
      this.#due.splice(i, 0, item);
    }
    this.nextDue = this.#due[0].due;
  }

  /** Before an event at `ts`: take every look due before it (the books are as of then). */
  observe(ts: number): void {
    const q = this.#due;
    while (q.length > 0 && q[0].due < ts) {
      const d = q.shift()!;
      this.#obs[d.obs].after[d.h] = d.view.closed ? Number.NaN : bookMid(d.view.book);
    }
    this.nextDue = q.length > 0 ? q[0].due : Number.POSITIVE_INFINITY;
  }

  /** A market closed or settled: its closing mid is the last one its book showed. */
  onClose(view: MarketView): void {
    if (view.closed) return;
    view.closed = true;
    const b = view.book.bestYesBid;
    const a = view.book.bestYesAsk;
    view.closeMid = b === 0 || a === ONE_DOLLAR ? Number.NaN : (b + a) / 2;
  }

  /** Fill observations so far. */
  observations(): FillObservation[] {
    return this.#obs.map(({ o, after }) => ({
      ...o,
      midAfter: [after[0], after[1], after[2]] as const,
    }));
  }

  /** The decision rows, completed with fills, closing line value and PnL. */
  rows(
    orders: readonly OrderRow[],
    fills: readonly FillRow[],
    settlements: readonly SettlementRow[],
  ): DecisionRow[] {
    const byOrder = new Map<number, { count: number; cost: number; pnlNoPayout: number }>();
    const result = new Map<string, "yes" | "no">();
    for (const s of settlements) result.set(s.market, s.result);
    const payoutOf = new Map<number, number>();
    for (const f of fills) {
      let a = byOrder.get(f.orderId);
      if (a === undefined) {
        a = { count: 0, cost: 0, pnlNoPayout: 0 };
        byOrder.set(f.orderId, a);
      }
      a.count += f.count;
      a.cost += f.price * f.count;
      const notional = Math.ceil((f.count * f.price) / 100);
      a.pnlNoPayout -= notional + f.feeTicks;
      const r = result.get(f.market);
      if (r !== undefined) {
        // $1 per contract = 100 ticks per centi-contract to the side that won.
        payoutOf.set(
          f.orderId,
          (payoutOf.get(f.orderId) ?? 0) + (r === f.side ? f.count * 100 : 0),
        );
      }
    }
    void orders;
    return this.#pending.map(({ row, view }) => {
      const a = byOrder.get(row.orderId);
      const filled = a?.count ?? 0;
      const avg = a === undefined || a.count === 0 ? Number.NaN : a.cost / a.count;
      const entry = Number.isNaN(avg) ? row.limitPrice : avg;
      const cm = view.closeMid;
      const closeSide = row.side === "yes" ? cm : ONE_DOLLAR - cm;
      const settled = result.has(row.market);
      const pnl = filled === 0
        ? 0
        : settled
        ? (a!.pnlNoPayout + (payoutOf.get(row.orderId) ?? 0))
        : Number.NaN;
      return {
        ...row,
        filled,
        avgFillPrice: avg,
        closeMid: cm,
        clv: closeSide - entry,
        pnlTicks: pnl,
      };
    });
  }
}
