import assert from "node:assert/strict";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { EventQueue } from "./event_queue.ts";

const market: TapeEvent = {
  kind: "market",
  ts: 10,
  market: "M",
  event: "E",
  strikeType: "greater",
  floorStrike: 1,
  openTs: 0,
  closeTs: 100,
  priceStep: 100,
};

Deno.test("EventQueue: clamps late timestamps and drops data of undeclared markets", async () => {
  const q = new EventQueue();
  assert.equal(
    q.push({ kind: "trade", ts: 5, market: "M", price: 5000, count: 100, takerSide: "yes" }),
    false,
  );
  assert.equal(q.undeclared, 1);
  q.push(market);
  const late: TapeEvent = {
    kind: "trade",
    ts: 7,
    market: "M",
    price: 5000,
    count: 100,
    takerSide: "yes",
  };
  q.push(late);
  q.push({ kind: "lifecycle", ts: 12, market: "M", status: "closed" });
  assert.equal(q.size, 3);
  q.close();
  assert.equal(q.push({ kind: "lifecycle", ts: 13, market: "M", status: "determined" }), false);
  const out: TapeEvent[] = [];
  for await (const ev of q) out.push(ev);
  assert.deepEqual(out.map((e) => [e.kind, e.ts]), [["market", 10], ["trade", 10], [
    "lifecycle",
    12,
  ]]);
  assert.equal(late.ts, 7, "the pushed object is not mutated");
  assert.equal(q.clamped, 1);
  assert.equal(q.pushed, 3);
});

Deno.test("EventQueue: a waiting consumer wakes on push and ends on close", async () => {
  const q = new EventQueue();
  const got: number[] = [];
  const done = (async () => {
    for await (const ev of q) got.push(ev.ts);
  })();
  await new Promise((r) => setTimeout(r, 5));
  q.push({ kind: "underlying", ts: 1, symbol: "X", value: 1 });
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got, [1]);
  q.push({ kind: "underlying", ts: 2, symbol: "X", value: 1 });
  q.close();
  await done;
  assert.deepEqual(got, [1, 2]);
});

Deno.test("EventQueue: one consumer only", async () => {
  const q = new EventQueue();
  const it1 = q[Symbol.asyncIterator]();
  q.push({ kind: "underlying", ts: 1, symbol: "X", value: 1 });
  await it1.next();
  await assert.rejects(
    q[Symbol.asyncIterator]().next(),
    /already being consumed, current value is 1 consumer/,
  );
});
