/**
 * The replay venue with resting orders: queue position, post-only rejection,
 * fills through the level, cancels, close-time cancel-all and risk rejections,
 * on the hand-built tiny ladder (tests/helpers.ts): the middle market's YES bids
 * are 4900 x 10 and 4800 x 20 contracts, its YES ask 5100; at +60 s 5 contracts
 * trade at 4900 with a NO taker (they hit the YES bids at 4900).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { OrderIntent, Strategy, StrategyContext } from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { arrayBlockSource } from "../lib/tape/block.ts";
import type { MakerOrderView, QueueFill } from "../lib/engine/queue_fill.ts";
import { runInTemp, tinyLadderTape } from "./helpers.ts";
import { ResultsDb } from "../lib/store/results_db.ts";

const MID = "KXTEST-26JAN05-B";

/** Sends the given orders at the first underlying tick (+2 s) and records callbacks. */
class Sender implements Strategy {
  readonly name = "sender";
  readonly params = {};
  readonly ids: number[] = [];
  readonly fills: QueueFill[] = [];
  readonly done: MakerOrderView[] = [];
  #sent = false;
  constructor(
    readonly orders: OrderIntent[],
    public cancelAt?: { ts: number; index: number },
  ) {}
  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    if (!this.#sent && ev.kind === "underlying") {
      this.#sent = true;
      for (const o of this.orders) this.ids.push(ctx.submit(o));
    }
    if (this.cancelAt !== undefined && ctx.now >= this.cancelAt.ts && this.ids.length > 0) {
      ctx.cancel(this.ids[this.cancelAt.index]);
      this.cancelAt = undefined;
    }
  }
  onFill(f: QueueFill): void {
    this.fills.push(f);
  }
  onOrderDone(o: MakerOrderView): void {
    this.done.push(o);
  }
}

const order = (o: Partial<OrderIntent>): OrderIntent => ({
  market: MID,
  side: "yes",
  limitPrice: 4900,
  count: 100,
  timeInForce: "gtc",
  ...o,
});

async function run(s: Sender, replay = {}, tickAt?: number) {
  const tape = tinyLadderTape();
  if (tickAt !== undefined) {
    tape.push({ kind: "underlying", ts: tape[0].ts + tickAt, symbol: "X", value: 104 });
    tape.sort((a, b) => a.ts - b.ts);
  }
  return await runInTemp(s, [arrayBlockSource("tiny", tape)], { replay });
}

Deno.test("a resting order behind 10 contracts does not fill from a 5-contract trade", async () => {
  const s = new Sender([order({})]);
  const r = await run(s);
  assert.equal(r.result.fills.length, 0);
  const row = r.result.orders[0];
  assert.equal(row.status, "cancelled", "cancelled when the market closed");
  assert.equal(s.done[0].queueAheadAtArrival, 1000);
});

Deno.test("an order inside the spread fills as maker when a trade goes through its level", async () => {
  const s = new Sender([order({ limitPrice: 5000 })]);
  const r = await run(s);
  assert.equal(r.result.fills.length, 1);
  const f = r.result.fills[0];
  assert.deepEqual(
    [f.price, f.count, f.role, f.feeTicks],
    [5000, 100, "maker", 0],
    "quadratic series: makers pay no fee",
  );
  assert.equal(r.result.orders[0].status, "filled");
  assert.equal(s.fills.length, 1);
  const settled = r.result.settlements.find((x) => x.market === MID)!;
  assert.equal(settled.position, 100, "the YES contract bought is held to settlement");
});

Deno.test("a post-only order that would cross is rejected and stored with its reason", async () => {
  const s = new Sender([order({ limitPrice: 5100, timeInForce: "post_only" })]);
  const r = await run(s);
  assert.equal(r.result.fills.length, 0);
  assert.equal(r.result.orders[0].status, "rejected");
  assert.match(r.result.orders[0].reason, /cross/);
});

Deno.test("a cancel that arrives before the trade leaves the order unfilled", async () => {
  const t0 = tinyLadderTape()[0].ts;
  const s = new Sender([order({ limitPrice: 5000 })], { ts: t0 + 30_000, index: 0 });
  const r = await run(s, {}, 30_000);
  assert.equal(r.result.fills.length, 0);
  assert.equal(r.result.orders[0].status, "cancelled");
});

Deno.test("a cancel sent too late does not undo a fill", async () => {
  const t0 = tinyLadderTape()[0].ts;
  // The trade is at +60 s; the cancel is sent at +60 s and arrives 250 ms later.
  const s = new Sender([order({ limitPrice: 5000 })], { ts: t0 + 60_000, index: 0 });
  const r = await run(s);
  assert.equal(r.result.fills.length, 1);
  assert.equal(r.result.orders[0].status, "filled");
});

