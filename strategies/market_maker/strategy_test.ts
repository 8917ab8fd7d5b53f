import assert from "node:assert/strict";
import type { BookView, MakerOrderView, OrderIntent } from "../../lib/engine/strategy.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import {
  DEFAULT_MARKET_MAKER_PARAMS,
  type MarketMakerParams,
  MarketMakerStrategy,
} from "./strategy.ts";

const M = "KXMMTEST-26JAN05-MID";
const T0 = Date.UTC(2026, 0, 5, 14, 0);
const CLOSE = T0 + 3_600_000;

type Intent = OrderIntent & { readonly assumedFillProbability?: number };

/** A strategy on one market, declared and open, with a fake context. */
function setup(params: Partial<MarketMakerParams> = {}) {
  const mm = new MarketMakerStrategy(params);
  const ctx = new FakeContext();
  deliverAll(mm, ctx, [
    { kind: "event", ts: T0, event: "E", series: "S", mutuallyExclusive: false },
    {
      kind: "market",
      ts: T0,
      market: M,
      event: "E",
      strikeType: "greater",
      floorStrike: 1,
      openTs: T0,
      closeTs: CLOSE,
      priceStep: 100,
    },
    { kind: "lifecycle", ts: T0, market: M, status: "open" },
    // Decides the market once with no book yet; counters start from zero after it.
    { kind: "underlying", ts: T0 + 1, symbol: "X", value: 1 },
  ]);
  const stats = mm.stats as unknown as Record<string, number>;
  for (const k of Object.keys(stats)) stats[k] = 0;
  return { mm, ctx };
}

/**
 * Set the book, deliver a book event at `ts` (the market is touched) and a later
 * event (the market is decided, at ts + 1). Returns the orders sent then.
 */
function step(
  mm: MarketMakerStrategy,
  ctx: FakeContext,
  ts: number,
  book?: BookView,
): Intent[] {
  if (book !== undefined) ctx.books.set(M, book);
  const before = ctx.orders.length;
  const evs: TapeEvent[] = [
    { kind: "book_delta", ts, market: M, seq: 1, side: "yes", price: 100, delta: 1 },
    { kind: "underlying", ts: ts + 1, symbol: "X", value: 1 },
  ];
  deliverAll(mm, ctx, evs);
  return ctx.orders.slice(before) as Intent[];
}

/** What the venue would tell the strategy when an order finishes. */
function done(id: number, o: OrderIntent, filled = 0): MakerOrderView {
  return {
    id,
    market: o.market,
    side: o.side,
    limitPrice: o.limitPrice,
    count: o.count,
    filled,
    state: filled === o.count ? "filled" : "cancelled",
  } as unknown as MakerOrderView;
}

Deno.test("normal band: a post-only YES bid and NO bid around the mid, on the grid", () => {
  const { mm, ctx } = setup();
  const sent = step(mm, ctx, T0 + 1000, testBook(4900, 5100));
  assert.equal(sent.length, 2);
  const [yes, no] = sent;
  assert.equal(yes.side, "yes");
  assert.equal(no.side, "no");
  for (const o of sent) {
    assert.equal(o.timeInForce, "post_only");
    assert.equal(o.count, 500, "5 contracts");
    assert.equal(o.limitPrice % 100, 0, "on the cent grid");
    assert.equal(o.expireTs, CLOSE - 60_000);
    assert.ok(o.assumedFillProbability! > 0 && o.assumedFillProbability! < 1);
    assert.match(o.reason!, /band=normal/);
  }
  // s = 0.5, flat: spread = 0.0025 + 2 ln(1.01) = 0.0224, bid 0.4888 -> 48c, ask 0.5112 -> 52c.
  assert.equal(yes.limitPrice, 4800);
  assert.equal(no.limitPrice, 10_000 - 5200);
  assert.equal(mm.stats.quotesSent, 2);
  assert.equal(mm.stats.bandNormal, 1);
});

