import assert from "node:assert/strict";
import { BTC_EVENT, btcThresholdLadder } from "../lib/market/test_fixtures.ts";
import { marketProbabilities, pmfFromCdf } from "../lib/pricing/pmf.ts";
import { evPerContract } from "../lib/pricing/ev.ts";
import { BtcStrategy, DEFAULT_BTC_PARAMS } from "./btc/strategy.ts";
import { settlementDistribution, varPerMsFromAnnualVol } from "./btc/model.ts";
import { FakeContext, testBook } from "./test_context.ts";
import { anyMarketOpen, takeFeeAwareEdges, wholeContracts } from "./taker.ts";

const T0 = 1_770_000_000_000;
const CLOSE = T0 + 3_600_000;

function setup(): FakeContext {
  const ctx = new FakeContext();
  ctx.now = T0 + 1000;
  const ladder = btcThresholdLadder([72999.99, 73249.99, 73499.99]);
  ctx.ladders.set(BTC_EVENT, ladder);
  ctx.seriesByEvent.set(BTC_EVENT, "KXBTCD");
  for (const m of ladder.markets) {
    ctx.open.add(m);
    ctx.closes.set(m, CLOSE);
  }
  ctx.books.set(ladder.markets[0], testBook(5800, 6000, 5000, 2500)); // cheap YES
  ctx.books.set(ladder.markets[1], testBook(4700, 5300));
  ctx.books.set(ladder.markets[2], testBook(3500, 3700, 450, 5000)); // rich YES bid
  return ctx;
}

Deno.test("the BTC strategy sends the shared taker's orders on the PMF of its settlement model", () => {
  // The BTC strategy through its own path.
  const a = setup();
  const s = new BtcStrategy();
  const markets = a.ladders.get(BTC_EVENT)!.markets;
  s.onEvent(
    { kind: "event", ts: T0, event: BTC_EVENT, series: "KXBTCD", mutuallyExclusive: false },
    a,
  );
  for (const [i, k] of [72999.99, 73249.99, 73499.99].entries()) {
    s.onEvent({
      kind: "market",
      ts: T0,
      market: markets[i],
      event: BTC_EVENT,
      strikeType: "greater",
      floorStrike: k,
      openTs: T0,
      closeTs: CLOSE,
      priceStep: 100,
    }, a);
  }
  s.onEvent({ kind: "underlying", ts: a.now, symbol: "BTC", value: 73100 }, a);
  assert.ok(a.orders.length >= 2, `BTC sent ${a.orders.length}`);

  // The shared taker on the same probabilities.
  const b = setup();
  const ladder = b.ladders.get(BTC_EVENT)!;
  const v = varPerMsFromAnnualVol(DEFAULT_BTC_PARAMS.initialAnnualVol);
  const pmf = pmfFromCdf(ladder, settlementDistribution(73100, v, CLOSE - b.now, 60_000, 73100, 0));
  const n = takeFeeAwareEdges(
    b,
    ladder,
    marketProbabilities(ladder, pmf),
    b.fee,
    DEFAULT_BTC_PARAMS,
  );
  assert.equal(n, b.orders.length);
  assert.deepEqual(b.orders, a.orders);
});

Deno.test("takeFeeAwareEdges: EV, sides, sizes and limits", () => {
  const ctx = setup();
  const ladder = ctx.ladders.get(BTC_EVENT)!;
  const [m0, m1, m2] = ladder.markets;
  const probs = [0.8, 0.5, 0.1];
  takeFeeAwareEdges(ctx, ladder, probs, ctx.fee, { edgeTicks: 300, maxContracts: 10 });
  assert.equal(ctx.orders.length, 2);
  const [buy, sell] = ctx.orders;
  assert.equal(buy.market, m0);
  assert.equal(buy.side, "yes");
  assert.equal(buy.limitPrice, 6000);
  assert.equal(buy.count, 1000);
  const ev = evPerContract(0.8, "yes", 6000, 1000, ctx.fee, "taker");
  assert.equal(buy.reason, `ev=${ev.toFixed(1)}ticks p=0.8000`);
  assert.equal(sell.market, m2);
  assert.equal(sell.side, "no");
  assert.equal(sell.limitPrice, 6500);
  assert.equal(sell.count, 400, "4.5 contracts at the touch: 4 whole");

  // Limits: at +10 no YES; at -7 on m2 only 3 more NO.
  const c2 = setup();
  c2.positions.set(m0, 1000);
  c2.positions.set(m2, -700);
  takeFeeAwareEdges(c2, ladder, probs, c2.fee, { edgeTicks: 300, maxContracts: 10 });
  assert.deepEqual(c2.orders.map((o) => [o.market, o.count]), [[m2, 300]]);

  // A large edge requirement: nothing. Closed or invalid books: skipped.
  const c3 = setup();
  assert.equal(
    takeFeeAwareEdges(c3, ladder, probs, c3.fee, { edgeTicks: 5000, maxContracts: 10 }),
    0,
  );
  const c4 = setup();
  c4.open.delete(m0);
  c4.books.set(m2, testBook(3500, 3700, 450, 5000, false));
  assert.equal(
    takeFeeAwareEdges(c4, ladder, probs, c4.fee, { edgeTicks: 300, maxContracts: 10 }),
    0,
  );
  // Probabilities slightly outside [0, 1] are clamped.
  const c5 = setup();
  takeFeeAwareEdges(c5, ladder, [1 + 1e-12, 0.5, -1e-12], c5.fee, {
    edgeTicks: 300,
    maxContracts: 10,
  });
  assert.equal(c5.orders.length, 2);
  assert.ok(ctx.isOpen(m1));
});

Deno.test("takeFeeAwareEdges rejects mismatched probabilities; wholeContracts floors", () => {
  const ctx = setup();
  const ladder = ctx.ladders.get(BTC_EVENT)!;
  assert.throws(
    () => takeFeeAwareEdges(ctx, ladder, [0.5], ctx.fee, { edgeTicks: 1, maxContracts: 1 }),
    /probs must have one entry per market \(3\), current value is 1/,
  );
  assert.equal(wholeContracts(250), 200);
  assert.equal(wholeContracts(99), 0);
  assert.equal(wholeContracts(-300), 0);
});

Deno.test("anyMarketOpen: true once one market is open, false for none or no markets", () => {
  const ctx = new FakeContext();
  ctx.closes.set("A", 1_000);
  ctx.closes.set("B", 1_000);
  assert.equal(anyMarketOpen(ctx, ["A", "B"]), false);
  ctx.open.add("B");
  assert.equal(anyMarketOpen(ctx, ["A", "B"]), true);
  assert.equal(anyMarketOpen(ctx, []), false);
  ctx.now = 1_000; // at close nothing is open
  assert.equal(anyMarketOpen(ctx, ["A", "B"]), false);
});
