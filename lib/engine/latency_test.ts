import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import {
  constantLatency,
  DEFAULT_LATENCY,
  describeLatency,
  type LatencyConfig,
  LatencyModel,
  LatencySampler,
  type LatencySpec,
  validateLatencyConfig,
  validateLatencySpec,
} from "./latency.ts";

const RANDOM: LatencyConfig = {
  feed: { kind: "uniform", minMs: 0, maxMs: 20 },
  entry: { kind: "lognormal", medianMs: 250, sigma: 0.5, maxMs: 5000 },
  cancel: { kind: "uniform", minMs: 100, maxMs: 300 },
};

function draws(m: LatencyModel, n: number, which: "entry" | "cancel" | "feed"): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(which === "entry" ? m.entryMs() : which === "cancel" ? m.cancelMs() : m.feedMs());
  }
  return out;
}

Deno.test("constant latency never draws and returns its value", () => {
  const s = new LatencySampler(constantLatency(250), undefined);
  assert.equal(s.draw(), 250);
  assert.equal(s.draw(), 250);
  const m = new LatencyModel(DEFAULT_LATENCY, new Prng(1));
  assert.deepEqual(draws(m, 3, "entry"), [250, 250, 250]);
  assert.deepEqual(draws(m, 2, "feed"), [0, 0]);
});

Deno.test("a seeded distribution gives the same latencies for the same seed", () => {
  const a = new LatencyModel(RANDOM, new Prng(42));
  const b = new LatencyModel(RANDOM, new Prng(42));
  const c = new LatencyModel(RANDOM, new Prng(43));
  const ea = draws(a, 200, "entry");
  assert.deepEqual(ea, draws(b, 200, "entry"));
  assert.notDeepEqual(ea, draws(c, 200, "entry"));
  assert.deepEqual(draws(a, 50, "cancel"), draws(b, 50, "cancel"));
});

Deno.test("seed 42 gives these exact latencies (a change here changes every run's results)", () => {
  const m = new LatencyModel(RANDOM, new Prng(42));
  assert.deepEqual(draws(m, 5, "entry"), [200, 490, 207, 289, 85]);
  assert.deepEqual(draws(m, 3, "cancel"), [213, 146, 298]);
  assert.deepEqual(draws(m, 3, "feed"), [4, 11, 0]);
});

Deno.test("channels are independent streams: cancelling does not shift entry latencies", () => {
  const a = new LatencyModel(RANDOM, new Prng(9));
  const b = new LatencyModel(RANDOM, new Prng(9));
  const plain = draws(a, 100, "entry");
  const mixed: number[] = [];
  for (let i = 0; i < 100; i++) {
    b.cancelMs();
    b.feedMs();
    mixed.push(b.entryMs());
  }
  assert.deepEqual(mixed, plain);
});

Deno.test("uniform draws are integers in [min, max] and reach both ends", () => {
  const s = new LatencySampler({ kind: "uniform", minMs: 10, maxMs: 13 }, new Prng(3));
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const x = s.draw();
    assert.ok(Number.isInteger(x) && x >= 10 && x <= 13, `${x}`);
    seen.add(x);
  }
  assert.deepEqual([...seen].sort(), [10, 11, 12, 13]);
  const one = new LatencySampler({ kind: "uniform", minMs: 7, maxMs: 7 }, new Prng(3));
  assert.equal(one.draw(), 7);
});

Deno.test("lognormal draws: integer, capped, median near medianMs", () => {
  const s = new LatencySampler(
    { kind: "lognormal", medianMs: 250, sigma: 0.8, maxMs: 1000 },
    new Prng(5),
  );
  const xs: number[] = [];
  for (let i = 0; i < 20001; i++) xs.push(s.draw());
  for (const x of xs) assert.ok(Number.isInteger(x) && x >= 0 && x <= 1000, `${x}`);
  xs.sort((p, q) => p - q);
  const median = xs[10000];
  assert.ok(median >= 240 && median <= 260, `median ${median}`);
  assert.equal(xs[xs.length - 1], 1000); // sigma 0.8: P(> 4x median) ~ 4%, so the cap bites
  const flat = new LatencySampler({ kind: "lognormal", medianMs: 120, sigma: 0 }, new Prng(1));
  assert.equal(flat.draw(), 120);
});

Deno.test("the feed is FIFO: observe times never go backwards", () => {
  const m = new LatencyModel(
    { ...DEFAULT_LATENCY, feed: { kind: "uniform", minMs: 0, maxMs: 500 } },
    new Prng(11),
  );
  let last = -Infinity;
  let delayed = 0;
  for (let ts = 1000; ts < 1100; ts++) {
    const t = m.observeTs(ts);
    assert.ok(t >= ts, "never seen before it happened");
    assert.ok(t >= last, "never seen before an earlier event");
    if (t > ts) delayed++;
    last = t;
  }
  assert.ok(delayed > 50);
});

Deno.test("describeLatency is plain data and names every channel", () => {
  const d = describeLatency(RANDOM);
  assert.equal(
    d.summary,
    "feed uniform 0..20 ms; entry lognormal median 250 ms sigma 0.5 max 5000 ms; " +
      "cancel uniform 100..300 ms",
  );
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
  assert.deepEqual(d.entry, RANDOM.entry);
  assert.notEqual(d.entry, RANDOM.entry); // a copy
  const m = new LatencyModel(RANDOM, new Prng(1));
  assert.deepEqual(m.description, d);
  assert.equal(
    describeLatency(DEFAULT_LATENCY).summary,
    "feed constant 0 ms; entry constant 250 ms; cancel constant 250 ms",
  );
});

Deno.test("bad specs are RangeErrors naming the channel and value", () => {
  const bad: unknown[] = [
    { kind: "constant", ms: -1 },
    { kind: "constant", ms: 1.5 },
    { kind: "constant", ms: 86_400_001 },
    { kind: "uniform", minMs: 10, maxMs: 9 },
    { kind: "uniform", minMs: -1, maxMs: 9 },
    { kind: "lognormal", medianMs: 0, sigma: 1 },
    { kind: "lognormal", medianMs: 100, sigma: -1 },
    { kind: "lognormal", medianMs: 100, sigma: Number.NaN },
    { kind: "lognormal", medianMs: 100, sigma: 1, maxMs: 50 },
    { kind: "gamma", ms: 1 },
    null,
  ];
  for (const spec of bad) {
    assert.throws(
      () => validateLatencySpec(spec as LatencySpec, "entry"),
      /^RangeError: Cannot use entry latency: .*current value is/,
      JSON.stringify(spec),
    );
  }
  assert.throws(() => constantLatency(-5), RangeError);
  assert.throws(
    () => validateLatencyConfig({ ...DEFAULT_LATENCY, cancel: { kind: "constant", ms: -1 } }),
    /cancel latency/,
  );
  assert.throws(
    () => new LatencySampler({ kind: "uniform", minMs: 1, maxMs: 2 }, undefined, "feed"),
    /Cannot draw feed latency: a uniform spec needs a Prng/,
  );
  assert.throws(() =>
    new LatencyModel({ ...RANDOM, feed: { kind: "constant", ms: -1 } }, new Prng(1))
  );
});
