import assert from "node:assert/strict";
import { LevelBook } from "../lib/kalshi/ws_book.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { buildSampleTape } from "./sample_tape.ts";
import { type Happening, TapePlayer } from "./tape_player.ts";

const T0 = 1_767_884_400_000;

function meta(): TapeEvent[] {
  return [
    { kind: "series", ts: T0, series: "S", feeType: "quadratic", feeMultiplier: 10000 },
    { kind: "event", ts: T0, event: "S-E", series: "S", mutuallyExclusive: false },
    {
      kind: "market",
      ts: T0,
      market: "S-E-T1",
      event: "S-E",
      strikeType: "greater",
      floorStrike: 1,
      openTs: T0,
      closeTs: T0 + 60_000,
      priceStep: 100,
    },
  ];
}

Deno.test("TapePlayer: a manual step plays one event and reports its changes", () => {
  const tape: TapeEvent[] = [
    ...meta(),
    {
      kind: "book_snapshot",
      ts: T0 + 10,
      market: "S-E-T1",
      seq: 1,
      yesPrices: [5500],
      yesSizes: [1000],
      noPrices: [4300],
      noSizes: [800],
    },
    {
      kind: "book_delta",
      ts: T0 + 20,
      market: "S-E-T1",
      seq: 2,
      side: "yes",
      price: 5500,
      delta: -400,
    },
    { kind: "trade", ts: T0 + 30, market: "S-E-T1", price: 5600, count: 300, takerSide: "yes" },
    { kind: "underlying", ts: T0 + 35, symbol: "X", value: 1 },
    { kind: "lifecycle", ts: T0 + 40, market: "S-E-T1", status: "closed" },
    { kind: "settlement", ts: T0 + 50, market: "S-E-T1", result: "no" },
  ];
  const p = new TapePlayer(tape, { speed: 0 });
  const seen: Happening[] = [];
  p.onHappening((h) => seen.push(h));
  assert.equal(p.markets.size, 1, "metadata known before playing");
  assert.equal(p.step(3), 3);
  assert.equal(seen.length, 0);
  p.step();
  assert.deepEqual(seen.pop(), {
    kind: "book",
    ts: T0 + 10,
    market: "S-E-T1",
    changes: [{ side: "yes", price: 5500, delta: 1000 }, { side: "no", price: 4300, delta: 800 }],
  });
  assert.equal(p.tapeNow(), T0 + 10);
  p.step();
  assert.deepEqual(seen.pop(), {
    kind: "book",
    ts: T0 + 20,
    market: "S-E-T1",
    changes: [{ side: "yes", price: 5500, delta: -400 }],
  });
  p.step();
  const trade = seen.pop() as Extract<Happening, { kind: "trade" }>;
  assert.equal(trade.kind, "trade");
  assert.equal(trade.price, 5600);
  assert.match(trade.tradeId, /^[0-9a-f-]{36}$/);
  assert.equal(p.playAll(), 3);
  assert.equal(p.done, true);
  assert.equal(p.counts.underlyingSkipped, 1);
  assert.deepEqual(seen.map((h) => h.kind), ["lifecycle", "settlement"]);
  const st = p.markets.get("S-E-T1")!;
  assert.equal(st.status, "closed");
  assert.equal(st.settlement?.result, "no");
  assert.equal(st.lastPrice, 5600);
  assert.equal(st.volume, 300);
  assert.deepEqual(st.book.levels("yes"), [[5500, 600]]);
});

Deno.test("TapePlayer: a quote becomes two levels; a snapshot keeps the overlay", () => {
  const tape: TapeEvent[] = [
    ...meta(),
    {
      kind: "quote",
      ts: T0 + 10,
      market: "S-E-T1",
      yesBid: 4000,
      yesAsk: 4300,
      yesBidSize: 500,
      yesAskSize: 0,
    },
    {
      kind: "quote",
      ts: T0 + 20,
      market: "S-E-T1",
      yesBid: 0,
      yesAsk: 4400,
      yesBidSize: 0,
      yesAskSize: 0,
    },
    {
      kind: "book_snapshot",
      ts: T0 + 30,
      market: "S-E-T1",
      seq: 1,
      yesPrices: [3000],
      yesSizes: [100],
      noPrices: [],
      noSizes: [],
    },
  ];
  const p = new TapePlayer(tape, { speed: 0, quoteSize: 700 });
  p.setOverlay(() => LevelBook.fromLevels([[2000, 50]], []));
  p.playAll();
  const book = p.markets.get("S-E-T1")!.book;
  assert.deepEqual(book.levels("yes"), [[3000, 100], [2000, 50]]);
  assert.deepEqual(book.levels("no"), []);
  const q = new TapePlayer(tape.slice(0, 4), { speed: 0, quoteSize: 700 });
  q.playAll();
  assert.deepEqual(q.markets.get("S-E-T1")!.book.levels("yes"), [[4000, 500]]);
  assert.deepEqual(q.markets.get("S-E-T1")!.book.levels("no"), [[5700, 700]]);
});

