/**
 * A bounded fault soak: a few seconds of accelerated playback with every fault
 * kind of the mock exchange injected repeatedly. The feed must keep running,
 * notice what it can, and end with the exchange's books and trades.
 */

import assert from "node:assert/strict";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { parseNdjsonText } from "../../lib/tape/ndjson_reader.ts";
import { formatEventLine } from "../../lib/tape/ndjson_writer.ts";
import { buildSampleTape } from "../../mock_exchange/sample_tape.ts";
import { systemClock } from "../io.ts";
import { KalshiLiveFeed } from "./kalshi_feed.ts";
import { replayBooks, startPair, until, wsReady } from "./test_support.ts";

Deno.test("KalshiLiveFeed: fault soak: every fault kind, repeatedly, the feed survives and converges", async () => {
  const tape = buildSampleTape({ seed: 8, markets: 4, steps: 2500, stepMs: 1000 });
  const markets = tape.flatMap((e) => (e.kind === "market" ? [e.market] : []));
  const p = await startPair(
    {
      tape,
      speed: 1000, // 2500 tape seconds in about 2.5 s
      autoStart: false,
      faultSeed: 99,
      faults: [
        { kind: "ws_drop", rate: 0.002 },
        { kind: "ws_seq_gap", rate: 0.006 },
        { kind: "ws_duplicate", rate: 0.01 },
        { kind: "ws_out_of_order", rate: 0.006 },
        { kind: "http_429", rate: 0.08 },
        { kind: "http_5xx", rate: 0.06 },
        { kind: "http_slow", rate: 0.03, param: 400 },
        // Far beyond the feed's tolerance: at 1000x a few ms of latency is seconds of tape time.
        { kind: "clock_skew", rate: 0.1, param: 86_400_000 },
      ],
    },
    {
      markets,
      pollIntervalMs: 100,
      restTimeoutMs: 250,
      restRetry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      idleTimeoutMs: 3000,
      maxSkewMs: 300_000,
      seed: 7,
    },
  );
  // A second feed without credentials polls REST all along (the REST faults' main target).
  const restFeed = KalshiLiveFeed.start({
    restBaseUrl: p.ex.baseUrl,
    markets,
    clock: { now: () => p.ex.now(), sleep: systemClock.sleep },
    pollIntervalMs: 50,
    restTimeoutMs: 250,
    maxSkewMs: 300_000,
    restRetry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
    seed: 8,
  });
  const restEvents: TapeEvent[] = [];
  const restConsumer = (async () => {
    for await (const ev of restFeed.events()) restEvents.push(ev);
  })();
  try {
    await until(() => wsReady(p.feed), 5000, "the first subscription");
    p.ex.startPlayback();
    await until(() => p.ex.player.done, 6000, "the end of the tape");
    // Faults stop; one last reconnect brings every book back through a snapshot (a gap
    // on the very last delta of a subscription has no later message to reveal it).
    p.ex.faults.clearRates();
    await new Promise((r) => setTimeout(r, 100));
    p.ex.ws.dropAll();
    await until(
      () =>
        wsReady(p.feed) &&
        markets.every((m) => p.feed.book(m)?.equals(p.ex.player.markets.get(m)!.book)),
      4000,
      "convergence",
    );
    const trades = (evs: readonly TapeEvent[]) =>
      evs.flatMap((
        e,
      ) => (e.kind === "trade" ? [`${e.market} ${e.price} ${e.count} ${e.takerSide}`] : [])).sort();
    try {
      await until(() => trades(p.events).length >= trades(tape).length, 3000, "every trade");
    } catch (e) {
      const have = trades(p.events);
      const want = trades(tape);
      console.log(
        "missing trades",
        want.filter((t) => !have.includes(t)),
        have.length,
        want.length,
        JSON.stringify(p.feed.health().counters),
      );
      throw e;
    }
    await until(
      () => p.events.filter((e) => e.kind === "settlement").length === markets.length,
      3000,
      "settlements",
    );
    await until(
      () => p.events.filter((e) => e.kind === "settlement").length === markets.length,
      3000,
      "settlements",
    );
    // The REST feed ends with the same books and trades at its next clean polls.
    await until(
      () => markets.every((m) => restFeed.book(m)?.equals(p.ex.player.markets.get(m)!.book)),
      4000,
      "REST books",
    );
    await until(
      () => trades(restEvents).length >= trades(tape).length,
      3000,
      "every trade by REST",
    );
    await until(
      () => restEvents.filter((e) => e.kind === "settlement").length === markets.length,
      3000,
      "REST settlements",
    );
    const injected = p.ex.faultCounts();
    const c = p.feed.health().counters;
    const r = restFeed.health().counters;
    const report = {
      ws_drop: [injected.ws_drop, "reconnects", c.reconnects],
      ws_seq_gap: [injected.ws_seq_gap, "gaps", c.gaps],
      ws_duplicate: [
        injected.ws_duplicate,
        "duplicates+duplicateTrades",
        c.duplicates + c.duplicateTrades,
      ],
      ws_out_of_order: [injected.ws_out_of_order, "outOfOrder", c.outOfOrder],
      http_429: [injected.http_429, "http429 (ws feed + rest feed)", c.http429 + r.http429],
      http_5xx: [injected.http_5xx, "http5xx", c.http5xx + r.http5xx],
      http_slow: [injected.http_slow, "restTimeouts", c.restTimeouts + r.restTimeouts],
      clock_skew: [
        injected.clock_skew,
        "clockSkewDetected",
        c.clockSkewDetected + r.clockSkewDetected,
      ],
    };
    console.log("fault soak: kind: [injected, feed counter, noticed]");
    for (const [k, v] of Object.entries(report)) console.log(`  ${k}: ${JSON.stringify(v)}`);
    console.log(
      `  ws feed: resyncs ${c.resyncs}, resyncRequests ${c.resyncRequests}, sessions ${c.sessions}, restSnapshots ${c.restSnapshots}, restTrades ${c.restTrades}, tradeCatchUps ${c.tradeCatchUps}, restRetries ${c.restRetries}, restFailures ${c.restFailures}, clampedTs ${c.clampedTs}`,
    );
    console.log(
      `  rest feed: polls ${r.restPolls}, requests ${r.restRequests}, retries ${r.restRetries}, failures ${r.restFailures}, pollFailures ${r.restPollFailures}, snapshots ${r.restSnapshots}, trades ${r.restTrades}`,
    );

    // Every kind was injected, more than once.
    for (const [k, n] of Object.entries(injected)) assert.ok(n >= 2, `${k} injected ${n} times`);
    // What the feed noticed never exceeds what was injected, and it noticed each kind.
    assert.ok(c.reconnects >= injected.ws_drop, "every drop led to a reconnect");
    assert.ok(c.gaps >= 1 && c.resyncs >= 1);
    // A gap is a lost seq, or a swap read as a gap before the late message arrives.
    assert.ok(c.gaps <= injected.ws_seq_gap + injected.ws_out_of_order);
    assert.ok(c.duplicates + c.duplicateTrades >= 1);
    assert.ok(c.duplicates + c.duplicateTrades <= injected.ws_duplicate);
    assert.ok(c.outOfOrder >= 1 && c.outOfOrder <= injected.ws_out_of_order);
    const within = (seen: number, n: number) => seen >= 1 && seen <= n;
    assert.ok(within(c.http429 + r.http429, injected.http_429));
    assert.ok(within(c.http5xx + r.http5xx, injected.http_5xx));
    assert.ok(within(c.restTimeouts + r.restTimeouts, injected.http_slow));
    assert.ok(within(c.clockSkewDetected + r.clockSkewDetected, injected.clock_skew));
    assert.equal(c.serverErrors, 0);
    assert.equal(c.undeclaredDropped, 0);

    // It converged: books equal the exchange's, every trade once, a valid tape.
    const books = replayBooks(p.events);
    for (const m of markets) assert.ok(books.get(m)!.equals(p.ex.player.markets.get(m)!.book), m);
    assert.deepEqual(trades(p.events), trades(tape));
    for (const evs of [p.events, restEvents]) {
      const text = evs.map(formatEventLine).join("\n");
      assert.equal([...parseNdjsonText(text, "soak")].length, evs.length);
    }
    const restBooks = replayBooks(restEvents);
    for (const m of markets) {
      assert.ok(restBooks.get(m)!.equals(p.ex.player.markets.get(m)!.book), m);
    }
    assert.deepEqual(trades(restEvents), trades(tape));
  } finally {
    await restFeed.close();
    await restConsumer;
    await p.close();
  }
});
