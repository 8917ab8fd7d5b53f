import assert from "node:assert/strict";
import { hitRate, maxDrawdown, sharpeRatio } from "./trading.ts";

const close = (a: number, b: number, tol = 1e-14) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("sharpeRatio: hand-computed", () => {
  assert.equal(sharpeRatio([1, 2, 3]), 2);
  assert.equal(sharpeRatio([1, 2, 3], 4), 4);
  // mean 0.5, sample variance ((0.5)^2 * 2 + (1.5)^2 + (1.5)^2... ) computed by hand:
  // xs = [2, -1, 0, 1]: mean 0.5; deviations 1.5, -1.5, -0.5, 0.5; ss = 5; var = 5/3
  close(sharpeRatio([2, -1, 0, 1]), 0.5 / Math.sqrt(5 / 3));
  close(sharpeRatio([2, -1, 0, 1], 252), 0.5 / Math.sqrt(5 / 3) * Math.sqrt(252));
  close(sharpeRatio([-0.01, -0.03]), -0.02 / Math.sqrt(0.0002));
});

Deno.test("sharpeRatio: NaN cases", () => {
  assert.ok(Number.isNaN(sharpeRatio([])));
  assert.ok(Number.isNaN(sharpeRatio([0.1])));
  assert.ok(Number.isNaN(sharpeRatio([0.1, 0.1, 0.1])));
});

Deno.test("sharpeRatio: validation", () => {
  assert.throws(() => sharpeRatio([1, NaN]), {
    name: "RangeError",
    message:
      "Cannot compute Sharpe ratio: returns[1] must be a finite number, current value is NaN",
  });
  assert.throws(() => sharpeRatio([1, 2], 0), {
    message:
      "Cannot compute Sharpe ratio: periodsPerYear must be finite and > 0, current value is 0",
  });
  assert.throws(() => sharpeRatio([1, 2], Infinity), /periodsPerYear/);
});

Deno.test("maxDrawdown: hand-computed", () => {
  assert.deepEqual(maxDrawdown([100, 120, 90, 130, 95, 140]), {
    maxDrawdown: 35,
    peakIndex: 3,
    troughIndex: 4,
  });
  assert.deepEqual(maxDrawdown([0, -50, -20, -80, 10]), {
    maxDrawdown: 80,
    peakIndex: 0,
    troughIndex: 3,
  });
  // Equal peaks: the latest is reported; equal troughs: the first.
  assert.deepEqual(maxDrawdown([10, 5, 10, 3, 3, 12]), {
    maxDrawdown: 7,
    peakIndex: 2,
    troughIndex: 3,
  });
  assert.deepEqual(maxDrawdown(new Int32Array([5, 4])), {
    maxDrawdown: 1,
    peakIndex: 0,
    troughIndex: 1,
  });
});

Deno.test("maxDrawdown: none", () => {
  const none = { maxDrawdown: 0, peakIndex: -1, troughIndex: -1 };
  assert.deepEqual(maxDrawdown([]), none);
  assert.deepEqual(maxDrawdown([7]), none);
  assert.deepEqual(maxDrawdown([1, 2, 2, 3]), none);
});

Deno.test("maxDrawdown: validation", () => {
  assert.throws(() => maxDrawdown([100, 99.5]), {
    name: "RangeError",
    message:
      "Cannot compute max drawdown: equity[1] must be an integer number of ticks, current value is 99.5",
  });
  assert.throws(() => maxDrawdown([NaN]), /equity\[0\]/);
});

Deno.test("hitRate", () => {
  assert.equal(hitRate([120, -40, 0, 15]), 0.5);
  assert.equal(hitRate([1]), 1);
  assert.equal(hitRate([-1, 0]), 0);
  assert.ok(Number.isNaN(hitRate([])));
  assert.throws(() => hitRate([1, Infinity]), {
    name: "RangeError",
    message: "Cannot compute hit rate: pnls[1] must be a finite number, current value is Infinity",
  });
});
