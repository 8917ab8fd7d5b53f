import assert from "node:assert/strict";
import { L2Book } from "./book.ts";
import {
  MakerBook,
  type MakerOrderView,
  type QueueConfig,
  type QueueFill,
  type QueueMode,
  validateQueueConfig,
} from "./queue_fill.ts";
import type { CancelRejectReason, LimitOrderIntent } from "./order_types.ts";
import type { FeeParams } from "../fees/fees.ts";
import type { BookDeltaEvent, Side } from "../tape/events.ts";
import { Prng } from "../random/prng.ts";

const MAKER_FEES: FeeParams = { feeType: "quadratic_with_maker_fees", multiplier: 10_000 };
const NO_MAKER_FEES: FeeParams = { feeType: "quadratic", multiplier: 10_000 };

type Levels = [number, number][];

interface Harness {
  readonly book: L2Book;
  readonly maker: MakerBook;
  readonly fills: QueueFill[];
  readonly done: MakerOrderView[];
  readonly cancelRejects: { id: number; ts: number; reason: CancelRejectReason }[];
  /** Submit an order at `ts` arriving `latency` ms later. */
  order(id: number, ts: number, latency: number, o: Partial<LimitOrderIntent>): MakerOrderView;
  cancel(id: number, ts: number, latency: number): void;
  delta(ts: number, side: Side, price: number, d: number): string;
  /** A delta with a skipped seq number. */
  gap(ts: number): string;
  /** A trade: `takerSide` bought at YES price `price`. */
  trade(ts: number, takerSide: Side, price: number, count: number): void;
  snapshot(ts: number, yes: Levels, no: Levels): void;
  end(): void;
  filled(id: number): number;
  state(id: number): string | undefined;
}

function harness(
  yes: Levels,
  no: Levels,
  opts: { config?: QueueConfig; fees?: FeeParams | null; isOpen?: (ts: number) => boolean } = {},
): Harness {
  const book = new L2Book("M");
  let seq = 1;
  const snap = (ts: number, y: Levels, n: Levels) =>
    book.applySnapshot({
      kind: "book_snapshot",
      ts,
      market: "M",
      seq,
      yesPrices: y.map((l) => l[0]),
      yesSizes: y.map((l) => l[1]),
      noPrices: n.map((l) => l[0]),
      noSizes: n.map((l) => l[1]),
    });
  snap(0, yes, no);
  const fills: QueueFill[] = [];
  const done: MakerOrderView[] = [];
  const cancelRejects: { id: number; ts: number; reason: CancelRejectReason }[] = [];
  const fee = opts.fees === undefined ? MAKER_FEES : opts.fees;
  const maker = new MakerBook(book, {
    grid: 100,
    fees: () => fee ?? undefined,
    isOpen: opts.isOpen,
    config: opts.config,
    listener: {
      fill: (f) => fills.push(f),
      done: (o) => done.push({ ...o }),
      cancelRejected: (id, ts, reason) => cancelRejects.push({ id, ts, reason }),
    },
  });
  const applyDelta = (ev: BookDeltaEvent) => {
    maker.advanceTo(ev.ts);
    const r = book.applyDelta(ev);
    maker.onDelta(ev, r);
    return r;
  };
  const h: Harness = {
    book,
    maker,
    fills,
    done,
    cancelRejects,
    order(id, ts, latency, o) {
      const intent: LimitOrderIntent = {
        market: "M",
        side: "yes",
        limitPrice: 5000,
        count: 500,
        timeInForce: "gtc",
        ...o,
      };
      return maker.submit(id, intent, ts, ts + latency);
    },
    cancel(id, ts, latency) {
      maker.cancel(id, ts, ts + latency);
    },
    delta(ts, side, price, d) {
      seq++;
      return applyDelta({ kind: "book_delta", ts, market: "M", seq, side, price, delta: d });
    },
    gap(ts) {
      seq += 2;
      return applyDelta({
        kind: "book_delta",
        ts,
        market: "M",
        seq,
        side: "yes",
        price: 100,
        delta: 1,
      });
    },
    trade(ts, takerSide, price, count) {
      maker.advanceTo(ts);
      maker.onTrade({ kind: "trade", ts, market: "M", price, count, takerSide });
    },
    snapshot(ts, y, n) {
      maker.advanceTo(ts);
      seq += 5;
      snap(ts, y, n);
      maker.onSnapshot();
    },
    end() {
      maker.advanceTo(Number.POSITIVE_INFINITY);
    },
    filled(id) {
      return fills.filter((f) => f.orderId === id).reduce((s, f) => s + f.count, 0);
    },
    state(id) {
      return maker.order(id)?.state ?? done.find((o) => o.id === id)?.state;
    },
  };
  return h;
}

