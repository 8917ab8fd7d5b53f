import assert from "node:assert/strict";
import {
  gateFromOption,
  latencyFromOptions,
  parseLatency,
  queueFromOption,
} from "./execution_options.ts";

Deno.test("parseLatency reads constant, uniform and lognormal forms and names bad ones", () => {
  assert.deepEqual(parseLatency("--x", "250"), { kind: "constant", ms: 250 });
  assert.deepEqual(parseLatency("--x", "uniform:100:300"), {
    kind: "uniform",
    minMs: 100,
    maxMs: 300,
  });
  assert.deepEqual(parseLatency("--x", "lognormal:120:0.5"), {
    kind: "lognormal",
    medianMs: 120,
    sigma: 0.5,
  });
  for (const bad of ["-1", "1.5", "uniform:300:100", "uniform:1", "lognormal:0:1", "gamma:1:2"]) {
    assert.throws(() => parseLatency("--latency-ms", bad), new RegExp(`current value is "${bad}"`));
  }
});

Deno.test("latencyFromOptions: cancel defaults to entry, feed to 0", () => {
  const c = latencyFromOptions({ entry: "uniform:100:300" });
  assert.deepEqual(c.cancel, c.entry);
  assert.deepEqual(c.feed, { kind: "constant", ms: 0 });
  assert.deepEqual(latencyFromOptions({ entry: "5", cancel: "50", feed: "7" }).cancel, {
    kind: "constant",
    ms: 50,
  });
});

Deno.test("queueFromOption accepts the three modes only", () => {
  assert.equal(queueFromOption(undefined), undefined);
  assert.equal(queueFromOption("pessimistic")!.mode, "pessimistic");
  assert.throws(() => queueFromOption("fifo"), /pro_rata, trades_only, pessimistic/);
});

Deno.test("gateFromOption reads MODE:FACTOR:OP:THRESHOLD and names each bad part", () => {
  assert.equal(gateFromOption(undefined), undefined);
  assert.deepEqual(gateFromOption("enforce:skew:>=:0.6"), {
    mode: "enforce",
    factor: "skew",
    op: ">=",
    threshold: 0.6,
  });
  assert.throws(() => gateFromOption("enforce:skew:0.6"), /four parts/);
  assert.throws(() => gateFromOption("off:skew:>=:0.6"), /MODE/);
  assert.throws(() => gateFromOption("enforce:nope:>=:0.6"), /FACTOR must be one of/);
  assert.throws(() => gateFromOption("enforce:skew:=:0.6"), /OP/);
  assert.throws(() => gateFromOption("enforce:skew:>=:x"), /THRESHOLD/);
});
