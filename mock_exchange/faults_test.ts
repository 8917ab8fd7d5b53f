import assert from "node:assert/strict";
import { FAULT_KINDS, FaultInjector, parseFaultArg } from "./faults.ts";

Deno.test("parseFaultArg: kind=rate and kind=rate:param", () => {
  assert.deepEqual(parseFaultArg("ws_drop=0.01"), { kind: "ws_drop", rate: 0.01 });
  assert.deepEqual(parseFaultArg("http_slow=0.5:800"), {
    kind: "http_slow",
    rate: 0.5,
    param: 800,
  });
  assert.deepEqual(parseFaultArg("clock_skew=1:-3000"), {
    kind: "clock_skew",
    rate: 1,
    param: -3000,
  });
});

Deno.test("parseFaultArg: bad arguments are clear errors", () => {
  assert.throws(
    () => parseFaultArg("ws_drop"),
    /expected kind=rate or kind=rate:param, current value is "ws_drop"/,
  );
  assert.throws(() => parseFaultArg("boom=0.1"), /unknown fault kind .*current value is "boom"/);
  assert.throws(
    () => parseFaultArg("ws_drop=1.5"),
    /rate must be a number in 0..1, current value is 1.5/,
  );
  assert.throws(
    () => parseFaultArg("ws_drop=0.1.2"),
    /rate must be a number in 0..1, current value is NaN/,
  );
  assert.throws(
    () => parseFaultArg("http_5xx=0.1:404"),
    /status in 500..599, current value is 404/,
  );
});

Deno.test("FaultInjector: forced faults fire first and everything is counted", () => {
  const f = new FaultInjector();
  assert.equal(f.roll("ws_drop"), false);
  f.force("ws_drop", 2);
  assert.equal(f.roll("ws_drop"), true);
  assert.equal(f.roll("ws_drop"), true);
  assert.equal(f.roll("ws_drop"), false);
  assert.equal(f.counts().ws_drop, 2);
  f.cancel("ws_drop");
  assert.equal(f.counts().ws_drop, 1);
  assert.equal(f.total(), 1);
  assert.deepEqual(Object.keys(f.counts()), [...FAULT_KINDS]);
  assert.throws(() => f.force("ws_drop", 0), /n must be an integer >= 1, current value is 0/);
  assert.throws(() => f.force("nope" as never), /unknown fault kind/);
});

Deno.test("FaultInjector: rates are seeded and reproducible; params have defaults", () => {
  const draw = (seed: number) => {
    const f = new FaultInjector([{ kind: "http_429", rate: 0.3 }], seed);
    return Array.from({ length: 200 }, () => f.roll("http_429"));
  };
  const a = draw(5);
  assert.deepEqual(draw(5), a);
  assert.notDeepEqual(draw(6), a);
  const hits = a.filter((x) => x).length;
  assert.ok(hits > 30 && hits < 90, `about 30% fire, got ${hits}`);
  const f = new FaultInjector([{ kind: "http_slow", rate: 0, param: 10 }]);
  assert.equal(f.param("http_slow"), 10);
  assert.equal(f.param("http_5xx"), 503);
  assert.equal(f.param("clock_skew"), 5000);
  assert.equal(f.roll("http_slow"), false, "rate 0 never fires");
  f.clearRates();
  assert.equal(f.param("http_slow"), 1500);
});
