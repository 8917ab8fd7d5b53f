import assert from "node:assert/strict";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { parseNdjsonText } from "../../lib/tape/ndjson_reader.ts";
import { formatEventLine } from "../../lib/tape/ndjson_writer.ts";
import type { MockKalshiExchange } from "../../mock_exchange/exchange.ts";
import { buildSampleTape } from "../../mock_exchange/sample_tape.ts";
import { KalshiLiveFeed, wsUrlFor } from "./kalshi_feed.ts";
import {
  bookStates,
  HoldingFactory,
  replayBooks,
  startPair,
  until,
  wsReady,
} from "./test_support.ts";

const TAPE = buildSampleTape({ seed: 21, markets: 3, steps: 80 });
const MARKETS = TAPE.flatMap((e) => (e.kind === "market" ? [e.market] : []));
/** Index of the first event after the snapshots (metadata, lifecycles, snapshots before it). */
const PRELUDE = TAPE.findIndex((e) => e.kind === "book_delta" || e.kind === "trade");
const DATA_KINDS = new Set([
  "book_snapshot",
  "book_delta",
  "quote",
  "trade",
  "lifecycle",
  "settlement",
]);

/** Every event of the feed must read back with the strict NDJSON reader. */
function assertValidTape(events: readonly TapeEvent[]): void {
  const text = events.map(formatEventLine).join("\n");
  assert.equal([...parseNdjsonText(text, "feed")].length, events.length);
}

/** Steps the exchange until `n` more WebSocket messages went out (or the tape ends). */
function stepMessages(ex: MockKalshiExchange, n = 1) {
  const target = ex.ws.counts.messagesSent + n;
  while (ex.ws.counts.messagesSent < target && !ex.player.done && ex.ws.connectionCount > 0) {
    ex.step();
  }
}

/** Steps the exchange until the next event it plays is a trade. */
function stepToTrade(ex: MockKalshiExchange) {
  while (!ex.player.done && TAPE[ex.player.position].kind !== "trade") ex.step();
}

