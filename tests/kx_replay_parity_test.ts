/**
 * KX-REPLAY contract tests (bench/KX_REPLAY.md): the workload follows the spec,
 * and the workbench engine and the pandas peer produce identical fills, fees and
 * PnL on the same tape. Needs /usr/bin/python3 with pandas and scipy.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { arrayStream } from "../lib/venue/stream.ts";
import { runInTemp } from "./helpers.ts";
import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { KxReplayStrategy } from "../bench/kx_replay/strategy.ts";
import {
  boundaries,
  EVENT_COUNT,
  eventTicker,
  FOOTER_LINES,
  HEADER_LINES,
  MARKET_COUNT,
  T0,
  workloadEvents,
  writeWorkload,
} from "../bench/kx_replay/workload.ts";
import { compareFills, fillTuple, runPandasPeer } from "../bench/kx_replay/peer.ts";

const OPTS = { seed: 3, events: 200_000 };

Deno.test("KX-REPLAY workload follows the spec", async () => {
  const events = [...workloadEvents(OPTS)];
  assert.equal(events.length, OPTS.events);
  events.forEach((ev, i) => assert.equal(ev.ts, T0 + i, `line ${i}: ts must be T0 + ${i}`));

  // Header: series, 28 events, 200 markets with the ladder boundaries, 200 opens.
  const series = events[0];
  assert.ok(series.kind === "series" && series.feeType === "quadratic");
  assert.equal(series.feeMultiplier, 10000);
  for (let k = 0; k < EVENT_COUNT; k++) {
    const ev = events[1 + k];
    assert.ok(ev.kind === "event" && ev.mutuallyExclusive && ev.outcomeStep === undefined);
    assert.equal(ev.event, eventTicker(k));
  }
  const markets = events.slice(1 + EVENT_COUNT, 1 + EVENT_COUNT + MARKET_COUNT);
  assert.equal(markets.length, 200);
  const perEvent = new Map<string, TapeEvent[]>();
  for (const m of markets) {
    assert.ok(m.kind === "market");
    assert.equal(m.openTs, T0);
    assert.equal(m.closeTs, T0 + OPTS.events);
    assert.equal(m.priceStep, 100);
    perEvent.set(m.event, [...(perEvent.get(m.event) ?? []), m]);
  }
  assert.equal(perEvent.size, 28);
  for (let k = 0; k < EVENT_COUNT; k++) {
    const ms = perEvent.get(eventTicker(k))!;
    const m = k < 4 ? 8 : 7;
    assert.equal(ms.length, m);
    const b = boundaries(m);
    assert.deepEqual(b, m === 8 ? [94, 96, 98, 100, 102, 104, 106] : [95, 97, 99, 101, 103, 105]);
    ms.forEach((x, j) => {
      assert.ok(x.kind === "market");
      if (j === 0) {
        assert.equal(x.market, `${eventTicker(k)}-L`);
        assert.equal(x.strikeType, "less");
        assert.equal(x.capStrike, b[0]);
      } else if (j === m - 1) {
        assert.equal(x.market, `${eventTicker(k)}-G`);
        assert.equal(x.strikeType, "greater_or_equal");
        assert.equal(x.floorStrike, b[m - 2]);
      } else {
        assert.equal(x.market, `${eventTicker(k)}-B${j - 1}`);
        assert.equal(x.strikeType, "between");
        assert.equal(x.floorStrike, b[j - 1]);
        assert.equal(x.capStrike, b[j]);
        assert.equal(x.capInclusive, false);
        assert.equal(x.floorInclusive, undefined); // between: floor inclusive by default
      }
    });
  }
  for (let i = 0; i < MARKET_COUNT; i++) {
    const ev = events[1 + EVENT_COUNT + MARKET_COUNT + i];
    assert.ok(ev.kind === "lifecycle" && ev.status === "open");
  }

  // Body: the mix of kinds, valid quotes, trades at the last quote.
  const body = events.slice(HEADER_LINES, OPTS.events - FOOTER_LINES);
  const n: Record<string, number> = {};
  const lastQuote = new Map<string, { bid: number; ask: number }>();
  for (const ev of body) {
    n[ev.kind] = (n[ev.kind] ?? 0) + 1;
    if (ev.kind === "quote") {
      assert.ok(ev.yesBid >= 100 && ev.yesAsk <= 9900 && ev.yesBid < ev.yesAsk);
      assert.ok(ev.yesAsk - ev.yesBid === 200 || ev.yesAsk - ev.yesBid === 400);
      assert.ok(ev.yesBidSize >= 100 && ev.yesBidSize <= 5000 && ev.yesAskSize <= 5000);
      lastQuote.set(ev.market, { bid: ev.yesBid, ask: ev.yesAsk });
    } else if (ev.kind === "trade") {
      const q = lastQuote.get(ev.market);
      const want = q === undefined ? 5000 : ev.takerSide === "yes" ? q.ask : q.bid;
      assert.equal(ev.price, want);
      assert.ok(ev.count >= 100 && ev.count <= 2000);
    } else if (ev.kind === "underlying") {
      assert.equal(ev.value, Math.round(ev.value * 10000) / 10000);
    } else assert.fail(`unexpected ${ev.kind} in the body`);
  }
  const total = body.length;
  assert.ok(
    Math.abs(n.underlying / total - 0.10) < 0.01,
    `underlying share ${n.underlying / total}`,
  );
  assert.ok(Math.abs(n.quote / total - 0.70) < 0.01, `quote share ${n.quote / total}`);
  assert.ok(Math.abs(n.trade / total - 0.20) < 0.01, `trade share ${n.trade / total}`);

  // Footer: 200 closes, then 200 settlements with exactly one YES per event, the
  // market whose interval holds the expiration value.
  const footer = events.slice(OPTS.events - FOOTER_LINES);
  for (let i = 0; i < MARKET_COUNT; i++) {
    const ev = footer[i];
    assert.ok(ev.kind === "lifecycle" && ev.status === "closed");
  }
  const yesPerEvent = new Map<string, number>();
  const lastValue = new Map<string, number>();
  for (const ev of body) if (ev.kind === "underlying") lastValue.set(ev.symbol, ev.value);
  for (let i = 0; i < MARKET_COUNT; i++) {
    const ev = footer[MARKET_COUNT + i];
    const m = markets[i];
    assert.ok(ev.kind === "settlement" && m.kind === "market");
    assert.equal(ev.market, m.market);
    const k = Number(m.event.slice(-2));
    const v = lastValue.get(`U${m.event.slice(-2)}`) ?? 100;
    assert.equal(ev.expirationValue, v);
    const lo = m.floorStrike ?? -Infinity;
    const hi = m.capStrike ?? Infinity;
    assert.equal(ev.result, v >= lo && v < hi ? "yes" : "no", `${m.market} at ${v}`);
    if (ev.result === "yes") {
      yesPerEvent.set(eventTicker(k), (yesPerEvent.get(eventTicker(k)) ?? 0) + 1);
    }
  }
  assert.equal(yesPerEvent.size, 28);
  for (const c of yesPerEvent.values()) assert.equal(c, 1);

  // The file writer streams exactly the generator's events.
  const dir = await Deno.makeTempDir({ prefix: "kx-workload-" });
  try {
    const path = join(dir, "kx.ndjson");
    const small = { seed: 3, events: 20_000 };
    const w = await writeWorkload(path, small);
    const text = await Deno.readTextFile(path);
    const expected = [...workloadEvents(small)].map((e) => formatEventLine(e) + "\n").join("");
    assert.equal(text, expected);
    assert.equal(w.events, small.events);
    assert.equal(w.bytes, new TextEncoder().encode(expected).length);
    assert.equal(Object.values(w.counts).reduce((a, b) => a + b, 0), small.events);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KX-REPLAY: the engine and the pandas peer produce identical fills, fees and PnL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-replay-" });
  try {
    const tape = join(dir, "kx.ndjson");
    await writeWorkload(tape, OPTS);
    const events = [...workloadEvents(OPTS)];
    const run = await runInTemp(new KxReplayStrategy(), [arrayStream("kx_replay", events)], {
      dir,
      replay: { latencyMs: 0 },
    });
    const r = run.result;
    const peer = await runPandasPeer(tape);

    // Fills: the same list, in order, every field.
    assert.ok(r.fills.length > 100, `only ${r.fills.length} fills: the test could not fail`);
    assert.ok(r.orders.every((o) => o.status === "filled"), "every order fills at latency 0");
    const cmp = compareFills(r.fills, peer.fills!);
    assert.ok(cmp.identical, cmp.firstDifference);
    assert.equal(peer.fills_count, r.fills.length);
    const h = createHash("sha256");
    for (const f of r.fills) h.update(`${fillTuple(f).join(",")}\n`);
    assert.equal(peer.fills_digest, h.digest("hex"));

    // Fees and PnL, per market and in total (ticks).
    const fees = r.fills.reduce((s, f) => s + f.feeTicks, 0);
    assert.equal(peer.fees_total, fees);
    assert.equal(run.scores.trading.feesTicks, fees);
    const ours: Record<string, number> = {};
    for (const s of r.settlements) ours[s.market] = s.pnlTicks;
    assert.equal(Object.keys(ours).length, 200);
    assert.deepEqual(ours, peer.pnl_by_market);
    assert.equal(peer.pnl_total, run.scores.trading.pnlTicks);
    assert.equal(Object.values(ours).reduce((a, b) => a + b, 0), peer.pnl_total);
    assert.ok(Object.values(ours).some((v) => v !== 0));

    // The pd.read_json reader gives the same answer.
    const alt = await runPandasPeer(tape, { reader: "read_json", withFills: false });
    assert.equal(alt.fills_digest, peer.fills_digest);
    assert.equal(alt.fees_total, peer.fees_total);
    assert.equal(alt.pnl_total, peer.pnl_total);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
