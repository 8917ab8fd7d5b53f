import assert from "node:assert/strict";
import { L2Book } from "./book.ts";
import { fillTaker } from "./taker_fill.ts";

function book(): L2Book {
  const b = new L2Book("M");
  b.applySnapshot({
    kind: "book_snapshot",
    ts: 0,
    market: "M",
    seq: 1,
    yesPrices: [4500, 4400],
    yesSizes: [1000, 2000],
    noPrices: [5300, 5200, 5000],
    noSizes: [500, 700, 900],
  });
  return b;
}

Deno.test("buying YES walks NO bids from the best, up to the limit", () => {
  const b = book();
  // YES asks: 4700 (500), 4800 (700), 5000 (900)
  const fills = fillTaker(b, "yes", 4800, 1500);
  assert.deepEqual(fills, [{ price: 4700, count: 500 }, { price: 4800, count: 700 }]);
});

Deno.test("buying NO walks YES bids (NO price = 1 - YES bid)", () => {
  const b = book();
  const fills = fillTaker(b, "no", 5600, 2500);
  assert.deepEqual(fills, [{ price: 5500, count: 1000 }, { price: 5600, count: 1500 }]);
});

Deno.test("one unit of liquidity never fills two orders", () => {
  const b = book();
  const first = fillTaker(b, "yes", 4700, 400);
  const second = fillTaker(b, "yes", 4700, 400);
  const third = fillTaker(b, "yes", 4700, 400);
  const total = [...first, ...second, ...third].reduce((s, f) => s + f.count, 0);
  assert.equal(total, 500); // the level only ever showed 500
  assert.deepEqual(third, []);
});

Deno.test("an invalid book fills nothing; bad orders are RangeErrors", () => {
  const b = new L2Book("M");
  assert.deepEqual(fillTaker(b, "yes", 5000, 100), []);
  assert.throws(() => fillTaker(book(), "yes", 0, 100), RangeError);
  assert.throws(() => fillTaker(book(), "yes", 10000, 100), RangeError);
  assert.throws(() => fillTaker(book(), "yes", 5000, 0), RangeError);
  assert.throws(() => fillTaker(book(), "yes", 5000.5, 100), RangeError);
});