Deno.test("KalshiLiveFeed: metadata first, then the books and trades the mock played", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, { markets: MARKETS });
  try {
    p.ex.step(PRELUDE);
    // What the exchange does from here on, per market.
    const played: TapeEvent[] = [];
    p.ex.player.onHappening((h) => {
      if (h.kind === "book") {
        for (const c of h.changes) {
          played.push({
            kind: "book_delta",
            ts: 0,
            market: h.market,
            seq: 0,
            side: c.side,
            price: c.price,
            delta: c.delta,
          });
        }
      }
    });
    await until(() => wsReady(p.feed), 4000, "books valid on the WebSocket");
    const before = p.events.length;
    p.ex.playAll();
    await until(
      () => p.events.filter((e) => e.kind === "settlement").length === MARKETS.length,
      4000,
      "settlements",
    );
    const h = p.feed.health();
    await p.close();

    // Metadata first: series, event, markets before any data event.
    const firstData = p.events.findIndex((e) => DATA_KINDS.has(e.kind));
    assert.deepEqual(p.events.slice(0, firstData).map((e) => e.kind), [
      "series",
      "event",
      "market",
      "market",
      "market",
    ]);
    const m0 = p.events[2];
    const t0 = TAPE.find((e) => e.kind === "market")!;
    assert.deepEqual({ ...m0, ts: 0 }, { ...t0, ts: 0 }, "the market declaration survives REST");
    assert.deepEqual(
      p.events.slice(firstData, firstData + MARKETS.length).map((e) =>
        e.kind === "lifecycle" && e.status
      ),
      ["active", "active", "active"],
    );

    // Books: the feed's initial snapshots then deltas equal the exchange's changes, one for one.
    const after = p.events.slice(before);
    const deltas = after.filter((e) => e.kind === "book_delta");
    assert.deepEqual(
      deltas.map((e) => e.kind === "book_delta" && [e.market, e.side, e.price, e.delta]),
      played.map((e) => e.kind === "book_delta" && [e.market, e.side, e.price, e.delta]),
    );
    const feedBooks = replayBooks(p.events);
    for (const m of MARKETS) {
      assert.ok(feedBooks.get(m)!.equals(p.ex.player.markets.get(m)!.book), m);
    }

    // Normalized comparison with the tape itself: the same book states and trades in the same order.
    assert.deepEqual(bookStates(p.events), bookStates(TAPE));
    const trades = (evs: readonly TapeEvent[]) =>
      evs.flatMap((e) => (e.kind === "trade" ? [[e.market, e.price, e.count, e.takerSide]] : []));
    assert.deepEqual(trades(p.events), trades(TAPE));
    const settle = (evs: readonly TapeEvent[]) =>
      evs.flatMap((e) => (e.kind === "settlement" ? [[e.market, e.result]] : []));
    assert.deepEqual(settle(p.events), settle(TAPE));
    assert.deepEqual(
      p.events.filter((e) => e.kind === "lifecycle").map((e) => e.kind === "lifecycle" && e.status)
        .slice(3),
      [...MARKETS.map(() => "closed"), ...MARKETS.map(() => "determined")],
    );
    assertValidTape(p.events);
    assert.deepEqual([h.counters.gaps, h.counters.duplicates, h.counters.clampedTs], [0, 0, 0]);
    // Delta timestamps are the exchange's (the tape's, in tape-time mode).
    const tapeDeltaTs = TAPE.filter((e) => e.kind === "book_delta").map((e) => e.ts);
    assert.deepEqual(deltas.map((e) => e.ts), tapeDeltaTs);
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: a seq gap invalidates the books until the resync snapshots", async () => {
  const hold = new HoldingFactory();
  const p = await startPair({ tape: TAPE, speed: 0 }, {
    markets: MARKETS,
    socketFactory: hold.factory,
  });
  try {
    p.ex.step(PRELUDE);
    await until(() => wsReady(p.feed));
    hold.hold = /"cmd":"subscribe"/;
    p.ex.faults.force("ws_seq_gap");
    stepMessages(p.ex, 1); // a delta is lost, then the next one goes out
    await until(() => p.feed.health().counters.gaps === 1, 2000, "the gap");
    const h = p.feed.health();
    assert.deepEqual(
      h.invalidBooks,
      [...MARKETS].sort(),
      "every book of the subscription is invalid",
    );
    assert.equal(h.mode, "ws");
    const mark = p.events.length;
    stepMessages(p.ex, 3); // more deltas: nothing may come out for invalid books
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(p.events.slice(mark).filter((e) => e.kind === "book_delta").length, 0);
    assert.equal(hold.held.length, 1, "the resubscribe waits");
    hold.release();
    await until(() => wsReady(p.feed), 2000, "resync");
    const snaps = p.events.slice(mark).filter((e) => e.kind === "book_snapshot");
    assert.deepEqual(snaps.map((e) => e.market).sort(), [...MARKETS].sort());
    for (const s of snaps) {
      assert.ok(
        p.feed.book(s.market)!.equals(p.ex.player.markets.get(s.market)!.book),
        "snapshot equals the exchange",
      );
    }
    p.ex.playAll();
    await until(() => p.events.filter((e) => e.kind === "settlement").length === MARKETS.length);
    const books = replayBooks(p.events);
    for (const m of MARKETS) assert.ok(books.get(m)!.equals(p.ex.player.markets.get(m)!.book));
    const c = p.feed.health().counters;
    assert.deepEqual([c.gaps, c.resyncRequests, c.resyncs], [1, 1, MARKETS.length]);
    assertValidTape(p.events);
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: a dropped socket reconnects, resubscribes, and loses nothing after the snapshot", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, { markets: MARKETS });
  try {
    p.ex.step(PRELUDE);
    await until(() => wsReady(p.feed));
    stepMessages(p.ex, 5);
    p.ex.faults.force("ws_drop");
    stepMessages(p.ex, 1); // the socket dies instead of sending
    assert.equal(p.ex.ws.connectionCount, 0);
    assert.ok(!p.ex.player.done);
    await until(() => p.feed.health().counters.reconnects === 1, 2000, "the reconnect");
    p.ex.step(10); // played while disconnected: lost on the socket, in the next snapshot
    await until(() => wsReady(p.feed), 3000, "resubscribed");
    const mark = p.events.length;
    for (const m of MARKETS) assert.ok(p.feed.book(m)!.equals(p.ex.player.markets.get(m)!.book), m);
    p.ex.playAll();
    await until(() => p.events.filter((e) => e.kind === "settlement").length === MARKETS.length);
    const books = replayBooks(p.events);
    for (const m of MARKETS) assert.ok(books.get(m)!.equals(p.ex.player.markets.get(m)!.book), m);
    assert.ok(p.events.slice(mark).some((e) => e.kind === "book_delta"));
    // Trades missed during the outage come back from REST after the resubscribe (ids dedupe).
    const trades = (evs: readonly TapeEvent[]) =>
      evs.flatMap((
        e,
      ) => (e.kind === "trade" ? [`${e.market} ${e.price} ${e.count} ${e.takerSide}`] : [])).sort();
    await until(() => trades(p.events).length === trades(TAPE).length, 2000, "every trade");
    assert.deepEqual(trades(p.events), trades(TAPE));
    // The catch-up's counter is bumped when its REST read completes: wait for it (loaded machines).
    await until(() => p.feed.health().counters.tradeCatchUps === 1, 3000, "the catch-up");
    const c = p.feed.health().counters;
    assert.equal(c.tradeCatchUps, 1);
    assert.ok(c.restTrades > 0, "the outage lost trades on the socket; REST brought them back");
    assert.equal(c.sessions, 2);
    assert.equal(c.resyncs, MARKETS.length, "every book came back through a snapshot");
    assert.equal(p.ex.faultCounts().ws_drop, 1);
    assertValidTape(p.events);
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: duplicate and out-of-order messages are dropped and counted", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, { markets: MARKETS });
  try {
    p.ex.step(PRELUDE);
    await until(() => wsReady(p.feed));
    p.ex.faults.force("ws_duplicate");
    stepMessages(p.ex, 2);
    await until(() => p.feed.health().counters.duplicates === 1, 2000, "the duplicate");
    assert.equal(p.feed.health().counters.gaps, 0);
    // A duplicated trade.
    stepToTrade(p.ex);
    p.ex.faults.force("ws_duplicate");
    p.ex.step();
    await until(() => p.feed.health().counters.duplicateTrades === 1, 2000, "the duplicate trade");
    // Out of order: a delta held back arrives after the next one (read as a gap, then the late one).
    p.ex.faults.force("ws_out_of_order");
    stepMessages(p.ex, 2);
    await until(() => p.feed.health().counters.outOfOrder === 1, 2000, "the late message");
    await until(() => wsReady(p.feed), 2000, "resync after the swap");
    p.ex.playAll();
    await until(() => p.events.filter((e) => e.kind === "settlement").length === MARKETS.length);
    const books = replayBooks(p.events);
    for (const m of MARKETS) assert.ok(books.get(m)!.equals(p.ex.player.markets.get(m)!.book), m);
    const trades = p.events.filter((e) => e.kind === "trade").length;
    assert.equal(trades, TAPE.filter((e) => e.kind === "trade").length, "no trade twice");
    const c = p.feed.health().counters;
    assert.deepEqual([c.duplicates, c.duplicateTrades, c.outOfOrder], [1, 1, 1]);
    assertValidTape(p.events);
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: without credentials it polls REST (books, trades, lifecycle)", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, {
    markets: MARKETS,
    signer: undefined,
    pollIntervalMs: 25,
  });
  try {
    p.ex.step(PRELUDE);
    await until(() => p.feed.health().invalidBooks.length === 0, 3000, "first polls");
    assert.equal(p.feed.health().mode, "rest");
    p.ex.step(30);
    const target = new Map(MARKETS.map((m) => [m, p.ex.player.markets.get(m)!.book.clone()]));
    await until(
      () => MARKETS.every((m) => p.feed.book(m)?.equals(target.get(m)!) === true),
      3000,
      "polled books",
    );
    p.ex.playAll();
    await until(
      () => p.events.filter((e) => e.kind === "settlement").length === MARKETS.length,
      3000,
      "settled",
    );
    await until(
      () =>
        p.events.filter((e) => e.kind === "trade").length ===
          TAPE.filter((e) => e.kind === "trade").length,
      3000,
      "every trade",
    );
    const c = p.feed.health().counters;
    assert.ok(c.restSnapshots >= MARKETS.length);
    assert.equal(c.sessions, 0, "no WebSocket without a signer");
    assert.ok(p.events.every((e) => e.kind !== "book_delta"));
    const statuses = p.events.filter((e) => e.kind === "lifecycle").map((e) =>
      e.kind === "lifecycle" && e.status
    );
    assert.ok(statuses.includes("determined"));
    assertValidTape(p.events);
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: a refused handshake falls back to REST and keeps retrying", async () => {
  const logs: string[] = [];
  const p = await startPair({ tape: TAPE, speed: 0 }, {
    markets: MARKETS,
    signer: { headers: () => ({ "KALSHI-ACCESS-KEY": "secret-key-id-9d2c" }) },
    pollIntervalMs: 25,
    log: (l) => logs.push(l),
  });
  try {
    p.ex.step(PRELUDE);
    await until(() => p.feed.health().counters.handshakeRejected >= 2, 3000, "two refusals");
    await until(
      () => p.feed.health().mode === "rest" && p.feed.health().invalidBooks.length === 0,
      3000,
      "rest",
    );
    assert.ok(logs.some((l) => l.includes("handshake HTTP 401")));
    assert.ok(logs.some((l) => l.includes("…9d2c")), "the key id is masked");
    assert.ok(logs.every((l) => !l.includes("secret-key-id")), "never the whole key id");
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: silence beyond the idle timeout reconnects; pings keep it alive", async () => {
  const quiet = await startPair({ tape: TAPE, speed: 0 }, { markets: MARKETS, idleTimeoutMs: 120 });
  try {
    await until(() => quiet.feed.health().counters.idleTimeouts >= 1, 3000, "an idle timeout");
    await until(() => quiet.feed.health().counters.sessions >= 2, 3000, "a new session");
  } finally {
    await quiet.close();
  }
  const pinged = await startPair({ tape: TAPE, speed: 0, pingIntervalMs: 30 }, {
    markets: MARKETS,
    idleTimeoutMs: 150,
  });
  try {
    await until(() => pinged.feed.health().counters.pings >= 10, 3000, "pings");
    assert.equal(pinged.feed.health().counters.idleTimeouts, 0);
    assert.equal(pinged.feed.health().counters.sessions, 1);
  } finally {
    await pinged.close();
  }
});

Deno.test("KalshiLiveFeed: markets added and removed at run time (update_subscription)", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, { markets: [MARKETS[0]] });
  try {
    p.ex.step(PRELUDE);
    await until(() => wsReady(p.feed));
    assert.deepEqual(p.feed.markets, [MARKETS[0]]);
    const added = await p.feed.addMarkets([MARKETS[1], MARKETS[0]]);
    assert.deepEqual(added, [MARKETS[1]]);
    await until(
      () => wsReady(p.feed) && p.feed.book(MARKETS[1]) !== undefined,
      2000,
      "the added book",
    );
    const iMarket = p.events.findIndex((e) => e.kind === "market" && e.market === MARKETS[1]);
    const iSnap = p.events.findIndex((e) => e.kind === "book_snapshot" && e.market === MARKETS[1]);
    assert.ok(iMarket >= 0 && iMarket < iSnap, "metadata before the book");
    assert.equal(
      p.events.filter((e) => e.kind === "series").length,
      1,
      "the series is declared once",
    );
    p.feed.removeMarkets([MARKETS[0]]);
    const mark = p.events.length;
    p.ex.playAll();
    await until(() => p.events.some((e) => e.kind === "settlement" && e.market === MARKETS[1]));
    assert.ok(p.events.slice(mark).every((e) => !("market" in e) || e.market === MARKETS[1]));
    assert.equal(p.feed.health().counters.serverErrors, 0);
  } finally {
    await p.close();
  }
});

