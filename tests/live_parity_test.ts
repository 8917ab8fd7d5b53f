/**
 * Parity of the live lane with the backtest (issue 8 item 6): run the lane
 * dry over a feed playing tape T, replay the tape R it recorded as a backtest
 * with the same strategy, parameters and seed, and require the same decisions,
 * orders and fills (row for row, and the same results digest).
 *
 * Feeds: the in-memory feed paced on a virtual clock, and the mock exchange +
 * the real live feed over loopback (live/exchange_feed.ts), where the
 * recorded tape R is rebuilt from REST and WebSocket messages, not copied.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { TapeEvent } from "../lib/tape/events.ts";
import { readNdjsonFile } from "../lib/tape/ndjson_reader.ts";
import { ResultsDb } from "../lib/store/results_db.ts";
import { generateBtcTape } from "../lib/synth/btc_tape.ts";
import { STRATEGIES } from "../strategies/registry.ts";
import { ndjsonFileStream } from "../lib/venue/stream.ts";
import type { RunOutcome } from "../lib/venue/run.ts";
import { runTestLane, TEST_REPLAY } from "../live/test_support.ts";
import { openExchange } from "../live/exchange_feed.ts";
import { runLane } from "../live/lane.ts";
import { denoFs, systemClock } from "../live/io.ts";
import { runInTemp } from "./helpers.ts";

async function readTape(path: string): Promise<TapeEvent[]> {
  const out: TapeEvent[] = [];
  for await (const ev of readNdjsonFile(path)) out.push(ev);
  return out;
}

/** Everything the parity claim covers, from a run outcome. */
function tradingOf(o: RunOutcome) {
  return {
    digest: o.digest,
    orders: o.result.orders,
    fills: o.result.fills,
    decisions: o.result.decisions.map((d) => JSON.stringify(d)),
    forecasts: o.result.forecasts.length,
    settlements: o.result.settlements,
  };
}

async function parity(name: string, tape: TapeEvent[], speed: number, seed = 1) {
  const entry = STRATEGIES[name];
  const replay = { ...TEST_REPLAY, seed };
  const live = await runTestLane({
    strategy: entry.create({ ...entry.defaults }),
    tape,
    speed,
    replay,
    tier: "basic",
  });
  assert.equal(live.outcome.stopReason, "feed_end");
  assert.equal(
    live.outcome.counts.blocked,
    0,
    "no rail intervened (parity is claimed for that case)",
  );
  const recorded = await readTape(live.outcome.tapePath);
  assert.equal(recorded.length, live.outcome.eventsRecorded);
  // Backtest of the recorded tape R, read from the file like any tape.
  const back = await runInTemp(entry.create({ ...entry.defaults }), [
    ndjsonFileStream(live.outcome.tapePath, { strict: false }),
  ], { seed, replay });
  const a = tradingOf(live.outcome.run);
  const b = tradingOf(back);
  assert.ok(a.orders.length > 0, `${name}: the strategy traded in the live session`);
  assert.deepEqual(a.orders, b.orders, `${name}: orders`);
  assert.deepEqual(a.fills, b.fills, `${name}: fills`);
  assert.deepEqual(a.decisions, b.decisions, `${name}: decisions`);
  assert.deepEqual(a.settlements, b.settlements, `${name}: settlements`);
  assert.equal(a.forecasts, b.forecasts);
  assert.equal(a.digest, b.digest, `${name}: results digest`);
  // The database rows agree too.
  const dbA = ResultsDb.open(live.outcome.dbPath);
  const dbB = ResultsDb.open(back.dbPath);
  try {
    assert.deepEqual(dbA.orders(live.outcome.run.runId), dbB.orders(back.runId));
    assert.deepEqual(dbA.fills(live.outcome.run.runId), dbB.fills(back.runId));
  } finally {
    dbA.close();
    dbB.close();
  }
  // Every order sent is in the audit log with its client id, once.
  const sent = live.audit.filter((r) => r.type === "sent");
  assert.equal(sent.length, a.orders.length);
  assert.equal(new Set(sent.map((r) => r.clientId)).size, sent.length);
  return { live, recorded, ordersN: a.orders.length, fillsN: a.fills.length };
}

