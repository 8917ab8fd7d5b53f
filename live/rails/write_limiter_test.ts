import assert from "node:assert/strict";
import { TIER_WRITES_PER_SECOND, WriteLimiter } from "./write_limiter.ts";

Deno.test("WriteLimiter: the basic tier allows a burst of 10, then 10 per second", () => {
  let now = 0;
  const w = WriteLimiter.forTier("basic", () => now);
  for (let i = 0; i < 10; i++) assert.equal(w.tryTake(), true, `write ${i}`);
  assert.equal(w.tryTake(), false);
  assert.equal(w.tryTake(), false, "a refusal does not go into debt");
  now = 99;
  assert.equal(w.tryTake(), false);
  now = 100;
  assert.equal(w.tryTake(), true);
  assert.equal(w.taken, 11);
  assert.equal(w.refused, 3);
});

Deno.test("WriteLimiter: tiers are sized from the table; unknown tiers are refused", () => {
  for (const [tier, rate] of Object.entries(TIER_WRITES_PER_SECOND)) {
    const w = WriteLimiter.forTier(tier, () => 0);
    assert.equal(w.ratePerSecond, rate);
    let n = 0;
    while (w.tryTake()) n++;
    assert.equal(n, rate, `${tier} burst`);
  }
  assert.throws(() => WriteLimiter.forTier("gold", () => 0), /unknown account tier.*"gold"/);
  assert.throws(() => WriteLimiter.forTier("toString", () => 0), /unknown account tier/);
});

Deno.test("WriteLimiter: a time scale multiplies the budget (a tape replayed at N x)", () => {
  let now = 0;
  const w = WriteLimiter.forTier("basic", () => now, 60);
  assert.equal(w.ratePerSecond, 600);
  let n = 0;
  while (w.tryTake()) n++;
  assert.equal(n, 600);
  now = 10;
  assert.equal(w.tryTake(), true, "6 tokens per 10 ms");
  assert.throws(() => WriteLimiter.forTier("basic", () => 0, 0), /timeScale .* current value is 0/);
});