Deno.test("KalshiLiveFeed: unknown markets are not followed; bad options are errors", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, { markets: [MARKETS[0], "KXNOPE-1"] });
  try {
    await until(() => wsReady(p.feed));
    assert.deepEqual(p.feed.markets, [MARKETS[0]]);
    assert.equal(p.feed.health().counters.rejectedMarkets, 1);
  } finally {
    await p.close();
  }
  assert.throws(
    () => KalshiLiveFeed.start({ restBaseUrl: "http://127.0.0.1:1/trade-api/v2", markets: [] }),
    /markets must be a non-empty list of tickers, current value is \[\]/,
  );
  assert.throws(
    () =>
      KalshiLiveFeed.start({
        restBaseUrl: "http://127.0.0.1:1/trade-api/v2",
        markets: ["A"],
        pollIntervalMs: 0,
      }),
    /pollIntervalMs must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => KalshiLiveFeed.start({ restBaseUrl: "not a url", markets: ["A"] }),
    TypeError,
  );
});

Deno.test("wsUrlFor: REST bases map to their WebSocket URLs", () => {
  assert.equal(
    wsUrlFor("http://127.0.0.1:8080/trade-api/v2"),
    "ws://127.0.0.1:8080/trade-api/ws/v2",
  );
  assert.equal(
    wsUrlFor("https://external-api.kalshi.com/trade-api/v2"),
    "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
  );
  assert.equal(
    wsUrlFor("https://external-api.demo.kalshi.co/trade-api/v2/"),
    "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2",
  );
  assert.equal(
    wsUrlFor("https://api.elections.kalshi.com/trade-api/v2"),
    "wss://api.elections.kalshi.com/trade-api/ws/v2",
  );
});

