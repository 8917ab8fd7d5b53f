import assert from "node:assert/strict";
import { checkOrderSize, OrderThrottle, SlidingWindow } from "./throttle.ts";

Deno.test("checkOrderSize: at, just under and just over the cap", () => {
  assert.equal(checkOrderSize(999, 1000), undefined);
  assert.equal(checkOrderSize(1000, 1000), undefined);
  assert.equal(
    checkOrderSize(1001, 1000),
    "order count 1001 centi-contracts exceeds the cap of 1000",
  );
  assert.notEqual(checkOrderSize(1, 0), undefined);
});

Deno.test("SlidingWindow counts records in (now - interval, now]", () => {
  const w = new SlidingWindow(1000);
  assert.equal(w.count(0), 0);
  w.record(0);
  w.record(0);
  w.record(400);
  assert.equal(w.count(400), 3);
  assert.equal(w.count(999), 3);
  assert.equal(w.count(1000), 1); // the two at 0 left: 0 <= 1000 - 1000
  assert.equal(w.count(1399), 1);
  assert.equal(w.count(1400), 0);
});

Deno.test("SlidingWindow stays correct over many records (compaction)", () => {
  const w = new SlidingWindow(100);
  for (let t = 0; t < 10_000; t++) {
    w.record(t);
    assert.equal(w.count(t), Math.min(t + 1, 100));
  }
});

Deno.test("SlidingWindow rejects bad intervals and times going backwards", () => {
  for (const bad of [0, -5, 1.5, Number.NaN]) {
    assert.throws(
      () => new SlidingWindow(bad),
      /Cannot create sliding window: interval must be a positive integer of ms/,
    );
  }
  const w = new SlidingWindow(10);
  w.record(100);
  assert.throws(
    () => w.record(99),
    /Cannot record order: time went backwards from 100, current value is 99/,
  );
  assert.throws(() => w.count(99), /Cannot count orders: time went backwards/);
  assert.throws(() => w.count(Number.NaN), /time must be an integer/);
  w.record(100); // equal times are fine
  assert.equal(w.count(100), 2);
});

Deno.test("OrderThrottle over all markets: at, just under and just over the limit", () => {
  const t = new OrderThrottle({ maxOrders: 3, intervalMs: 1000 });
  assert.equal(t.check("A", 0), undefined);
  t.record("A", 0);
  t.record("B", 100);
  assert.equal(t.check("C", 200), undefined); // 2 in the window: the third is at the limit
  t.record("C", 200);
  const over = t.check("D", 999);
  assert.equal(over?.rule, "order_rate");
  assert.equal(over?.detail, "3 orders in the last 1000 ms, at most 3 allowed");
  assert.equal(t.check("D", 1000), undefined); // the order at 0 left the window
});

Deno.test("OrderThrottle per market counts each market apart", () => {
  const t = new OrderThrottle(undefined, { maxOrders: 2, intervalMs: 60_000 });
  t.record("A", 0);
  assert.equal(t.check("A", 1), undefined);
  t.record("A", 1);
  const over = t.check("A", 2);
  assert.equal(over?.rule, "market_order_rate");
  assert.match(over!.detail, /2 orders on A in the last 60000 ms, at most 2 allowed/);
  assert.equal(t.check("B", 2), undefined);
  assert.equal(t.check("A", 60_000), undefined);
});

Deno.test("OrderThrottle checks the global limit before the per-market one", () => {
  const t = new OrderThrottle({ maxOrders: 1, intervalMs: 10 }, { maxOrders: 1, intervalMs: 10 });
  t.record("A", 0);
  assert.equal(t.check("A", 5)?.rule, "order_rate");
});

Deno.test("OrderThrottle with a limit of 0 refuses everything; none set refuses nothing", () => {
  assert.equal(
    new OrderThrottle({ maxOrders: 0, intervalMs: 10 }).check("A", 0)?.rule,
    "order_rate",
  );
  const free = new OrderThrottle();
  for (let i = 0; i < 100; i++) free.record("A", 0);
  assert.equal(free.check("A", 0), undefined);
});

Deno.test("OrderThrottle rejects bad limits and times going backwards", () => {
  assert.throws(
    () => new OrderThrottle({ maxOrders: 1, intervalMs: 0 }),
    /Cannot create order throttle: interval must be a positive integer of ms, current value is 0/,
  );
  assert.throws(
    () => new OrderThrottle(undefined, { maxOrders: -1, intervalMs: 5 }),
    /maxOrders must be a non-negative integer, current value is -1/,
  );
  const t = new OrderThrottle(undefined, { maxOrders: 5, intervalMs: 5 });
  t.record("A", 10);
  assert.throws(() => t.check("B", 9), /time went backwards from 10, current value is 9/);
  assert.throws(() => t.record("B", 9), /time went backwards/);
});