const config = (mode: QueueMode, matchWindowMs = 0): QueueConfig => ({ mode, matchWindowMs });

// ---- trade-side mapping -------------------------------------------------------

Deno.test("a taker buying NO at YES price p hits YES bids at p; buying YES hits NO bids at 1-p", () => {
  const h = harness([], []);
  h.order(1, 0, 0, { side: "yes", limitPrice: 4900 }); // YES bid 49c, level empty
  h.order(2, 0, 0, { side: "no", limitPrice: 4800 }); // NO bid 48c = YES ask 52c
  // Taker buys YES at 52c: sells against NO bids at 48c -> our NO bid.
  h.trade(10, "yes", 5200, 200);
  assert.equal(h.filled(1), 0);
  assert.equal(h.filled(2), 200);
  assert.deepEqual(
    { price: h.fills[0].price, side: h.fills[0].side, source: h.fills[0].source },
    { price: 4800, side: "no", source: "at_level" },
  );
  // Taker buys NO at YES price 49c (NO 51c): sells against YES bids at 49c -> our YES bid.
  h.trade(20, "no", 4900, 300);
  assert.equal(h.filled(1), 300);
  assert.equal(h.filled(2), 200);
  // The same YES price with the other taker side touches neither of ours.
  h.trade(30, "yes", 4900, 300); // hit NO bids at 51c, better than our 48c NO bid
  h.trade(40, "no", 5200, 300); // hit YES bids at 52c, better than our 49c YES bid
  assert.equal(h.filled(1), 300);
  assert.equal(h.filled(2), 200);
});

// ---- acceptance: queue position -----------------------------------------------

Deno.test("an order behind 100 contracts fills only after 100 contracts trade at its level", () => {
  const h = harness([[5000, 10_000]], [[4800, 1000]]);
  const o = h.order(1, 0, 0, { count: 500 });
  h.maker.advanceTo(1);
  assert.equal(o.state, "resting");
  assert.equal(o.queueAheadAtArrival, 10_000);
  h.trade(10, "no", 5000, 6000);
  h.delta(10, "yes", 5000, -6000);
  assert.equal(h.fills.length, 0);
  assert.equal(o.queueAhead, 4000);
  h.trade(20, "no", 5000, 3999);
  h.delta(20, "yes", 5000, -3999);
  assert.equal(h.fills.length, 0);
  assert.equal(o.queueAhead, 1);
  h.trade(30, "no", 5000, 201); // 1 to the last recorded unit ahead, 200 to us
  h.delta(30, "yes", 5000, -1);
  assert.equal(h.filled(1), 200);
  assert.equal(o.state, "partially_filled");
  h.trade(40, "no", 5000, 1000);
  assert.equal(h.filled(1), 500);
  assert.equal(h.state(1), "filled");
  assert.deepEqual(h.fills.map((f) => [f.ts, f.count, f.queueAheadAtArrival]), [
    [30, 200, 10_000],
    [40, 300, 10_000],
  ]);
});

Deno.test("one trade larger than the queue ahead fills the excess at once", () => {
  const h = harness([[5000, 10_000]], []);
  h.order(1, 0, 0, { count: 500 });
  h.trade(10, "no", 5000, 10_300);
  assert.deepEqual(h.fills.map((f) => f.count), [300]);
});

