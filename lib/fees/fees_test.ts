import assert from "node:assert/strict";
import {
  FeeAccumulator,
  type FeeParams,
  feeTicks,
  MAKER_RATE,
  orderFeeTicks,
  TAKER_RATE,
  validateFeeParams,
} from "./fees.ts";

const QUAD: FeeParams = { feeType: "quadratic", multiplier: 10_000 };
const QUAD_MAKER: FeeParams = { feeType: "quadratic_with_maker_fees", multiplier: 10_000 };
const FLAT: FeeParams = { feeType: "flat", multiplier: 10_000 };
/** S&P 500 / Nasdaq-100 style: M = 0.5. */
const HALF: FeeParams = { feeType: "quadratic", multiplier: 5_000 };
const HALF_MAKER: FeeParams = { feeType: "quadratic_with_maker_fees", multiplier: 5_000 };

Deno.test("rates", () => {
  assert.equal(TAKER_RATE, 700);
  assert.equal(MAKER_RATE, 175);
});

Deno.test("feeTicks / orderFeeTicks: hand-computed table", () => {
  // [label, params, role, price ticks, centi-contracts, exact fee ticks, charged ticks]
  const cases: [string, FeeParams, "taker" | "maker", number, number, number, number][] = [
    // 0.07 x 10 x 0.50 x 0.50 = $0.175 -> 1750 ticks exact -> $0.18 charged.
    ["10 @ $0.50 taker", QUAD, "taker", 5000, 1000, 1750, 1800],
    // 0.07 x 1 x 0.25 = $0.0175 -> 175 ticks -> $0.02.
    ["1 @ $0.50 taker", QUAD, "taker", 5000, 100, 175, 200],
    // 0.07 x 100 x 0.25 = $1.75 exactly.
    ["100 @ $0.50 taker", QUAD, "taker", 5000, 10000, 17500, 17500],
    // 0.07 x 100 x 0.01 x 0.99 = $0.0693 -> 693 ticks -> $0.07.
    ["100 @ $0.01 taker", QUAD, "taker", 100, 10000, 693, 700],
    // Sub-penny: 0.4567 x 0.5433 = 0.24812511; x 0.07 x 10 = $0.173687577
    // -> 1736.87577 ticks -> 1737 ($0.1737) -> $0.18 charged.
    ["10 @ $0.4567 taker", QUAD, "taker", 4567, 1000, 1737, 1800],
    // Sub-penny: 0.015 x 0.985 = 0.014775; x 0.07 x 100 = $0.103425
    // -> 1034.25 ticks -> 1035 ($0.1035) -> $0.11 charged.
    ["100 @ $0.0150 taker", QUAD, "taker", 150, 10000, 1035, 1100],
    // Sub-penny, 1 contract: 0.055 x 0.945 x 0.07 = $0.00363825 -> 36.3825 -> 37 ticks -> $0.01.
    ["1 @ $0.055 taker", QUAD, "taker", 550, 100, 37, 100],
    // M = 0.5: 0.5 x 0.07 x 10 x 0.25 = $0.0875 -> 875 ticks -> $0.09.
    ["10 @ $0.50 taker M=0.5", HALF, "taker", 5000, 1000, 875, 900],
    // M = 0.5: 0.035 x 100 x 0.3 x 0.7 = $0.735 -> 7350 ticks exactly -> $0.74.
    ["100 @ $0.30 taker M=0.5", HALF, "taker", 3000, 10000, 7350, 7400],
    // Maker on a maker-fee series: 0.0175 x 10 x 0.25 = $0.04375 -> 437.5 -> 438 ticks -> $0.05.
    ["10 @ $0.50 maker (maker fees)", QUAD_MAKER, "maker", 5000, 1000, 438, 500],
    // Maker: 0.0175 x 100 x 0.25 = $0.4375 -> 4375 ticks -> $0.44.
    ["100 @ $0.50 maker (maker fees)", QUAD_MAKER, "maker", 5000, 10000, 4375, 4400],
    // Maker, M = 0.5: 0.00875 x 10 x 0.25 = $0.021875 -> 218.75 -> 219 ticks -> $0.03.
    ["10 @ $0.50 maker M=0.5", HALF_MAKER, "maker", 5000, 1000, 219, 300],
    // Taker on a maker-fee series pays the normal taker fee.
    ["10 @ $0.50 taker (maker fees)", QUAD_MAKER, "taker", 5000, 1000, 1750, 1800],
    // No maker fee on plain quadratic series.
    ["10 @ $0.50 maker (quadratic)", QUAD, "maker", 5000, 1000, 0, 0],
    ["10 @ $0.50 maker M=0.5 (quadratic)", HALF, "maker", 5000, 1000, 0, 0],
    // Fractional: 0.07 x 0.5 x 0.25 = $0.00875 -> 87.5 -> 88 ticks -> $0.01.
    ["0.5 @ $0.50 taker", QUAD, "taker", 5000, 50, 88, 100],
    // Fractional: 0.07 x 2.37 = 0.1659; 0.33 x 0.67 = 0.2211; product $0.03668049
    // -> 366.8049 -> 367 ticks -> $0.04.
    ["2.37 @ $0.33 taker", QUAD, "taker", 3300, 237, 367, 400],
    // Smallest order: 0.07 x 0.01 x 0.01 x 0.99 = $0.00000693 -> 0.0693 -> 1 tick -> $0.01.
    ["0.01 @ $0.01 taker", QUAD, "taker", 100, 1, 1, 100],
    // Degenerate prices and sizes: no fee.
    ["10 @ $0 taker", QUAD, "taker", 0, 1000, 0, 0],
    ["10 @ $1 taker", QUAD, "taker", 10000, 1000, 0, 0],
    ["0 @ $0.50 taker", QUAD, "taker", 5000, 0, 0, 0],
    ["M = 0", { feeType: "quadratic", multiplier: 0 }, "taker", 5000, 1000, 0, 0],
    // ASSUMPTION: "flat" is priced like "quadratic" (see fees.ts).
    ["10 @ $0.50 taker (flat, assumed)", FLAT, "taker", 5000, 1000, 1750, 1800],
    ["10 @ $0.50 maker (flat, assumed)", FLAT, "maker", 5000, 1000, 0, 0],
  ];
  for (const [label, params, role, price, count, exact, charged] of cases) {
    assert.equal(feeTicks(params, role, price, count), exact, `${label}: exact`);
    assert.equal(orderFeeTicks(params, role, price, count), charged, `${label}: charged`);
  }
});

