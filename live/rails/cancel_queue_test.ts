import assert from "node:assert/strict";
import { CancelQueue, type DropReason } from "./cancel_queue.ts";

function setup(o: { capacity?: number; tokens?: () => boolean; maxAttempts?: number } = {}) {
  const c = { now: 0 };
  const drops: [number, DropReason, number][] = [];
  const q = new CancelQueue<number>({
    capacity: o.capacity ?? 4,
    maxAttempts: o.maxAttempts ?? 3,
    backoffMs: 100,
    backoffMaxMs: 150,
    now: () => c.now,
    limiter: { tryTake: o.tokens ?? (() => true) },
    onDrop: (item, why, attempts) => drops.push([item, why, attempts]),
  });
  return { c, q, drops };
}

Deno.test("CancelQueue: FIFO order; a full queue drops the newcomer and reports it", () => {
  const { q, drops } = setup({ capacity: 2 });
  assert.equal(q.enqueue(1), true);
  assert.equal(q.enqueue(2), true);
  assert.equal(q.enqueue(3), false);
  assert.deepEqual(drops, [[3, "capacity", 0]]);
  const sent: number[] = [];
  assert.equal(q.drain((x) => (sent.push(x), true)), 2);
  assert.deepEqual(sent, [1, 2]);
  assert.equal(q.size, 0);
});

Deno.test("CancelQueue: a failure retries with doubling backoff (capped), then drops", () => {
  const { c, q, drops } = setup({ maxAttempts: 3 });
  q.enqueue(7);
  q.enqueue(8);
  let attempts = 0;
  const fail = () => (attempts++, false);
  q.drain(fail);
  assert.equal(attempts, 1, "head failed; nothing overtakes it");
  c.now = 99;
  q.drain(fail);
  assert.equal(attempts, 1, "backoff 100 ms not over");
  c.now = 100;
  q.drain(fail);
  assert.equal(attempts, 2);
  c.now = 100 + 149;
  q.drain(fail);
  assert.equal(attempts, 2, "second backoff is min(200, cap 150)");
  c.now = 250;
  const sent: number[] = [];
  q.drain((x) => {
    if (x === 7) throw new Error("HTTP 503");
    sent.push(x);
    return true;
  });
  assert.deepEqual(drops, [[7, "retries_exhausted", 3]]);
  assert.deepEqual(sent, [8], "the next one goes once the head is dropped");
  assert.deepEqual(q.counts, { sent: 1, retries: 2, dropped: 1 });
});

Deno.test("CancelQueue: no token, no attempt", () => {
  let tokens = 1;
  const { q } = setup({ tokens: () => tokens-- > 0 });
  q.enqueue(1);
  q.enqueue(2);
  const sent: number[] = [];
  q.drain((x) => (sent.push(x), true));
  assert.deepEqual(sent, [1]);
  assert.equal(q.size, 1);
  tokens = 1;
  q.drain((x) => (sent.push(x), true));
  assert.deepEqual(sent, [1, 2]);
});

Deno.test("CancelQueue: bad options are refused", () => {
  const base = { now: () => 0, limiter: { tryTake: () => true }, onDrop: () => {} };
  assert.throws(() => new CancelQueue({ ...base, capacity: 0 }), /capacity .* current value is 0/);
  assert.throws(() => new CancelQueue({ ...base, capacity: 1, maxAttempts: 0 }), /maxAttempts/);
  assert.throws(() => new CancelQueue({ ...base, capacity: 1, backoffMs: -1 }), /backoffMs/);
  assert.throws(
    () => new CancelQueue({ ...base, capacity: 1, backoffMs: 100, backoffMaxMs: 50 }),
    /backoffMaxMs must be an integer >= 100/,
  );
});
