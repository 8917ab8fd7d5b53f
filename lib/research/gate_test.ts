import assert from "node:assert/strict";
import { FactorGate, type GateConfig, gateSignals } from "./gate.ts";
import { Prng } from "../random/prng.ts";
import type { Signal } from "./signal.ts";
import { sig } from "./test_support.ts";
import { trailingThresholds } from "./trailing_threshold.ts";

const S = (ts: number, skew: number): Signal => sig(0, { skew }, ts);

Deno.test("FactorGate: shadow records and delivers, enforce suppresses, off ignores", () => {
  const xs = [S(0, 0.7), S(1, 0.6), S(2, 0.2)];
  const shadow = gateSignals(xs, { mode: "shadow", factor: "skew", threshold: 0.6 });
  assert.deepEqual(shadow.map((d) => [d.pass, d.delivered]), [[true, true], [true, true], [
    false,
    true,
  ]]);
  assert.deepEqual(shadow[2], {
    pass: false,
    delivered: true,
    mode: "shadow",
    factor: "skew",
    value: 0.2,
    threshold: 0.6,
    reason: "skew 0.2 fails >= 0.6; shadow: delivered anyway",
  });
  assert.equal(shadow[0].reason, "skew 0.7 meets >= 0.6");
  const enforce = gateSignals(xs, { mode: "enforce", factor: "skew", threshold: 0.6 });
  assert.deepEqual(enforce.map((d) => d.delivered), [true, true, false]);
  assert.equal(enforce[2].reason, "skew 0.2 fails >= 0.6; enforce: suppressed");
  const below = gateSignals(xs, { mode: "enforce", factor: "skew", op: "<", threshold: 0.6 });
  assert.deepEqual(below.map((d) => d.delivered), [false, false, true]);
  // Off: nothing is read, so a missing factor is fine.
  const off = gateSignals([sig(0, {}, 0)], { mode: "off", factor: "skew", threshold: 0.6 });
  assert.deepEqual(off[0], {
    pass: true,
    delivered: true,
    mode: "off",
    factor: "skew",
    value: undefined,
    threshold: undefined,
    reason: "gate off",
  });
});

Deno.test("FactorGate: trailing threshold agrees with trailingThresholds; warm-up rules", () => {
  const rng = new Prng(7);
  const xs: Signal[] = [];
  let ts = 0;
  for (let i = 0; i < 200; i++) {
    ts += rng.int(4) * 1000;
    xs.push(S(ts, rng.next()));
  }
  const trailing = { windowMs: 30_000, quantile: 0.75, minObs: 5 };
  const cfg: GateConfig = { mode: "enforce", factor: "skew", trailing };
  const d = gateSignals(xs, cfg);
  const t = trailingThresholds(xs, "skew", trailing);
  d.forEach((x, i) => {
    assert.equal(x.threshold, t[i].threshold);
    assert.equal(x.pass, t[i].status !== "misses"); // warm-up passes by default
    assert.equal(x.delivered, x.pass);
  });
  assert.match(
    d[0].reason,
    /^skew [0-9.]+ in warm-up \(0 of 5 observations\), warm-up rule "pass"$/,
  );
  const meets = t.findIndex((x) => x.status === "meets");
  assert.match(d[meets].reason, /meets >= [0-9.]+ \(trailing q0\.75 of \d+\)$/);
  const blocked = gateSignals(xs, { ...cfg, warmUp: "block" });
  assert.equal(blocked[0].pass, false);
  assert.equal(blocked[0].delivered, false);
  assert.match(blocked[0].reason, /warm-up rule "block"; enforce: suppressed$/);
  // The trailing gate sees every decided signal, delivered or not: same thresholds in shadow.
  const sh = gateSignals(xs, { ...cfg, mode: "shadow" });
  assert.deepEqual(sh.map((x) => x.threshold), d.map((x) => x.threshold));
  assert.ok(sh.every((x) => x.delivered));
  // Deterministic: the same sequence gives the same decisions.
  assert.deepEqual(gateSignals(xs, cfg), d);
});

Deno.test("FactorGate: bad signals and time order", () => {
  const g = new FactorGate({ mode: "shadow", factor: "skew", threshold: 0.5 });
  assert.equal(g.mode, "shadow");
  assert.throws(
    () => g.decide(sig(0, { skew: NaN })),
    /Cannot gate signal: signals\[0\]\.factors\.skew must be a finite number, current value is NaN/,
  );
  assert.throws(
    () => g.decide({ ts: 1.5, factors: { skew: 1 } }),
    /Cannot gate signal: signals\[0\]\.ts must be an integer of milliseconds, current value is 1.5/,
  );
  assert.throws(
    () => g.decide({ ts: 1, factors: null as unknown as Record<string, number> }),
    /signals\[0\]\.factors must be an object, current value is null/,
  );
  // Only time and factors are read: a live signal without CLV is fine.
  assert.equal(g.decide({ ts: 1, factors: { skew: 0.7 } }).pass, true);
  assert.equal(g.decide(sig(NaN, { skew: 0.1 })).pass, false);
  // A fixed gate does not care about order; a trailing one does.
  g.decide(S(10, 0.6));
  g.decide(S(5, 0.6));
  const t = new FactorGate({
    mode: "enforce",
    factor: "skew",
    trailing: { windowMs: 100, quantile: 0.5, minObs: 1 },
  });
  t.decide(S(10, 0.6));
  assert.throws(
    () => t.decide(S(5, 0.6)),
    /Cannot gate signal: a trailing gate needs signals in time order, signals\[1\]\.ts is before 10, current value is 5/,
  );
  // The rejected signal was not recorded.
  assert.equal(t.decide(S(11, 0.1)).threshold, 0.6);
});

Deno.test("FactorGate: configuration checks", () => {
  const bad = (c: unknown, re: RegExp) => assert.throws(() => new FactorGate(c as GateConfig), re);
  bad(
    { mode: "on", factor: "skew", threshold: 1 },
    /Cannot create gate: mode must be "off", "shadow" or "enforce", current value is "on"/,
  );
  bad({ mode: "shadow", factor: "", threshold: 1 }, /factor must be a non-empty string/);
  bad(
    { mode: "shadow", factor: "skew" },
    /give exactly one of threshold and trailing, current value is neither/,
  );
  bad(
    {
      mode: "shadow",
      factor: "skew",
      threshold: 1,
      trailing: { windowMs: 1, quantile: 0.5, minObs: 1 },
    },
    /current value is both/,
  );
  bad(
    { mode: "off", factor: "skew", threshold: NaN },
    /threshold must be a finite number, current value is NaN/,
  );
  bad({ mode: "shadow", factor: "skew", threshold: 1, op: "~" }, /op must be/);
  bad(
    { mode: "shadow", factor: "skew", trailing: { windowMs: -1, quantile: 0.5, minObs: 1 } },
    /windowMs must be a positive integer or Infinity, current value is -1/,
  );
  bad(
    {
      mode: "shadow",
      factor: "skew",
      trailing: { windowMs: 1, quantile: 0.5, minObs: 1 },
      warmUp: "skip",
    },
    /warmUp must be "pass" or "block", current value is "skip"/,
  );
  bad(null, /config must be an object/);
});
