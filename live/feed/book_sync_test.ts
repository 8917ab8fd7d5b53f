import assert from "node:assert/strict";
import type { WsOrderbookDelta, WsOrderbookSnapshot } from "../../lib/kalshi/ws_messages.ts";
import { BookSync } from "./book_sync.ts";

const snap = (sid: number, seq: number, market: string, yes: [number, number][] = [[5500, 1000]]) =>
  ({ type: "orderbook_snapshot", sid, seq, market, yes, no: [[4300, 800]] }) as WsOrderbookSnapshot;
const delta = (sid: number, seq: number, market: string, d = 100, price = 5500, tsMs?: number) =>
  ({
    type: "orderbook_delta",
    sid,
    seq,
    market,
    side: "yes",
    price,
    delta: d,
    ...(tsMs !== undefined ? { tsMs } : {}),
  }) as WsOrderbookDelta;

Deno.test("BookSync: snapshots then deltas give tape events with per-market seqs", () => {
  const s = new BookSync();
  s.subscribed(1, ["A", "B"]);
  assert.deepEqual(s.invalidBooks(), ["A", "B"]);
  const a = s.onSnapshot(snap(1, 1, "A"), 100).events[0];
  assert.deepEqual(a, {
    kind: "book_snapshot",
    ts: 100,
    market: "A",
    seq: 1,
    yesPrices: [5500],
    yesSizes: [1000],
    noPrices: [4300],
    noSizes: [800],
  });
  s.onSnapshot(snap(1, 2, "B"), 101);
  assert.deepEqual(s.invalidBooks(), []);
  const d = s.onDelta(delta(1, 3, "A", -400, 5500, 150), 160).events[0];
  assert.deepEqual(d, {
    kind: "book_delta",
    ts: 150,
    market: "A",
    seq: 2,
    side: "yes",
    price: 5500,
    delta: -400,
  });
  const e = s.onDelta(delta(1, 4, "B", 200, 5400), 170).events[0];
  assert.equal(e.seq, 2, "B's own seq");
  assert.equal(e.ts, 170, "receive time without ts_ms");
  assert.deepEqual(s.book("A")!.levels("yes"), [[5500, 600]]);
});

Deno.test("BookSync: a gap invalidates every book of the subscription until resync snapshots", () => {
  const s = new BookSync();
  s.subscribed(1, ["A", "B"]);
  s.onSnapshot(snap(1, 1, "A"), 1);
  s.onSnapshot(snap(1, 2, "B"), 1);
  const r = s.onDelta(delta(1, 4, "A"), 2);
  assert.deepEqual(r.events, []);
  assert.deepEqual(r.resync, { sid: 1, markets: ["A", "B"], reason: "seq gap: expected 3, got 4" });
  assert.deepEqual(s.invalidBooks(), ["A", "B"]);
  assert.equal(s.book("A"), undefined);
  // The late seq 3 is out of order; later messages of sid 1 are stale.
  assert.deepEqual(s.onDelta(delta(1, 3, "A"), 3).events, []);
  assert.deepEqual(s.onDelta(delta(1, 5, "A"), 3).events, []);
  assert.equal(s.counters.outOfOrder, 1);
  assert.equal(s.counters.stale, 1);
  s.abandon(1);
  s.subscribed(2, ["A", "B"]);
  const a = s.onSnapshot(snap(2, 1, "A", [[5600, 100]]), 4).events[0];
  assert.equal(a.seq, 2, "the tape seq of A continues");
  assert.deepEqual(s.invalidBooks(), ["B"]);
  s.onSnapshot(snap(2, 2, "B"), 4);
  assert.equal(s.counters.resyncs, 2);
  assert.equal(s.counters.gaps, 1);
  assert.deepEqual(s.onDelta(delta(2, 3, "A", 1, 5600), 5).events.map((e) => e.seq), [3]);
});

Deno.test("BookSync: duplicates, zero deltas, stale sids", () => {
  const s = new BookSync();
  s.subscribed(1, ["A"]);
  s.onSnapshot(snap(1, 1, "A"), 1);
  assert.equal(s.onDelta(delta(1, 2, "A"), 2).events.length, 1);
  assert.equal(s.onDelta(delta(1, 2, "A"), 2).events.length, 0);
  assert.equal(s.onSnapshot(snap(1, 1, "A"), 2).events.length, 0);
  assert.equal(s.counters.duplicates, 2);
  assert.equal(s.onDelta(delta(1, 3, "A", 0), 3).events.length, 0);
  assert.equal(s.counters.zeroDeltas, 1);
  assert.equal(s.onDelta(delta(1, 4, "A"), 3).events.length, 1, "a zero delta used its seq");
  assert.equal(s.onDelta(delta(9, 1, "A"), 3).events.length, 0);
  assert.equal(s.counters.stale, 1);
});

Deno.test("BookSync: a delta below zero, a delta before a snapshot, a crossed or malformed snapshot resync", () => {
  const s = new BookSync();
  s.subscribed(1, ["A"]);
  assert.ok(s.onDelta(delta(1, 1, "A"), 1).resync, "delta before snapshot");
  s.subscribed(2, ["A"]);
  s.onSnapshot(snap(2, 1, "A"), 1);
  assert.match(s.onDelta(delta(2, 2, "A", -5000), 2).resync!.reason, /below zero/);
  assert.deepEqual(s.invalidBooks(), ["A"]);
  s.subscribed(3, ["A"]);
  assert.match(s.onSnapshot(snap(3, 1, "A", [[5800, 1]]), 3).resync!.reason, /crossed/);
  s.subscribed(4, ["A"]);
  assert.match(
    s.onSnapshot(snap(4, 1, "A", [[5000, 1], [5000, 2]]), 3).resync!.reason,
    /bad snapshot/,
  );
  s.subscribed(5, ["A"]);
  assert.match(s.onBadMessage(5, 1).resync!.reason, /malformed/);
  assert.equal(s.onBadMessage(undefined, undefined).resync, undefined);
  assert.deepEqual(
    [s.counters.badDeltas, s.counters.crossedSnapshots, s.counters.badMessages],
    [2, 1, 3],
  );
});

Deno.test("BookSync: reset on connection loss; markets can be added and removed", () => {
  const s = new BookSync();
  s.subscribed(1, ["A"]);
  s.onSnapshot(snap(1, 1, "A"), 1);
  s.addMarkets(1, ["B"]);
  assert.deepEqual(s.invalidBooks(), ["B"]);
  s.onSnapshot(snap(1, 2, "B"), 1);
  s.reset();
  assert.deepEqual(s.invalidBooks(), ["A", "B"]);
  assert.equal(s.onDelta(delta(1, 3, "A"), 2).events.length, 0, "old sids are gone");
  s.subscribed(1, ["A", "B"]);
  s.onSnapshot(snap(1, 1, "A"), 3);
  s.removeMarkets(["B"]);
  assert.deepEqual(s.markets(), ["A"]);
  assert.deepEqual(s.invalidBooks(), []);
  assert.equal(s.counters.resyncs, 1);
});