Deno.test("two orders at one level never fill from the same traded unit", () => {
  const h = harness([], []);
  h.order(1, 0, 0, { count: 200 });
  h.order(2, 0, 0, { count: 500 });
  h.trade(10, "no", 5000, 300);
  assert.equal(h.filled(1), 200);
  assert.equal(h.filled(2), 100);
  h.trade(20, "no", 5000, 100);
  assert.equal(h.filled(1), 200);
  assert.equal(h.filled(2), 200);
  // Each trade's fills sum to at most its count.
  assert.equal(h.fills.filter((f) => f.ts === 10).reduce((s, f) => s + f.count, 0), 300);
});

Deno.test("recorded volume that joined between our two orders sits between them", () => {
  const h = harness([[5000, 1000]], []);
  const a = h.order(1, 0, 0, { count: 200 }); // ahead of A: 1000
  h.delta(5, "yes", 5000, 500); // others join behind A
  const b = h.order(2, 5, 0, { count: 200 }); // ahead of B: 1500 recorded (+ A)
  h.maker.advanceTo(6);
  assert.equal(a.queueAhead, 1000);
  assert.equal(b.queueAhead, 1500);
  // 1000 recorded, A's 200, 100 of the 500 recorded between A and B.
  h.trade(10, "no", 5000, 1300);
  assert.equal(h.filled(1), 200);
  assert.equal(h.filled(2), 0);
  assert.equal(b.queueAhead, 400);
  h.trade(20, "no", 5000, 500); // 400 recorded, then 100 to B
  assert.equal(h.filled(2), 100);
  // One trade through the whole merged queue: 1000 recorded, A, 500 recorded, 50 of B.
  const g = harness([[5000, 1000]], []);
  g.order(1, 0, 0, { count: 200 });
  g.delta(5, "yes", 5000, 500);
  g.order(2, 5, 0, { count: 200 });
  g.trade(10, "no", 5000, 1750);
  assert.deepEqual(g.fills.map((f) => [f.orderId, f.count]), [[1, 200], [2, 50]]);
});

Deno.test("a trade through the level fills us up to the traded count, best price first", () => {
  const h = harness([[5000, 3000], [4900, 2000]], []);
  const hi = h.order(1, 0, 0, { limitPrice: 5100, count: 300 }); // above the book, first
  const lo = h.order(2, 0, 0, { limitPrice: 5000, count: 400 }); // behind 3000
  h.maker.advanceTo(1);
  assert.equal(hi.queueAheadAtArrival, 0);
  assert.equal(lo.queueAheadAtArrival, 3000);
  // A NO taker hits YES bids at 49c: the 51c and 50c levels were swept first.
  h.trade(10, "no", 4900, 600);
  assert.deepEqual(h.fills.map((f) => [f.orderId, f.price, f.count, f.source]), [
    [1, 5100, 300, "through"],
    [2, 5000, 300, "through"],
  ]);
  assert.equal(lo.queueAhead, 0); // the level was swept
  h.trade(20, "no", 4900, 50);
  assert.equal(h.filled(2), 350);
});

Deno.test("a trade above our level does not touch us", () => {
  const h = harness([[5000, 100]], []);
  const o = h.order(1, 0, 0, { limitPrice: 4900 });
  h.trade(10, "no", 5000, 100);
  assert.equal(h.fills.length, 0);
  assert.equal(o.queueAhead, 0);
});

// ---- order types at arrival -----------------------------------------------------

Deno.test("a post-only that would cross is rejected; one that does not rests", () => {
  // YES bid 50c, YES ask 52c (NO bid 48c).
  const h = harness([[5000, 1000]], [[4800, 1000]]);
  h.order(1, 0, 10, { timeInForce: "post_only", side: "yes", limitPrice: 5200 });
  h.order(2, 0, 10, { timeInForce: "post_only", side: "no", limitPrice: 5000 }); // NO ask 50c
  h.order(3, 0, 10, { timeInForce: "post_only", side: "yes", limitPrice: 5100 });
  h.order(4, 0, 10, { timeInForce: "post_only", side: "no", limitPrice: 4900 });
  h.end();
  assert.equal(h.state(1), "rejected");
  assert.equal(h.done.find((o) => o.id === 1)?.rejectReason, "post_only_would_cross");
  assert.equal(h.done.find((o) => o.id === 2)?.rejectReason, "post_only_would_cross");
  assert.equal(h.state(3), "resting");
  assert.equal(h.state(4), "resting");
  assert.equal(h.fills.length, 0);
  assert.equal(h.book.available("no", 4800), 1000, "a post-only never takes");
});

