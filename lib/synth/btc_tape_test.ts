import assert from "node:assert/strict";
import type { BookDeltaEvent, MarketEvent, TapeEvent } from "../tape/events.ts";
import {
  defaultTapeName,
  generateBtcTape,
  SYNTHETIC_LABEL,
  type SynthOptions,
} from "./btc_tape.ts";

const cache = new Map<number, TapeEvent[]>();
function tape(seed: number): TapeEvent[] {
  let t = cache.get(seed);
  if (!t) {
    t = generateBtcTape({ seed });
    cache.set(seed, t);
  }
  return t;
}

async function digest(events: TapeEvent[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(events));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function markets(events: TapeEvent[]): MarketEvent[] {
  return events.filter((e): e is MarketEvent => e.kind === "market");
}

/** YES interval in integer cents, inclusive, from the metadata (independent of lib/synth). */
function interval(m: MarketEvent): [number, number] {
  const f = m.floorStrike === undefined ? NaN : Math.round(m.floorStrike * 100);
  const c = m.capStrike === undefined ? NaN : Math.round(m.capStrike * 100);
  switch (m.strikeType) {
    case "greater":
      return [f + 1, Infinity];
    case "greater_or_equal":
      return [f, Infinity];
    case "less":
      return [-Infinity, c - 1];
    case "less_or_equal":
      return [-Infinity, c];
    case "between":
      return [f, c];
  }
}

Deno.test("generateBtcTape: same seed gives identical events, another seed differs", async () => {
  const a = await digest(tape(1));
  assert.equal(await digest(generateBtcTape({ seed: 1 })), a);
  assert.notEqual(await digest(tape(2)), a);
});

Deno.test("generateBtcTape: golden digest of a 1-hour tape (update on intended changes)", async () => {
  const d = await digest(generateBtcTape({ seed: 7, hours: 1 }));
  assert.equal(d, GOLDEN_SEED7_1H);
});

Deno.test("generateBtcTape: labels, name and generation time", () => {
  assert.equal(SYNTHETIC_LABEL, "SYNTHETIC");
  assert.equal(defaultTapeName(42), "synthetic_btc_seed42.ndjson");
  const t0 = performance.now();
  generateBtcTape({ seed: 3 });
  const ms = performance.now() - t0;
  assert.ok(ms < 3000, `generation took ${ms} ms`);
});

Deno.test("generateBtcTape: rejects bad options", () => {
  const bad: SynthOptions[] = [
    { seed: 1.5 },
    { seed: 1, hours: 0 },
    { seed: 1, hours: 1.5 },
    { seed: 1, tickMs: 7000 },
    { seed: 1, startTs: Date.UTC(2026, 0, 5, 14, 30) },
    { seed: 1, annualVol: 0 },
    { seed: 1, startPrice: Number.NaN },
    { seed: 1, requoteMeanMs: 0 },
  ];
  for (const o of bad) assert.throws(() => generateBtcTape(o), RangeError, JSON.stringify(o));
});

Deno.test("generateBtcTape: counts per kind are sane for the default 6 hours", () => {
  const events = tape(1);
  const c: Record<string, number> = {};
  for (const e of events) c[e.kind] = (c[e.kind] ?? 0) + 1;
  assert.equal(c.series, 3);
  assert.equal(c.event, 6 * 2 + 24);
  assert.equal(c.market, 6 * (9 + 10) + 24);
  assert.equal(c.book_snapshot, c.market);
  assert.equal(c.lifecycle, 3 * c.market);
  assert.equal(c.settlement, c.market);
  assert.equal(c.underlying, 6 * 720 + 1);
  assert.equal(c.quote, undefined);
  assert.ok(c.trade > 1500 && c.trade < 15000, `trades ${c.trade}`);
  assert.ok(c.book_delta > 50_000 && c.book_delta < 240_000, `deltas ${c.book_delta}`);
  assert.ok(events.length >= 100_000 && events.length <= 250_000, `total ${events.length}`);
});

Deno.test("generateBtcTape: ts non-decreasing, integer; ties in class order", () => {
  const events = tape(1);
  const rank = (e: TapeEvent, prev: TapeEvent | undefined): number => {
    switch (e.kind) {
      case "series":
      case "event":
      case "market":
        return 0;
      case "underlying":
        return 1;
      case "book_snapshot":
        return 2;
      case "book_delta":
        // The delta that removes a trade's size follows the trade.
        return prev?.kind === "trade" && prev.market === e.market && prev.ts === e.ts ? 3 : 2;
      case "trade":
        return 3;
      default:
        return 4;
    }
  };
  let prevRank = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    assert.ok(Number.isInteger(e.ts));
    const r = rank(e, events[i - 1]);
    if (i > 0) {
      const p = events[i - 1];
      assert.ok(e.ts >= p.ts, `ts decreases at ${i}`);
      if (e.ts === p.ts) assert.ok(r >= prevRank, `tie order at ${i}: ${p.kind} then ${e.kind}`);
    }
    prevRank = r;
  }
});