Deno.test("parity (in-memory feed): btc on 2 hours of the synthetic BTC tape", async () => {
  const tape = generateBtcTape({ seed: 3, hours: 2 });
  const { recorded, ordersN, fillsN } = await parity("btc", tape, 1, 3);
  // The in-memory feed passes events through: R is T.
  assert.deepEqual(recorded, tape);
  console.log(`btc: ${ordersN} orders, ${fillsN} fills identical live and replayed`);
});

Deno.test("parity (in-memory feed): market maker (resting orders, cancels) at speed 10", async () => {
  const entry = STRATEGIES.market_maker;
  const tape = entry.synthetic!.generate(1);
  const { live, ordersN, fillsN } = await parity("market_maker", tape, 10);
  assert.ok(live.outcome.counts.cancelsSent > 0, "cancels went through the cancel queue");
  console.log(`market_maker: ${ordersN} orders, ${fillsN} fills identical live and replayed`);
});

Deno.test("parity: a session stopped early records exactly the prefix it consumed", async () => {
  const entry = STRATEGIES.btc;
  const tape = generateBtcTape({ seed: 1, hours: 2 });
  const live = await runTestLane({
    strategy: entry.create({ ...entry.defaults }),
    tape,
    durationMs: 45 * 60_000,
    tier: "prime",
  });
  assert.equal(live.outcome.stopReason, "time_limit");
  const recorded = await readTape(live.outcome.tapePath);
  assert.ok(recorded.length > 0 && recorded.length < tape.length);
  assert.deepEqual(recorded, tape.slice(0, recorded.length));
  assert.equal(live.outcome.run.result.eventsProcessed, recorded.length, "no consumed event lost");
  const back = await runInTemp(entry.create({ ...entry.defaults }), [
    ndjsonFileStream(live.outcome.tapePath, { strict: false }),
  ], { replay: TEST_REPLAY });
  assert.equal(back.digest, live.outcome.run.digest);
});

Deno.test("parity (mock exchange + live feed over loopback): btc, 1 hour of tape at 240x", async () => {
  const entry = STRATEGIES.btc;
  const tape = generateBtcTape({ seed: 2, hours: 1 });
  const dir = await Deno.makeTempDir({ prefix: "kx-live-mock-" });
  const ex = await openExchange({ tape, speed: 240, clock: systemClock, graceMs: 1500 });
  try {
    const replay = { ...TEST_REPLAY, seed: 2 };
    const live = await runLane({
      strategy: entry.create({ ...entry.defaults }),
      feed: ex.feed,
      feedName: "mock exchange",
      mode: "dry",
      outDir: dir,
      replay,
      clock: systemClock,
      fs: denoFs,
      codeVersion: "test",
      timeScale: 240,
      durationMs: 120_000,
    });
    assert.equal(live.stopReason, "feed_end", "the session ends with the tape");
    assert.equal(live.counts.blocked, 0);
    const recorded = await readTape(live.tapePath);
    assert.equal(recorded.length, live.eventsRecorded);
    assert.ok(
      recorded.some((e) => e.kind === "book_delta") && recorded.some((e) => e.kind === "trade"),
    );
    const back = await runInTemp(entry.create({ ...entry.defaults }), [
      ndjsonFileStream(live.tapePath, { strict: false }),
    ], { seed: 2, replay });
    const a = tradingOf(live.run);
    const b = tradingOf(back);
    assert.ok(a.orders.length > 0, "the strategy traded through the mock exchange");
    assert.deepEqual(a.orders, b.orders);
    assert.deepEqual(a.fills, b.fills);
    assert.deepEqual(a.decisions, b.decisions);
    assert.equal(a.digest, b.digest);
    console.log(
      `mock exchange: ${recorded.length} events recorded, ${a.orders.length} orders, ${a.fills.length} fills identical live and replayed`,
    );
  } finally {
    await ex.close();
  }
});