Deno.test("risk limits reject an order before it is sent and the rule is stored", async () => {
  const s = new Sender([order({ count: 500 }), order({ count: 100, limitPrice: 5000 })]);
  const r = await run(s, { risk: { maxOrderCount: 200 } });
  const rows = [...r.result.orders].sort((a, b) => a.id - b.id);
  assert.equal(rows[0].status, "rejected");
  assert.match(rows[0].reason, /risk:order_size/);
  assert.equal(rows[1].status, "filled");
});

Deno.test("a forecast's calibration age is reported and a calibration after now is refused", async () => {
  class Calibrated implements Strategy {
    readonly name = "calibrated";
    readonly params = {};
    constructor(readonly lag: number) {}
    onEvent(ev: TapeEvent, ctx: StrategyContext): void {
      if (ev.kind !== "underlying") return;
      ctx.forecast("KXTEST-26JAN05", Float64Array.from([0.2, 0.6, 0.2]), {
        calibratedTs: ctx.now - this.lag,
      });
    }
  }
  const r = await runInTemp(new Calibrated(86_400_000), [arrayBlockSource("t", tinyLadderTape())], {
    reports: true,
  });
  assert.equal(r.result.eventForecasts[0].calibratedTs, r.result.eventForecasts[0].ts - 86_400_000);
  const row = r.reportData.summary.find((x) => x.label.startsWith("Calibration age"));
  assert.equal(row?.value, "1.0 d / 1.0 d (1 forecasts)");
  await assert.rejects(
    () => runInTemp(new Calibrated(-1), [arrayBlockSource("t", tinyLadderTape())]),
    /look-ahead/,
  );
});

Deno.test("a factor gate records a decision per order; enforce suppresses, shadow delivers", async () => {
  // Skew at +2 s is 0.5 (equal depth on both sides): a gate skew >= 0.6 fails it.
  const gate = { factor: "skew", op: ">=" as const, threshold: 0.6 };
  const enforce = new Sender([order({ limitPrice: 5000 })]);
  const r1 = await run(enforce, { gate: { mode: "enforce", ...gate } });
  assert.equal(r1.result.fills.length, 0);
  assert.equal(r1.result.orders[0].status, "rejected");
  assert.match(r1.result.orders[0].reason, /gated: skew 0\.5/);
  assert.equal(enforce.done[0].rejectReason, "gated");
  assert.deepEqual(
    r1.result.gateDecisions.map((d) => [d.orderId, d.pass, d.delivered, d.value]),
    [[1, false, false, 0.5]],
  );
  const shadow = new Sender([order({ limitPrice: 5000 })]);
  const r2 = await run(shadow, { gate: { mode: "shadow", ...gate } });
  assert.equal(r2.result.fills.length, 1, "shadow: the order is sent and fills as before");
  assert.deepEqual(r2.result.gateDecisions.map((d) => [d.pass, d.delivered]), [[false, true]]);
  const db = ResultsDb.open(r2.dbPath);
  try {
    assert.equal(db.records(r2.runId, "gate_decisions").length, 1);
  } finally {
    db.close();
  }
});

Deno.test("each risk rule rejects an order through the venue and the rule is stored with it", async () => {
  // Order 1: 1 contract YES at 50c (worst loss $0.50); order 2: 3 contracts (worst loss $1.50).
  const cases: [string, Record<string, unknown>][] = [
    ["order_size", { maxOrderCount: 200 }],
    ["order_cost", { maxOrderCost: 10_000 }],
    ["order_rate", { orderRate: { maxOrders: 1, intervalMs: 60_000 } }],
    ["market_order_rate", { marketOrderRate: { maxOrders: 1, intervalMs: 60_000 } }],
    ["position_limit", { maxPosition: 250 }],
    ["strike_max_loss", { maxStrikeLoss: 10_000 }],
    ["event_max_loss", { maxEventLoss: 10_000 }],
    ["portfolio_max_loss", { maxPortfolioLoss: 10_000 }],
    ["var", { var: { confidence: 0.99, maxLoss: 10_000 } }],
  ];
  for (const [rule, risk] of cases) {
    const s = new Sender([order({ count: 100, limitPrice: 5000 }), order({ count: 300 })]);
    const r = await run(s, { risk });
    const db = ResultsDb.open(r.dbPath);
    try {
      const rows = db.orders(r.runId).sort((a, b) => a.id - b.id);
      assert.notEqual(rows[0].status, "rejected", `${rule}: the first order passes`);
      assert.equal(rows[1].status, "rejected", rule);
      assert.match(rows[1].reason, new RegExp(`risk:${rule}:`), rule);
    } finally {
      db.close();
    }
    assert.equal(s.done.find((o) => o.id === 2)?.rejectReason, "risk", `${rule}: strategy told`);
  }
});
