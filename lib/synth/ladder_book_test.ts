import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { simulateLadderMarket } from "./ladder_book.ts";

function run(makerYes: number, trueYes: number, seed = 1) {
  const out: TapeEvent[] = [];
  simulateLadderMarket(
    { market: "M", openTs: 0, closeTs: 50 * 3_600_000 },
    { makerYes: () => makerYes, trueYes: () => trueYes },
    new Prng(seed),
    new Prng(seed + 100),
    { push: (e) => out.push(e) },
    { requoteMeanMs: 600_000, tradeMeanMs: 900_000 },
  );
  return out;
}

Deno.test("simulateLadderMarket: a valid book around the maker's price; takers lean on the truth", () => {
  const ev = run(0.4, 0.7);
  assert.equal(ev[0].kind, "book_snapshot");
  // Replay the book and check it is never crossed nor negative.
  const book = { yes: new Map<number, number>(), no: new Map<number, number>() };
  let seq = 0;
  let yesTakers = 0;
  let trades = 0;
  for (const e of ev) {
    if (e.kind === "book_snapshot") {
      e.yesPrices.forEach((p, i) => book.yes.set(p, e.yesSizes[i]));
      e.noPrices.forEach((p, i) => book.no.set(p, e.noSizes[i]));
      seq = e.seq;
    } else if (e.kind === "book_delta") {
      assert.equal(e.seq, ++seq);
      const size = (book[e.side].get(e.price) ?? 0) + e.delta;
      assert.ok(size >= 0);
      if (size === 0) book[e.side].delete(e.price);
      else book[e.side].set(e.price, size);
      const bestYes = Math.max(0, ...book.yes.keys());
      const bestNo = Math.max(0, ...book.no.keys());
      assert.ok(bestYes + bestNo < 10_000, "never crossed");
      if (bestYes > 0) assert.ok(bestYes >= 3500 && bestYes <= 4000, `bid ${bestYes}`);
    } else if (e.kind === "trade") {
      trades++;
      if (e.takerSide === "yes") yesTakers++;
      assert.ok(e.count > 0 && e.count % 100 === 0);
    }
  }
  assert.ok(trades > 100);
  assert.ok(yesTakers / trades > 0.7, "true 0.7 vs maker 0.4: takers buy YES");
  assert.deepEqual(run(0.4, 0.7), ev, "deterministic");
});

Deno.test("simulateLadderMarket rejects bad inputs", () => {
  const sink = { push: () => {} };
  const probs = { makerYes: () => 0.5, trueYes: () => 0.5 };
  assert.throws(
    () =>
      simulateLadderMarket(
        { market: "M", openTs: 5, closeTs: 5 },
        probs,
        new Prng(1),
        new Prng(2),
        sink,
        { requoteMeanMs: 10, tradeMeanMs: 10 },
      ),
    /Cannot simulate market M: closeTs must be after openTs, current value is 5/,
  );
  assert.throws(
    () =>
      simulateLadderMarket(
        { market: "M", openTs: 0, closeTs: 5 },
        probs,
        new Prng(1),
        new Prng(2),
        sink,
        { requoteMeanMs: 0, tradeMeanMs: 10 },
      ),
    /requoteMeanMs must be finite and >= 1, current value is 0/,
  );
});