Deno.test("inventory skews both quotes against the position", () => {
  const flat = setup({ k: 100 });
  const [fy, fn] = step(flat.mm, flat.ctx, T0 + 1000, testBook(4900, 5100));
  const long = setup({ k: 100 });
  long.ctx.positions.set(M, 1000); // long 10 YES
  const [ly, ln] = step(long.mm, long.ctx, T0 + 1000, testBook(4900, 5100));
  assert.ok(ly.limitPrice < fy.limitPrice, `${ly.limitPrice} < ${fy.limitPrice}`);
  assert.ok(ln.limitPrice > fn.limitPrice, "a higher NO bid = a lower YES ask");
  const short = setup({ k: 100 });
  short.ctx.positions.set(M, -1000);
  const [sy, sn] = step(short.mm, short.ctx, T0 + 1000, testBook(4900, 5100));
  assert.ok(sy.limitPrice > fy.limitPrice);
  assert.ok(sn.limitPrice < fn.limitPrice);
});

Deno.test("quotes never cross the book: a skewed bid stops one tick under the ask", () => {
  const { mm, ctx } = setup({ gammaInventoryDecay: 0, maxPositionContracts: 100 });
  ctx.positions.set(M, -5000); // short 50: r far above the mid
  const [yes, no] = step(mm, ctx, T0 + 1000, testBook(4900, 5100));
  assert.equal(yes.limitPrice, 5000, "bid capped at ask - 1c");
  assert.ok(10_000 - no.limitPrice > 5100);
});

Deno.test("soft band: sizes are cut by softSizeFactor, both sides quoted", () => {
  const { mm, ctx } = setup({ quoteContracts: 5 });
  const sent = step(mm, ctx, T0 + 1000, testBook(1000, 1200));
  assert.deepEqual(sent.map((o) => [o.side, o.count]), [["yes", 200], ["no", 200]]);
  assert.match(sent[0].reason!, /band=soft_low/);
});

Deno.test("hard low band (< 5c): flat, only the cheap YES side is quoted", () => {
  const { mm, ctx } = setup({ k: 100 });
  const sent = step(mm, ctx, T0 + 1000, testBook(300, 500));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].side, "yes");
  assert.ok(sent[0].limitPrice >= 100 && sent[0].limitPrice < 400);
  assert.equal(mm.stats.bandHard, 1);
});

Deno.test("hard low band: the NO side only to reduce a long position, at most its size", () => {
  const { mm, ctx } = setup({ k: 100, quoteContracts: 6 });
  ctx.positions.set(M, 200); // long 2 YES
  const sent = step(mm, ctx, T0 + 1000, testBook(300, 500));
  const no = sent.find((o) => o.side === "no")!;
  assert.equal(no.count, 200, "min(3 contracts, position 2)");
  // Short NO already: a NO bid would add risk, none is sent.
  const b = setup({ k: 100 });
  b.ctx.positions.set(M, -200);
  const sentB = step(b.mm, b.ctx, T0 + 1000, testBook(300, 500));
  assert.deepEqual(sentB.map((o) => o.side), ["yes"]);
});

Deno.test("hard high band (> 95c): only the cheap NO side when flat", () => {
  const { mm, ctx } = setup({ k: 100 });
  const sent = step(mm, ctx, T0 + 1000, testBook(9500, 9700));
  assert.deepEqual(sent.map((o) => o.side), ["no"]);
  assert.ok(sent[0].limitPrice < 500, "NO bid below 5c");
});

Deno.test("a resting expensive-side order is cancelled when the market enters a hard band", () => {
  const { mm, ctx } = setup({ k: 100 });
  const first = step(mm, ctx, T0 + 1000, testBook(600, 800)); // soft: both sides
  assert.equal(first.length, 2);
  step(mm, ctx, T0 + 2000, testBook(300, 500)); // hard low, quotes younger than minQuoteLifeMs
  assert.ok(ctx.cancels.includes(2), "the NO order (id 2) is cancelled at once");
});

