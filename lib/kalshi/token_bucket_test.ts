import assert from "node:assert/strict";
import { TokenBucket } from "./token_bucket.ts";

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

Deno.test("TokenBucket: a full bucket serves a burst, then paces at the rate", () => {
  const c = clock();
  const b = new TokenBucket({ ratePerSecond: 20, now: c.now });
  assert.equal(b.burst, 20);
  for (let i = 0; i < 20; i++) assert.equal(b.reserve(), 0, `token ${i}`);
  // The 21st waits one interval (50 ms at 20/s), the 22nd two.
  assert.equal(b.reserve(), 50);
  assert.equal(b.reserve(), 100);
});

Deno.test("TokenBucket: refills with time, never above the burst", () => {
  const c = clock(1_000);
  const b = new TokenBucket({ ratePerSecond: 10, burst: 2, now: c.now });
  assert.equal(b.reserve(), 0);
  assert.equal(b.reserve(), 0);
  assert.equal(b.reserve(), 100);
  c.t += 100; // pays back the owed token only
  assert.equal(b.available(), 0);
  c.t += 10_000; // a long idle period refills to the burst, not beyond
  assert.equal(b.available(), 2);
  assert.equal(b.reserve(), 0);
  assert.equal(b.reserve(), 0);
  assert.equal(b.reserve(), 100);
});

Deno.test("TokenBucket: sustained requests average the configured rate", () => {
  const c = clock();
  const b = new TokenBucket({ ratePerSecond: 20, burst: 1, now: c.now });
  // Simulate a caller that sleeps exactly what it is told: 201 requests take 10 s.
  for (let i = 0; i < 201; i++) c.t += b.reserve();
  assert.equal(c.t, 10_000);
});

Deno.test("TokenBucket: take() sleeps the reserved wait through the injected sleep", async () => {
  const c = clock();
  const slept: number[] = [];
  const sleep = (ms: number) => {
    slept.push(ms);
    c.t += ms;
    return Promise.resolve();
  };
  const b = new TokenBucket({ ratePerSecond: 4, burst: 1, now: c.now });
  assert.equal(await b.take(sleep), 0);
  assert.equal(await b.take(sleep), 250);
  assert.equal(await b.take(sleep), 250);
  assert.deepEqual(slept, [250, 250]);
});

Deno.test("TokenBucket: a clock stepping backwards neither adds nor removes tokens", () => {
  const c = clock(5_000);
  const b = new TokenBucket({ ratePerSecond: 1, burst: 1, now: c.now });
  assert.equal(b.reserve(), 0);
  c.t = 0;
  assert.equal(b.reserve(), 1000);
});

Deno.test("TokenBucket: bad options and a broken clock are clear errors", () => {
  const now = () => 0;
  assert.throws(
    () => new TokenBucket({ ratePerSecond: 0, now }),
    /Cannot create token bucket: ratePerSecond must be finite and > 0, current value is 0/,
  );
  assert.throws(
    () => new TokenBucket({ ratePerSecond: Number.NaN, now }),
    /current value is NaN/,
  );
  assert.throws(
    () => new TokenBucket({ ratePerSecond: 5, burst: 1.5, now }),
    /Cannot create token bucket: burst must be an integer >= 1, current value is 1.5/,
  );
  assert.throws(
    () => new TokenBucket({ ratePerSecond: 5, burst: 0, now }),
    /burst must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => new TokenBucket({ ratePerSecond: 5, now: Number.NaN as unknown as () => number }),
    /Cannot create token bucket: now must be a clock function/,
  );
  let t = 0;
  const b = new TokenBucket({ ratePerSecond: 5, now: () => t });
  t = Number.NaN;
  assert.throws(
    () => b.reserve(),
    /Cannot read token bucket clock: not a finite time, current value is NaN/,
  );
});