Deno.test("a crossing GTC takes through the taker model and rests the remainder", () => {
  const h = harness([[5000, 1000]], [[4800, 300], [4700, 200]]); // asks 52c x3, 53c x2
  const o = h.order(1, 0, 10, { limitPrice: 5300, count: 800 });
  h.end();
  assert.deepEqual(h.fills.map((f) => [f.price, f.count, f.role, f.source, f.ts]), [
    [5200, 300, "taker", "taker", 10],
    [5300, 200, "taker", "taker", 10],
  ]);
  assert.equal(o.state, "partially_filled");
  assert.equal(o.queueAheadAtArrival, 0);
  assert.equal(h.book.available("no", 4800), 0, "the taken liquidity is consumed");
  // The rest (300) is now the best YES bid; a NO taker at 53c hits it.
  h.trade(20, "no", 5300, 500);
  assert.equal(h.filled(1), 800);
  assert.equal(h.fills[2].role, "maker");
  // Taker fees: 0.07 x 3 x .52 x .48 = $0.052416 -> 525 ticks; per-order cent rounding.
  assert.equal(h.fills[0].feeExactTicks, 525);
  assert.equal(h.fills[0].feeTicks, 600);
});

Deno.test("an IOC takes what crosses and cancels the rest; a non-crossing IOC is cancelled", () => {
  const h = harness([[5000, 1000]], [[4800, 300]]);
  h.order(1, 0, 10, { timeInForce: "ioc", limitPrice: 5200, count: 500 });
  h.order(2, 0, 10, { timeInForce: "ioc", limitPrice: 5100, count: 500 });
  h.end();
  assert.equal(h.filled(1), 300);
  assert.equal(h.state(1), "cancelled");
  assert.equal(h.filled(2), 0);
  assert.equal(h.state(2), "cancelled");
  assert.equal(h.maker.restingCount, 0);
});

// ---- latency, cancel, expiry ------------------------------------------------------

Deno.test("a fill never happens before the entry latency has elapsed", () => {
  const h = harness([], []);
  const o = h.order(1, 1000, 250, { count: 500 }); // arrives at 1250
  h.trade(1100, "no", 5000, 100);
  assert.equal(o.state, "pending_arrival");
  h.delta(1200, "yes", 5000, 700); // others join before we arrive
  h.trade(1250, "no", 5000, 100); // same ms as the arrival: applied before it
  h.delta(1250, "yes", 5000, -100);
  assert.equal(h.fills.length, 0);
  h.trade(1251, "no", 5000, 900); // 600 ahead (700 - 100 traded), then us
  assert.equal(o.queueAheadAtArrival, 600);
  assert.deepEqual(h.fills.map((f) => [f.ts, f.count]), [[1251, 300]]);
  assert.ok(h.fills.every((f) => f.ts > o.arrivalTs));
});

Deno.test("cancel latency: fills before the cancel arrives stand, none after", () => {
  const h = harness([], []);
  h.order(1, 0, 0, { count: 1000 });
  h.cancel(1, 1500, 100); // arrives at 1600
  h.trade(1600, "no", 5000, 200);
  h.trade(1601, "no", 5000, 200);
  assert.equal(h.filled(1), 200);
  const d = h.done.find((o) => o.id === 1)!;
  assert.equal(d.state, "cancelled");
  assert.equal(d.doneTs, 1600);
  assert.equal(d.filled, 200);
});

Deno.test("a cancel that arrives before its order, or for no live order, is rejected", () => {
  const h = harness([], []);
  h.order(1, 0, 500, {}); // arrives at 500
  h.cancel(1, 0, 100); // arrives at 100: the venue does not know the order yet
  h.cancel(99, 0, 100);
  h.end();
  assert.deepEqual(h.cancelRejects, [
    { id: 1, ts: 100, reason: "order_not_arrived" },
    { id: 99, ts: 100, reason: "order_not_live" },
  ]);
  assert.equal(h.state(1), "resting");
  // Equal latencies: the order arrives first, then its cancel.
  h.order(2, 600, 50, {});
  h.cancel(2, 600, 50);
  h.end();
  assert.equal(h.state(2), "cancelled");
});

