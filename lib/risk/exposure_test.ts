import assert from "node:assert/strict";
import {
  addFill,
  addOrderWorstCase,
  eventScenarioLosses,
  fillNotional,
  type Holdings,
  markedValue,
  netPosition,
  NO_HOLDINGS,
  orderWorstCost,
  scenarioLoss,
  worstLoss,
} from "./exposure.ts";
import { Portfolio } from "../engine/portfolio.ts";
import { type FeeParams, orderFeeTicks } from "../fees/fees.ts";
import { Prng } from "../random/prng.ts";
import { btcThresholdLadder, weatherLadder } from "../market/test_fixtures.ts";
import type { Side } from "../tape/events.ts";

const M1: FeeParams = { feeType: "quadratic", multiplier: 10_000 };

Deno.test("scenario losses of a YES position: lose the cost on NO, win on YES", () => {
  const h = addFill(NO_HOLDINGS, "yes", 4000, 1000, 1700); // 10 @ $0.40, $0.17 fee
  assert.deepEqual(h, { spent: 41_700, boughtYes: 1000, boughtNo: 0 });
  assert.equal(scenarioLoss(h, "no"), 41_700);
  assert.equal(scenarioLoss(h, "yes"), 41_700 - 100_000);
  assert.equal(worstLoss(h), 41_700);
  assert.equal(netPosition(h), 1000);
});

Deno.test("scenario losses of a NO position and of a netted pair", () => {
  const no = addFill(NO_HOLDINGS, "no", 3000, 500, 0);
  assert.equal(scenarioLoss(no, "yes"), 15_000);
  assert.equal(scenarioLoss(no, "no"), 15_000 - 50_000);
  assert.equal(netPosition(no), -500);
  // 10 YES at $0.40 + 10 NO at $0.55: $9.50 for a pair that pays $10 either way.
  const pair = addFill(addFill(NO_HOLDINGS, "yes", 4000, 1000, 0), "no", 5500, 1000, 0);
  assert.equal(scenarioLoss(pair, "yes"), -5000);
  assert.equal(scenarioLoss(pair, "no"), -5000);
  assert.equal(worstLoss(pair), -5000);
  assert.equal(netPosition(pair), 0);
});

Deno.test("holdings settle to the same cash as the engine's Portfolio (random fills)", () => {
  const rng = new Prng(20260308);
  for (let trial = 0; trial < 200; trial++) {
    const p = new Portfolio();
    let h: Holdings = NO_HOLDINGS;
    const fills = 1 + rng.int(6);
    for (let i = 0; i < fills; i++) {
      const side: Side = rng.int(2) === 0 ? "yes" : "no";
      const price = 1 + rng.int(9999);
      const count = 1 + rng.int(5000);
      const fee = orderFeeTicks(M1, "taker", price, count);
      p.applyFill("M", side, price, count, fee);
      h = addFill(h, side, price, count, fee);
    }
    const a = p.account("M");
    assert.equal(h.spent, a.notional + a.fees);
    assert.equal(netPosition(h), a.position);
    const result: Side = rng.int(2) === 0 ? "yes" : "no";
    p.settle("M", result);
    assert.equal(-scenarioLoss(h, result), a.cash, `trial ${trial}`);
  }
});

Deno.test("fillNotional rounds up as the portfolio does", () => {
  assert.equal(fillNotional(5555, 1), 56);
  assert.equal(fillNotional(5600, 1000), 56_000);
  assert.equal(fillNotional(1, 1), 1);
});

Deno.test("orderWorstCost is notional at the limit plus the cent-rounded taker fee", () => {
  assert.deepEqual(orderWorstCost(5000, 1000, M1), { notional: 50_000, fee: 1800, total: 51_800 });
  assert.deepEqual(orderWorstCost(5000, 1000, { feeType: "quadratic", multiplier: 0 }), {
    notional: 50_000,
    fee: 0,
    total: 50_000,
  });
  assert.deepEqual(
    addOrderWorstCase(NO_HOLDINGS, "no", 5000, 1000, M1),
    { spent: 51_800, boughtYes: 0, boughtNo: 1000 },
  );
});

Deno.test("a fill at a better price never loses more than the worst case at the limit", () => {
  const rng = new Prng(7);
  for (let trial = 0; trial < 2000; trial++) {
    const side: Side = rng.int(2) === 0 ? "yes" : "no";
    const limit = 1 + rng.int(9999);
    const price = 1 + rng.int(limit);
    const count = 1 + rng.int(100_000);
    const worst = addOrderWorstCase(NO_HOLDINGS, side, limit, count, M1);
    const real = addFill(NO_HOLDINGS, side, price, count, orderFeeTicks(M1, "taker", price, count));
    for (const r of ["yes", "no"] as const) {
      assert.ok(
        scenarioLoss(real, r) <= scenarioLoss(worst, r),
        `${side} ${count} @ ${price} (limit ${limit}) in ${r}`,
      );
    }
  }
});

