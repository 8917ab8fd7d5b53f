import assert from "node:assert/strict";
import { type OrderRiskContext, RiskEngine, RULE_ORDER, type RuleName } from "./risk_engine.ts";
import type { RiskLimits } from "./limits.ts";
import type { OrderIntent } from "../engine/strategy.ts";
import type { Side } from "../tape/events.ts";
import type { FeeParams } from "../fees/fees.ts";
import { Portfolio } from "../engine/portfolio.ts";
import { Prng } from "../random/prng.ts";
import { btcThresholdLadder, weatherLadder } from "../market/test_fixtures.ts";
import { type Holdings, scenarioLoss } from "./exposure.ts";
import { CONFIDENCE_TOLERANCE } from "./var.ts";

const NO_FEE: FeeParams = { feeType: "quadratic", multiplier: 0 };
const FREE: OrderRiskContext = { fee: NO_FEE };

function order(market: string, side: Side, limitPrice: number, count: number): OrderIntent {
  return { market, side, limitPrice, count, timeInForce: "ioc" };
}

function engineWith(limits: RiskLimits, bankrollTicks?: number) {
  return RiskEngine.create(limits, bankrollTicks === undefined ? {} : { bankrollTicks });
}

/** Asserts the check's outcome: accepted (rule undefined) or rejected by `rule`. */
function expectRule(
  r: ReturnType<RiskEngine["check"]>,
  rule: RuleName | undefined,
  msg?: string,
): void {
  if (rule === undefined) {
    assert.deepEqual(r, { ok: true }, msg);
  } else {
    assert.equal(r.ok, false, msg);
    if (!r.ok) assert.equal(r.rule, rule, `${msg ?? ""} ${r.detail}`);
  }
}

// ---- creation -----------------------------------------------------------------

Deno.test("create validates limits and options", () => {
  assert.throws(
    () => RiskEngine.create({ maxOrderCount: -1 }),
    /Cannot use risk limits: maxOrderCount must be a non-negative integer/,
  );
  assert.throws(
    () => RiskEngine.create({ kelly: { multiplier: 0.5, maxFraction: 0.1 } }),
    /the kelly rule needs bankrollTicks, current value is undefined/,
  );
  assert.throws(
    () => RiskEngine.create({}, { bankrollTicks: -5 }),
    /bankrollTicks must be a non-negative integer of ticks, current value is -5/,
  );
  assert.throws(
    () => RiskEngine.create({}, { defaultFee: { feeType: "quadratic", multiplier: 1.5 } }),
    /multiplier/,
  );
  const { engine } = RiskEngine.create({});
  assert.ok(Object.isFrozen(engine.limits));
  expectRule(engine.check(order("M", "yes", 5000, 1_000_000), 0), undefined);
});

// ---- invalid orders -------------------------------------------------------------

Deno.test("invalid orders are rejected by invalid_order with the bad field", () => {
  const { engine } = engineWith({});
  const bad: [OrderIntent, RegExp][] = [
    [order("", "yes", 5000, 100), /market must be a non-empty ticker/],
    [
      order("M", "maybe" as Side, 5000, 100),
      /side must be "yes" or "no", current value is "maybe"/,
    ],
    [order("M", "yes", 0, 100), /limit price must be .* 1\.\.9999, current value is 0/],
    [order("M", "yes", 10_000, 100), /current value is 10000/],
    [order("M", "yes", 50.5, 100), /current value is 50\.5/],
    [order("M", "yes", 5000, 0), /count must be a positive integer .* current value is 0/],
    [order("M", "yes", 5000, -100), /current value is -100/],
    [order("M", "yes", 5000, Number.NaN), /current value is NaN/],
  ];
  let t = 0;
  for (const [o, re] of bad) {
    const r = engine.check(o, t++);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.rule, "invalid_order");
      assert.match(r.detail, re);
    }
  }
  engine.onSettlement("S", "no", t);
  const r = engine.check(order("S", "yes", 100, 100), t);
  assert.ok(!r.ok && r.rule === "invalid_order" && /already settled no/.test(r.detail));
});

// ---- order size, cost and rates ---------------------------------------------------

Deno.test("order_size: at, just under and just over the cap", () => {
  const { engine } = engineWith({ maxOrderCount: 1000 });
  expectRule(engine.check(order("M", "yes", 5000, 999), 0), undefined);
  expectRule(engine.check(order("M", "yes", 5000, 1000), 0), undefined);
  expectRule(engine.check(order("M", "yes", 5000, 1001), 0), "order_size");
});

Deno.test("order_cost: worst-case notional plus the cent-rounded fee, at the limit passes", () => {
  // 10 contracts at $0.50 with M = 1: $5.00 + $0.175 fee charged as $0.18.
  const { engine } = engineWith({ maxOrderCost: 51_800 });
  expectRule(engine.check(order("M", "yes", 5000, 1000), 0), undefined);
  expectRule(engine.check(order("M", "no", 5000, 999), 0), undefined); // 49,950 + 1,800
  const r = engine.check(order("M", "yes", 5000, 1001), 0); // 50,050 + 1,800
  expectRule(r, "order_cost");
  assert.ok(!r.ok && r.detail.includes("worst-case cost 51850 ticks (notional 50050 + fee 1800)"));
  // The fee in force comes from the context; without it M = 1 is assumed.
  expectRule(engine.check(order("M", "yes", 5000, 1001), 0, FREE), undefined); // 50,050
});