Deno.test("feeTicks: symmetric in P and 1 - P", () => {
  for (let p = 0; p <= 10_000; p += 37) {
    assert.equal(
      feeTicks(QUAD_MAKER, "taker", p, 12_345),
      feeTicks(QUAD_MAKER, "taker", 10_000 - p, 12_345),
    );
    assert.equal(
      feeTicks(QUAD_MAKER, "maker", p, 12_345),
      feeTicks(QUAD_MAKER, "maker", 10_000 - p, 12_345),
    );
  }
});

Deno.test("feeTicks: large orders stay exact beyond 2^53 intermediates", () => {
  // 10,000,000 contracts at $0.50 taker: 0.07 x 1e7 x 0.25 = $175,000 = 1.75e9 ticks.
  // Numerator 1e4 x 700 x 1e9 x 2.5e7 = 1.75e23 > 2^53.
  assert.equal(feeTicks(QUAD, "taker", 5000, 1_000_000_000), 1_750_000_000);
  // 0.4567 x 0.5433 x 0.07 x 1e7 = $173,687.577 -> 1,736,875,770 ticks exactly.
  assert.equal(feeTicks(QUAD, "taker", 4567, 1_000_000_000), 1_736_875_770);
  // ... and 1 centi-contract more adds 0.07 x 0.01 x 0.24812511 = $0.000173687577
  // = 1.73687577 ticks: 1,736,875,771.73687577 rounds up to 1,736,875,772.
  assert.equal(feeTicks(QUAD, "taker", 4567, 1_000_000_001), 1_736_875_772);
});

/** ceil(a / b) for non-negative integers, by integer remainder. */
function ceilDiv(a: number, b: number): number {
  const r = a % b;
  return (a - r) / b + (r > 0 ? 1 : 0);
}

Deno.test("orderFeeTicks: exhaustive whole-cent prices x 1..1000 contracts match the cent formula", () => {
  for (let p = 1; p <= 99; p++) {
    const pq = p * (100 - p);
    for (let c = 1; c <= 1000; c++) {
      const price = p * 100;
      const count = c * 100;
      // Taker, M = 1: 0.07 C p(100-p)/1e4 dollars = 7 C p(100-p) / 1e4 cents.
      const taker = ceilDiv(7 * c * pq, 10_000) * 100;
      assert.equal(orderFeeTicks(QUAD, "taker", price, count), taker, `taker ${p}c x ${c}`);
      // Maker, M = 1: 0.0175 C p(100-p)/1e4 dollars = 175 C p(100-p) / 1e6 cents.
      const maker = ceilDiv(175 * c * pq, 1_000_000) * 100;
      assert.equal(orderFeeTicks(QUAD_MAKER, "maker", price, count), maker, `maker ${p}c x ${c}`);
      // Taker, M = 0.5: 0.035 C p(100-p)/1e4 dollars = 35 C p(100-p) / 1e5 cents.
      const half = ceilDiv(35 * c * pq, 100_000) * 100;
      assert.equal(orderFeeTicks(HALF, "taker", price, count), half, `taker M=0.5 ${p}c x ${c}`);
      // Maker, M = 0.5: 0.00875 C p(100-p)/1e4 dollars = 875 C p(100-p) / 1e7 cents.
      const halfMaker = ceilDiv(875 * c * pq, 10_000_000) * 100;
      assert.equal(
        orderFeeTicks(HALF_MAKER, "maker", price, count),
        halfMaker,
        `maker M=0.5 ${p}c x ${c}`,
      );
    }
  }
});