Deno.test("expiry is exclusive: events at expireTs and later find the order gone", () => {
  const h = harness([], []);
  h.order(1, 0, 0, { count: 1000, expireTs: 2000 });
  h.trade(1999, "no", 5000, 100);
  h.trade(2000, "no", 5000, 100);
  assert.equal(h.filled(1), 100);
  const d = h.done.find((o) => o.id === 1)!;
  assert.equal(d.state, "expired");
  assert.equal(d.doneTs, 2000);
  // A cancel arriving after the expiry finds nothing.
  h.cancel(1, 2000, 10);
  h.end();
  assert.equal(h.cancelRejects[0].reason, "order_not_live");
});

Deno.test("an order whose expiry passed before it arrived is rejected", () => {
  const h = harness([], []);
  h.order(1, 0, 300, { expireTs: 300 });
  h.order(2, 0, 300, { expireTs: 301 });
  h.end();
  assert.equal(h.done.find((o) => o.id === 1)?.rejectReason, "expired_on_arrival");
  // Order 2 arrived at 300 and expired before any event at 301 could fill it.
  assert.equal(h.state(2), "expired");
  assert.equal(h.filled(2), 0);
});

// ---- book validity --------------------------------------------------------------

Deno.test("a seq gap stops fills until the next snapshot", () => {
  const h = harness([], []);
  h.order(1, 0, 0, { count: 1000 });
  h.trade(10, "no", 5000, 100);
  assert.equal(h.gap(20), "gap");
  assert.equal(h.maker.valid, false);
  h.trade(30, "no", 5000, 100);
  h.order(2, 30, 0, {});
  h.trade(40, "no", 5000, 100);
  assert.equal(h.filled(1), 100);
  assert.equal(h.done.find((o) => o.id === 2)?.rejectReason, "book_invalid");
  assert.equal(h.state(1), "partially_filled");
  h.snapshot(50, [[5000, 400]], []);
  assert.equal(h.maker.valid, true);
  h.trade(60, "no", 5000, 100);
  assert.equal(h.filled(1), 200);
});

Deno.test("the book-invalid hook: no maker fills while invalid, even on a valid L2 book", () => {
  const h = harness([], []);
  h.order(1, 0, 0, { count: 1000 });
  h.maker.advanceTo(1);
  h.maker.invalidate();
  assert.equal(h.book.valid, true);
  h.trade(10, "no", 5000, 100);
  h.trade(11, "no", 4900, 100); // not even through the level
  assert.equal(h.fills.length, 0);
  h.snapshot(20, [[5000, 0]], []);
  h.trade(30, "no", 5000, 100);
  assert.equal(h.filled(1), 100);
});

Deno.test("a snapshot caps the queue ahead at the level's visible size", () => {
  const h = harness([[5000, 5000]], []);
  const o = h.order(1, 0, 0, {});
  h.snapshot(10, [[5000, 1200]], []);
  assert.equal(o.queueAhead, 1200);
  h.snapshot(20, [[5000, 9000]], []); // a bigger level never pushes us back
  assert.equal(o.queueAhead, 1200);
});

// ---- cancellations and modes ---------------------------------------------------

/**
 * One event sequence, three modes (docs/FILLS.md "Worked example"):
 * YES bids 50c x 100; our 30-contract bid joins behind all 100; 100 more join
 * behind us; 50 are cancelled (unexplained decrease); 90 trade at 50c; 20 more
 * trade at 50c; 10 trade at 49c (through our level).
 */
function modeScenario(mode: QueueMode): Harness {
  const h = harness([[5000, 10_000], [4900, 5000]], [[4800, 1000]], { config: config(mode) });
  h.order(1, 10, 0, { count: 3000 });
  h.delta(20, "yes", 5000, 10_000);
  h.delta(30, "yes", 5000, -5000);
  h.trade(40, "no", 5000, 9000);
  h.delta(40, "yes", 5000, -9000);
  h.trade(50, "no", 5000, 2000);
  h.delta(50, "yes", 5000, -2000);
  h.trade(60, "no", 4900, 1000);
  h.delta(60, "yes", 4900, -1000);
  h.end();
  return h;
}

