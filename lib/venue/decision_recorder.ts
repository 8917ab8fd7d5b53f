/**
 * Records a {@link DecisionRow} for every order a strategy sends and a
 * {@link FillObservation} for every fill, for research and fill-realism metrics
 * (see decision_types.ts). It reads the venue's books; it never changes them, the
 * fills or any result, so a run's digest does not depend on it.
 *
 * Cost on the replay's hot path: one record of the trade log per trade
 * (trade_log.ts), and one comparison per event for due fill observations.
 *
 * @module
 */

import type { L2Book } from "../engine/book.ts";
import { objectList } from "../engine/object_slots.ts";
import { yesMidOf } from "../pricing/implied.ts";
import type { OrderIntent } from "../engine/strategy.ts";
import type { TradeLog } from "./trade_log.ts";
import type { FillRow, OrderRow, SettlementRow } from "../store/results_db.ts";
import {
  ADVERSE_HORIZONS_MS,
  DecisionRow,
  DEPTH_WINDOW_TICKS,
  FillObservation,
} from "./decision_types.ts";

const ONE_DOLLAR = 10_000;

/** What the recorder needs to know of a market when an order is sent. */
export interface MarketView {
  readonly book: L2Book;
  readonly event: string;
  /** The market's number in the venue's trade log (trade_log.ts). */
  readonly number: number;
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

interface Pending {
  row: Omit<DecisionRow, "filled" | "avgFillPrice" | "closeMid" | "clv" | "pnlTicks">;
  view: MarketView;
}

interface DueObservation {
  readonly due: number;
  readonly obs: number;
  readonly view: MarketView;
}

/** The recorder; the venue owns one. */
export class DecisionRecorder {
  /** The tape's trades (the venue records them), for recent volume and volatility. */
  readonly #trades: Pick<TradeLog, "recent">;
  readonly #pending = objectList<Pending>();
  readonly #obs = objectList<{ o: Omit<FillObservation, "midAfter">; after: number[] }>();
  /**
   * One FIFO per horizon: fills arrive in time order, so each queue is sorted by
   * due time by construction (no search, no splice).
   */
  readonly #due: DueObservation[][] = ADVERSE_HORIZONS_MS.map(() => objectList<DueObservation>());
  readonly #head: number[] = ADVERSE_HORIZONS_MS.map(() => 0);
  /** Earliest due observation time, Infinity when none. */
  nextDue = Number.POSITIVE_INFINITY;

  constructor(trades: Pick<TradeLog, "recent">) {
    this.#trades = trades;
  }

  /** Record an order as it is sent. */
  onSubmit(
    orderId: number,
    intent: OrderIntent,
    ts: number,
    view: MarketView,
    closeTs: number,
  ): Pending["row"] {
    const book = view.book;
    const bid = book.bestYesBid;
    const ask = book.bestYesAsk;
    const mid = bookMid(book);
    const yesBidDepth = book.depth("yes", bid, DEPTH_WINDOW_TICKS);
    const yesAskDepth = book.depth("no", ONE_DOLLAR - ask, DEPTH_WINDOW_TICKS);
    const yes = intent.side === "yes";
    const own = yes ? yesBidDepth : yesAskDepth;
    const other = yes ? yesAskDepth : yesBidDepth;
    const sideBid = yes ? bid : ONE_DOLLAR - ask;
    const modelYes = view.modelYes;
    const dis = modelYes - mid / ONE_DOLLAR;
    const recent = this.#trades.recent(view.number, ts);
    const row: Pending["row"] = {
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
      recentVolume: recent.volume,
      recentVolatility: recent.volatility,
    };
    this.#pending.push({ view, row });
    return row;
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
      this.#due[h].push({ due: f.ts + ADVERSE_HORIZONS_MS[h], obs, view });
    }
    this.#updateNext();
  }

  /** Before an event at `ts`: take every look due before it (the books are as of then). */
  observe(ts: number): void {
    for (let h = 0; h < ADVERSE_HORIZONS_MS.length; h++) {
      const q = this.#due[h];
      let i = this.#head[h];
      while (i < q.length && q[i].due < ts) {
        const d = q[i++];
        this.#obs[d.obs].after[h] = d.view.closed ? Number.NaN : bookMid(d.view.book);
      }
      if (i === q.length) {
        q.length = 0;
        i = 0;
      }
      this.#head[h] = i;
    }
    this.#updateNext();
  }

  #updateNext(): void {
    let next = Number.POSITIVE_INFINITY;
    for (let h = 0; h < ADVERSE_HORIZONS_MS.length; h++) {
      const q = this.#due[h];
      const i = this.#head[h];
      if (i < q.length && q[i].due < next) next = q[i].due;
    }
    this.nextDue = next;
  }

  /**
   * A market closed or settled: its closing mid is the last one its book showed,
   * priced like the market baseline (lib/pricing/implied.ts yesMidOf: a one-sided
   * book near $0 or $1 counts, e.g. a decided bin bid at 99 cents with no ask).
   */
  onClose(view: MarketView): void {
    if (view.closed) return;
    view.closed = true;
    view.closeMid = yesMidOf({
      valid: true,
      bestYesBid: view.book.bestYesBid,
      bestYesAsk: view.book.bestYesAsk,
    }) * ONE_DOLLAR;
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