Deno.test("position limit: nothing on the side that would pass it, counting live orders", () => {
  const { mm, ctx } = setup({ quoteContracts: 5, maxPositionContracts: 7 });
  ctx.positions.set(M, 700);
  const sent = step(mm, ctx, T0 + 1000, testBook(4900, 5100));
  assert.deepEqual(sent.map((o) => o.side), ["no"], "at +7 only the NO side");
  const b = setup({ quoteContracts: 5, maxPositionContracts: 7 });
  b.ctx.positions.set(M, 400);
  const sentB = step(b.mm, b.ctx, T0 + 1000, testBook(4900, 5100));
  assert.equal(sentB.find((o) => o.side === "yes")!.count, 300, "room for 3 YES");
  // The resting YES order uses the room: a replacement cannot add to it.
  b.ctx.positions.set(M, 400);
  const again = step(b.mm, b.ctx, T0 + 20_000, testBook(5400, 5600));
  assert.equal(again.filter((o) => o.side === "yes").length, 0, "3 still resting (cancel pending)");
  assert.ok(b.ctx.cancels.includes(1));
  // Once the venue confirms the cancel, the room is free again.
  mm.onOrderDone(done(99, sentB[0]), ctx); // unknown id: ignored
  b.mm.onOrderDone(done(1, sentB[0]), b.ctx);
  const third = step(b.mm, b.ctx, T0 + 21_000);
  assert.equal(third.find((o) => o.side === "yes")!.count, 300);
});

Deno.test("replacement only beyond the drift thresholds and of quotes older than minQuoteLifeMs", () => {
  const { mm, ctx } = setup({ replaceTicks: 200, minQuoteLifeMs: 5000 });
  assert.equal(step(mm, ctx, T0 + 1000, testBook(4900, 5100)).length, 2);
  assert.equal(step(mm, ctx, T0 + 2000).length, 0, "same book: keep");
  assert.equal(step(mm, ctx, T0 + 3000, testBook(5000, 5200)).length, 0, "1c move: keep");
  assert.equal(ctx.cancels.length, 0);
  assert.equal(step(mm, ctx, T0 + 4000, testBook(5200, 5400)).length, 0, "3c, quotes too young");
  const moved = step(mm, ctx, T0 + 7000);
  assert.equal(moved.length, 2, "3c move, quotes 6 s old: replace both");
  assert.deepEqual(ctx.cancels, [1, 2]);
  assert.equal(mm.stats.replacements, 2);
});

Deno.test("spread throttle with hysteresis: stop above 10c, resume only below 6c", () => {
  const { mm, ctx } = setup();
  assert.equal(step(mm, ctx, T0 + 1000, testBook(4900, 5100)).length, 2);
  assert.equal(step(mm, ctx, T0 + 2000, testBook(4400, 5600)).length, 0, "12c: stop");
  assert.deepEqual(ctx.cancels, [1, 2], "quotes pulled");
  assert.equal(step(mm, ctx, T0 + 3000, testBook(4600, 5400)).length, 0, "8c: still stopped");
  assert.equal(mm.stats.pulledSpread, 2);
  mm.onOrderDone(done(1, ctx.orders[0]), ctx);
  mm.onOrderDone(done(2, ctx.orders[1]), ctx);
  assert.equal(step(mm, ctx, T0 + 4000, testBook(4800, 5300)).length, 2, "5c: resume");
});

Deno.test("thin-book throttle: stop under 5 contracts at the touch, resume above 20", () => {
  const { mm, ctx } = setup();
  assert.equal(step(mm, ctx, T0 + 1000, testBook(4900, 5100, 400, 5000)).length, 0);
  assert.equal(mm.stats.pulledThin, 1);
  assert.equal(step(mm, ctx, T0 + 2000, testBook(4900, 5100, 1500, 5000)).length, 0);
  const sent = step(mm, ctx, T0 + 3000, testBook(4900, 5100, 2500, 5000));
  assert.equal(sent.length, 2);
  // Sizes of 0 at a price: a top-of-book quote of unknown size, no thin check.
  const q = setup();
  assert.equal(step(q.mm, q.ctx, T0 + 1000, testBook(4900, 5100, 0, 0)).length, 2);
});

