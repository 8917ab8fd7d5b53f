import assert from "node:assert/strict";
import { join } from "node:path";
import { denoFs } from "../io.ts";
import {
  OrderStateStore,
  OUTSTANDING_FILE,
  type OutstandingOrder,
  SENT_IDS_FILE,
} from "./order_state.ts";

const order = (clientId: string): OutstandingOrder => ({
  clientId,
  market: "M",
  side: "yes",
  limitPrice: 5000,
  count: 100,
  timeInForce: "gtc",
  decisionTs: 1000,
  sentAt: 2000,
});

Deno.test("OrderStateStore: every change is persisted and recovered by a new store", () => {
  const dir = join(Deno.makeTempDirSync(), "state");
  const a = OrderStateStore.open(dir, denoFs);
  assert.equal(a.recovered.length, 0);
  a.recordSending(order("c1"));
  a.markVenue("c1", 7);
  a.addFill("c1", 40);
  a.recordSending(order("c2"));
  a.finish("c2");
  // No close(): as after a kill -9.
  const b = OrderStateStore.open(dir, denoFs);
  assert.equal(b.hasSent("c1"), true);
  assert.equal(b.hasSent("c2"), true, "finished orders stay known as sent");
  assert.equal(b.hasSent("c3"), false);
  assert.equal(b.recoveredSentIds, 2);
  assert.deepEqual(b.recovered, [{ ...order("c1"), venueId: 7, filled: 40 }]);
  assert.equal(a.writes, 5);
  assert.deepEqual(b.clearOutstanding().map((o) => o.clientId), ["c1"]);
  assert.equal(OrderStateStore.open(dir, denoFs).recovered.length, 0);
  a.close();
  b.close();
});

Deno.test("OrderStateStore: the same client id is never recorded twice", () => {
  const s = OrderStateStore.open(Deno.makeTempDirSync(), denoFs);
  s.recordSending(order("c1"));
  assert.throws(() => s.recordSending(order("c1")), /already sent, current value is c1/);
  s.close();
});

Deno.test("OrderStateStore: a journal line cut short by a kill is ignored; other bad lines are errors", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(dir, SENT_IDS_FILE), '{"id":"c1","ts":1}\n{"id":"c2","t');
  const s = OrderStateStore.open(dir, denoFs);
  assert.equal(s.hasSent("c1"), true);
  assert.equal(s.hasSent("c2"), false);
  s.close();
  const bad = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(bad, SENT_IDS_FILE), 'nope\n{"id":"c1"}\n');
  assert.throws(() => OrderStateStore.open(bad, denoFs), /sent_ids.jsonl line 1 is not/);
  const bad2 = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(bad2, OUTSTANDING_FILE), "{");
  assert.throws(() => OrderStateStore.open(bad2, denoFs), /outstanding.json is not JSON/);
  const bad3 = Deno.makeTempDirSync();
  Deno.writeTextFileSync(join(bad3, OUTSTANDING_FILE), '{"orders":[{"x":1}]}');
  assert.throws(() => OrderStateStore.open(bad3, denoFs), /without clientId/);
});
