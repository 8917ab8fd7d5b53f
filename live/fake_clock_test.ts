import assert from "node:assert/strict";
import { FakeClock } from "./fake_clock.ts";

Deno.test("FakeClock: time moves only to the earliest due timer, in due order", async () => {
  const c = new FakeClock(1000);
  const order: string[] = [];
  const a = c.sleep(300).then(() => order.push(`a@${c.now()}`));
  const b = c.sleep(100).then(() => order.push(`b@${c.now()}`));
  const z = c.sleep(100).then(() => order.push(`z@${c.now()}`));
  assert.equal(c.now(), 1000);
  await Promise.all([a, b, z]);
  assert.deepEqual(order, ["b@1100", "z@1100", "a@1300"]);
});

Deno.test("FakeClock: an aborted sleep rejects and never moves the clock", async () => {
  const c = new FakeClock(0);
  const ac = new AbortController();
  const p = c.sleep(60_000, ac.signal);
  ac.abort(new Error("cancelled"));
  await assert.rejects(p, /cancelled/);
  await c.sleep(5);
  assert.equal(c.now(), 5);
  assert.equal(c.pending, 0);
});

Deno.test("FakeClock: advance jumps and fires what fell due", async () => {
  const c = new FakeClock(0);
  let fired = false;
  const p = c.sleep(50).then(() => (fired = true));
  c.advance(60);
  await p;
  assert.ok(fired);
  assert.equal(c.now(), 60);
});

Deno.test("FakeClock: bad input is refused", () => {
  assert.throws(() => new FakeClock(Number.NaN), /Cannot create fake clock.*NaN/);
  const c = new FakeClock();
  assert.throws(() => c.sleep(-5), /Cannot sleep.*-5/);
  assert.throws(() => c.advance(Number.POSITIVE_INFINITY), /Cannot advance.*Infinity/);
});
