import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import { L2Book } from "./book.ts";
import { fillTaker } from "./taker_fill.ts";
import type { BookDeltaEvent, BookSnapshotEvent } from "../tape/events.ts";

const snap = (seq: number, yes: [number, number][], no: [number, number][]): BookSnapshotEvent => ({
  kind: "book_snapshot",
  ts: 1000,
  market: "M",
  seq,
  yesPrices: yes.map((l) => l[0]),
  yesSizes: yes.map((l) => l[1]),
  noPrices: no.map((l) => l[0]),
  noSizes: no.map((l) => l[1]),
});
const delta = (seq: number, side: "yes" | "no", price: number, d: number): BookDeltaEvent => ({
  kind: "book_delta",
  ts: 2000,
  market: "M",
  seq,
  side,
  price,
  delta: d,
});

/** Quotes with unknown sizes (the book assumes its own) on `book`. */
const quoteOn = (book: L2Book) => (yesBid: number, yesAsk: number) =>
  book.applyQuote({
    kind: "quote",
    ts: 1,
    market: "M",
    yesBid,
    yesAsk,
    yesBidSize: 0,
    yesAskSize: 0,
  });

Deno.test("snapshot sets best bid and ask (YES ask = 1 - best NO bid)", () => {
  const b = new L2Book("M");
  assert.equal(b.valid, false);
  assert.equal(b.applySnapshot(snap(1, [[4500, 1000], [4400, 500]], [[5300, 800]])), "ok");
  assert.equal(b.valid, true);
  assert.equal(b.bestYesBid, 4500);
  assert.equal(b.bestYesAsk, 4700);
  assert.equal(b.bestYesBidSize, 1000);
  assert.equal(b.bestYesAskSize, 800);
});

Deno.test("deltas move the touch up and down", () => {
  const b = new L2Book("M");
  b.applySnapshot(snap(1, [[4500, 1000], [4400, 500]], [[5300, 800]]));
  assert.equal(b.applyDelta(delta(2, "yes", 4600, 300)), "ok");
  assert.equal(b.bestYesBid, 4600);
  assert.equal(b.applyDelta(delta(3, "yes", 4600, -300)), "ok");
  assert.equal(b.bestYesBid, 4500);
  assert.equal(b.applyDelta(delta(4, "yes", 4500, -1000)), "ok");
  assert.equal(b.bestYesBid, 4400);
  assert.equal(b.applyDelta(delta(5, "no", 5300, -800)), "ok");
  assert.equal(b.bestYesAsk, 10000);
});

Deno.test("a seq gap invalidates the book until the next snapshot", () => {
  const b = new L2Book("M");
  b.applySnapshot(snap(1, [[4500, 1000]], [[5300, 800]]));
  assert.equal(b.applyDelta(delta(3, "yes", 4500, -100)), "gap");
  assert.equal(b.valid, false);
  assert.equal(b.applyDelta(delta(4, "yes", 4500, -100)), "ignored");
  b.applySnapshot(snap(10, [[4500, 1000]], [[5300, 800]]));
  assert.equal(b.valid, true);
  assert.equal(b.applyDelta(delta(11, "yes", 4500, -100)), "ok");
  assert.equal(b.bestYesBidSize, 900);
});

Deno.test("negative sizes and crossed books are reported", () => {
  const b = new L2Book("M");
  b.applySnapshot(snap(1, [[4500, 100]], [[5300, 800]]));
  assert.equal(b.applyDelta(delta(2, "yes", 4500, -200)), "negative");
  const c = new L2Book("M");
  c.applySnapshot(snap(1, [[4500, 100]], [[5300, 800]]));
  assert.equal(c.applyDelta(delta(2, "yes", 4800, 100)), "crossed");
  assert.equal(new L2Book("M").applySnapshot(snap(1, [[5000, 1]], [[5000, 1]])), "crossed");
});

Deno.test("consumed liquidity is hidden until the recorded level shrinks by it", () => {
  const b = new L2Book("M");
  b.applySnapshot(snap(1, [[4500, 1000]], [[5300, 800]]));
  b.consume("no", 5300, 800);
  assert.equal(b.available("no", 5300), 0);
  assert.equal(b.bestYesAsk, 10000); // the only NO level is used up
  b.applyDelta(delta(2, "no", 5300, -300)); // others took 300: our 800 shrinks to 500
  assert.equal(b.available("no", 5300), 0);
  b.applyDelta(delta(3, "no", 5300, 600)); // new liquidity arrives
  assert.equal(b.available("no", 5300), 600);
});