Deno.test("order_rate: a sliding window over accepted orders only", () => {
  const { engine } = engineWith({
    orderRate: { maxOrders: 2, intervalMs: 1000 },
    maxOrderCount: 10,
  });
  expectRule(engine.check(order("A", "yes", 5000, 1), 0), undefined);
  expectRule(engine.check(order("B", "yes", 5000, 1), 1), undefined); // at the limit
  expectRule(engine.check(order("C", "yes", 5000, 1), 2), "order_rate"); // over
  expectRule(engine.check(order("C", "yes", 5000, 1), 999), "order_rate");
  // A rejected order takes no slot: the one at 0 leaves at 1000.
  expectRule(engine.check(order("C", "yes", 5000, 11), 1000), "order_size");
  expectRule(engine.check(order("C", "yes", 5000, 1), 1000), undefined);
  expectRule(engine.check(order("C", "yes", 5000, 1), 1000), "order_rate");
});

Deno.test("market_order_rate: per market, at, under and over", () => {
  const { engine } = engineWith({ marketOrderRate: { maxOrders: 2, intervalMs: 60_000 } });
  expectRule(engine.check(order("A", "yes", 5000, 1), 0), undefined);
  expectRule(engine.check(order("A", "no", 5000, 1), 10), undefined);
  expectRule(engine.check(order("A", "yes", 5000, 1), 20), "market_order_rate");
  expectRule(engine.check(order("B", "yes", 5000, 1), 20), undefined);
  expectRule(engine.check(order("A", "yes", 5000, 1), 60_000), undefined);
});

// ---- positions and losses -----------------------------------------------------------

Deno.test("position_limit: absolute net position, and reducing orders pass", () => {
  const { engine } = engineWith({ maxPosition: 1000 });
  expectRule(engine.check(order("M", "yes", 5000, 999), 0), undefined);
  expectRule(engine.check(order("M", "yes", 5000, 1000), 0), undefined);
  expectRule(engine.check(order("M", "yes", 5000, 1001), 0), "position_limit");
  expectRule(engine.check(order("M", "no", 5000, 1001), 0), "position_limit");
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 1);
  expectRule(engine.check(order("M", "yes", 5000, 1), 2), "position_limit");
  expectRule(engine.check(order("M", "no", 5000, 2000), 2), undefined); // -> -1000
  expectRule(engine.check(order("M", "no", 5000, 2001), 2), "position_limit");
  // A position beyond the limit (the limit does not check fills) can still shrink.
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 500, feeTicks: 0 }, 3);
  expectRule(engine.check(order("M", "no", 5000, 100), 4), undefined); // 1500 -> 1400
  expectRule(engine.check(order("M", "yes", 5000, 1), 4), "position_limit");
});

Deno.test("strike_max_loss: worst settlement loss of one market", () => {
  const { engine } = engineWith({ maxStrikeLoss: 50_000 });
  expectRule(engine.check(order("M", "yes", 5000, 999), 0, FREE), undefined); // 49,950
  expectRule(engine.check(order("M", "yes", 5000, 1000), 0, FREE), undefined); // 50,000
  expectRule(engine.check(order("M", "yes", 5000, 1001), 0, FREE), "strike_max_loss");
  // With the default fee (M = 1) the same order costs $0.18 more.
  expectRule(engine.check(order("M", "yes", 5000, 1000), 0), "strike_max_loss");
  // Buying NO at $0.40 risks $0.40 a contract.
  expectRule(engine.check(order("M", "no", 4000, 1250), 0, FREE), undefined);
  expectRule(engine.check(order("M", "no", 4000, 1251), 0, FREE), "strike_max_loss");
});

Deno.test("strike_max_loss: a hedge that leaves the loss over the limit but lower passes", () => {
  const { engine } = engineWith({ maxStrikeLoss: 10_000 });
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 0);
  // Worst now 50,000 (NO). Buying 500 NO at $0.40: spent 70,000, worst 20,000 < 50,000.
  expectRule(engine.check(order("M", "no", 4000, 500), 1, FREE), undefined);
  // Adding YES raises the worst case: rejected.
  expectRule(engine.check(order("M", "yes", 100, 1), 1, FREE), "strike_max_loss");
});

Deno.test("event_max_loss: scenarios over the ladder bins net the markets of an event", () => {
  const ladder = weatherLadder(); // 8 bins, one market each
  const { engine } = engineWith({ maxEventLoss: 7000 });
  engine.registerLadder(ladder);
  // Buying 1 YES at $0.10 in bins 0..6: worst is "bin 7 wins", losing k x $0.10.
  for (let i = 0; i < 7; i++) {
    const m = ladder.markets[i];
    expectRule(engine.check(order(m, "yes", 1000, 100), i, FREE), undefined, `bin ${i}`);
    engine.onFill({ market: m, side: "yes", price: 1000, count: 100, feeTicks: 0 }, i);
  }
  // Now 7,000 at risk (at the limit). One more cent in any of those bins is over.
  expectRule(engine.check(order(ladder.markets[0], "yes", 100, 1), 10, FREE), "event_max_loss");
  // The last bin completes the ladder: every scenario pays $1 on $0.80 spent.
  expectRule(engine.check(order(ladder.markets[7], "yes", 1000, 100), 10, FREE), undefined);
  engine.onFill(
    { market: ladder.markets[7], side: "yes", price: 1000, count: 100, feeTicks: 0 },
    11,
  );
  assert.equal(engine.portfolioRisk(0.99).worstCase, -2000);
});