Deno.test("feeTicks: invalid inputs are RangeError", () => {
  const bad: [string, () => unknown][] = [
    ["price -1", () => feeTicks(QUAD, "taker", -1, 100)],
    ["price 10001", () => feeTicks(QUAD, "taker", 10_001, 100)],
    ["price 0.5", () => feeTicks(QUAD, "taker", 0.5, 100)],
    ["price NaN", () => feeTicks(QUAD, "taker", NaN, 100)],
    ["count -1", () => feeTicks(QUAD, "taker", 5000, -1)],
    ["count 1.5", () => feeTicks(QUAD, "taker", 5000, 1.5)],
    ["count Infinity", () => feeTicks(QUAD, "taker", 5000, Infinity)],
    ["role", () => feeTicks(QUAD, "both" as "taker", 5000, 100)],
    [
      "fee type",
      () => feeTicks({ feeType: "linear" as "flat", multiplier: 10_000 }, "taker", 1, 1),
    ],
    ["multiplier 0.5", () => feeTicks({ feeType: "quadratic", multiplier: 0.5 }, "taker", 1, 1)],
    ["multiplier -1", () => feeTicks({ feeType: "quadratic", multiplier: -1 }, "taker", 1, 1)],
    ["result too large", () => feeTicks(QUAD, "taker", 5000, Number.MAX_SAFE_INTEGER)],
  ];
  for (const [label, f] of bad) {
    assert.throws(f, RangeError, label);
  }
  assert.throws(() => feeTicks(QUAD, "taker", 10_001, 100), {
    name: "RangeError",
    message: "Cannot compute fee: price must be an integer number of ticks in 0..10000, " +
      "current value is 10001",
  });
  assert.throws(() => orderFeeTicks(QUAD, "taker", -5, 100), RangeError);
  validateFeeParams(QUAD);
  validateFeeParams(FLAT);
});

Deno.test("FeeAccumulator: four 1-lot fills at $0.50 cross cent boundaries", () => {
  // Each fill: 175 ticks exact ($0.0175). Running exact: 175, 350, 525, 700.
  // Charged to date: ceil to cent -> 200, 400, 600, 700; each add returns the difference.
  const acc = new FeeAccumulator();
  assert.equal(acc.totalExactTicks, 0);
  assert.equal(acc.totalChargedTicks, 0);
  const steps: [number, number, number, number][] = [
    // [fill exact, charged now, total exact, total charged]
    [175, 200, 175, 200],
    [175, 200, 350, 400],
    [175, 200, 525, 600],
    [175, 100, 700, 700],
  ];
  for (const [fill, now, exact, charged] of steps) {
    assert.equal(acc.add(fill), now);
    assert.equal(acc.totalExactTicks, exact);
    assert.equal(acc.totalChargedTicks, charged);
  }
  // One fill of 4 contracts costs the same: 0.07 x 4 x 0.25 = $0.07.
  assert.equal(orderFeeTicks(QUAD, "taker", 5000, 400), acc.totalChargedTicks);
});

Deno.test("FeeAccumulator: fills inside an already-charged cent charge nothing", () => {
  const acc = new FeeAccumulator();
  assert.equal(acc.add(37), 100); // 37 exact -> $0.01
  assert.equal(acc.add(37), 0); // 74 -> still $0.01
  assert.equal(acc.add(26), 0); // 100 -> exactly $0.01
  assert.equal(acc.add(1), 100); // 101 -> $0.02
  assert.equal(acc.add(0), 0);
  assert.equal(acc.totalExactTicks, 101);
  assert.equal(acc.totalChargedTicks, 200);
});

Deno.test("FeeAccumulator: total charged is ceil(sum / 100) * 100 for mixed fills", () => {
  // Taker then maker fills of one order share the accumulator.
  const fills = [
    feeTicks(QUAD_MAKER, "taker", 4567, 130), // 1.3 @ $0.4567
    feeTicks(QUAD_MAKER, "maker", 4567, 250),
    feeTicks(QUAD_MAKER, "maker", 150, 1),
    feeTicks(QUAD_MAKER, "taker", 9990, 10_000),
    feeTicks(QUAD_MAKER, "maker", 5000, 77),
  ];
  const acc = new FeeAccumulator();
  let sum = 0;
  let paid = 0;
  for (const f of fills) {
    sum += f;
    const now = acc.add(f);
    assert.equal(now % 100, 0, "whole cents only");
    assert.ok(now >= 0);
    paid += now;
    assert.equal(acc.totalChargedTicks, Math.ceil(sum / 100) * 100);
    assert.equal(paid, acc.totalChargedTicks);
    assert.ok(acc.totalChargedTicks - acc.totalExactTicks < 100, "never a cent more");
  }
  assert.equal(acc.totalExactTicks, sum);
});

Deno.test("FeeAccumulator: invalid fill fees are RangeError", () => {
  const acc = new FeeAccumulator();
  for (const f of [-1, 0.5, NaN, Infinity, Number.MAX_SAFE_INTEGER]) {
    assert.throws(() => acc.add(f), RangeError, String(f));
  }
  assert.equal(acc.totalExactTicks, 0);
  assert.equal(acc.totalChargedTicks, 0);
});