Deno.test("TapePlayer: real-time playback by wall clock and speed", () => {
  const tape = buildSampleTape({ seed: 2, markets: 2, steps: 10, stepMs: 1000 });
  const p = new TapePlayer(tape, { speed: 10 });
  assert.equal(p.dueWall(), null, "not started");
  p.start(5000);
  assert.equal(p.dueWall(), 5000);
  const first = p.playDue(5000);
  assert.ok(first > 0);
  assert.equal(p.dueWall(), 5100, "the next event 1 s later in tape time is 100 ms later");
  assert.equal(p.playDue(5099), 0);
  assert.equal(p.playDue(5100), 1);
  assert.equal(p.tapeNow(5150), tape[0].ts + 1500);
  p.playDue(1e12);
  assert.equal(p.done, true);
});

Deno.test("TapePlayer: a delta below zero (liquidity taken by an order) is clamped and counted", () => {
  const tape: TapeEvent[] = [
    ...meta(),
    {
      kind: "book_snapshot",
      ts: T0,
      market: "S-E-T1",
      seq: 1,
      yesPrices: [5500],
      yesSizes: [1000],
      noPrices: [],
      noSizes: [],
    },
    {
      kind: "book_delta",
      ts: T0 + 1,
      market: "S-E-T1",
      seq: 2,
      side: "yes",
      price: 5500,
      delta: -1000,
    },
  ];
  const p = new TapePlayer(tape, { speed: 0 });
  p.step(4);
  p.changeBook("S-E-T1", [{ side: "yes", price: 5500, delta: -300 }]);
  p.step();
  assert.equal(p.counts.clampedDeltas, 1);
  assert.equal(p.markets.get("S-E-T1")!.book.depth, 0);
  assert.throws(
    () =>
      p.changeBook("S-E-T1", [{ side: "no", price: 100, delta: 5 }, {
        side: "yes",
        price: 5500,
        delta: -1,
      }]),
    /would go below zero/,
  );
  assert.equal(p.markets.get("S-E-T1")!.book.depth, 0, "a failed change is rolled back");
});

Deno.test("TapePlayer: bad tapes and options are clear errors", () => {
  assert.throws(() => new TapePlayer([]), /the tape is empty, current value is 0 events/);
  assert.throws(
    () => new TapePlayer(meta(), { speed: -1 }),
    /speed must be a number >= 0, current value is -1/,
  );
  assert.throws(
    () => new TapePlayer(meta(), { quoteSize: 0 }),
    /quoteSize must be an integer >= 1, current value is 0/,
  );
  const back = [...meta(), { kind: "underlying", ts: T0 - 1, symbol: "X", value: 1 } as TapeEvent];
  assert.throws(
    () => new TapePlayer(back),
    /event 3 goes back in time from \d+, current value is \d+/,
  );
  const undeclared = [
    ...meta(),
    { kind: "trade", ts: T0, market: "NOPE", price: 1, count: 1, takerSide: "yes" } as TapeEvent,
  ];
  assert.throws(() => new TapePlayer(undeclared), /undeclared market, current value is NOPE/);
  assert.throws(() => new TapePlayer(meta(), { speed: 0 }).start(0), /speed is 0 \(manual\)/);
  assert.throws(
    () => new TapePlayer(meta(), { speed: 0 }).step(-1),
    /n must be an integer >= 0, current value is -1/,
  );
  assert.throws(
    () => new TapePlayer(meta(), { speed: 0 }).changeBook("NOPE", []),
    /unknown to the tape, current value is NOPE/,
  );
});