Deno.test("caution zone of the thin throttle widens the quotes by widenTicks", () => {
  const a = setup();
  const [ay, an] = step(a.mm, a.ctx, T0 + 1000, testBook(4900, 5100, 5000, 5000));
  const b = setup({ widenTicks: 200 });
  const [by, bn] = step(b.mm, b.ctx, T0 + 1000, testBook(4900, 5100, 1000, 5000));
  assert.equal(by.limitPrice, ay.limitPrice - 200);
  assert.equal(bn.limitPrice, an.limitPrice - 200);
});

Deno.test("adverse-selection throttle: fills followed by a falling mid stop quoting", () => {
  const { mm, ctx } = setup({ adverseHorizonMs: 30_000, adverseStopTicks: 500 });
  const [yes] = step(mm, ctx, T0 + 1000, testBook(4900, 5100));
  ctx.now = T0 + 5000;
  mm.onFill({
    orderId: 1,
    market: M,
    side: "yes",
    ts: T0 + 5000,
    price: yes.limitPrice,
    count: 500,
    role: "maker",
    source: "at_level",
    feeTicks: 0,
    feeExactTicks: 0,
    queueAheadAtArrival: 0,
  }, ctx);
  assert.equal(mm.fillLog.length, 1);
  assert.equal(mm.fillLog[0].midAtFill, 5000);
  mm.onOrderDone(done(1, yes, 500), ctx);
  ctx.positions.set(M, 500);
  const after = step(mm, ctx, T0 + 36_000, testBook(4300, 4500)); // 6c against the YES buy
  assert.equal(after.length, 0);
  assert.ok(mm.stats.pulledAdverse >= 1);
  assert.deepEqual(ctx.cancels, [2], "the NO quote is pulled too");
});

Deno.test("one decision per timestamp: a burst at one time is decided once, after it", () => {
  const { mm, ctx } = setup();
  ctx.books.set(M, testBook(4900, 5100));
  const burst: TapeEvent[] = [1, 2, 3].map((seq) => ({
    kind: "book_delta",
    ts: T0 + 1000,
    market: M,
    seq,
    side: "yes",
    price: 4900,
    delta: 10,
  }));
  deliverAll(mm, ctx, burst);
  assert.equal(mm.stats.decisions, 0, "not decided inside the burst");
  deliverAll(mm, ctx, [{ kind: "underlying", ts: T0 + 1001, symbol: "X", value: 1 }]);
  assert.equal(mm.stats.decisions, 1);
  assert.equal(ctx.orders.length, 2);
});

Deno.test("no quotes on an invalid or one-sided book, or near the close", () => {
  const { mm, ctx } = setup();
  assert.equal(step(mm, ctx, T0 + 1000, testBook(4900, 5100, 5000, 5000, false)).length, 0);
  assert.equal(step(mm, ctx, T0 + 2000, testBook(0, 5100)).length, 0);
  assert.equal(step(mm, ctx, T0 + 3000, testBook(4900, 10_000)).length, 0);
  assert.equal(mm.stats.pulledNoBook, 3);
  assert.equal(step(mm, ctx, CLOSE - 30_000, testBook(4900, 5100)).length, 0);
  assert.equal(mm.stats.pulledClosing, 1);
});

Deno.test("markets outside marketPrefix are ignored", () => {
  const { mm, ctx } = setup({ marketPrefix: "KXOTHER" });
  assert.equal(step(mm, ctx, T0 + 1000, testBook(4900, 5100)).length, 0);
  assert.equal(mm.marketCount, 0);
});

Deno.test("an order rejected during submit is not tracked", () => {
  const { mm, ctx } = setup();
  const submit = ctx.submit.bind(ctx);
  ctx.submit = (o) => {
    const id = submit(o);
    mm.onOrderDone(done(id, o), ctx); // the venue rejects at once
    return id;
  };
  step(mm, ctx, T0 + 1000, testBook(4900, 5100));
  assert.equal(ctx.orders.length, 2);
  // Nothing is tracked, so the next decision quotes again without cancelling.
  ctx.submit = submit;
  assert.equal(step(mm, ctx, T0 + 2000).length, 2);
  assert.equal(ctx.cancels.length, 0);
});

