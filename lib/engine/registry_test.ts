import assert from "node:assert/strict";
import { MarketRegistry } from "./registry.ts";

function registry(): MarketRegistry {
  const r = new MarketRegistry();
  r.addSeries({ kind: "series", ts: 0, series: "S", feeType: "quadratic", feeMultiplier: 10000 });
  r.addEvent({ kind: "event", ts: 0, event: "S-1", series: "S", mutuallyExclusive: true });
  r.addMarket({
    kind: "market",
    ts: 0,
    market: "S-1-A",
    event: "S-1",
    strikeType: "greater",
    floorStrike: 1,
    openTs: 100,
    closeTs: 200,
    priceStep: 100,
  });
  return r;
}

Deno.test("a market is open over [open_ts, close_ts) once its status is open", () => {
  const r = registry();
  assert.equal(r.isOpen("S-1-A", 150), false, "no lifecycle event yet: not open");
  r.setStatus("S-1-A", "open");
  assert.deepEqual([99, 100, 199, 200].map((t) => r.isOpen("S-1-A", t)), [
    false,
    true,
    true,
    false,
  ]);
  assert.equal(r.isOpen("S-1-B", 150), false, "unknown market");
});

Deno.test("a market with lifecycle events is open only while its last status is open or active", () => {
  const r = registry();
  r.setStatus("S-1-A", "initialized");
  assert.equal(r.isOpen("S-1-A", 150), false);
  r.setStatus("S-1-A", "active");
  assert.equal(r.isOpen("S-1-A", 150), true);
  r.setStatus("S-1-A", "closed");
  assert.equal(r.isOpen("S-1-A", 150), false);
});
