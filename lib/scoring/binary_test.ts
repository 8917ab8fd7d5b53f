import assert from "node:assert/strict";
import { assertBinaryForecasts, brierScore, LOG_LOSS_FLOOR, logLoss } from "./binary.ts";
import { neumaierSum } from "./neumaier.ts";
import { Prng } from "../random/prng.ts";

const close = (a: number, b: number, tol = 1e-15) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("LOG_LOSS_FLOOR is float64 eps", () => {
  assert.equal(LOG_LOSS_FLOOR, 2.220446049250313e-16);
});

Deno.test("brierScore: hand-computed", () => {
  close(brierScore([0.9, 0.2, 0.5], [1, 0, 1]), 0.1);
  assert.equal(brierScore([1, 0], [1, 0]), 0);
  assert.equal(brierScore([0, 1], [1, 0]), 1);
  assert.equal(brierScore([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 1]), 0.25);
  assert.equal(brierScore(new Float64Array([0.25]), new Uint8Array([0])), 0.0625);
});

Deno.test("logLoss: hand-computed", () => {
  close(logLoss([0.9, 0.2], [1, 0]), -(Math.log(0.9) + Math.log(0.8)) / 2);
  close(logLoss([0.9, 0.2], [1, 0]), 0.164252033486018);
  assert.equal(logLoss([0.5], [1]), Math.LN2);
  assert.equal(logLoss([0.5, 0.5], [0, 1]), Math.LN2);
});

Deno.test("logLoss: clipping at the floor", () => {
  const cap = -Math.log(LOG_LOSS_FLOOR);
  assert.equal(cap, 36.04365338911715);
  assert.equal(logLoss([0], [1]), cap);
  assert.equal(logLoss([1], [0]), cap);
  // Certain and right costs -ln(1 - eps) ~ eps, not 0.
  close(logLoss([1], [1]), LOG_LOSS_FLOOR);
  close(logLoss([0], [0]), LOG_LOSS_FLOOR);
  close(logLoss([0, 1], [1, 1]), (cap + LOG_LOSS_FLOOR) / 2);
  // Custom floor.
  close(logLoss([0], [1], 0.01), -Math.log(0.01));
  close(logLoss([0.995], [0], 0.01), -Math.log(0.01));
  assert.equal(logLoss([0], [1], 0), Infinity);
  assert.equal(logLoss([1], [1], 0), 0);
});

Deno.test("validation: lengths, empty, bad p and y", () => {
  assert.throws(() => brierScore([0.1, 0.2, 0.3], [0, 1, 0, 1]), {
    name: "RangeError",
    message: "Cannot compute Brier score: lengths differ, current value is 3 vs 4",
  });
  assert.throws(() => logLoss([], []), {
    name: "RangeError",
    message: "Cannot compute log loss: need at least one forecast, current value is 0 forecasts",
  });
  assert.throws(() => brierScore([0.2, 1.5], [0, 1]), {
    message:
      "Cannot compute Brier score: p[1] must be a finite probability in [0, 1], current value is 1.5",
  });
  assert.throws(() => brierScore([NaN], [0]), /p\[0\].*current value is NaN/);
  assert.throws(() => brierScore([-0.1], [0]), /p\[0\].*current value is -0.1/);
  assert.throws(() => logLoss([Infinity], [0]), /p\[0\].*current value is Infinity/);
  assert.throws(() => logLoss([0.5, 0.5, 0.5], [0, 1, 2]), {
    message: "Cannot compute log loss: y[2] must be 0 or 1, current value is 2",
  });
  assert.throws(() => brierScore([0.5], [0.5]), /y\[0\] must be 0 or 1, current value is 0.5/);
  assert.throws(() => logLoss([0.5], [1], 0.6), {
    message: "Cannot compute log loss: floor must be in [0, 0.5], current value is 0.6",
  });
  assert.throws(() => logLoss([0.5], [1], NaN), /floor/);
  assert.doesNotThrow(() => assertBinaryForecasts("x", [0, 1], [0, 1]));
});

Deno.test("brierScore/logLoss: compensated mean over many terms", () => {
  const n = 1_000_000;
  const p = new Float64Array(n).fill(0.1);
  const y = new Uint8Array(n);
  // Each term is 0.1^2 as a double; the mean of identical terms is that term.
  assert.equal(brierScore(p, y), 0.1 * 0.1);
  // The NO term is ln(1 - p), computed as sklearn does; logarithms of runs of
  // products (binaryScores) keep the mean within 2 ulp of the per-term value.
  const l = logLoss(p, y);
  const want = -Math.log(1 - 0.1);
  assert.ok(Math.abs(l - want) <= 2 * Number.EPSILON * want, `${l} vs ${want}`);
});

/** The log loss with one logarithm per forecast and compensated summation (the reference). */
function perForecastLogLoss(p: ArrayLike<number>, y: ArrayLike<number>, floor: number): number {
  const terms: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const pc = Math.min(Math.max(p[i], floor), 1 - floor);
    terms.push(-Math.log(y[i] === 1 ? pc : 1 - pc));
  }
  return neumaierSum(terms) / p.length;
}

Deno.test("logLoss equals one logarithm per forecast within 1e-14, tiny and certain forecasts included", () => {
  const rng = new Prng(5);
  for (let round = 0; round < 40; round++) {
    const n = 1 + rng.int(50_000);
    const p = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      // Ordinary forecasts, near-certain ones (down to 1e-300) and exact 0 and 1.
      p[i] = u < 0.8 ? rng.next() : u < 0.9 ? 10 ** (-300 * rng.next()) : u < 0.95 ? 0 : 1;
      y[i] = rng.next() < 0.5 ? 1 : 0;
    }
    for (const floor of [LOG_LOSS_FLOOR, 1e-250, 0]) {
      const got = logLoss(p, y, floor);
      const want = perForecastLogLoss(p, y, floor);
      if (!Number.isFinite(want)) {
        assert.equal(got, want, `round ${round} floor ${floor}`);
        continue;
      }
      assert.ok(
        Math.abs(got - want) <= 1e-14 * want,
        `round ${round} floor ${floor}: ${got} vs ${want}`,
      );
    }
  }
  // A certain miss with no floor: infinite, as with a logarithm per forecast.
  assert.equal(logLoss([0, 0.5], [1, 1], 0), Infinity);
  assert.equal(logLoss([0.5, 1], [1, 0], 0), Infinity);
});

Deno.test("validation rejects non-numbers even where arithmetic would accept them", () => {
  const bad = [true, "1", null] as unknown as number[];
  for (const v of bad) {
    assert.throws(() => brierScore([0.5], [v]), /y\[0\] must be 0 or 1/);
    assert.throws(() => brierScore([v], [1]), /p\[0\] must be a finite probability/);
  }
});