Deno.test("addFill and orderWorstCost reject bad input", () => {
  assert.throws(
    () => addFill(NO_HOLDINGS, "yes", 0, 100, 0),
    /Cannot add fill: price must be an integer number of ticks in 1\.\.9999, current value is 0/,
  );
  assert.throws(() => addFill(NO_HOLDINGS, "yes", 10_000, 100, 0), /price/);
  assert.throws(() => addFill(NO_HOLDINGS, "yes", 50.5, 100, 0), /price/);
  assert.throws(
    () => addFill(NO_HOLDINGS, "yes", 5000, 0, 0),
    /count must be a positive integer of centi-contracts, current value is 0/,
  );
  assert.throws(() => addFill(NO_HOLDINGS, "yes", 5000, 1.5, 0), /count/);
  assert.throws(
    () => addFill(NO_HOLDINGS, "yes", 5000, 100, -1),
    /fee must be a non-negative integer of ticks, current value is -1/,
  );
  assert.throws(
    () => addFill(NO_HOLDINGS, "maybe" as Side, 5000, 100, 0),
    /side must be "yes" or "no", current value is "maybe"/,
  );
  assert.throws(
    () => addFill({ spent: 2 ** 53 - 10, boughtYes: 0, boughtNo: 0 }, "yes", 5000, 100, 0),
    /exceed a safe integer/,
  );
  assert.throws(() => orderWorstCost(5000, -3, M1), /Cannot price order: count/);
  assert.throws(() => orderWorstCost(Number.NaN, 3, M1), /Cannot price order: price/);
  assert.throws(
    () => orderWorstCost(5000, 3, { feeType: "quadratic", multiplier: -1 }),
    /multiplier/,
  );
});

Deno.test("markedValue values YES at the mark and NO at its complement, rounded down", () => {
  const h = { spent: 0, boughtYes: 1000, boughtNo: 300 };
  assert.equal(markedValue(h, 4500), 45_000 + 16_500);
  assert.equal(markedValue(h, 0), 30_000);
  assert.equal(markedValue(h, 10_000), 100_000);
  assert.equal(markedValue({ spent: 0, boughtYes: 1, boughtNo: 0 }, 5555), 55); // 55.55
  for (const bad of [-1, 10_001, 1.5, Number.NaN]) {
    assert.throws(
      () => markedValue(h, bad),
      /Cannot mark holdings: YES mark must be an integer number of ticks in 0\.\.10000/,
    );
  }
});

/** Brute force: sum each market's loss with its YES/NO result in bin b. */
function bruteLosses(
  ladder: ReturnType<typeof weatherLadder>,
  hs: (Holdings | undefined)[],
): number[] {
  const out: number[] = [];
  for (let b = 0; b < ladder.bins.length; b++) {
    let s = 0;
    for (let i = 0; i < hs.length; i++) {
      const h = hs[i];
      if (h === undefined) continue;
      const yes = ladder.binStart[i] <= b && b < ladder.binEnd[i];
      s += scenarioLoss(h, yes ? "yes" : "no");
    }
    out.push(s);
  }
  return out;
}

Deno.test("eventScenarioLosses on a bucket ladder: one bin wins, the rest lose", () => {
  const ladder = weatherLadder();
  const hs: (Holdings | undefined)[] = ladder.markets.map(() => undefined);
  hs[0] = { spent: 2000, boughtYes: 100, boughtNo: 0 }; // 1 YES of the low tail at $0.20
  hs[3] = { spent: 7000, boughtYes: 0, boughtNo: 100 }; // 1 NO of bin 3 at $0.70
  const losses = eventScenarioLosses(ladder, hs);
  assert.deepEqual([...losses], [
    2000 - 10_000 + 7000 - 10_000,
    2000 + 7000 - 10_000,
    2000 + 7000 - 10_000,
    2000 + 7000, // bin 3 wins: both lose
    2000 + 7000 - 10_000,
    2000 + 7000 - 10_000,
    2000 + 7000 - 10_000,
    2000 + 7000 - 10_000,
  ]);
  assert.deepEqual([...losses], bruteLosses(ladder, hs));
});

Deno.test("eventScenarioLosses on threshold ladders and random holdings matches brute force", () => {
  const rng = new Prng(99);
  for (const ladder of [weatherLadder(), btcThresholdLadder(), btcThresholdLadder([1, 2, 3, 4])]) {
    for (let trial = 0; trial < 50; trial++) {
      const hs = ladder.markets.map(() =>
        rng.int(3) === 0 ? undefined : {
          spent: rng.int(100_000),
          boughtYes: rng.int(1000),
          boughtNo: rng.int(1000),
        }
      );
      assert.deepEqual([...eventScenarioLosses(ladder, hs)], bruteLosses(ladder, hs));
    }
  }
  assert.deepEqual([...eventScenarioLosses(weatherLadder(), Array(8).fill(undefined))], [
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
});

Deno.test("eventScenarioLosses needs one holding per market", () => {
  assert.throws(
    () => eventScenarioLosses(weatherLadder(), [undefined]),
    /Cannot compute scenario losses of KXHIGHNY-25NOV24: need one holding per market \(8\), current value is 1/,
  );
});
