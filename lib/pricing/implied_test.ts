import assert from "node:assert/strict";
import { buildLadder } from "../market/ladder.ts";
import { impliedPmf, yesMidOf } from "./implied.ts";
import {
  BTC_EVENT as BTC,
  btcThresholdLadder as btcLadder,
  testEvent as event,
  testMarket as mk,
  weatherLadder,
} from "../market/test_fixtures.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

const closeAll = (xs: ArrayLike<number> | null, ys: number[], tol = 1e-12) => {
  assert.ok(xs !== null, "expected a PMF, got null");
  assert.equal(xs.length, ys.length);
  ys.forEach((y, i) => close(xs[i], y, tol));
  close(Array.from(xs).reduce((s, x) => s + x, 0), 1);
};

Deno.test("impliedPmf: exclusive ladder normalizes away the overround", () => {
  const ladder = weatherLadder();
  const mids = [0.02, 0.1, 0.3, 0.35, 0.15, 0.06, 0.03, 0.02]; // sums to 1.03
  closeAll(impliedPmf(ladder, mids), mids.map((m) => m / 1.03));
  const out = new Float64Array(8);
  assert.equal(impliedPmf(ladder, mids, out), out);
});

Deno.test("impliedPmf: exclusive ladder is null with a missing quote or all zeros", () => {
  const ladder = weatherLadder();
  assert.equal(impliedPmf(ladder, [0.02, 0.1, NaN, 0.35, 0.15, 0.06, 0.03, 0.02]), null);
  assert.equal(impliedPmf(ladder, new Float64Array(8)), null);
});

Deno.test("impliedPmf: threshold ladder from monotone mids", () => {
  const ladder = btcLadder();
  // P(above) 0.8, 0.5, 0.2 -> CDF at the strikes 0.2, 0.5, 0.8.
  closeAll(impliedPmf(ladder, [0.8, 0.5, 0.2]), [0.2, 0.3, 0.3, 0.2]);
});

Deno.test("impliedPmf: threshold ladder repairs violations by pool-adjacent-violators", () => {
  const ladder = btcLadder();
  // CDF observations 0.5, 0.4, 0.8: the first two pool to 0.45.
  closeAll(impliedPmf(ladder, [0.5, 0.6, 0.2]), [0.45, 0, 0.35, 0.2]);
  // Three-way pool: CDF 0.6, 0.5, 0.4 -> all 0.5.
  closeAll(impliedPmf(ladder, [0.4, 0.5, 0.6]), [0.5, 0, 0, 0.5]);
  // Extremes stay in [0, 1].
  closeAll(impliedPmf(ladder, [1, 1, 0]), [0, 0, 1, 0]);
});

Deno.test("impliedPmf: threshold ladder with above and below quotes at one boundary", () => {
  const ev = "KXINXU-25NOV24H1600";
  const ladder = buildLadder(event(ev, false), [
    mk(ev, "B6800", "less_or_equal", { capStrike: 6800 }),
    mk(ev, "A6800", "greater", { floorStrike: 6800 }),
    mk(ev, "A6900", "greater", { floorStrike: 6900 }),
  ]);
  assert.equal(ladder.bins.length, 3);
  assert.deepEqual(ladder.markets, [`${ev}-B6800`, `${ev}-A6800`, `${ev}-A6900`]);
  // Boundary 1: C = 0.42 (below) and 1 - 0.6 = 0.4 (above): averaged 0.41.
  // Boundary 2: C = 1 - 0.1 = 0.9.
  closeAll(impliedPmf(ladder, [0.42, 0.6, 0.1]), [0.41, 0.49, 0.1]);
  // Weighted pooling: boundary 1 (weight 2, 0.7) and boundary 2 (weight 1, 0.4) -> 0.6.
  closeAll(impliedPmf(ladder, [0.7, 0.3, 0.6]), [0.6, 0, 0.4]);
  // One of the two quotes at a boundary is enough.
  closeAll(impliedPmf(ladder, [NaN, 0.6, 0.1]), [0.4, 0.5, 0.1]);
});

Deno.test("impliedPmf: discrete threshold ladder puts no mass on unreachable bins", () => {
  const ev = "KXJOBLESSCLAIMS-25NOV24";
  const ladder = buildLadder(event(ev, false, 1), [
    mk(ev, "A", "greater", { floorStrike: 45 }),
    mk(ev, "B", "greater_or_equal", { floorStrike: 46 }),
  ]);
  // Both are "reported >= 46": one boundary, C = mean(0.4, 0.38) = 0.39.
  closeAll(impliedPmf(ladder, [0.6, 0.62]), [0.39, 0, 0.61]);
  closeAll(impliedPmf(ladder, [NaN, 0.62]), [0.38, 0, 0.62]);
});

Deno.test("impliedPmf: threshold ladder is null when a boundary has no quote", () => {
  const ladder = btcLadder();
  assert.equal(impliedPmf(ladder, [0.8, NaN, 0.2]), null);
  // A between market inside a non-exclusive event cuts boundaries no threshold pins.
  const ev = "KXBTC-26FEB0620";
  const mixed = buildLadder(event(ev, false), [
    mk(ev, "T1", "greater", { floorStrike: 1 }),
    mk(ev, "T2", "greater", { floorStrike: 2 }),
    mk(ev, "B1.6", "between", { floorStrike: 1.5, capStrike: 1.7 }),
  ]);
  assert.equal(mixed.bins.length, 5);
  assert.equal(impliedPmf(mixed, [0.6, 0.3, 0.1]), null);
});

Deno.test("impliedPmf: validates lengths and mid range", () => {
  const ladder = btcLadder();
  assert.throws(() => impliedPmf(ladder, [0.5, 0.5]), RangeError);
  assert.throws(
    () => impliedPmf(ladder, [0.5, 1.2, 0.1]),
    (e: unknown) => e instanceof RangeError && e.message.includes(`${BTC}-T73249.99`),
  );
  assert.throws(() => impliedPmf(ladder, [0.5, -0.1, 0.1]), RangeError);
  assert.throws(() => impliedPmf(ladder, [0.8, 0.5, 0.2], new Float64Array(3)), RangeError);
  const out = new Float64Array(4);
  assert.equal(impliedPmf(ladder, [0.8, 0.5, 0.2], out), out);
});

Deno.test("yesMidOf prices two-sided books and one-sided books only near their bound", () => {
  const b = (bestYesBid: number, bestYesAsk: number, valid = true) => ({
    valid,
    bestYesBid,
    bestYesAsk,
  });
  assert.equal(yesMidOf(b(4900, 5100)), 0.5);
  assert.equal(yesMidOf(b(0, 300)), 0.015, "no YES bid, 3-cent ask: the floor is $0");
  assert.equal(yesMidOf(b(9900, 10_000)), 0.995, "no YES ask, 99-cent bid");
  assert.ok(Number.isNaN(yesMidOf(b(0, 1100))), "one-sided at 11 cents is not priced");
  assert.ok(Number.isNaN(yesMidOf(b(8900, 10_000))));
  assert.ok(Number.isNaN(yesMidOf(b(0, 10_000))), "empty");
  assert.ok(Number.isNaN(yesMidOf(b(4900, 5100, false))), "invalid");
  assert.ok(Number.isNaN(yesMidOf(undefined)));
});