Deno.test("event_max_loss: an order that lowers a breached event loss passes", () => {
  const ladder = weatherLadder();
  const { engine } = engineWith({ maxEventLoss: 1000 });
  engine.registerLadder(ladder);
  // 1 YES at $0.50 on bin 0: 5,000 at risk, over the limit (fills are not checked).
  engine.onFill(
    { market: ladder.markets[0], side: "yes", price: 5000, count: 100, feeTicks: 0 },
    0,
  );
  // 1 YES at $0.10 on bin 1: the worst case (bins 2..7) becomes 6,000: rejected.
  expectRule(engine.check(order(ladder.markets[1], "yes", 1000, 100), 1, FREE), "event_max_loss");
  // Half a NO at $0.40 on bin 0 pairs off half the YES: spent 7,000, worst 2,000
  // (bins 1..7 pay the NO) - still over the limit, but lower, so it passes.
  expectRule(engine.check(order(ladder.markets[0], "no", 4000, 50), 1, FREE), undefined);
});

Deno.test("event_max_loss: at, just under and just over on a threshold ladder", () => {
  const ladder = btcThresholdLadder(); // above 72999.99 / 73249.99 / 73499.99
  const { engine } = engineWith({ maxEventLoss: 60_000 });
  engine.registerLadder(ladder);
  // YES "above 73499.99" and NO "above 72999.99" both lose when the outcome falls
  // in (72999.99, 73499.99] (bins 1 and 2): the worst case is both stakes.
  engine.onFill(
    { market: ladder.markets[2], side: "yes", price: 3000, count: 1000, feeTicks: 0 },
    0,
  );
  expectRule(engine.check(order(ladder.markets[0], "no", 3000, 999), 1, FREE), undefined);
  expectRule(engine.check(order(ladder.markets[0], "no", 3000, 1000), 1, FREE), undefined);
  expectRule(engine.check(order(ladder.markets[0], "no", 3000, 1001), 1, FREE), "event_max_loss");
  // Its strike loss alone (30,030) is far from the limit: the event rule caught it.
  assert.equal(
    engine.check(order(ladder.markets[0], "no", 3000, 1001), 1, FREE).ok,
    false,
  );
});

