import assert from "node:assert/strict";
import { wilsonInterval } from "../scoring/reliability.ts";
import { clvStats } from "./clv_stats.ts";
import { sig } from "./test_support.ts";

Deno.test("clvStats: hand-computed group", () => {
  const r = clvStats([sig(200), sig(-100), sig(0), sig(50)]);
  assert.equal(r.n, 4);
  assert.equal(r.positives, 2); // 0 is not positive
  assert.equal(r.rate, 0.5);
  // statsmodels proportion_confint(2, 4, method="wilson")
  assert.equal(r.wilsonLo, 0.15003898915214947);
  assert.equal(r.wilsonHi, 0.8499610108478506);
  assert.equal(r.meanClv, 37.5);
  assert.equal(r.medianClv, 25); // (0 + 50) / 2
});

Deno.test("clvStats: odd median, order-independence, compensated mean", () => {
  const r = clvStats([sig(9), sig(-4), sig(1)]);
  assert.equal(r.medianClv, 1);
  assert.equal(r.meanClv, 2);
  const xs = [sig(1e16), sig(1), sig(-1e16), sig(1)];
  assert.equal(clvStats(xs).meanClv, 0.5); // a plain sum gives 0
  assert.equal(clvStats([...xs].reverse()).meanClv, 0.5);
});

Deno.test("clvStats: empty group", () => {
  const r = clvStats([]);
  assert.equal(r.n, 0);
  assert.equal(r.positives, 0);
  assert.ok(Number.isNaN(r.rate));
  assert.ok(Number.isNaN(r.meanClv));
  assert.ok(Number.isNaN(r.medianClv));
  assert.equal(r.wilsonLo, 0);
  assert.equal(r.wilsonHi, 1);
});

Deno.test("clvStats: all positive, none positive, alpha", () => {
  const all = clvStats([sig(3), sig(1)]);
  assert.equal(all.rate, 1);
  assert.equal(all.wilsonHi, 1);
  const none = clvStats([sig(-3), sig(0)]);
  assert.equal(none.rate, 0);
  assert.equal(none.wilsonLo, 0);
  const a90 = clvStats([sig(1), sig(-1), sig(1)], 0.1);
  const w = wilsonInterval(2, 3, 0.1);
  assert.equal(a90.wilsonLo, w.lo);
  assert.equal(a90.wilsonHi, w.hi);
});

Deno.test("clvStats: validation", () => {
  assert.throws(() => clvStats([sig(1), sig(NaN)]), {
    name: "RangeError",
    message:
      "Cannot compute CLV statistics: signals[1].clv must be a finite number of ticks, current value is NaN",
  });
  assert.throws(
    () => clvStats([sig(1)], 0),
    /Cannot compute CLV statistics: alpha must be in \(0, 1\), current value is 0/,
  );
  assert.throws(() => clvStats([], NaN), /alpha .* current value is NaN/);
});
