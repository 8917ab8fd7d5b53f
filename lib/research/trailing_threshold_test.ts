import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import { quantileSorted } from "./quantile.ts";
import type { Signal } from "./signal.ts";
import { sig } from "./test_support.ts";
import {
  trailingMask,
  TrailingQuantile,
  trailingSplit,
  trailingThresholds,
} from "./trailing_threshold.ts";

const DAY = 86_400_000;

/** The definition, by brute force: quantile of values with t - w <= ts < t. */
function naive(signals: Signal[], factor: string, w: number, q: number, minObs: number) {
  return signals.map((s) => {
    const prior = signals.filter((p) => p.ts < s.ts && p.ts >= s.ts - w)
      .map((p) => p.factors[factor]).sort((a, b) => a - b);
    return prior.length < minObs ? undefined : quantileSorted(prior, q);
  });
}

function randomSignals(seed: number, n: number, spacing: number): Signal[] {
  const rng = new Prng(seed);
  let ts = 1_700_000_000_000;
  const out: Signal[] = [];
  for (let i = 0; i < n; i++) {
    // Many equal timestamps (gap 0) and equal factor values.
    ts += rng.next() < 0.3 ? 0 : rng.int(spacing);
    const f = rng.next() < 0.2 ? rng.int(4) / 4 : rng.normal();
    out.push(sig(rng.normal() * 100, { f }, ts));
  }
  return out;
}

Deno.test("trailingThresholds: equals the brute-force definition (ties in time and value)", () => {
  for (
    const [seed, n, spacing, w, q, minObs] of [
      [1, 400, 3 * DAY, 7 * DAY, 0.75, 5],
      [2, 400, DAY, 2 * DAY, 0.5, 1],
      [3, 300, 10, 25, 0.9, 3],
      [4, 200, DAY, Infinity, 0.25, 10],
      [5, 200, 5, 1, 1, 1],
    ] as const
  ) {
    const xs = randomSignals(seed, n, spacing);
    const got = trailingThresholds(xs, "f", { windowMs: w, quantile: q, minObs });
    const want = naive(xs, "f", w, q, minObs);
    got.forEach((g, i) => {
      assert.equal(g.threshold, want[i], `seed ${seed} signal ${i}`);
      assert.equal(g.value, xs[i].factors.f);
      const expected = want[i] === undefined ? "warm-up" : g.value >= want[i]! ? "meets" : "misses";
      assert.equal(g.status, expected);
    });
    assert.ok(got.some((g) => g.status === "warm-up"));
    assert.ok(got.some((g) => g.status === "meets"));
    assert.ok(got.some((g) => g.status === "misses"));
  }
});

Deno.test("trailingThresholds: no look-ahead (later signals never change earlier results)", () => {
  const xs = randomSignals(11, 300, DAY);
  const opts = { windowMs: 14 * DAY, quantile: 0.75, minObs: 8 };
  const full = trailingThresholds(xs, "f", opts);
  for (const cut of [1, 50, 173, 299]) {
    const prefix = trailingThresholds(xs.slice(0, cut), "f", opts);
    assert.deepEqual(prefix, full.slice(0, cut));
  }
  // Changing the future (values and later times) leaves the past alone.
  const altered = xs.map((s, i) =>
    i < 150 ? s : sig(-s.clv, { f: s.factors.f * 7 + 3 }, s.ts + DAY)
  );
  assert.deepEqual(trailingThresholds(altered, "f", opts).slice(0, 150), full.slice(0, 150));
  // A signal's own value and those at its millisecond are not prior.
  const same = [sig(1, { f: 1 }, 5), sig(1, { f: 100 }, 5), sig(1, { f: 2 }, 6)];
  const r = trailingThresholds(same, "f", { windowMs: 10, quantile: 1, minObs: 1 });
  assert.deepEqual(r.map((t) => t.priorCount), [0, 0, 2]);
  assert.equal(r[2].threshold, 100);
});