Deno.test("quotes make a degraded top-of-book with assumed sizes", () => {
  const b = new L2Book("M", 500);
  b.applyQuote({
    kind: "quote",
    ts: 5,
    market: "M",
    yesBid: 4000,
    yesAsk: 4300,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  assert.equal(b.degraded, true);
  assert.equal(b.bestYesBid, 4000);
  assert.equal(b.bestYesAsk, 4300);
  assert.equal(b.bestYesAskSize, 500);
  b.applyQuote({
    kind: "quote",
    ts: 6,
    market: "M",
    yesBid: 4100,
    yesAsk: 4200,
    yesBidSize: 700,
    yesAskSize: 900,
  });
  assert.equal(b.bestYesBid, 4100);
  assert.equal(b.yes[4000], 0);
  assert.equal(b.bestYesAskSize, 900);
});

Deno.test("best levels stay right over random deltas (bitmap search vs a brute-force scan)", () => {
  const rng = new Prng(11);
  const book = new L2Book("M");
  book.applySnapshot({
    kind: "book_snapshot",
    ts: 0,
    market: "M",
    seq: 0,
    yesPrices: [],
    yesSizes: [],
    noPrices: [],
    noSizes: [],
  });
  const brute = (sizes: Int32Array) => {
    for (let p = 10_000; p > 0; p--) if (sizes[p] > 0) return p;
    return 0;
  };
  const live: { side: "yes" | "no"; price: number }[] = [];
  for (let seq = 1; seq <= 20_000; seq++) {
    const add = live.length === 0 || rng.next() < 0.5;
    let side: "yes" | "no";
    let price: number;
    let delta: number;
    if (add) {
      side = rng.next() < 0.5 ? "yes" : "no";
      // Keep the book uncrossed: YES bids below 50c, NO bids at or below 50c.
      price = 1 + rng.int(side === "yes" ? 4_999 : 5_000);
      delta = 100 * (1 + rng.int(5));
      live.push({ side, price });
    } else {
      const i = rng.int(live.length);
      ({ side, price } = live[i]);
      live.splice(i, 1);
      delta = -(side === "yes" ? book.yes[price] : book.no[price]);
      if (delta === 0) continue;
      // Another entry may share the level: remove them all with it.
      for (let j = live.length - 1; j >= 0; j--) {
        if (live[j].side === side && live[j].price === price) live.splice(j, 1);
      }
    }
    assert.equal(
      book.applyDelta({ kind: "book_delta", ts: seq, market: "M", seq, side, price, delta }),
      "ok",
    );
    assert.equal(book.bestYesBid, brute(book.yes), `yes after ${seq}`);
    assert.equal(book.bestYesAsk, 10_000 - brute(book.no), `no after ${seq}`);
  }
});

Deno.test("a delta after quotes finds the next level (the bitmap is rebuilt from the sizes)", () => {
  const book = new L2Book("M", 500);
  const q = quoteOn(book);
  q(4000, 4200);
  q(4100, 4300);
  // A delta after quotes (mixed data): emptying the YES bid leaves no YES level.
  assert.equal(
    book.applyDelta({
      kind: "book_delta",
      ts: 2,
      market: "M",
      seq: 1,
      side: "yes",
      price: 4100,
      delta: -500,
    }),
    "ok",
  );
  assert.equal(book.bestYesBid, 0);
  assert.equal(book.bestYesAsk, 4300);
});

Deno.test("quote levels written on first read equal quotes written on arrival, over random mixed updates", () => {
  // `eager` has its arrays read after every update (each quote is written as it
  // arrives); `lazy` is read only now and then; `fields` is never read through
  // its arrays (only sizeAt, levelBelow, depth and the best levels, which a clean
  // book answers from its quote's fields). All must show the same book whenever
  // `lazy` is read, through quotes, snapshots, deltas and taken liquidity.
  const rng = new Prng(29);
  const eager = new L2Book("M", 300);
  const lazy = new L2Book("M", 300);
  const fields = new L2Book("M", 300);
  let fieldChecks = 0;
  let quotes = 0;
  let deltasOk = 0;
  let depthChecks = 0;
  const same = (step: number) => {
    assert.deepEqual(lazy.yes, eager.yes, `yes sizes at step ${step}`);
    assert.deepEqual(lazy.no, eager.no, `no sizes at step ${step}`);
    for (const k of ["bestYesBid", "bestYesAsk", "bestYesBidSize", "bestYesAskSize"] as const) {
      assert.equal(lazy[k], eager[k], `${k} at step ${step}`);
      assert.equal(fields[k], eager[k], `fields ${k} at step ${step}`);
    }
    // `fields` against `eager`'s arrays: sizes and available size at every
    // level, the walk down each side, and depth over windows from each level.
    for (const side of ["yes", "no"] as const) {
      const sizes = side === "yes" ? eager.yes : eager.no;
      let walk = 10_000;
      for (let p = 9_999; p > 0; p--) {
        assert.equal(fields.sizeAt(side, p), sizes[p], `fields ${side} size at ${p}, step ${step}`);
        if (sizes[p] === 0) continue;
        assert.equal(fields.available(side, p), eager.available(side, p), `available ${p}`);
        assert.equal(
          fields.levelBelow(side, walk),
          p,
          `fields ${side} below ${walk}, step ${step}`,
        );
        walk = p;
      }
      assert.equal(fields.levelBelow(side, walk), 0, `fields ${side}: no level below ${walk}`);
      for (const top of [0, 1, 99, 2_501, 4_001, 6_001, 10_000]) {
        for (const window of [0, 100, 500, 10_000]) {
          let sum = 0;
          for (let p = top; p >= Math.max(1, top - window); p--) sum += sizes[p];
          assert.equal(fields.depth(side, top, window), sum, `depth ${side} ${top} ${window}`);
          assert.equal(eager.depth(side, top, window), sum, `eager depth ${side} ${top} ${window}`);
        }
      }
    }
    fieldChecks++;
    // The best prices net of taken liquidity of a full-depth (snapshot and
    // delta) book, against their definition: the highest level whose available
    // size is positive, by a scan of every tick.
    const highestAvailable = (b: L2Book, side: "yes" | "no") => {
      for (let p = 10_000; p > 0; p--) if (b.available(side, p) > 0) return p;
      return 0;
    };
    for (const b of [eager, lazy]) {
      if (!b.valid || b.degraded) continue;
      depthChecks++;
      assert.equal(b.bestYesBid, highestAvailable(b, "yes"), `bestYesBid by scan at step ${step}`);
      assert.equal(
        b.bestYesAsk,
        10_000 - highestAvailable(b, "no"),
        `bestYesAsk by scan at step ${step}`,
      );
    }
  };

  for (let step = 0; step < 20_000; step++) {
    const u = rng.next();
    const results: string[] = [];
    for (const b of [eager, lazy, fields]) {
      // The same draws for every book (levels on a coarse grid, so they collide often).
      const r = new Prng(step + 1_000);
      if (u < 0.75) {
        const bid = r.next() < 0.1 ? 0 : 1 + r.int(60) * 100;
        const ask = r.next() < 0.1 ? 10_000 : Math.max(bid + 100, 1 + r.int(99) * 100);
        const sizes = [r.next() < 0.2 ? 0 : 100 * r.int(9), r.next() < 0.2 ? 0 : 100 * r.int(9)];
        results.push(b.applyQuote({
          kind: "quote",
          ts: step,
          market: "M",
          yesBid: bid,
          yesAsk: Math.min(ask, 10_000),
          yesBidSize: sizes[0],
          yesAskSize: sizes[1],
        }));
      } else if (u < 0.8) {
        results.push(
          b.applySnapshot(
            snap(100 * step, [[1 + r.int(40) * 100, 500]], [[1 + r.int(40) * 100, 700]]),
          ),
        );
      } else if (u < 0.95) {
        const side = r.next() < 0.5 ? "yes" : "no";
        const p = 1 + r.int(60) * 100;
        const have = b === fields ? b.sizeAt(side, p) : side === "yes" ? b.yes[p] : b.no[p];
        const d = r.next() < 0.5 && have > 0 ? -have : 100 * (1 + r.int(3));
        const s = r.next() < 0.9 ? b.seq + 1 : b.seq + 2;
        results.push(
          b.applyDelta({
            kind: "book_delta",
            ts: step,
            market: "M",
            seq: s,
            side,
            price: p,
            delta: d,
          }),
        );
      } else {
        const side = r.next() < 0.5 ? "yes" : "no";
        const best = side === "yes" ? b.bestYesBid : 10_000 - b.bestYesAsk;
        if (best > 0 && best < 10_000) {
          // Half the time the whole level, so levels below become the best.
          const all = r.next() < 0.5;
          b.consume(
            side,
            best,
            all ? b.available(side, best) : Math.min(100, b.available(side, best)),
          );
        }
        results.push("consume");
      }
    }
    assert.equal(results[1], results[0], `update result at step ${step}`);
    assert.equal(results[2], results[0], `fields update result at step ${step}`);
    if (u < 0.75) quotes++;
    else if (u >= 0.8 && u < 0.95 && results[0] === "ok") deltasOk++;
    // Read the eager book after every update; the lazy one one time in eight.
    void eager.yes;
    if (rng.next() < 0.125 || step === 19_999) same(step);
  }
  assert.ok(quotes > 10_000 && deltasOk > 100, `mix: ${quotes} quotes, ${deltasOk} deltas applied`);
  assert.ok(depthChecks > 100, `full-depth books checked by scan: ${depthChecks}`);
  assert.ok(fieldChecks > 2_000, `books read through fields checked: ${fieldChecks}`);
});

Deno.test("a quote after deltas on a quote book writes through, leaving other delta levels as before", () => {
  const b = new L2Book("M", 500);
  const quote = quoteOn(b);
  quote(4000, 4200);
  assert.equal(b.applyDelta(delta(1, "yes", 3900, 200)), "ok");
  quote(4100, 4300);
  quote(4050, 4300);
  // 3900 came from the delta and no quote replaced it; 4000 and 4100 were replaced.
  assert.equal(b.yes[3900], 200);
  assert.equal(b.yes[4000], 0);
  assert.equal(b.yes[4100], 0);
  assert.equal(b.yes[4050], 500);
  assert.equal(b.no[5700], 500);
});

Deno.test("a quote-only book whose touch was taken shows no level below it", () => {
  const b = new L2Book("M", 500);
  const quote = quoteOn(b);
  quote(4000, 4300); // sizes 500 each (quoteOn's assumed size)
  b.consume("no", 5700, 200);
  assert.equal(b.bestYesAsk, 4300, "part of the ask taken: the level stays");
  b.consume("no", 5700, b.available("no", 5700));
  assert.equal(b.bestYesAsk, 10_000, "the whole ask taken: no NO bid left");
  assert.equal(b.bestYesAskSize, 0);
  assert.equal(b.bestYesBid, 4000, "the bid side is untouched");
  b.consume("yes", 4000, b.available("yes", 4000));
  assert.equal(b.bestYesBid, 0);
  quote(4100, 4200); // a new quote is new liquidity
  assert.equal(b.bestYesBid, 4100);
  assert.equal(b.bestYesAsk, 4200);
});

Deno.test("a full-depth book whose best levels were taken shows the next level with size", () => {
  const b = new L2Book("M");
  b.applySnapshot(snap(1, [[4500, 1000], [4400, 500], [4000, 200]], [[5300, 800]]));
  b.consume("yes", 4500, 1000);
  assert.equal(b.bestYesBid, 4400);
  b.consume("yes", 4400, 500);
  assert.equal(b.bestYesBid, 4000);
  assert.equal(b.bestYesBidSize, 200);
  b.consume("yes", 4000, 200);
  assert.equal(b.bestYesBid, 0);
  b.applyDelta(delta(2, "yes", 4200, 300)); // new liquidity between the taken levels
  assert.equal(b.bestYesBid, 4200);
});

Deno.test("a quote-only book answers sizes, depth, levels and fills without allocating its arrays", () => {
  const b = new L2Book("M"); // no assumed size: a quote's unknown size stays 0
  b.applyQuote({
    kind: "quote",
    ts: 1,
    market: "M",
    yesBid: 4000,
    yesAsk: 4300,
    yesBidSize: 700,
    yesAskSize: 0,
  });
  assert.equal(b.sizeAt("yes", 4000), 700);
  assert.equal(b.sizeAt("no", 5700), 0, "a level of unknown size holds nothing");
  assert.equal(b.levelBelow("yes", 10_000), 4000);
  assert.equal(b.levelBelow("yes", 4000), 0);
  assert.equal(b.levelBelow("no", 10_000), 0, "an empty level is not a level");
  assert.equal(b.depth("yes", 4000, 500), 700);
  assert.equal(b.depth("yes", 4600, 500), 0, "the level is outside the window");
  assert.equal(b.depth("no", 5700, 500), 0);
  assert.deepEqual(fillTaker(b, "no", 6100, 1000), [{ price: 6000, count: 700 }]);
  assert.deepEqual(fillTaker(b, "yes", 9000, 100), []);
  assert.equal(b.allocated, false);
  assert.equal(b.yes[4000], 700, "reading the arrays writes the quote");
  assert.equal(b.allocated, true);
});

Deno.test("books start without arrays; snapshots and deltas allocate them, and writes stay per book", () => {
  const a = new L2Book("A");
  const b = new L2Book("B");
  assert.equal(a.allocated, false);
  assert.equal(a.sizeAt("yes", 4000), 0);
  a.applySnapshot(snap(1, [[4000, 100]], [[5000, 200]]));
  assert.equal(a.allocated, true);
  assert.equal(b.allocated, false, "another book is untouched");
  assert.equal(b.sizeAt("yes", 4000), 0);
  assert.equal(b.yes[4000], 0);
  assert.equal(new L2Book("C").sizeAt("no", 5000), 0);
});
