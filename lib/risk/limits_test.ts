import assert from "node:assert/strict";
import { DEFAULT_VAR_GRID_POINTS, type RiskLimits, validateRiskLimits } from "./limits.ts";

const FULL: RiskLimits = {
  maxOrderCount: 10_000,
  maxOrderCost: 500_000,
  orderRate: { maxOrders: 10, intervalMs: 1_000 },
  marketOrderRate: { maxOrders: 2, intervalMs: 60_000 },
  maxPosition: 50_000,
  kelly: { multiplier: 0.5, maxFraction: 0.1 },
  maxStrikeLoss: 1_000_000,
  maxEventLoss: 2_000_000,
  maxPortfolioLoss: 5_000_000,
  var: { confidence: 0.99, maxLoss: 3_000_000 },
  dailyLossCap: 1_000_000,
  weeklyLossCap: 3_000_000,
};

Deno.test("validateRiskLimits accepts an empty and a full configuration", () => {
  assert.deepEqual(validateRiskLimits({}), {});
  const v = validateRiskLimits(FULL);
  assert.deepEqual(v, {
    ...FULL,
    var: { confidence: 0.99, maxLoss: 3_000_000, maxGridPoints: DEFAULT_VAR_GRID_POINTS },
  });
  assert.ok(Object.isFrozen(v));
  assert.ok(Object.isFrozen(v.var));
  assert.ok(Object.isFrozen(v.orderRate));
});

Deno.test("validateRiskLimits takes 0 as a limit and skips undefined fields", () => {
  assert.deepEqual(validateRiskLimits({ maxOrderCount: 0, dailyLossCap: undefined }), {
    maxOrderCount: 0,
  });
  assert.deepEqual(validateRiskLimits({ orderRate: { maxOrders: 0, intervalMs: 1 } }), {
    orderRate: { maxOrders: 0, intervalMs: 1 },
  });
});

Deno.test("validateRiskLimits names the bad integer field and its value", () => {
  const fields = [
    "maxOrderCount",
    "maxOrderCost",
    "maxPosition",
    "maxStrikeLoss",
    "maxEventLoss",
    "maxPortfolioLoss",
    "dailyLossCap",
    "weeklyLossCap",
  ];
  for (const f of fields) {
    for (const bad of [-1, Number.NaN, 1.5, Infinity, "5", null, 2 ** 53]) {
      assert.throws(
        () => validateRiskLimits({ [f]: bad }),
        (e: unknown) =>
          e instanceof RangeError &&
          e.message.startsWith(`Cannot use risk limits: ${f} must be a non-negative integer`) &&
          e.message.endsWith(`current value is ${typeof bad === "string" ? '"5"' : String(bad)}`),
        `${f} = ${String(bad)}`,
      );
    }
  }
});

Deno.test("validateRiskLimits rejects unknown fields, so a typo cannot turn a rule off", () => {
  assert.throws(
    () => validateRiskLimits({ maxOrderCnt: 5 }),
    /Cannot use risk limits: maxOrderCnt must be a known risk limit \(unknown field\), current value is 5/,
  );
  assert.throws(
    () => validateRiskLimits({ orderRate: { maxOrders: 1, intervalMs: 5, burst: 2 } }),
    /orderRate\.burst must be one of maxOrders, intervalMs/,
  );
  assert.throws(
    () => validateRiskLimits({ var: { confidence: 0.9, maxLoss: 1, gridPoints: 2 } }),
    /var\.gridPoints/,
  );
});

Deno.test("validateRiskLimits checks rate limits", () => {
  for (const f of ["orderRate", "marketOrderRate"]) {
    assert.throws(
      () => validateRiskLimits({ [f]: { maxOrders: 1, intervalMs: 0 } }),
      new RegExp(`${f}\\.intervalMs must be a positive integer \\(ms\\), current value is 0`),
    );
    assert.throws(
      () => validateRiskLimits({ [f]: { maxOrders: -1, intervalMs: 10 } }),
      new RegExp(`${f}\\.maxOrders must be a non-negative integer`),
    );
    assert.throws(
      () => validateRiskLimits({ [f]: { maxOrders: 1 } }),
      new RegExp(`${f}\\.intervalMs .* current value is undefined`),
    );
    assert.throws(() => validateRiskLimits({ [f]: 5 }), new RegExp(`${f} must be an object`));
    assert.throws(() => validateRiskLimits({ [f]: [1, 2] }), new RegExp(`${f} must be an object`));
  }
});

Deno.test("validateRiskLimits checks the VaR limit", () => {
  for (const c of [0, 1, -0.1, 1.5, Number.NaN, "0.9"]) {
    assert.throws(
      () => validateRiskLimits({ var: { confidence: c, maxLoss: 1 } }),
      /var\.confidence must be a number in \(0, 1\)/,
      String(c),
    );
  }
  assert.throws(
    () => validateRiskLimits({ var: { confidence: 0.9, maxLoss: -5 } }),
    /var\.maxLoss must be a non-negative integer \(ticks\), current value is -5/,
  );
  for (const g of [1, 0, 1.5, 2 ** 30]) {
    assert.throws(
      () => validateRiskLimits({ var: { confidence: 0.9, maxLoss: 1, maxGridPoints: g } }),
      /var\.maxGridPoints must be an integer in 2\.\./,
    );
  }
  assert.equal(
    validateRiskLimits({ var: { confidence: 0.9, maxLoss: 0, maxGridPoints: 2 } }).var
      ?.maxGridPoints,
    2,
  );
});

Deno.test("validateRiskLimits checks the Kelly limit", () => {
  assert.deepEqual(validateRiskLimits({ kelly: { multiplier: 1, maxFraction: 1 } }).kelly, {
    multiplier: 1,
    maxFraction: 1,
  });
  for (const m of [0, -0.5, 1.01, Number.NaN]) {
    assert.throws(
      () => validateRiskLimits({ kelly: { multiplier: m, maxFraction: 0.1 } }),
      /kelly\.multiplier must be a number in \(0, 1\]/,
    );
    assert.throws(
      () => validateRiskLimits({ kelly: { multiplier: 0.5, maxFraction: m } }),
      /kelly\.maxFraction must be a number in \(0, 1\]/,
    );
  }
});

Deno.test("validateRiskLimits rejects a non-object configuration", () => {
  for (const bad of [null, 5, "x", [], undefined]) {
    assert.throws(() => validateRiskLimits(bad), /Cannot use risk limits: they must be an object/);
  }
});
