import assert from "node:assert/strict";
import { TapeValidator } from "../tape/validator.ts";
import { TOP_OF_BOOK_ANOMALY, TopOfBookMapper } from "./top_quote.ts";

Deno.test("TopOfBookMapper: two-sided and locked books are quotes with unknown sizes", () => {
  const m = new TopOfBookMapper();
  assert.deepEqual(m.map(5, "M", 1800, 1900), {
    event: {
      kind: "quote",
      ts: 5,
      market: "M",
      yesBid: 1800,
      yesAsk: 1900,
      yesBidSize: 0,
      yesAskSize: 0,
    },
    outcome: "quote",
  });
  const locked = m.map(6, "M", 3300, 3300);
  assert.equal(locked.outcome, "locked");
  assert.equal(locked.event.kind, "quote");
});

Deno.test("TopOfBookMapper: one-sided books become one-sided quotes; empty and crossed become empty snapshots", () => {
  const m = new TopOfBookMapper();
  const a = m.map(1, "M", 0, 400);
  const b = m.map(2, "M", 9900, 10000);
  const c = m.map(3, "M", 0, 10000);
  const d = m.map(4, "M", 4000, 3900);
  const other = m.map(4, "N", 0, 10000);
  assert.deepEqual([a.outcome, b.outcome, c.outcome, d.outcome], [
    "one_sided",
    "one_sided",
    "empty",
    "crossed",
  ]);
  assert.deepEqual(a.event, {
    kind: "quote",
    ts: 1,
    market: "M",
    yesBid: 0,
    yesAsk: 400,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  assert.ok(b.event.kind === "quote" && b.event.yesBid === 9900 && b.event.yesAsk === 10000);
  for (const [i, r] of [c, d].entries()) {
    assert.equal(r.event.kind, "book_snapshot");
    if (r.event.kind === "book_snapshot") {
      assert.equal(r.event.seq, i, "the snapshot seq counts snapshots only");
      assert.deepEqual([r.event.yesPrices, r.event.noPrices], [[], []]);
    }
  }
  // A price of $0 or $1 on both sides (a wide price export's 0 or 100) is no price at all.
  assert.equal(m.map(5, "M", 0, 0).outcome, "empty");
  assert.equal(m.map(6, "M", 10000, 10000).outcome, "empty");
  assert.equal(other.event.kind === "book_snapshot" && other.event.seq, 0);
  assert.equal(TOP_OF_BOOK_ANOMALY.crossed, "crossed_book");
  assert.equal(TOP_OF_BOOK_ANOMALY.quote, null);
});

Deno.test("TopOfBookMapper: every event it makes passes the tape validator", () => {
  const v = new TapeValidator("t", { strict: true });
  v.check({ kind: "series", ts: 0, series: "S", feeType: "quadratic", feeMultiplier: 10000 }, 1);
  v.check({ kind: "event", ts: 0, event: "S-1", series: "S", mutuallyExclusive: true }, 2);
  v.check({
    kind: "market",
    ts: 0,
    market: "M",
    event: "S-1",
    strikeType: "greater",
    floorStrike: 1,
    openTs: 0,
    closeTs: 9,
    priceStep: 100,
  }, 3);
  const m = new TopOfBookMapper();
  const tops: [number, number][] = [[1, 2], [100, 100], [0, 400], [9999, 10000], [0, 10000], [
    5000,
    4000,
  ], [1, 9999]];
  tops.forEach(([b, a], i) => assert.equal(v.check(m.map(i, "M", b, a).event, i + 4), true));
});

Deno.test("TopOfBookMapper: prices outside 0..10000 ticks are refused", () => {
  const m = new TopOfBookMapper();
  assert.throws(
    () => m.map(1, "M", -1, 100),
    /field "yes_bid" is not an integer number of ticks in 0\.\.10000, current value is -1/,
  );
  assert.throws(() => m.map(1, "M", 100, 10001), /field "yes_ask"/);
  assert.throws(() => m.map(1, "M", 1.5, 100), /field "yes_bid"/);
});
