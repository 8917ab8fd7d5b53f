import assert from "node:assert/strict";
import { LevelBook } from "./ws_book.ts";

Deno.test("LevelBook: apply, levels best first, best, crossed", () => {
  const b = LevelBook.fromLevels([[5500, 1000], [5400, 2500]], [[4300, 800]]);
  assert.equal(b.apply("yes", 5500, -400), 600);
  assert.equal(b.apply("yes", 5600, 200), 200);
  assert.equal(b.apply("yes", 5400, -2500), 0);
  assert.deepEqual(b.levels("yes"), [[5600, 200], [5500, 600]]);
  assert.equal(b.best("yes"), 5600);
  assert.equal(b.best("no"), 4300);
  assert.equal(b.depth, 3);
  assert.equal(b.isCrossed(), false);
  b.apply("no", 4500, 100);
  assert.equal(b.isCrossed(), true);
  assert.equal(new LevelBook().best("no"), 0);
});

Deno.test("LevelBook: a delta below zero throws and leaves the book unchanged", () => {
  const b = LevelBook.fromLevels([[5500, 100]], []);
  assert.throws(
    () => b.apply("yes", 5500, -101),
    /Cannot apply delta: yes level 5500 would go below zero \(size 100\), current value is -101/,
  );
  assert.equal(b.size("yes", 5500), 100);
  assert.throws(
    () => b.apply("no", 0, 1),
    /price must be an integer of ticks in 1..9999, current value is 0/,
  );
  assert.throws(() => b.apply("no", 5000, 1.5), /not an integer, current value is 1.5/);
});

Deno.test("LevelBook.fromLevels: bad levels are errors", () => {
  assert.throws(
    () => LevelBook.fromLevels([[5500, 1], [5500, 2]], []),
    /duplicate yes level, current value is 5500/,
  );
  assert.throws(() => LevelBook.fromLevels([], [[10000, 1]]), /1..9999, current value is 10000/);
  assert.throws(() => LevelBook.fromLevels([[100, 0]], []), /positive integer, current value is 0/);
});

Deno.test("LevelBook: diff turns one book into another; snapshot round-trip", () => {
  const a = LevelBook.fromLevels([[5500, 1000], [5400, 2500]], [[4300, 800]]);
  const b = LevelBook.fromLevels([[5500, 600], [5300, 100]], [[4300, 800], [4200, 50]]);
  const d = a.diff(b);
  assert.deepEqual(d, [
    { side: "yes", price: 5500, delta: -400 },
    { side: "yes", price: 5400, delta: -2500 },
    { side: "yes", price: 5300, delta: 100 },
    { side: "no", price: 4200, delta: 50 },
  ]);
  const c = a.clone();
  for (const x of d) c.apply(x.side, x.price, x.delta);
  assert.ok(c.equals(b));
  assert.ok(!a.equals(b), "the clone is independent");
  const snap = b.toSnapshot(7, "M", 3);
  assert.deepEqual(snap, {
    kind: "book_snapshot",
    ts: 7,
    market: "M",
    seq: 3,
    yesPrices: [5500, 5300],
    yesSizes: [600, 100],
    noPrices: [4300, 4200],
    noSizes: [800, 50],
  });
  assert.ok(LevelBook.fromSnapshot(snap).equals(b));
});