Deno.test("pro_rata: the cancel moves us up by its share ahead of us", () => {
  const h = modeScenario("pro_rata");
  // q = 10000 - floor(5000 x 10000 / 20000) = 7500; 9000 traded -> 1500 to us;
  // 2000 traded -> the last 1500.
  assert.deepEqual(h.fills.map((f) => [f.ts, f.count, f.source]), [
    [40, 1500, "at_level"],
    [50, 1500, "at_level"],
  ]);
});

Deno.test("trades_only: the cancel came from behind us", () => {
  const h = modeScenario("trades_only");
  // q = 10000 (the level, 15000, is still above it); 9000 -> q 1000; 2000 -> 1000 to us;
  // the through trade fills 1000 more.
  assert.deepEqual(h.fills.map((f) => [f.ts, f.count, f.source]), [
    [50, 1000, "at_level"],
    [60, 1000, "through"],
  ]);
});

Deno.test("pessimistic: only the trade through the level fills", () => {
  const h = modeScenario("pessimistic");
  assert.deepEqual(h.fills.map((f) => [f.ts, f.count, f.source]), [[60, 1000, "through"]]);
});

Deno.test("pro-rata rounding keeps us behind: q -= floor(c x q / S)", () => {
  const h = harness([[5000, 3]], [], { config: config("pro_rata") });
  const o = h.order(1, 0, 0, {});
  h.delta(5, "yes", 5000, 7); // level 10, 3 ahead of us
  h.delta(10, "yes", 5000, -5); // exact share 1.5 -> we move up 1
  h.delta(20, "yes", 5000, 1); // a later event applies the pending cancel
  assert.equal(o.queueAhead, 2);
});

Deno.test("trades_only: a level shrinking below our queue caps it", () => {
  const h = harness([[5000, 1000]], [], { config: config("trades_only") });
  const o = h.order(1, 0, 0, {});
  h.delta(10, "yes", 5000, -600);
  h.delta(20, "yes", 5000, 100); // a later event applies the pending cancel
  assert.equal(o.queueAhead, 400);
});

Deno.test("a trade and its decrease pair in either order within one timestamp", () => {
  for (const deltaFirst of [false, true]) {
    const h = harness([[5000, 10_000]], [], { config: config("pro_rata") });
    const o = h.order(1, 0, 0, {});
    if (deltaFirst) h.delta(40, "yes", 5000, -3000);
    h.trade(40, "no", 5000, 3000);
    if (!deltaFirst) h.delta(40, "yes", 5000, -3000);
    h.delta(50, "no", 4000, 100); // later event: nothing left unpaired
    assert.equal(o.queueAhead, 7000, deltaFirst ? "delta first" : "trade first");
  }
});

Deno.test("matchWindowMs pairs a trade with a decrease a few ms later", () => {
  const run = (window: number) => {
    const h = harness([[5000, 10_000]], [], { config: config("pro_rata", window) });
    const o = h.order(1, 0, 0, {});
    h.trade(40, "no", 5000, 3000); // q 7000
    h.delta(41, "yes", 5000, -3000);
    h.delta(50, "no", 4000, 100);
    return o.queueAhead;
  };
  assert.equal(run(5), 7000);
  // Window 0: the decrease at 41 is a cancel of 3000 from 10000 with 7000 ahead.
  assert.equal(run(0), 7000 - Math.floor((3000 * 7000) / 10_000));
});

