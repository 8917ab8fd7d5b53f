import assert from "node:assert/strict";
import {
  askTicksOnGrid,
  avellanedaStoikov,
  bidTicksOnGrid,
  fillProbability,
  gammaForInventory,
  priceBand,
} from "./model.ts";

function near(actual: number, expected: number, tol = 1e-12, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what} expected ${expected} +/- ${tol}, got ${actual}`,
  );
}

const BASE = { fair: 0.5, inventory: 0, gamma: 1, variancePerHour: 0.0025, tauHours: 1, k: 50 };

Deno.test("avellanedaStoikov: hand-computed reservation and spread", () => {
  // risk = gamma sigma^2 tau = 0.0025; spread = 0.0025 + 2 ln(1.02) = 0.0421052...
  const q = avellanedaStoikov(BASE);
  near(q.reservation, 0.5);
  near(q.spread, 0.0025 + 2 * Math.log(1.02));
  near(q.spread, 0.04210525, 1e-8);
  near(q.bid, 0.5 - q.spread / 2);
  near(q.ask, 0.5 + q.spread / 2);
  // Long 10 contracts: r = 0.5 - 10 * 0.0025 = 0.475, spread unchanged.
  const long = avellanedaStoikov({ ...BASE, inventory: 10 });
  near(long.reservation, 0.475);
  near(long.spread, q.spread);
  // Short: quotes move up by the same amount.
  near(avellanedaStoikov({ ...BASE, inventory: -10 }).reservation, 0.525);
  // gamma = 2, k = 100, sigma^2 = 0.01, tau = 0.5: risk 0.01, r = 0.3 - 4 * 0.01 = 0.26,
  // spread = 0.01 + ln(1.02) = 0.0298026...
  const q2 = avellanedaStoikov({
    fair: 0.3,
    inventory: 4,
    gamma: 2,
    variancePerHour: 0.01,
    tauHours: 0.5,
    k: 100,
  });
  near(q2.reservation, 0.26);
  near(q2.spread, 0.01 + Math.log(1.02));
});

Deno.test("avellanedaStoikov: no time left leaves only the intensity spread, no skew", () => {
  const q = avellanedaStoikov({ ...BASE, inventory: 20, tauHours: 0 });
  near(q.reservation, 0.5);
  near(q.spread, 2 * Math.log(1.02));
  // Small gamma: the spread tends to 2 / k.
  near(avellanedaStoikov({ ...BASE, gamma: 1e-9, tauHours: 0 }).spread, 2 / 50, 1e-9);
});

Deno.test("avellanedaStoikov: bad inputs are rejected with the value", () => {
  const bad: [Partial<typeof BASE>, RegExp][] = [
    [{ fair: 1.2 }, /fair must be in \[0, 1\], current value is 1.2/],
    [{ fair: NaN }, /fair/],
    [{ inventory: Infinity }, /inventory must be finite/],
    [{ gamma: 0 }, /gamma must be > 0, current value is 0/],
    [{ k: -1 }, /k must be > 0/],
    [{ variancePerHour: -0.1 }, /variancePerHour must be >= 0/],
    [{ tauHours: -1 }, /tauHours must be >= 0/],
  ];
  for (const [patch, re] of bad) {
    assert.throws(() => avellanedaStoikov({ ...BASE, ...patch }), re);
  }
});

Deno.test("gammaForInventory: falls with |inventory| as gamma0 / (1 + decay |q| / qMax)", () => {
  assert.equal(gammaForInventory(1, 0, 50, 1), 1);
  near(gammaForInventory(1, -25, 50, 1), 2 / 3);
  assert.equal(gammaForInventory(1, 50, 50, 1), 0.5);
  assert.equal(gammaForInventory(2, 50, 50, 0), 2, "decay 0 keeps gamma");
  // The skew q gamma(q) grows but stays below gamma0 qMax / decay.
  let prev = 0;
  for (let q = 0; q <= 5000; q += 100) {
    const skew = q * gammaForInventory(1, q, 50, 1);
    assert.ok(skew >= prev && skew < 50);
    prev = skew;
  }
  assert.throws(() => gammaForInventory(0, 1, 50, 1), /gamma0 must be > 0/);
  assert.throws(() => gammaForInventory(1, NaN, 50, 1), /inventory must be finite/);
  assert.throws(() => gammaForInventory(1, 1, 0, 1), /qMax must be > 0, current value is 0/);
  assert.throws(() => gammaForInventory(1, 1, 50, -1), /decay must be >= 0/);
});

Deno.test("priceBand: edges belong to the calmer band", () => {
  const cases: [number, string][] = [
    [5000, "normal"],
    [1500, "normal"],
    [8500, "normal"],
    [1499.5, "soft_low"],
    [500, "soft_low"],
    [9500, "soft_high"],
    [8500.5, "soft_high"],
    [499.5, "hard_low"],
    [0, "hard_low"],
    [9500.5, "hard_high"],
    [10000, "hard_high"],
  ];
  for (const [mid, band] of cases) assert.equal(priceBand(mid), band, `mid ${mid}`);
  assert.equal(priceBand(1000, { soft: 1000, hard: 1000 }), "normal");
  assert.equal(priceBand(999, { soft: 1000, hard: 1000 }), "hard_low");
  assert.throws(() => priceBand(-1), /mid must be in \[0, 10000\] ticks, current value is -1/);
  assert.throws(() => priceBand(NaN), /mid must be/);
  assert.throws(() => priceBand(5000, { soft: 400, hard: 500 }), /hard <= soft/);
  assert.throws(() => priceBand(5000, { soft: 6000, hard: 500 }), /soft <= 5000/);
});

Deno.test("grid rounding goes away from the mid and survives float noise", () => {
  assert.equal(bidTicksOnGrid(0.4789, 100), 4700);
  assert.equal(bidTicksOnGrid(0.4789, 10), 4780);
  assert.equal(bidTicksOnGrid(0.4789, 1), 4789);
  assert.equal(askTicksOnGrid(0.5211, 100), 5300);
  assert.equal(askTicksOnGrid(0.5211, 10), 5220);
  // 0.57 * 10000 = 5699.999999999999 in floating point: still 5700.
  assert.equal(0.57 * 10000 < 5700, true);
  assert.equal(bidTicksOnGrid(0.57, 100), 5700);
  assert.equal(askTicksOnGrid(0.57, 100), 5700);
  // 0.29 * 10000 = 2900.0000000000005: an ask stays at 2900.
  assert.equal(askTicksOnGrid(0.29, 100), 2900);
  assert.equal(bidTicksOnGrid(-0.01, 100), -100, "below 0: no valid bid (caller checks)");
  assert.equal(askTicksOnGrid(1.004, 100), 10100);
  assert.throws(() => bidTicksOnGrid(NaN, 100), /price must be finite, current value is NaN/);
  assert.throws(() => askTicksOnGrid(0.5, 0), /step must be an integer in 1..10000/);
  assert.throws(() => bidTicksOnGrid(0.5, 2.5), /step/);
});

Deno.test("fillProbability: the intensity model's chance of a fill within the horizon", () => {
  // A e^{-k d} h = 20 e^{-1} / 12.
  near(fillProbability(0.02, 20, 50, 300_000), 1 - Math.exp(-20 * Math.exp(-1) / 12));
  near(fillProbability(0.02, 20, 50, 300_000), 0.45835, 1e-5);
  // At or through the fair value: d = 0.
  near(fillProbability(-0.01, 12, 50, 300_000), 1 - Math.exp(-1));
  assert.equal(fillProbability(0.02, 0, 50, 300_000), 0);
  assert.equal(fillProbability(0.02, 20, 50, 0), 0);
  // Further away fills less.
  assert.ok(fillProbability(0.03, 20, 50, 300_000) < fillProbability(0.01, 20, 50, 300_000));
  assert.throws(() => fillProbability(NaN, 20, 50, 1), /distance must be a number/);
  assert.throws(() => fillProbability(0, -1, 50, 1), /arrivalPerHour must be >= 0/);
  assert.throws(() => fillProbability(0, 1, 0, 1), /k must be > 0/);
  assert.throws(() => fillProbability(0, 1, 1, -5), /horizonMs must be >= 0, current value is -5/);
});
