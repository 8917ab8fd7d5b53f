import assert from "node:assert/strict";
import type { WsMarketLifecycle } from "../../lib/kalshi/ws_messages.ts";
import { LifecycleTracker } from "./lifecycle.ts";

const lc = (eventType: string, extra: Partial<WsMarketLifecycle> = {}): WsMarketLifecycle => ({
  type: "market_lifecycle_v2",
  sid: 1,
  market: "M",
  eventType,
  ...extra,
});

Deno.test("LifecycleTracker: WebSocket event types map to tape statuses and a settlement", () => {
  const t = new LifecycleTracker();
  assert.deepEqual(t.fromWs(lc("created"), 10), [{
    kind: "lifecycle",
    ts: 10,
    market: "M",
    status: "initialized",
  }]);
  assert.deepEqual(t.fromWs(lc("activated"), 11).map((e) => e.kind === "lifecycle" && e.status), [
    "active",
  ]);
  assert.deepEqual(t.fromWs(lc("activated"), 12), [], "the same status once");
  assert.deepEqual(t.fromWs(lc("deactivated"), 13).map((e) => e.kind === "lifecycle" && e.status), [
    "inactive",
  ]);
  assert.deepEqual(
    t.fromWs(lc("close_date_updated", { closeTs: 99_000 }), 14),
    [],
    "a later close date",
  );
  assert.deepEqual(t.fromWs(lc("close_date_updated", { closeTs: 15 }), 15).map((e) => e.kind), [
    "lifecycle",
  ]);
  assert.deepEqual(t.fromWs(lc("determined", { determinationTs: 20 }), 21), [
    { kind: "lifecycle", ts: 20, market: "M", status: "determined" },
  ]);
  assert.deepEqual(t.fromWs(lc("determined", { result: "no", determinationTs: 22 }), 23), [
    { kind: "settlement", ts: 22, market: "M", result: "no" },
  ]);
  assert.deepEqual(t.fromWs(lc("determined", { result: "no" }), 24), [], "settled once");
  assert.deepEqual(t.fromWs(lc("settled", { settledTs: 30 }), 31), [
    { kind: "lifecycle", ts: 30, market: "M", status: "finalized" },
  ]);
  assert.deepEqual(t.fromWs(lc("fractional_trading_updated"), 32), []);
  assert.equal(t.status("M"), "finalized");
});

Deno.test("LifecycleTracker: a determined message with a result gives both events; scalar results none", () => {
  const t = new LifecycleTracker();
  assert.deepEqual(t.fromWs(lc("determined", { result: "yes" }), 5).map((e) => e.kind), [
    "lifecycle",
    "settlement",
  ]);
  const u = new LifecycleTracker();
  assert.deepEqual(u.fromWs(lc("determined", { result: "scalar" }), 5).map((e) => e.kind), [
    "lifecycle",
  ]);
});

Deno.test("LifecycleTracker: REST statuses and results; seeded state emits nothing", () => {
  const t = new LifecycleTracker();
  t.seed("M", "active", false);
  assert.deepEqual(t.fromRest("M", "active", "", 5), []);
  assert.deepEqual(t.fromRest("M", "closed", "", 6).map((e) => e.kind), ["lifecycle"]);
  assert.deepEqual(t.fromRest("M", "finalized", "yes", 7, 44), [
    { kind: "lifecycle", ts: 7, market: "M", status: "finalized" },
    { kind: "settlement", ts: 7, market: "M", result: "yes", expirationValue: 44 },
  ]);
  assert.deepEqual(t.fromRest("M", "weird", "yes", 8), []);
  t.seed("N", "finalized", true);
  assert.deepEqual(t.fromRest("N", "finalized", "no", 9), []);
});