Deno.test("KalshiLiveFeed: signs the handshake with a KalshiSigner; a wrong key is refused", async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const { KalshiSigner } = await import("../../lib/kalshi/signing.ts");
  const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
  const good = pair();
  const pem = (k: typeof good) => k.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const publicKey = good.publicKey.export({ type: "spki", format: "pem" }) as string;
  const signer = KalshiSigner.fromPem("0f1e2d3c-aaaa-bbbb-cccc-123456789abc", pem(good));
  const p = await startPair({ tape: TAPE, speed: 0, publicKey }, { markets: MARKETS, signer });
  try {
    await until(() => wsReady(p.feed), 4000, "a verified handshake");
  } finally {
    await p.close();
  }
  const wrong = KalshiSigner.fromPem("0f1e2d3c-aaaa-bbbb-cccc-123456789abc", pem(pair()));
  const q = await startPair({ tape: TAPE, speed: 0, publicKey }, {
    markets: MARKETS,
    signer: wrong,
  });
  try {
    await until(() => q.feed.health().counters.handshakeRejected >= 1, 4000, "a refused handshake");
    assert.notEqual(q.feed.health().mode, "ws");
  } finally {
    await q.close();
  }
});

Deno.test("KalshiLiveFeed: with tickerQuotes, ticker messages become quote events", async () => {
  const p = await startPair({ tape: TAPE, speed: 0 }, { markets: MARKETS, tickerQuotes: true });
  try {
    p.ex.step(PRELUDE);
    await until(() => wsReady(p.feed));
    stepMessages(p.ex, 20);
    await until(() => p.events.some((e) => e.kind === "quote"), 2000, "a quote");
    const q = p.events.find((e) => e.kind === "quote")!;
    assert.equal(q.kind, "quote");
    const book = replayBooks(p.events.slice(0, p.events.indexOf(q))).get(q.market)!;
    assert.ok(q.yesBid <= q.yesAsk);
    assert.ok(q.yesBid <= book.best("yes") || book.best("yes") === 0);
    assertValidTape(p.events);
  } finally {
    await p.close();
  }
});