Deno.test("generateBtcTape: seq, books never crossed, no negative sizes, trades at the touch", () => {
  const events = tape(1);
  const meta = new Map(markets(events).map((m) => [m.market, m]));
  const books = new Map<string, { yes: Map<number, number>; no: Map<number, number> }>();
  const seqs = new Map<string, number>();
  const best = (m: Map<number, number>) => Math.max(0, ...m.keys());
  const closed = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === "lifecycle" && e.status === "closed") closed.add(e.market);
    if (e.kind === "book_snapshot") {
      assert.ok(meta.has(e.market));
      assert.equal(seqs.has(e.market), false);
      assert.equal(e.seq, 1);
      seqs.set(e.market, 1);
      assert.ok(e.yesPrices.length <= 3 && e.noPrices.length <= 3);
      const book = {
        yes: new Map(e.yesPrices.map((p, k) => [p, e.yesSizes[k]])),
        no: new Map(e.noPrices.map((p, k) => [p, e.noSizes[k]])),
      };
      for (const [p, s] of [...book.yes, ...book.no]) {
        assert.ok(p >= 100 && p <= 9900 && p % 100 === 0 && s > 0 && s % 100 === 0);
      }
      books.set(e.market, book);
    } else if (e.kind === "book_delta") {
      assert.equal(closed.has(e.market), false);
      assert.equal(e.seq, seqs.get(e.market)! + 1, `seq gap at ${e.market}`);
      seqs.set(e.market, e.seq);
      assert.ok(e.price >= 100 && e.price <= 9900 && e.price % 100 === 0);
      assert.ok(e.delta !== 0 && e.delta % 100 === 0);
      const side = books.get(e.market)![e.side];
      const size = (side.get(e.price) ?? 0) + e.delta;
      assert.ok(size >= 0, `negative size at ${i}`);
      if (size === 0) side.delete(e.price);
      else side.set(e.price, size);
    } else if (e.kind === "trade") {
      const book = books.get(e.market)!;
      const next = events[i + 1] as BookDeltaEvent;
      assert.equal(next.kind, "book_delta");
      assert.equal(next.market, e.market);
      assert.equal(next.ts, e.ts);
      assert.equal(next.delta, -e.count);
      assert.ok(e.count >= 100 && e.count <= 5000 && e.count % 100 === 0);
      if (e.takerSide === "yes") {
        assert.equal(next.side, "no");
        assert.equal(next.price, best(book.no));
        assert.equal(e.price, 10_000 - best(book.no));
      } else {
        assert.equal(next.side, "yes");
        assert.equal(next.price, best(book.yes));
        assert.equal(e.price, best(book.yes));
      }
    } else continue;
    const book = books.get(e.market)!;
    assert.ok(best(book.yes) + best(book.no) < 10_000, `crossed book at ${i}`);
  }
  assert.equal(books.size, meta.size);
});