Deno.test("trailingThresholds: window start inclusive, end exclusive; warm-up; ops", () => {
  const xs = [
    sig(1, { f: 3 }, 0),
    sig(1, { f: 1 }, 10),
    sig(1, { f: 2 }, 20),
    sig(1, { f: 9 }, 30),
  ];
  const r = trailingThresholds(xs, "f", { windowMs: 20, quantile: 0, minObs: 2 });
  // ts 20: window [0, 20) = {3, 1}; ts 30: window [10, 30) = {1, 2}.
  assert.deepEqual(r.map((t) => t.threshold), [undefined, undefined, 1, 1]);
  assert.deepEqual(r.map((t) => t.status), ["warm-up", "warm-up", "meets", "meets"]);
  assert.deepEqual(r.map((t) => t.priorCount), [0, 1, 2, 2]);
  const le = trailingThresholds(xs, "f", { windowMs: 20, quantile: 0, minObs: 2, op: "<=" });
  assert.deepEqual(le.map((t) => t.status), ["warm-up", "warm-up", "misses", "misses"]);
  // A value equal to the threshold meets ">=" (ties count as top) but not ">".
  const tie = [sig(1, { f: 5 }, 0), sig(1, { f: 5 }, 1)];
  const o = { windowMs: 10, quantile: 0.75, minObs: 1 };
  assert.equal(trailingThresholds(tie, "f", o)[1].status, "meets");
  assert.equal(trailingThresholds(tie, "f", { ...o, op: ">" })[1].status, "misses");
  assert.deepEqual(trailingThresholds([], "f", o), []);
});

Deno.test("TrailingQuantile: long stream with compaction matches brute force", () => {
  const rng = new Prng(99);
  const q = new TrailingQuantile({ windowMs: 50, quantile: 0.3, minObs: 1 });
  const ts: number[] = [];
  const vs: number[] = [];
  let t = 0;
  for (let i = 0; i < 12_000; i++) {
    t += rng.int(3);
    const v = rng.int(20);
    if (i % 97 === 0) {
      const prior = vs.filter((_, k) => ts[k] < t && ts[k] >= t - 50).sort((a, b) => a - b);
      const got = q.at(t);
      assert.equal(got.priorCount, prior.length);
      assert.equal(got.threshold, prior.length === 0 ? undefined : quantileSorted(prior, 0.3));
    }
    q.add(t, v);
    ts.push(t);
    vs.push(v);
  }
});

Deno.test("TrailingQuantile and trailingThresholds: validation", () => {
  assert.throws(
    () => new TrailingQuantile({ windowMs: 0, quantile: 0.5, minObs: 1 }),
    /Cannot create trailing quantile: windowMs must be a positive integer or Infinity, current value is 0/,
  );
  assert.throws(
    () => new TrailingQuantile({ windowMs: 1.5, quantile: 0.5, minObs: 1 }),
    /current value is 1.5/,
  );
  assert.throws(
    () => new TrailingQuantile({ windowMs: 10, quantile: 2, minObs: 1 }),
    /quantile must be in \[0, 1\], current value is 2/,
  );
  assert.throws(
    () => new TrailingQuantile({ windowMs: 10, quantile: 0.5, minObs: 0 }),
    /minObs must be an integer >= 1, current value is 0/,
  );
  const q = new TrailingQuantile({ windowMs: 10, quantile: 0.5, minObs: 1 });
  q.add(5, 1);
  assert.throws(
    () => q.at(4),
    /Cannot read trailing quantile: times must not decrease, ts is before the last time 5, current value is 4/,
  );
  assert.throws(() => q.add(4, 1), /Cannot add to trailing quantile: times must not decrease/);
  assert.throws(() => q.add(6, NaN), /value must be finite, current value is NaN/);
  assert.throws(() => q.at(NaN), /ts must be an integer of milliseconds, current value is NaN/);
  const o = { windowMs: 10, quantile: 0.5, minObs: 1 };
  assert.throws(
    () => trailingThresholds([sig(1, { f: 1 }, 5), sig(1, { f: 1 }, 4)], "f", o),
    /Cannot compute trailing thresholds: signals must be in time order/,
  );
  assert.throws(
    () => trailingThresholds([sig(1, { f: NaN }, 5)], "f", o),
    /signals\[0\]\.factors\.f must be a finite number, current value is NaN/,
  );
  assert.throws(() => trailingThresholds([], "f", { ...o, op: "!" as ">" }), /op must be/);
});

Deno.test("trailingSplit and trailingMask", () => {
  const xs = randomSignals(21, 300, DAY);
  const opts = { windowMs: 30 * DAY, quantile: 0.75, minObs: 20 };
  const split = trailingSplit(xs, "f", opts);
  const th = trailingThresholds(xs, "f", opts);
  assert.deepEqual(split.thresholds, th);
  const count = (s: string) => th.filter((t) => t.status === s).length;
  assert.equal(split.warmUp.n, count("warm-up"));
  assert.deepEqual(split.table.rows.map((r) => [r.label, r.n, r.role]), [
    ["meets", count("meets"), "tested"],
    ["misses", count("misses"), "baseline"],
  ]);
  assert.equal(split.table.testsTried, 1);
  assert.equal(split.table.against, "misses");
  const mask = trailingMask(th);
  assert.equal(mask.length, xs.length);
  th.forEach((t, i) =>
    assert.equal(mask[i], t.status === "warm-up" ? undefined : t.status === "meets")
  );
});
