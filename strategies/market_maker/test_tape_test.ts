import assert from "node:assert/strict";
import type { Side, TapeEvent } from "../../lib/tape/events.ts";
import { formatEventLine } from "../../lib/tape/ndjson_writer.ts";
import { parseNdjsonText } from "../../lib/tape/ndjson_reader.ts";
import { generateMakerTestTape, testMarketTicker } from "./test_tape.ts";

function lines(events: readonly TapeEvent[]): string {
  return events.map(formatEventLine).join("\n");
}

Deno.test("test tape: deterministic per seed, passes the strict reader", () => {
  const a = generateMakerTestTape({ seed: 3, hours: 0.5 });
  const b = generateMakerTestTape({ seed: 3, hours: 0.5 });
  const c = generateMakerTestTape({ seed: 4, hours: 0.5 });
  assert.equal(lines(a), lines(b));
  assert.notEqual(lines(a), lines(c));
  const back = [...parseNdjsonText(lines(a), "mm_test", { strict: true })];
  assert.equal(back.length, a.length);
  for (let i = 1; i < a.length; i++) assert.ok(a[i].ts >= a[i - 1].ts);
});

Deno.test("test tape: books stay uncrossed, trades hit both sides at the touch", () => {
  const tape = generateMakerTestTape({ seed: 5, hours: 1 });
  const books = new Map<string, Record<Side, Map<number, number>>>();
  const takers: Record<Side, number> = { yes: 0, no: 0 };
  const bestOf = (m: Map<number, number>) => Math.max(0, ...m.keys());
  let lastTrade: TapeEvent | undefined;
  for (const e of tape) {
    if (e.kind === "book_snapshot") {
      books.set(e.market, {
        yes: new Map(e.yesPrices.map((p, i) => [p, e.yesSizes[i]])),
        no: new Map(e.noPrices.map((p, i) => [p, e.noSizes[i]])),
      });
    } else if (e.kind === "book_delta") {
      const side = books.get(e.market)![e.side];
      const size = (side.get(e.price) ?? 0) + e.delta;
      assert.ok(size >= 0, "no negative size");
      if (size === 0) side.delete(e.price);
      else side.set(e.price, size);
      const bk = books.get(e.market)!;
      assert.ok(bestOf(bk.yes) + bestOf(bk.no) < 10_000, `uncrossed at ${e.ts}`);
      if (lastTrade?.kind === "trade" && lastTrade.ts === e.ts) {
        assert.equal(e.delta, -lastTrade.count, "the trade's size is removed next");
      }
    } else if (e.kind === "trade") {
      const bk = books.get(e.market)!;
      const hit = e.takerSide === "yes" ? bk.no : bk.yes;
      const bid = e.takerSide === "yes" ? 10_000 - e.price : e.price;
      assert.equal(bid, bestOf(hit), "trades at the touch");
      assert.ok(e.count <= hit.get(bid)!);
      takers[e.takerSide]++;
    }
    lastTrade = e;
  }
  assert.ok(takers.yes > 50 && takers.no > 50, JSON.stringify(takers));
});

Deno.test("test tape: the LOW and HIGH markets reach the hard-extreme bands", () => {
  const tape = generateMakerTestTape({ seed: 1 });
  const last = new Map<string, number>();
  for (const e of tape) {
    if (e.kind === "trade") last.set(e.market, e.price);
  }
  assert.ok(last.get(testMarketTicker("LOW"))! <= 600);
  assert.ok(last.get(testMarketTicker("HIGH"))! >= 9400);
  const settled = tape.filter((e) => e.kind === "settlement");
  assert.equal(settled.length, 3);
  const series = tape.find((e) => e.kind === "series");
  assert.equal(series?.kind === "series" && series.feeType, "quadratic_with_maker_fees");
});

Deno.test("test tape: bad options are rejected with the value", () => {
  assert.throws(() => generateMakerTestTape({ seed: 1.5 }), /seed must be an integer/);
  assert.throws(() => generateMakerTestTape({ seed: 1, hours: 0 }), /hours must be in/);
  assert.throws(() => generateMakerTestTape({ seed: 1, requoteMs: 10 }), /requoteMs/);
  assert.throws(() => generateMakerTestTape({ seed: 1, tradeMeanMs: 1 }), /tradeMeanMs/);
  assert.throws(() => generateMakerTestTape({ seed: 1, levels: 0 }), /levels/);
  assert.throws(() => generateMakerTestTape({ seed: 1, markets: [] }), /at least one market/);
  assert.throws(
    () =>
      generateMakerTestTape({
        seed: 1,
        markets: [{ name: "A", startProb: 0, endProb: 0.5, logitVolPerSqrtHour: 0 }],
      }),
    /probabilities of A must be in \(0, 1\), current value is 0/,
  );
  assert.throws(
    () =>
      generateMakerTestTape({
        seed: 1,
        markets: [
          { name: "A", startProb: 0.5, endProb: 0.5, logitVolPerSqrtHour: 0 },
          { name: "A", startProb: 0.5, endProb: 0.5, logitVolPerSqrtHour: 0 },
        ],
      }),
    /distinct/,
  );
});
