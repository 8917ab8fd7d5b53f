import assert from "node:assert/strict";
import { LossCapTracker } from "./loss_caps.ts";

const utc = (m: number, d: number, h: number, min = 0) => Date.UTC(2026, m - 1, d, h, min);

Deno.test("daily cap: at, just under and just over the limit", () => {
  const caps = new LossCapTracker(10_000);
  caps.advance(utc(3, 10, 14), 50_000);
  assert.equal(caps.evaluate(40_001), undefined); // 9,999 lost
  assert.equal(caps.evaluate(40_000), undefined); // exactly the cap
  const b = caps.evaluate(39_999);
  assert.deepEqual(b, {
    rule: "daily_loss",
    loss: 10_001,
    cap: 10_000,
    period: "2026-03-10",
    detail: "loss of 10001 ticks on ET day 2026-03-10 exceeds the daily cap of 10000",
  });
  assert.equal(caps.dayLoss(39_999), 10_001);
  assert.equal(caps.dayLoss(60_000), -10_000); // a gain
});

Deno.test("weekly cap: at, just under and just over the limit, daily first", () => {
  const caps = new LossCapTracker(5_000, 12_000);
  caps.advance(utc(3, 9, 14), 0); // Monday
  caps.advance(utc(3, 10, 14), -4_000); // Tuesday starts at -4,000
  caps.advance(utc(3, 11, 14), -8_000); // Wednesday starts at -8,000
  assert.equal(caps.evaluate(-11_999), undefined);
  assert.equal(caps.evaluate(-12_000), undefined);
  assert.equal(caps.evaluate(-12_001)?.rule, "weekly_loss");
  assert.match(
    caps.evaluate(-12_001)!.detail,
    /loss of 12001 ticks in the ET week from Monday 2026-03-09 exceeds the weekly cap of 12000/,
  );
  // Both breached: the daily cap is reported.
  assert.equal(caps.evaluate(-13_001)?.rule, "daily_loss");
});

Deno.test("the day resets at 00:00 ET across spring forward (2026-03-08)", () => {
  const caps = new LossCapTracker(1_000);
  caps.advance(utc(3, 7, 20), 0); // Saturday 15:00 EST
  caps.advance(utc(3, 8, 4, 59), -900); // Saturday 23:59 EST: same day
  assert.equal(caps.day, "2026-03-07");
  assert.equal(caps.dayLoss(-900), 900);
  caps.advance(utc(3, 8, 5), -900); // Sunday 00:00 EST: new day starts at -900
  assert.equal(caps.day, "2026-03-08");
  assert.equal(caps.dayLoss(-1_900), 1_000);
  assert.equal(caps.evaluate(-1_900), undefined);
  // Sunday 23:59 EDT is 03:59 UTC Monday: still Sunday in New York.
  caps.advance(utc(3, 9, 3, 59), -1_901);
  assert.equal(caps.day, "2026-03-08");
  assert.equal(caps.evaluate(-1_901)?.rule, "daily_loss");
  // Monday 00:00 EDT is 04:00 UTC (a fixed -5 offset would wait until 05:00).
  caps.advance(utc(3, 9, 4), -1_901);
  assert.equal(caps.day, "2026-03-09");
  assert.equal(caps.week, "2026-03-09");
  assert.equal(caps.evaluate(-1_901), undefined);
});

Deno.test("the day and the week reset at 00:00 ET across fall back (2026-11-01)", () => {
  const caps = new LossCapTracker(1_000, 2_000);
  caps.advance(utc(10, 31, 12), 0); // Saturday
  caps.advance(utc(11, 1, 3, 59), -500); // Saturday 23:59 EDT
  assert.equal(caps.day, "2026-10-31");
  caps.advance(utc(11, 1, 4), -500); // Sunday 00:00 EDT
  assert.equal(caps.day, "2026-11-01");
  assert.equal(caps.week, "2026-10-26");
  // Sunday is 25 hours long: 04:59 UTC Monday is still Sunday 23:59 EST.
  caps.advance(utc(11, 2, 4, 59), -2_000);
  assert.equal(caps.day, "2026-11-01");
  assert.equal(caps.dayLoss(-2_000), 1_500);
  assert.equal(caps.weekLoss(-2_000), 2_000);
  assert.equal(caps.evaluate(-2_000)?.rule, "daily_loss");
  caps.advance(utc(11, 2, 5), -2_001); // Monday 00:00 EST: a new day and week
  assert.equal(caps.day, "2026-11-02");
  assert.equal(caps.week, "2026-11-02");
  assert.equal(caps.dayLoss(-2_001), 0);
  assert.equal(caps.weekLoss(-2_001), 0);
  assert.equal(caps.evaluate(-2_001), undefined);
});

Deno.test("no caps, no breach; no update yet, no loss", () => {
  const none = new LossCapTracker();
  none.advance(0, 0);
  assert.equal(none.evaluate(-1e12), undefined);
  const fresh = new LossCapTracker(0, 0);
  assert.equal(fresh.day, undefined);
  assert.equal(fresh.evaluate(-5), undefined);
  fresh.advance(0, 0);
  assert.equal(fresh.evaluate(0), undefined); // a cap of 0: no loss at all allowed
  assert.equal(fresh.evaluate(-1)?.rule, "daily_loss");
});

Deno.test("LossCapTracker rejects bad caps, times and equities", () => {
  for (const bad of [-1, 1.5, Number.NaN]) {
    assert.throws(
      () => new LossCapTracker(bad),
      /Cannot create loss caps: dailyCap must be a non-negative integer of ticks/,
    );
    assert.throws(() => new LossCapTracker(undefined, bad), /weeklyCap/);
  }
  const caps = new LossCapTracker(10);
  caps.advance(1000, 0);
  assert.throws(
    () => caps.advance(999, 0),
    /Cannot advance loss caps: time went backwards from 1000, current value is 999/,
  );
  assert.throws(() => caps.advance(1.5, 0), /time must be an integer of ms/);
  assert.throws(() => caps.advance(2000, 0.5), /equity must be an integer of ticks/);
  assert.throws(() => caps.evaluate(Number.NaN), /Cannot measure daily loss/);
});