Deno.test("unregistered markets are events of their own", () => {
  const { engine } = engineWith({ maxEventLoss: 50_000 });
  engine.onFill({ market: "A", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 0);
  expectRule(engine.check(order("B", "yes", 5000, 1000), 1, FREE), undefined);
  expectRule(engine.check(order("A", "yes", 5000, 1), 1, FREE), "event_max_loss");
});

Deno.test("portfolio_max_loss: the sum of the open events' worst cases", () => {
  const { engine } = engineWith({ maxPortfolioLoss: 80_000 });
  engine.onFill({ market: "A", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 0);
  expectRule(engine.check(order("B", "yes", 3000, 999), 1, FREE), undefined); // 79,970
  expectRule(engine.check(order("B", "yes", 3000, 1000), 1, FREE), undefined); // 80,000
  expectRule(engine.check(order("B", "yes", 3000, 1001), 1, FREE), "portfolio_max_loss");
  // One tick over.
  const { engine: tight } = engineWith({ maxPortfolioLoss: 79_999 });
  tight.onFill({ market: "A", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 0);
  expectRule(tight.check(order("B", "yes", 3000, 1000), 1, FREE), "portfolio_max_loss");
  // Settled events leave the portfolio: A settles NO (a realized $5 loss).
  engine.onSettlement("A", "no", 2);
  expectRule(engine.check(order("B", "yes", 4000, 2000), 3, FREE), undefined); // 80,000
  expectRule(engine.check(order("B", "yes", 4000, 2001), 3, FREE), "portfolio_max_loss");
});

Deno.test("var: VaR of the open events at the confidence, at, under and over", () => {
  const { engine } = engineWith({ var: { confidence: 0.95, maxLoss: 50_000 } });
  // A coin flip market: VaR95 of c YES at $0.50 is 50 c.
  expectRule(engine.check(order("A", "yes", 5000, 999), 0, FREE), undefined);
  expectRule(engine.check(order("A", "yes", 5000, 1000), 0, FREE), undefined);
  expectRule(engine.check(order("A", "yes", 5000, 1001), 0, FREE), "var");
  // One tick over: 1000 contracts at $0.5000 plus 1 centi at $0.0100 (1 tick).
  const { engine: tight } = engineWith({ var: { confidence: 0.95, maxLoss: 50_000 } });
  tight.onFill({ market: "A", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 0);
  expectRule(tight.check(order("A", "yes", 100, 1), 1, FREE), "var"); // 50,001
  const { engine: loose } = engineWith({ var: { confidence: 0.95, maxLoss: 50_001 } });
  loose.onFill({ market: "A", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, 0);
  expectRule(loose.check(order("A", "yes", 100, 1), 1, FREE), undefined); // at the limit
  // With a 97% model probability of YES, the 95% VaR is a gain (-50,050).
  engine.setYesProbability("A", 0.97);
  expectRule(engine.check(order("A", "yes", 5000, 1001), 0, FREE), undefined);
  engine.setYesProbability("A", 0.9); // 10% tail: the loss is in the 95% VaR again
  expectRule(engine.check(order("A", "yes", 5000, 1001), 0, FREE), "var");
});

Deno.test("var: independent events diversify, and the ladder's PMF weighs its bins", () => {
  const ladder = weatherLadder();
  const { engine } = engineWith({ var: { confidence: 0.9, maxLoss: 0 } });
  engine.registerLadder(ladder);
  // A long YES at $0.50 on bin 3 with P = 0.95: 5% loss, VaR90 is a gain.
  engine.setEventProbabilities(ladder.event, [0, 0, 0.01, 0.95, 0.01, 0.01, 0.01, 0.01]);
  expectRule(engine.check(order(ladder.markets[3], "yes", 5000, 100), 0, FREE), undefined);
  // Uniform bins: P(bin 3) = 1/8, a loss at 90%.
  engine.setEventProbabilities(ladder.event, Array(8).fill(1 / 8));
  expectRule(engine.check(order(ladder.markets[3], "yes", 5000, 100), 0, FREE), "var");
});

// ---- Kelly -----------------------------------------------------------------------

Deno.test("kelly: the held stake fits min(cap, multiplier x f*) of the bankroll", () => {
  const limits = { kelly: { multiplier: 0.5, maxFraction: 0.25 } };
  const { engine } = engineWith(limits, 10_000_000); // $1000
  const ctx = { fee: NO_FEE, yesProbability: 0.6 };
  // f* = 0.2, half: 10% -> $100 at $0.50 -> 200 contracts.
  expectRule(engine.check(order("M", "yes", 5000, 19_999), 0, ctx), undefined);
  expectRule(engine.check(order("M", "yes", 5000, 20_000), 0, ctx), undefined);
  const r = engine.check(order("M", "yes", 5000, 20_001), 0, ctx);
  expectRule(r, "kelly");
  assert.ok(!r.ok && r.detail.includes("Kelly allows 20000"));
  // No edge on NO.
  expectRule(engine.check(order("M", "no", 5000, 1), 0, ctx), "kelly");
  // What is held counts: 100 contracts held leave 100 (the equity is unchanged at 0 fee).
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 10_000, feeTicks: 0 }, 1);
  expectRule(engine.check(order("M", "yes", 5000, 10_000), 2, ctx), undefined);
  expectRule(engine.check(order("M", "yes", 5000, 10_001), 2, ctx), "kelly");
  // Selling down (buying NO against YES) opens nothing: allowed though NO has no edge.
  expectRule(engine.check(order("M", "no", 5000, 10_000), 2, ctx), undefined);
  expectRule(engine.check(order("M", "no", 5000, 10_001), 2, ctx), "kelly");
  // ... and needs no model probability at all.
  expectRule(engine.check(order("M", "no", 5000, 10_000), 2, FREE), undefined);
  expectRule(engine.check(order("M", "no", 5000, 10_001), 2, FREE), "kelly");
});

Deno.test("kelly: fees raise the all-in cost; the probability comes from the model", () => {
  const { engine } = engineWith({ kelly: { multiplier: 1, maxFraction: 1 } }, 10_000_000);
  // No probability known: rejected.
  const r = engine.check(order("M", "yes", 5000, 100), 0, FREE);
  assert.ok(!r.ok && r.rule === "kelly" && /no model probability for M/.test(r.detail));
  engine.setYesProbability("M", 0.6);
  expectRule(engine.check(order("M", "yes", 5000, 40_000), 0, FREE), undefined); // f* = 0.2
  expectRule(engine.check(order("M", "yes", 5000, 40_001), 0, FREE), "kelly");
  // With M = 1: 400 contracts at $0.50 pay $7 fee, $0.5175 all-in: f* < 0.2.
  expectRule(engine.check(order("M", "yes", 5000, 40_000), 0), "kelly");
  // Ladder markets take P(YES) from the event PMF.
  const ladder = weatherLadder();
  engine.registerLadder(ladder);
  engine.setEventProbabilities(ladder.event, [0.6, 0.4, 0, 0, 0, 0, 0, 0]);
  expectRule(engine.check(order(ladder.markets[0], "yes", 5000, 40_000), 0, FREE), undefined);
  expectRule(engine.check(order(ladder.markets[0], "yes", 5000, 40_001), 0, FREE), "kelly");
});

// ---- halt ------------------------------------------------------------------------

Deno.test("a halted engine rejects every order with rule halt until the operator resumes", () => {
  const { engine, operator } = engineWith({});
  const o = order("M", "yes", 5000, 100);
  expectRule(engine.check(o, 0), undefined);
  const cancel = engine.halt("kill switch file present", 1);
  assert.deepEqual(cancel, { kind: "cancel_all", ts: 1, reason: "kill switch file present" });
  assert.deepEqual(engine.takeVenueActions(), [cancel]);
  assert.deepEqual(engine.takeVenueActions(), []);
  assert.ok(engine.halted && operator.halted);
  for (let t = 2; t < 20; t++) {
    const r = engine.check(order("M" + t, t % 2 === 0 ? "yes" : "no", 100 * t, t), t);
    assert.deepEqual(r, {
      ok: false,
      rule: "halt",
      detail: "trading is halted: kill switch file present",
    });
  }
  // Even an invalid order is rejected by the halt first.
  expectRule(engine.check(order("", "yes", 0, 0), 20), "halt");
  assert.equal(operator.resume(21, "file removed, checked"), true);
  assert.equal(engine.halted, false);
  expectRule(engine.check(o, 22), undefined);
  assert.deepEqual(
    engine.haltLog.map((h) => [h.ts, h.action, h.by, h.reason]),
    [[1, "halt", "system", "kill switch file present"], [
      21,
      "resume",
      "operator",
      "file removed, checked",
    ]],
  );
  // Resuming an engine that is not halted is harmless.
  assert.equal(operator.resume(23, "noop"), true);
  assert.equal(engine.haltLog.length, 2);
});

Deno.test("a strategy can halt but has no way to resume", () => {
  const { engine, operator } = engineWith({});
  const view = engine.strategyView();
  assert.ok(Object.isFrozen(view));
  assert.deepEqual(Object.keys(view).sort(), ["halt", "haltReason", "halted"]);
  assert.equal("resume" in view, false);
  // The engine itself has no resume either: only the operator handle does.
  assert.equal("resume" in engine, false);
  assert.equal((engine as unknown as Record<string, unknown>).resume, undefined);
  view.halt("model diverged", 5);
  assert.equal(view.halted, true);
  assert.equal(view.haltReason, "model diverged");
  assert.equal(engine.haltLog[0].by, "strategy");
  assert.equal(engine.takeVenueActions().length, 1);
  // Halting again keeps the first reason, and asks for another cancel-all.
  view.halt("again", 6);
  assert.equal(engine.haltReason, "model diverged");
  assert.equal(engine.takeVenueActions().length, 1);
  expectRule(engine.check(order("M", "yes", 5000, 1), 7), "halt");
  assert.throws(
    () => (view as unknown as { halted: boolean }).halted = false,
    TypeError,
  );
  assert.equal(view.halted, true);
  assert.equal(operator.resume(8, "ok"), true);
  assert.equal(view.halted, false);
});

Deno.test("halt needs a reason and a time that does not go backwards", () => {
  const { engine, operator } = engineWith({});
  assert.throws(() => engine.halt("", 0), /Cannot halt: a reason is required, current value is ""/);
  engine.check(order("M", "yes", 5000, 1), 10);
  assert.throws(() => operator.halt("x", 9), /Cannot halt: time went backwards from 10/);
  assert.throws(() => operator.resume(9, "x"), /Cannot resume: time went backwards/);
});

// ---- loss caps -----------------------------------------------------------------------

Deno.test("daily loss cap: a breach on a mark halts and asks to cancel all", () => {
  const t0 = Date.UTC(2026, 2, 10, 14); // Tuesday 10:00 EDT
  const { engine, operator } = engineWith({ dailyLossCap: 10_000 });
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, t0);
  engine.onMark("M", 4001, t0 + 1); // loss 9,990
  assert.equal(engine.dayLoss(), 9_990);
  engine.onMark("M", 4000, t0 + 2); // loss 10,000: at the cap
  assert.equal(engine.halted, false);
  expectRule(engine.check(order("M", "yes", 4000, 1), t0 + 3), undefined);
  engine.onMark("M", 3999, t0 + 4); // loss 10,010: over
  assert.equal(engine.halted, true);
  assert.match(engine.haltReason!, /^daily_loss: loss of 10010 ticks on ET day 2026-03-10/);
  assert.equal(engine.haltLog[0].by, "rule");
  assert.equal(engine.haltLog[0].rule, "daily_loss");
  assert.equal(engine.takeVenueActions().length, 1);
  const r = engine.check(order("M", "yes", 4000, 1), t0 + 5);
  assert.ok(!r.ok && r.rule === "halt" && r.detail.includes("daily_loss"));
  // Resuming while the cap is still breached halts again at once.
  assert.equal(operator.resume(t0 + 6, "try"), false);
  assert.equal(engine.halted, true);
  assert.deepEqual(engine.haltLog.map((h) => h.action), ["halt", "resume", "halt"]);
  // The next ET day (Wednesday 00:00 EDT = 04:00 UTC) starts a new baseline.
  const wed = Date.UTC(2026, 2, 11, 4);
  assert.equal(operator.resume(wed, "new day"), true);
  expectRule(engine.check(order("M", "yes", 4000, 1), wed + 1), undefined);
});

Deno.test("daily loss cap: the ET day boundary across spring forward (2026-03-08)", () => {
  const { engine } = engineWith({ dailyLossCap: 5_000 });
  const satLate = Date.UTC(2026, 2, 8, 4, 59); // Sat 23:59 EST
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, satLate);
  engine.onMark("M", 4600, satLate); // Saturday loses 4,000
  // Sunday 23:59 EDT (03:59 UTC Monday): Sunday baseline is the Saturday close.
  engine.onMark("M", 4100, Date.UTC(2026, 2, 9, 3, 59)); // Sunday loses 5,000: at the cap
  assert.equal(engine.dayLoss(), 5_000);
  assert.equal(engine.halted, false);
  // Monday 00:00 EDT is 04:00 UTC: a new day; a fixed -5 offset would still be Sunday.
  engine.onMark("M", 4050, Date.UTC(2026, 2, 9, 4, 0));
  assert.equal(engine.dayLoss(), 500);
  assert.equal(engine.halted, false);
});

Deno.test("weekly loss cap: the ET week from Monday across fall back (2026-11-01)", () => {
  const { engine } = engineWith({ weeklyLossCap: 8_000 });
  const mon = Date.UTC(2026, 9, 26, 14); // Monday Oct 26
  engine.onFill({ market: "M", side: "yes", price: 5000, count: 1000, feeTicks: 0 }, mon);
  engine.onMark("M", 4200, Date.UTC(2026, 10, 2, 4, 59)); // Sun Nov 1 23:59 EST: loss 8,000
  assert.equal(engine.weekLoss(), 8_000);
  assert.equal(engine.halted, false);
  engine.onMark("M", 4199, Date.UTC(2026, 10, 2, 4, 59)); // 8,010: over
  assert.equal(engine.halted, true);
  assert.equal(engine.haltLog[0].rule, "weekly_loss");
  assert.match(engine.haltReason!, /ET week from Monday 2026-10-26/);
});

Deno.test("a fill marks its market at the fill price; marks revalue YES and NO", () => {
  const { engine } = engineWith({}, 1_000_000);
  engine.onFill({ market: "N", side: "no", price: 3000, count: 1000, feeTicks: 0 }, 0);
  assert.equal(engine.equity(), 1_000_000); // NO at $0.30 is YES at $0.70
  engine.onMark("N", 6000, 1); // NO now worth $0.40: +$1
  assert.equal(engine.equity(), 1_010_000);
  engine.onFill({ market: "Y", side: "yes", price: 2500, count: 200, feeTicks: 100 }, 2);
  assert.equal(engine.equity(), 1_010_000 - 100); // only the fee is lost at the fill price
  engine.onMark("Y", 0, 3);
  assert.equal(engine.equity(), 1_010_000 - 100 - 5000);
});

Deno.test("settlement realizes PnL and the equity matches the Portfolio", () => {
  const { engine } = engineWith({}, 1_000_000);
  const p = new Portfolio();
  const fills = [
    { market: "A", side: "yes", price: 4000, count: 1000, feeTicks: 1700 },
    { market: "A", side: "no", price: 5500, count: 400, feeTicks: 100 },
    { market: "B", side: "no", price: 3000, count: 500, feeTicks: 0 },
  ] as const;
  let t = 0;
  for (const f of fills) {
    engine.onFill(f, t++);
    p.applyFill(f.market, f.side, f.price, f.count, f.feeTicks);
  }
  engine.onSettlement("A", "no", t++);
  engine.onSettlement("B", "no", t++);
  p.settle("A", "no");
  p.settle("B", "no");
  assert.equal(engine.equity(), 1_000_000 + p.totalCash());
  assert.throws(
    () => engine.onFill({ ...fills[0] }, t),
    /Cannot record fill on A: the market already settled, current value is no/,
  );
  assert.throws(() => engine.onSettlement("A", "yes", t), /it already settled/);
  assert.throws(() => engine.onMark("A", 5000, t), /already settled/);
});

Deno.test("ladder results narrow the scenarios; impossible results are refused", () => {
  const ladder = weatherLadder();
  const { engine } = engineWith({ maxEventLoss: 1_000_000 });
  engine.registerLadder(ladder);
  engine.registerLadder(ladder); // the same ladder again: a no-op
  engine.onFill(
    { market: ladder.markets[1], side: "yes", price: 2000, count: 100, feeTicks: 0 },
    0,
  );
  engine.onSettlement(ladder.markets[0], "no", 1);
  engine.onSettlement(ladder.markets[1], "yes", 2);
  // Bin 1 won: no other market can settle YES.
  assert.throws(
    () => engine.onSettlement(ladder.markets[2], "yes", 3),
    /with the results of KXHIGHNY-25NOV24 so far no bin is possible, current value is yes/,
  );
  engine.onSettlement(ladder.markets[2], "no", 3); // still allowed after the refusal
  assert.equal(engine.equity(), 8000);
});

Deno.test("registerLadder refuses a market already in another ladder or a different ladder", () => {
  const { engine } = engineWith({});
  const a = weatherLadder();
  engine.registerLadder(a);
  const clash = { ...a, event: "OTHER" };
  assert.throws(
    () => engine.registerLadder(clash),
    /Cannot register ladder OTHER: market KXHIGHNY-25NOV24-T45 is in the ladder of KXHIGHNY-25NOV24/,
  );
  const different = { ...a, markets: a.markets.slice(1) };
  assert.throws(() => engine.registerLadder(different), /already has a different ladder/);
  // Results recorded before registration must leave a bin possible.
  const { engine: e2 } = engineWith({});
  e2.onSettlement(a.markets[0], "yes", 0);
  e2.onSettlement(a.markets[1], "yes", 0);
  assert.throws(() => e2.registerLadder(a), /leave no bin possible/);
});

Deno.test("setEventProbabilities and setYesProbability validate", () => {
  const { engine } = engineWith({});
  const ladder = weatherLadder();
  assert.throws(
    () => engine.setEventProbabilities(ladder.event, [1]),
    /event KXHIGHNY-25NOV24 has no registered ladder/,
  );
  engine.registerLadder(ladder);
  assert.throws(
    () => engine.setEventProbabilities(ladder.event, [1]),
    /need one per bin \(8\), current value is 1/,
  );
  assert.throws(
    () => engine.setEventProbabilities(ladder.event, [2, -1, 0, 0, 0, 0, 0, 0]),
    /bin 1 must be finite and non-negative, current value is -1/,
  );
  assert.throws(
    () => engine.setEventProbabilities(ladder.event, Array(8).fill(0.25)),
    /they must sum to 1, current value is 2/,
  );
  assert.throws(() => engine.setYesProbability("M", 1.2), /it must be in \[0, 1\]/);
  assert.throws(() => engine.setYesProbability("M", Number.NaN), /current value is NaN/);
});

Deno.test("updates and checks reject bad input and time going backwards", () => {
  const { engine } = engineWith({});
  engine.onMark("M", 5000, 100);
  assert.throws(
    () => engine.check(order("M", "yes", 5000, 1), 99),
    /Cannot check order: time went backwards from 100, current value is 99/,
  );
  assert.throws(() => engine.onMark("M", 5000, 99), /Cannot record mark: time went backwards/);
  assert.throws(() => engine.onMark("M", 10_001, 100), /YES price must be an integer .* 10001/);
  assert.throws(() => engine.onMark("M", 5000, 1.5), /time must be an integer/);
  assert.throws(
    () => engine.onFill({ market: "M", side: "yes", price: 0, count: 1, feeTicks: 0 }, 100),
    /Cannot add fill: price/,
  );
  assert.throws(
    () => engine.onFill({ market: "", side: "yes", price: 10, count: 1, feeTicks: 0 }, 100),
    /market must be a non-empty ticker/,
  );
  assert.throws(() => engine.onSettlement("M", "maybe" as Side, 100), /result must be "yes"/);
  assert.throws(
    () => engine.check(order("M", "yes", 5000, 1), 100, { yesProbability: 2 }),
    /yesProbability must be in \[0, 1\], current value is 2/,
  );
  assert.throws(
    () =>
      engine.check(order("M", "yes", 5000, 1), 100, {
        fee: { feeType: "nope" as never, multiplier: 1 },
      }),
    /unknown fee type/,
  );
});

// ---- order of evaluation and the audit --------------------------------------------------

Deno.test("the first failing rule in RULE_ORDER is recorded", () => {
  // Every limit at 0: each rule rejects every order; relaxing them one by one
  // walks the rules in order.
  const zero: Record<string, unknown> = {
    maxOrderCount: 0,
    maxOrderCost: 0,
    orderRate: { maxOrders: 0, intervalMs: 1000 },
    marketOrderRate: { maxOrders: 0, intervalMs: 1000 },
    maxPosition: 0,
    kelly: { multiplier: 1, maxFraction: 1 },
    maxStrikeLoss: 0,
    maxEventLoss: 0,
    maxPortfolioLoss: 0,
    var: { confidence: 0.9, maxLoss: 0 },
  };
  const relax: [string, unknown][] = [
    ["maxOrderCount", undefined],
    ["maxOrderCost", undefined],
    ["orderRate", undefined],
    ["marketOrderRate", undefined],
    ["maxPosition", undefined],
    ["kelly", undefined],
    ["maxStrikeLoss", undefined],
    ["maxEventLoss", undefined],
    ["maxPortfolioLoss", undefined],
    ["var", undefined],
  ];
  const seen: string[] = [];
  const limits = { ...zero };
  for (const [key] of relax) {
    const { engine } = RiskEngine.create(limits as RiskLimits, { bankrollTicks: 1_000 });
    engine.halt("first", 0);
    const halted = engine.check(order("M", "yes", 5000, 100), 0);
    assert.ok(!halted.ok && halted.rule === "halt");
    const { engine: e } = RiskEngine.create(limits as RiskLimits, { bankrollTicks: 1_000 });
    const invalid = e.check(order("M", "yes", 0, 100), 0);
    assert.ok(!invalid.ok && invalid.rule === "invalid_order");
    const r = e.check(order("M", "yes", 5000, 100), 0, { yesProbability: 0.5 });
    assert.equal(r.ok, false);
    if (!r.ok) seen.push(r.rule);
    delete limits[key];
  }
  const { engine } = RiskEngine.create(limits as RiskLimits);
  assert.deepEqual(engine.check(order("M", "yes", 5000, 100), 0), { ok: true });
  assert.deepEqual(["halt", "invalid_order", ...seen], RULE_ORDER);
});

Deno.test("every decision is recorded with its time, order, outcome and rule", () => {
  const { engine } = engineWith({ maxOrderCount: 100 });
  const a = order("M", "yes", 5000, 100);
  const b = order("M", "no", 5000, 101);
  engine.check(a, 5);
  engine.check(b, 6);
  assert.deepEqual(engine.decisions, [
    { ts: 5, intent: a, ok: true, rule: null, detail: "" },
    {
      ts: 6,
      intent: b,
      ok: false,
      rule: "order_size",
      detail: "order count 101 centi-contracts exceeds the cap of 100",
    },
  ]);
  // The stored intent is a copy.
  assert.notEqual(engine.decisions[0].intent, a);
});

Deno.test("the same inputs give the same decisions (deterministic)", () => {
  const run = () => {
    const rng = new Prng(5);
    const { engine } = engineWith({
      maxStrikeLoss: 200_000,
      var: { confidence: 0.9, maxLoss: 300_000 },
      orderRate: { maxOrders: 5, intervalMs: 100 },
    });
    for (let t = 0; t < 300; t++) {
      const m = `M${rng.int(4)}`;
      const side: Side = rng.int(2) === 0 ? "yes" : "no";
      const price = 100 + rng.int(9800);
      const count = 1 + rng.int(3000);
      const r = engine.check(order(m, side, price, count), t * 10);
      if (r.ok) engine.onFill({ market: m, side, price, count, feeTicks: 0 }, t * 10);
    }
    return engine.decisions;
  };
  const a = run();
  assert.deepEqual(a, run());
  assert.ok(a.some((d) => d.ok) && a.some((d) => !d.ok));
});

// ---- VaR of the engine against brute force ----------------------------------------------

/** Brute force over every joint outcome: each ladder's bins and each solo market. */
function bruteRisk(
  ladders: {
    markets: readonly string[];
    binStart: Int32Array;
    binEnd: Int32Array;
    pmf: number[];
    /** Bins ruled out by results (left out even of the worst case). */
    impossible: number[];
  }[],
  solos: { market: string; q: number }[],
  holdings: Map<string, Holdings>,
  confidence: number,
): { var: number; worst: number } {
  const factors: { losses: number[]; probs: number[] }[] = [];
  for (const l of ladders) {
    const losses: number[] = [];
    const probs: number[] = [];
    for (let b = 0; b < l.pmf.length; b++) {
      if (l.impossible.includes(b)) continue;
      let loss = 0;
      l.markets.forEach((m, i) => {
        const h = holdings.get(m);
        if (h === undefined) return;
        loss += scenarioLoss(h, l.binStart[i] <= b && b < l.binEnd[i] ? "yes" : "no");
      });
      losses.push(loss);
      probs.push(l.pmf[b]);
    }
    factors.push({ losses, probs });
  }
  for (const s of solos) {
    const h = holdings.get(s.market)!;
    factors.push({
      losses: [scenarioLoss(h, "no"), scenarioLoss(h, "yes")],
      probs: [1 - s.q, s.q],
    });
  }
  let combos: [number, number][] = [[0, 1]];
  for (const f of factors) {
    const next: [number, number][] = [];
    for (const [l, p] of combos) {
      for (let i = 0; i < f.losses.length; i++) next.push([l + f.losses[i], p * f.probs[i]]);
    }
    combos = next;
  }
  const worst = Math.max(...combos.map(([l]) => l));
  const sorted = combos.filter(([, p]) => p > 0).sort((x, y) => x[0] - y[0]);
  let cum = 0;
  let v = sorted[sorted.length - 1][0];
  for (const [l, p] of sorted) {
    cum += p;
    if (cum >= confidence - CONFIDENCE_TOLERANCE) {
      v = l;
      break;
    }
  }
  return { var: v, worst };
}

Deno.test("engine VaR and worst case match brute force on random ladder portfolios", () => {
  const rng = new Prng(8_675_309);
  let settledTrials = 0;
  for (let trial = 0; trial < 40; trial++) {
    const { engine } = engineWith({
      var: { confidence: 0.5, maxLoss: 0, maxGridPoints: 1_000_000 },
    });
    const wx = weatherLadder();
    const btc = btcThresholdLadder();
    engine.registerLadder(wx);
    engine.registerLadder(btc);
    const pmf = (n: number) => {
      const w = Array.from({ length: n }, () => (rng.int(3) === 0 ? 0 : rng.next()));
      if (!w.some((x) => x > 0)) w[0] = 1;
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / s);
    };
    const wxPmf = pmf(wx.bins.length);
    const btcPmf = pmf(btc.bins.length);
    engine.setEventProbabilities(wx.event, wxPmf);
    engine.setEventProbabilities(btc.event, btcPmf);
    const solos = [{ market: "SOLO-A", q: rng.next() }, { market: "SOLO-B", q: rng.next() }];
    for (const s of solos) engine.setYesProbability(s.market, s.q);
    const markets = [...wx.markets, ...btc.markets, ...solos.map((s) => s.market)];
    const holdings = new Map<string, Holdings>();
    let t = 0;
    for (let i = 0; i < 12; i++) {
      const m = markets[rng.int(markets.length)];
      const side: Side = rng.int(2) === 0 ? "yes" : "no";
      const fill = {
        market: m,
        side,
        price: 1 + rng.int(9999),
        count: 1 + rng.int(200),
        feeTicks: rng.int(300),
      };
      engine.onFill(fill, t++);
      holdings.set(m, engine.holdings(m));
    }
    for (const s of solos) {
      if (!holdings.has(s.market)) {
        engine.onFill({ market: s.market, side: "yes", price: 5000, count: 1, feeTicks: 0 }, t++);
        holdings.set(s.market, engine.holdings(s.market));
      }
    }
    // In half the trials one weather market settles NO: its bin drops out of the
    // scenarios (the rest renormalized) and its holdings become a fixed loss.
    let wxLive = wxPmf;
    const ruledOut: number[] = [];
    const held = wx.markets.filter((m) => holdings.has(m));
    if (trial % 2 === 1 && held.length > 0) {
      const i = wx.markets.indexOf(held[0]);
      if (wxPmf[i] < 1) {
        engine.onSettlement(held[0], "no", t++);
        const rest = wxPmf.map((p, b) => (b === i ? 0 : p));
        const sum = rest.reduce((a, b) => a + b, 0);
        wxLive = rest.map((p) => p / sum);
        ruledOut.push(i);
        settledTrials++;
      }
    }
    const ladders = [
      { ...wx, pmf: wxLive, impossible: ruledOut },
      { ...btc, pmf: btcPmf, impossible: [] },
    ].filter((l) => l.markets.some((m) => holdings.has(m)));
    for (const c of [0.5, 0.9, 0.99]) {
      const expected = bruteRisk(ladders, solos, holdings, c);
      const got = engine.portfolioRisk(c);
      assert.ok(got.exact, `trial ${trial}: grid step ${got.step}`);
      assert.equal(got.valueAtRisk, expected.var, `trial ${trial} confidence ${c}`);
      assert.equal(got.worstCase, expected.worst, `trial ${trial}`);
    }
  }
  assert.ok(settledTrials >= 10, `only ${settledTrials} trials had a settled market`);
});
