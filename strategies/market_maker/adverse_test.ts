import assert from "node:assert/strict";
import { AdverseMonitor } from "./adverse.ts";

function near(actual: number, expected: number, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
}

Deno.test("AdverseMonitor: a YES buy followed by a falling mid adds pressure that halves", () => {
  const m = new AdverseMonitor(30_000, 300_000);
  m.onFill(0, "yes", 5000);
  m.observe(29_999, 4000); // not due yet
  assert.equal(m.pressure(29_999), 0);
  assert.equal(m.pending, 1);
  m.observe(30_000, 4700);
  near(m.pressure(30_000), 300);
  near(m.pressure(330_000), 150);
  near(m.pressure(630_000), 75);
  assert.equal(m.pending, 0);
  assert.deepEqual([m.looked, m.adverse, m.dropped], [1, 1, 0]);
});

Deno.test("AdverseMonitor: NO buys see the move mirrored; favourable moves add nothing", () => {
  const m = new AdverseMonitor(1000, 1_000_000);
  m.onFill(0, "no", 5000); // bought NO: a rising YES mid is adverse
  m.onFill(0, "yes", 5000); // bought YES: a rising YES mid is good
  m.observe(1000, 5200);
  near(m.pressure(1000), 200);
  assert.deepEqual([m.looked, m.adverse], [2, 1]);
  // Pressures add after decaying to the time of the new look.
  m.onFill(1000, "yes", 5200);
  m.observe(1_001_000, 5100);
  near(m.pressure(1_001_000), 100 + 200 / 2);
});

Deno.test("AdverseMonitor: unknown mids are dropped and counted; looks come in due order", () => {
  const m = new AdverseMonitor(10, 1000);
  m.onFill(0, "yes", NaN);
  assert.equal(m.dropped, 1);
  assert.equal(m.pending, 0);
  m.onFill(50, "yes", 5000);
  m.onFill(20, "yes", 6000);
  m.observe(35, NaN); // the look due at 30 finds no mid
  assert.equal(m.dropped, 2);
  m.observe(60, 4900);
  near(m.pressure(60), 100);
});

Deno.test("AdverseMonitor: bad parameters", () => {
  assert.throws(() => new AdverseMonitor(-1, 10), /horizonMs must be >= 0, current value is -1/);
  assert.throws(() => new AdverseMonitor(1, 0), /halfLifeMs must be > 0, current value is 0/);
  assert.throws(() => new AdverseMonitor(1, 1).onFill(NaN, "yes", 1), /ts must be finite/);
});