Deno.test("generateBtcTape: KXBTC ladders partition the line at 0.01, one bin settles yes", () => {
  const events = tape(1);
  const byEvent = new Map<string, MarketEvent[]>();
  for (const m of markets(events)) {
    if (!m.event.startsWith("KXBTC-")) continue;
    byEvent.set(m.event, [...(byEvent.get(m.event) ?? []), m]);
  }
  assert.equal(byEvent.size, 6);
  const results = new Map<string, string>();
  for (const e of events) if (e.kind === "settlement") results.set(e.market, e.result);
  for (const [event, ms] of byEvent) {
    assert.equal(ms.length, 10);
    const iv = ms.map(interval).sort((a, b) => a[0] - b[0]);
    assert.equal(iv[0][0], -Infinity, event);
    assert.equal(iv[iv.length - 1][1], Infinity, event);
    for (let k = 1; k < iv.length; k++) assert.equal(iv[k][0], iv[k - 1][1] + 1, event);
    const yes = ms.filter((m) => results.get(m.market) === "yes");
    assert.equal(yes.length, 1, event);
  }
});

Deno.test("generateBtcTape: settlements match the 60 s average and the YES intervals", () => {
  const events = tape(1);
  const ticks = events.filter((e) => e.kind === "underlying");
  const meta = new Map(markets(events).map((m) => [m.market, m]));
  const kxbtcd = new Map<string, [number, string][]>();
  for (const e of events) {
    if (e.kind !== "settlement") continue;
    const m = meta.get(e.market)!;
    assert.equal(e.ts, m.closeTs + 30_000);
    const w = ticks.filter((t) => t.ts > m.closeTs - 60_000 && t.ts <= m.closeTs);
    assert.equal(w.length, 12);
    const sumCents = w.reduce((s, t) => s + Math.round(t.value * 100), 0);
    const avg = Math.round(sumCents / w.length) / 100;
    assert.equal(e.expirationValue, avg);
    const [lo, hi] = interval(m);
    const cents = Math.round(avg * 100);
    assert.equal(e.result, cents >= lo && cents <= hi ? "yes" : "no", e.market);
    if (m.event.startsWith("KXBTCD-")) {
      kxbtcd.set(m.event, [...(kxbtcd.get(m.event) ?? []), [m.floorStrike!, e.result]]);
    }
  }
  assert.equal(kxbtcd.size, 6);
  for (const [event, rs] of kxbtcd) {
    assert.equal(rs.length, 9);
    rs.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < rs.length; k++) {
      assert.ok(!(rs[k][1] === "yes" && rs[k - 1][1] === "no"), `not monotone in ${event}`);
      assert.equal(Math.round((rs[k][0] - rs[k - 1][0]) * 100), 25_000);
    }
  }
});

Deno.test("generateBtcTape: metadata shapes and lifecycle order", () => {
  const events = tape(1);
  const ms = markets(events);
  const d = ms.find((m) => m.market === "KXBTCD-26JAN0510-T94999.99");
  assert.ok(d, "first KXBTCD ticker carries the ET close hour");
  assert.equal(d.openTs, Date.UTC(2026, 0, 5, 14));
  assert.equal(d.closeTs, Date.UTC(2026, 0, 5, 15));
  for (const m of ms) {
    assert.equal(m.priceStep, 100);
    assert.equal(m.ts, m.openTs);
    if (m.event.startsWith("KXBTC15M-")) {
      assert.equal(m.strikeType, "greater_or_equal");
      assert.equal(m.closeTs - m.openTs, 900_000);
    } else assert.equal(m.closeTs - m.openTs, 3_600_000);
  }
  const evs = events.filter((e) => e.kind === "event");
  assert.ok(evs.every((e) => e.mutuallyExclusive === e.event.startsWith("KXBTC-")));
  const status = new Map<string, string[]>();
  for (const e of events) {
    if (e.kind === "lifecycle") status.set(e.market, [...(status.get(e.market) ?? []), e.status]);
  }
  for (const s of status.values()) assert.deepEqual(s, ["open", "closed", "determined"]);
  const series = events.filter((e) => e.kind === "series");
  assert.deepEqual(series.map((s) => s.series), ["KXBTCD", "KXBTC", "KXBTC15M"]);
  assert.ok(series.every((s) => s.feeType === "quadratic" && s.feeMultiplier === 10_000));
});

const GOLDEN_SEED7_1H = "11e9eade92f5056d77c959a14b4319c8b7a6a4c73b407a842f56aa8fd732cb04";