Deno.test("a degraded (quote-only) book fills only through the level", () => {
  const book = new L2Book("M");
  book.applyQuote({
    kind: "quote",
    ts: 0,
    market: "M",
    yesBid: 5000,
    yesAsk: 5200,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  const fills: QueueFill[] = [];
  const maker = new MakerBook(book, {
    grid: 100,
    fees: () => NO_MAKER_FEES,
    listener: { fill: (f) => fills.push(f), done: () => {} },
  });
  maker.submit(
    1,
    { market: "M", side: "yes", limitPrice: 5000, count: 500, timeInForce: "gtc" },
    0,
    0,
  );
  maker.advanceTo(1);
  maker.onTrade({
    kind: "trade",
    ts: 10,
    market: "M",
    price: 5000,
    count: 10_000,
    takerSide: "no",
  });
  assert.equal(fills.length, 0);
  maker.onTrade({ kind: "trade", ts: 20, market: "M", price: 4900, count: 200, takerSide: "no" });
  assert.deepEqual(fills.map((f) => [f.count, f.source, f.feeTicks]), [[200, "through", 0]]);
});

// ---- fees -----------------------------------------------------------------------

Deno.test("maker fees follow the series fee type and round per order to the cent", () => {
  const run = (fees: FeeParams) => {
    const h = harness([], [], { fees });
    h.order(1, 0, 0, { count: 1000 });
    h.trade(10, "no", 5000, 500);
    h.trade(20, "no", 5000, 500);
    return h.fills.map((f) => [f.role, f.feeExactTicks, f.feeTicks]);
  };
  // 0.0175 x 5 x 0.25 = $0.021875 -> 219 ticks exact per fill; charged 300, then 200
  // (438 exact -> 500 charged in all).
  assert.deepEqual(run(MAKER_FEES), [["maker", 219, 300], ["maker", 219, 200]]);
  assert.deepEqual(run(NO_MAKER_FEES), [["maker", 0, 0], ["maker", 0, 0]]);
});

// ---- rejections and bad input ------------------------------------------------------

Deno.test("market, book and fee checks at arrival reject with a reason", () => {
  const closed = harness([], [], { isOpen: (ts) => ts < 100 });
  closed.order(1, 0, 50, {});
  closed.order(2, 60, 50, {});
  closed.end();
  assert.equal(closed.state(1), "resting");
  assert.equal(closed.done.find((o) => o.id === 2)?.rejectReason, "market_closed");
  const noFees = harness([], [], { fees: null });
  noFees.order(1, 0, 0, {});
  noFees.end();
  assert.equal(noFees.done[0].rejectReason, "no_fee_schedule");
  const empty = new MakerBook(new L2Book("M"), {
    grid: 100,
    fees: () => MAKER_FEES,
    listener: { fill: () => {}, done: () => {} },
  });
  const o = empty.submit(
    1,
    { market: "M", side: "yes", limitPrice: 5000, count: 1, timeInForce: "gtc" },
    0,
    0,
  );
  empty.advanceTo(1);
  assert.equal(o.rejectReason, "book_invalid");
});

Deno.test("malformed orders are rejected at submit with the order_types reason", () => {
  const h = harness([], []);
  const off = h.order(1, 0, 10, { limitPrice: 5050 });
  assert.equal(off.state, "rejected");
  assert.equal(off.rejectReason, "off_tick_grid");
  assert.equal(off.doneTs, 0);
  const ioc = h.order(2, 0, 10, { timeInForce: "ioc", expireTs: 100 });
  assert.equal(ioc.rejectReason, "invalid_expiry");
  const cnt = h.order(3, 0, 10, { count: 0 });
  assert.equal(cnt.rejectReason, "invalid_count");
  assert.equal(h.maker.pendingCount, 0);
  assert.equal(h.done.length, 3);
});

Deno.test("programming errors throw: wrong market, bad ids, bad times, bad config", () => {
  const h = harness([], []);
  assert.throws(
    () =>
      h.maker.submit(
        1,
        { market: "X", side: "yes", limitPrice: 5000, count: 1, timeInForce: "gtc" },
        0,
        0,
      ),
    /another market/,
  );
  h.order(1, 0, 10, {});
  assert.throws(() => h.order(1, 0, 10, {}), /id is already in use, current value is 1/);
  assert.throws(() => h.order(0, 0, 10, {}), /current value is 0/);
  assert.throws(() => h.order(5, 100, -1, {}), /arrival time must be .* current value is 99/);
  assert.throws(() => h.order(6, 1.5, 0, {}), RangeError);
  assert.throws(() => h.cancel(-1, 0, 0), RangeError);
  assert.throws(() => h.maker.cancel(1, 10, 9), RangeError);
  assert.throws(() => validateQueueConfig({ mode: "fifo" as QueueMode, matchWindowMs: 0 }), /mode/);
  assert.throws(
    () => validateQueueConfig({ mode: "pro_rata", matchWindowMs: -1 }),
    /matchWindowMs/,
  );
  assert.throws(
    () =>
      new MakerBook(new L2Book("M"), {
        grid: 0,
        fees: () => MAKER_FEES,
        listener: { fill: () => {}, done: () => {} },
      }),
    /tick grid/,
  );
});

Deno.test("cancelAll finishes every live order", () => {
  const h = harness([], []);
  h.order(1, 0, 0, {});
  h.order(2, 0, 0, { side: "no", limitPrice: 4700 });
  h.order(3, 0, 100, {}); // still pending
  h.maker.advanceTo(1);
  h.maker.cancelAll(50);
  assert.equal(h.maker.restingCount, 0);
  assert.deepEqual(h.done.map((o) => [o.id, o.state, o.doneTs]), [[1, "cancelled", 50], [
    2,
    "cancelled",
    50,
  ]]);
  assert.equal(h.maker.pendingCount, 1);
  h.trade(60, "no", 5000, 100);
  assert.equal(h.fills.length, 0);
});

// ---- conservation (randomised, seeded) -------------------------------------------------

Deno.test("conservation: fills never exceed the volume traded at or through our levels", () => {
  for (const mode of ["pro_rata", "trades_only", "pessimistic"] as const) {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Prng(seed);
      const h = harness([[5000, 2000], [4900, 2000], [4800, 2000]], [[4800, 2000]], {
        config: config(mode, rng.int(3)),
      });
      let id = 0;
      let ts = 0;
      let tradedAtOrThrough = 0;
      const perTrade = new Map<number, number>();
      for (let step = 0; step < 400; step++) {
        ts += 1 + rng.int(3);
        const r = rng.next();
        if (r < 0.1) {
          h.order(++id, ts, rng.int(5), {
            limitPrice: 4800 + 100 * rng.int(3),
            count: 100 * (1 + rng.int(20)),
          });
        } else if (r < 0.15 && id > 0) {
          h.cancel(1 + rng.int(id), ts, rng.int(5));
        } else if (r < 0.55) {
          const price = 4700 + 100 * rng.int(6); // 47c..52c
          const count = 100 * (1 + rng.int(15));
          // Volume that could reach our YES bids (all at >= 4800): at or above the hit price.
          if (price <= 5000) tradedAtOrThrough += count;
          perTrade.set(ts, count);
          h.trade(ts, "no", price, count);
        } else {
          const price = 4800 + 100 * rng.int(3);
          const size = h.book.yes[price];
          const d = rng.next() < 0.5
            ? 100 * (1 + rng.int(10))
            : -Math.min(size, 100 * (1 + rng.int(10)));
          if (d !== 0) h.delta(ts, "yes", price, d);
        }
      }
      h.end();
      const byTs = new Map<number, number>();
      for (const f of h.fills) byTs.set(f.ts, (byTs.get(f.ts) ?? 0) + f.count);
      let total = 0;
      for (const [t, c] of byTs) {
        assert.ok(c <= (perTrade.get(t) ?? 0), `seed ${seed} ${mode}: trade at ${t}`);
        total += c;
      }
      assert.ok(total <= tradedAtOrThrough, `seed ${seed} ${mode}`);
      const byOrder = new Map<number, number>();
      for (const f of h.fills) byOrder.set(f.orderId, (byOrder.get(f.orderId) ?? 0) + f.count);
      for (const o of [...h.done, ...h.maker.liveOrders()]) {
        assert.ok((byOrder.get(o.id) ?? 0) <= o.count, `seed ${seed}: order ${o.id} overfilled`);
        assert.equal(byOrder.get(o.id) ?? 0, o.filled);
      }
    }
  }
});

Deno.test("the same events give the same fills (deterministic)", () => {
  const a = modeScenario("pro_rata").fills;
  const b = modeScenario("pro_rata").fills;
  assert.deepEqual(a, b);
});