Deno.test("orders never seen at the venue are dropped after orderTimeoutMs", () => {
  const { mm, ctx } = setup({ orderTimeoutMs: 60_000, maxPositionContracts: 5 });
  assert.equal(step(mm, ctx, T0 + 1000, testBook(4900, 5100)).length, 2);
  assert.equal(step(mm, ctx, T0 + 30_000).length, 0, "still waiting");
  // FakeContext.openOrders is empty: the orders were never seen (e.g. risk-rejected).
  assert.equal(step(mm, ctx, T0 + 62_000).length, 2);
  assert.equal(mm.stats.orphans, 2);
});

Deno.test("a cancel not confirmed is sent again after cancelRetryMs", () => {
  const { mm, ctx } = setup({ cancelRetryMs: 10_000 });
  step(mm, ctx, T0 + 1000, testBook(4900, 5100));
  step(mm, ctx, T0 + 2000, testBook(4400, 5600)); // pull
  assert.deepEqual(ctx.cancels, [1, 2]);
  step(mm, ctx, T0 + 5000);
  assert.deepEqual(ctx.cancels, [1, 2]);
  step(mm, ctx, T0 + 13_000);
  assert.deepEqual(ctx.cancels, [1, 2, 1, 2]);
});

Deno.test("a model fair value is blended in with modelWeight", () => {
  const mm = new MarketMakerStrategy({ modelWeight: 1, k: 100 }, { fairYes: () => 0.6 });
  const ctx = new FakeContext();
  deliverAll(mm, ctx, [
    { kind: "event", ts: T0, event: "E", series: "S", mutuallyExclusive: false },
    {
      kind: "market",
      ts: T0,
      market: M,
      event: "E",
      strikeType: "greater",
      floorStrike: 1,
      openTs: T0,
      closeTs: CLOSE,
      priceStep: 100,
    },
    { kind: "lifecycle", ts: T0, market: M, status: "open" },
  ]);
  const sent = step(mm, ctx, T0 + 1000, testBook(4800, 5200));
  assert.match(sent[0].reason!, /s=0\.6000/);
  assert.equal(sent[0].limitPrice, 5100, "YES bid pulled up to one tick under the ask");
});

Deno.test("parameters are validated with the name and value", () => {
  const bad: [Partial<MarketMakerParams>, RegExp][] = [
    [{ gamma: 0 }, /gamma must be finite and > 0, current value is 0/],
    [{ k: NaN }, /k must be finite and > 0/],
    [{ quoteContracts: 1.5 }, /quoteContracts must be an integer >= 1, current value is 1.5/],
    [{ maxPositionContracts: 0 }, /maxPositionContracts must be an integer >= 1/],
    [{ modelWeight: 2 }, /modelWeight must be in \[0, 1\]/],
    [{ softSizeFactor: -0.1 }, /softSizeFactor must be in \[0, 1\]/],
    [{ hardBandTicks: 2000 }, /hard <= soft/],
    [{ spreadResumeTicks: 2000 }, /spreadResumeTicks must be <= spreadStopTicks \(1000\)/],
    [{ thinResumeContracts: 1 }, /thinResumeContracts must be >= thinStopContracts/],
    [{ adverseResumeTicks: 5000 }, /adverseResumeTicks must be <= adverseStopTicks/],
    [{ widenTicks: -1 }, /widenTicks must be finite and >= 0/],
    [
      { stopBeforeCloseMs: 1.5 },
      /stopBeforeCloseMs must be an integer of ms, current value is 1.5/,
    ],
    [{ marketPrefix: 5 as unknown as string }, /marketPrefix must be a string/],
  ];
  for (const [p, re] of bad) assert.throws(() => new MarketMakerStrategy(p), re);
  const mm = new MarketMakerStrategy();
  assert.deepEqual({ ...mm.params }, { ...DEFAULT_MARKET_MAKER_PARAMS });
  assert.equal(mm.name, "market_maker");
});
