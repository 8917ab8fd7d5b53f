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

Deno.test("an event's ladder is the same object until a market of the event is declared", () => {
  const r = registry(); // S-1-A: above 1
  const below = {
    kind: "market",
    ts: 1,
    market: "S-1-B",
    event: "S-1",
    strikeType: "less_or_equal",
    capStrike: 1,
    openTs: 100,
    closeTs: 200,
    priceStep: 100,
  } as const;
  assert.equal(r.ladder("S-1"), undefined, "one tail only: no ladder yet");
  r.addMarket(below);
  const first = r.ladder("S-1");
  assert.ok(first !== undefined);
  assert.equal(first.markets.length, 2);
  assert.equal(r.ladder("S-1"), first, "looked up again: the same ladder");
  r.setStatus("S-1-A", "open");
  r.addSeries({ kind: "series", ts: 5, series: "S", feeType: "quadratic", feeMultiplier: 5000 });
  assert.equal(r.ladder("S-1"), first, "statuses and fee changes keep it");
  r.addMarket({ ...below, ts: 2 }); // declared again
  const second = r.ladder("S-1");
  assert.ok(second !== undefined && second !== first, "a market declared again: a new ladder");
  assert.equal(r.ladder("S-1"), second);
});
