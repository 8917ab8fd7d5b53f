import assert from "node:assert/strict";
import type { MarketEvent, Side, StrikeType } from "../tape/events.ts";
import {
  binGridRanges,
  binOfValue,
  buildLadder,
  checkPartition,
  LadderError,
  outcomeBinFromResults,
} from "./ladder.ts";
import { formatInterval, type Interval, marketInterval } from "./interval.ts";
import { testEvent as event, testMarket } from "./test_fixtures.ts";

const mk = (
  ev: string,
  suffix: string,
  type: StrikeType,
  s: { floor?: number; cap?: number } = {},
) =>
  testMarket(ev, suffix, type, {
    ...(s.floor === undefined ? {} : { floorStrike: s.floor }),
    ...(s.cap === undefined ? {} : { capStrike: s.cap }),
  });

const WX = "KXHIGHNY-25NOV24";
const BTC = "KXBTCD-26FEB0620";

/** KXHIGHNY-like: (..44], [45,46], [47,48], ..., [55,56], [57..) in whole degrees. */
function weatherMarkets(): MarketEvent[] {
  const ms = [
    mk(WX, "T45", "less", { cap: 45 }),
    mk(WX, "T56", "greater", { floor: 56 }),
  ];
  for (let lo = 45; lo <= 55; lo += 2) {
    ms.push(mk(WX, `B${lo + 0.5}`, "between", { floor: lo, cap: lo + 1 }));
  }
  return ms;
}

function btcMarkets(strikes: number[]): MarketEvent[] {
  return strikes.map((k) => mk(BTC, `T${k}`, "greater", { floor: k }));
}

const iv = (lo: number, loInclusive: boolean, hi: number, hiInclusive: boolean): Interval => ({
  lo,
  loInclusive,
  hi,
  hiInclusive,
});

Deno.test("buildLadder: whole-degree weather ladder with tails partitions with outcomeStep 1", () => {
  // Input order shuffled: the ladder orders by interval.
  const ms = weatherMarkets().reverse();
  const ladder = buildLadder(event(WX, true, 1), ms);
  assert.equal(ladder.event, WX);
  assert.equal(ladder.series, "KXHIGHNY");
  assert.equal(ladder.mutuallyExclusive, true);
  assert.equal(ladder.outcomeStep, 1);
  assert.deepEqual(ladder.markets, [
    `${WX}-T45`,
    `${WX}-B45.5`,
    `${WX}-B47.5`,
    `${WX}-B49.5`,
    `${WX}-B51.5`,
    `${WX}-B53.5`,
    `${WX}-B55.5`,
    `${WX}-T56`,
  ]);
  assert.deepEqual(ladder.bins.map(formatInterval), [
    "(-inf, 45)",
    "[45, 46]",
    "[47, 48]",
    "[49, 50]",
    "[51, 52]",
    "[53, 54]",
    "[55, 56]",
    "(56, +inf)",
  ]);
  assert.deepEqual([...ladder.binStart], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...ladder.binEnd], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(ladder.marketIndex.get(`${WX}-B47.5`), 2);
  const grid = binGridRanges(ladder);
  assert.deepEqual([grid.first[0], grid.last[0]], [-Infinity, 44]);
  assert.deepEqual([grid.first[7], grid.last[7]], [57, Infinity]);
});

Deno.test("buildLadder: the same bins on a continuous line have gaps", () => {
  const problems = checkPartition(
    weatherMarkets().map((m) => ({ market: m.market, interval: marketInterval(m) })),
  );
  // (46, 47), (48, 49), ..., (54, 55) uncovered; the tails meet their neighbours.
  assert.equal(problems.length, 5);
  assert.ok(problems.every((p) => p.kind === "gap"));
  assert.deepEqual(problems[0].between, [`${WX}-B45.5`, `${WX}-B47.5`]);
});

Deno.test("buildLadder: a gap is reported with both markets and the event", () => {
  const ms = weatherMarkets().filter((m) => m.market !== `${WX}-B49.5`);
  assert.throws(
    () => buildLadder(event(WX, true, 1), ms),
    (e: unknown) => {
      assert.ok(e instanceof LadderError);
      assert.equal(e.event, WX);
      assert.equal(e.problems.length, 1);
      assert.equal(e.problems[0].kind, "gap");
      assert.deepEqual(e.problems[0].between, [`${WX}-B47.5`, `${WX}-B51.5`]);
      assert.match(e.problems[0].detail, /49\.\.50/);
      assert.ok(
        e.message.startsWith(
          `Cannot build ladder for ${WX}: gap between ${WX}-B47.5 and ${WX}-B51.5`,
        ),
        e.message,
      );
      return true;
    },
  );
});

Deno.test("buildLadder: an overlap and missing tails are all reported", () => {
  const ms = weatherMarkets()
    .filter((m) => m.strikeType === "between")
    .concat([mk(WX, "B46.5", "between", { floor: 46, cap: 47 })]);
  assert.throws(
    () => buildLadder(event(WX, true, 1), ms),
    (e: unknown) => {
      assert.ok(e instanceof LadderError);
      const kinds = e.problems.map((p) => p.kind);
      assert.deepEqual(kinds, ["open_low", "overlap", "overlap", "open_high"]);
      assert.deepEqual(e.problems[0].between, [`${WX}-B45.5`]);
      assert.deepEqual(e.problems[1].between, [`${WX}-B45.5`, `${WX}-B46.5`]);
      assert.deepEqual(e.problems[2].between, [`${WX}-B46.5`, `${WX}-B47.5`]);
      assert.deepEqual(e.problems[3].between, [`${WX}-B55.5`]);
      assert.match(e.message, new RegExp(`^Cannot build ladder for ${WX}: no lower tail`));
      assert.match(
        e.message,
        /overlap between KXHIGHNY-25NOV24-B45\.5 and KXHIGHNY-25NOV24-B46\.5/,
      );
      return true;
    },
  );
});

Deno.test("checkPartition: continuous line, meeting points and nesting", () => {
  const ok = checkPartition([
    { market: "A", interval: iv(-Infinity, false, 1, false) },
    { market: "B", interval: iv(1, true, 2, true) },
    { market: "C", interval: iv(2, false, Infinity, false) },
  ]);
  assert.deepEqual(ok, []);
  // Point bucket in the middle.
  assert.deepEqual(
    checkPartition([
      { market: "A", interval: iv(-Infinity, false, 1, false) },
      { market: "P", interval: iv(1, true, 1, true) },
      { market: "C", interval: iv(1, false, Infinity, false) },
    ]),
    [],
  );
  // Both include the meeting point: overlap; neither: gap.
  const both = checkPartition([
    { market: "A", interval: iv(-Infinity, false, 1, true) },
    { market: "B", interval: iv(1, true, Infinity, false) },
  ]);
  assert.equal(both.length, 1);
  assert.equal(both[0].kind, "overlap");
  assert.deepEqual(both[0].between, ["A", "B"]);
  const neither = checkPartition([
    { market: "A", interval: iv(-Infinity, false, 1, false) },
    { market: "B", interval: iv(1, false, Infinity, false) },
  ]);
  assert.equal(neither.length, 1);
  assert.equal(neither[0].kind, "gap");
  assert.match(neither[0].detail, /the point 1/);
  // A nested interval overlaps the one containing it; the sweep continues past it.
  const nested = checkPartition([
    { market: "A", interval: iv(-Infinity, false, 10, false) },
    { market: "N", interval: iv(2, true, 3, true) },
    { market: "C", interval: iv(10, true, Infinity, false) },
  ]);
  assert.deepEqual(nested.map((p) => [p.kind, ...p.between]), [["overlap", "A", "N"]]);
  // Empty input.
  assert.equal(checkPartition([])[0].kind, "gap");
});

Deno.test("checkPartition: discrete grid of 0.1 (CPI-like)", () => {
  const items = [
    { market: "LOW", interval: iv(-Infinity, false, 0.1, true) },
    { market: "B0.2", interval: iv(0.2, true, 0.2, true) },
    { market: "B0.3", interval: iv(0.3, true, 0.3, true) },
    { market: "HIGH", interval: iv(0.3, false, Infinity, false) },
  ];
  assert.deepEqual(checkPartition(items, 0.1), []);
  const gap = checkPartition(items.filter((x) => x.market !== "B0.2"), 0.1);
  assert.equal(gap.length, 1);
  assert.equal(gap[0].kind, "gap");
  assert.match(gap[0].detail, /0\.2\.\.0\.2/);
  assert.throws(() => checkPartition(items, -1), RangeError);
});

Deno.test("buildLadder: KXBTCD-like threshold ladder builds elementary bins", () => {
  const strikes = [73249.99, 72999.99, 73749.99, 73499.99];
  const ladder = buildLadder(event(BTC, false), btcMarkets(strikes));
  assert.deepEqual(ladder.markets, [
    `${BTC}-T72999.99`,
    `${BTC}-T73249.99`,
    `${BTC}-T73499.99`,
    `${BTC}-T73749.99`,
  ]);
  assert.deepEqual(ladder.bins.map(formatInterval), [
    "(-inf, 72999.99]",
    "(72999.99, 73249.99]",
    "(73249.99, 73499.99]",
    "(73499.99, 73749.99]",
    "(73749.99, +inf)",
  ]);
  assert.deepEqual([...ladder.binStart], [1, 2, 3, 4]);
  assert.deepEqual([...ladder.binEnd], [5, 5, 5, 5]);
  assert.deepEqual(
    checkPartition(ladder.bins.map((b, i) => ({ market: `${i}`, interval: b }))),
    [],
  );
  assert.equal(binOfValue(ladder, 72999.99), 0);
  assert.equal(binOfValue(ladder, 73000), 1);
  assert.equal(binOfValue(ladder, 73249.99), 1);
  assert.equal(binOfValue(ladder, 1e6), 4);
  assert.equal(binOfValue(ladder, NaN), -1);
  // Deterministic: the same ladder from any input order.
  const again = buildLadder(event(BTC, false), btcMarkets([...strikes].reverse()));
  assert.deepEqual(again.markets, ladder.markets);
  assert.deepEqual(again.bins, ladder.bins);
});

Deno.test("buildLadder: mixed inclusivity at one strike makes a point bin", () => {
  const ev = "KXINXU-25NOV24H1600";
  const ladder = buildLadder(event(ev, false), [
    mk(ev, "ABOVE", "greater", { floor: 6800 }),
    mk(ev, "ATLEAST", "greater_or_equal", { floor: 6800 }),
    mk(ev, "BELOW", "less", { cap: 6700 }),
  ]);
  assert.deepEqual(ladder.bins.map(formatInterval), [
    "(-inf, 6700)",
    "[6700, 6800)",
    "[6800, 6800]",
    "(6800, +inf)",
  ]);
  assert.deepEqual(ladder.markets, [`${ev}-BELOW`, `${ev}-ATLEAST`, `${ev}-ABOVE`]);
  assert.deepEqual([...ladder.binStart], [0, 2, 3]);
  assert.deepEqual([...ladder.binEnd], [1, 4, 4]);
  assert.equal(binOfValue(ladder, 6800), 2);
  assert.equal(binOfValue(ladder, 6700), 1);
});

Deno.test("buildLadder: discrete threshold ladder with an unreachable bin", () => {
  const ev = "KXJOBLESSCLAIMS-25NOV24";
  const ladder = buildLadder(event(ev, false, 1), [
    mk(ev, "A", "greater", { floor: 45 }),
    mk(ev, "B", "greater_or_equal", { floor: 46 }),
  ]);
  assert.deepEqual(ladder.bins.map(formatInterval), ["(-inf, 45]", "(45, 46)", "[46, +inf)"]);
  const grid = binGridRanges(ladder);
  assert.ok(grid.first[1] > grid.last[1]);
  assert.equal(binOfValue(ladder, 45.6), 2);
  assert.equal(binOfValue(ladder, 45.4), 0);
  const res = (a: Side, b: Side) => new Map<string, Side>([[`${ev}-A`, a], [`${ev}-B`, b]]);
  assert.equal(outcomeBinFromResults(ladder, res("yes", "yes")), 2);
  assert.equal(outcomeBinFromResults(ladder, res("no", "no")), 0);
  // Only the unreachable bin is consistent: no outcome.
  assert.equal(outcomeBinFromResults(ladder, res("yes", "no")), -1);
});

Deno.test("binOfValue: weather ladder rounds to whole degrees", () => {
  const ladder = buildLadder(event(WX, true, 1), weatherMarkets());
  assert.equal(binOfValue(ladder, 44), 0);
  assert.equal(binOfValue(ladder, 44.4), 0);
  assert.equal(binOfValue(ladder, 44.6), 1);
  assert.equal(binOfValue(ladder, 46.4), 1);
  assert.equal(binOfValue(ladder, 47), 2);
  assert.equal(binOfValue(ladder, 56.49), 6);
  assert.equal(binOfValue(ladder, 57), 7);
  assert.equal(binOfValue(ladder, -40), 0);
  assert.equal(binOfValue(ladder, NaN), -1);
});

Deno.test("outcomeBinFromResults: exclusive ladder", () => {
  const ladder = buildLadder(event(WX, true, 1), weatherMarkets());
  const all = (yes: string | null) =>
    new Map<string, Side>(ladder.markets.map((m) => [m, m === yes ? "yes" : "no"]));
  assert.equal(outcomeBinFromResults(ladder, all(`${WX}-B49.5`)), 3);
  assert.equal(outcomeBinFromResults(ladder, all(`${WX}-T56`)), 7);
  assert.equal(outcomeBinFromResults(ladder, all(null)), -1);
  const two = all(`${WX}-B49.5`);
  two.set(`${WX}-B51.5`, "yes");
  assert.equal(outcomeBinFromResults(ladder, two), -1);
  const incomplete = all(`${WX}-B49.5`);
  incomplete.delete(`${WX}-T45`);
  assert.equal(outcomeBinFromResults(ladder, incomplete), -1);
  // Extra entries for other markets are ignored.
  const extra = all(`${WX}-B49.5`);
  extra.set("OTHER", "yes");
  assert.equal(outcomeBinFromResults(ladder, extra), 3);
});

Deno.test("outcomeBinFromResults: threshold ladder", () => {
  const ladder = buildLadder(event(BTC, false), btcMarkets([72999.99, 73249.99, 73499.99]));
  const res = (...r: Side[]) => new Map<string, Side>(ladder.markets.map((m, i) => [m, r[i]]));
  assert.equal(outcomeBinFromResults(ladder, res("no", "no", "no")), 0);
  assert.equal(outcomeBinFromResults(ladder, res("yes", "no", "no")), 1);
  assert.equal(outcomeBinFromResults(ladder, res("yes", "yes", "no")), 2);
  assert.equal(outcomeBinFromResults(ladder, res("yes", "yes", "yes")), 3);
  // Inconsistent: above the higher strike but not above the lower one.
  assert.equal(outcomeBinFromResults(ladder, res("no", "yes", "no")), -1);
});

Deno.test("buildLadder: invalid input is a RangeError naming the event", () => {
  assert.throws(
    () => buildLadder(event(WX, true, 1), []),
    /Cannot build ladder for KXHIGHNY-25NOV24: no markets/,
  );
  assert.throws(
    () =>
      buildLadder(event(WX, true, 1), [
        ...weatherMarkets(),
        mk(BTC, "T1", "greater", { floor: 1 }),
      ]),
    (e: unknown) => e instanceof RangeError && e.message.includes(`${BTC}-T1`),
  );
  assert.throws(
    () => buildLadder(event(WX, true, 1), [...weatherMarkets(), weatherMarkets()[0]]),
    /appears twice/,
  );
  assert.throws(() => buildLadder(event(WX, true, 0), weatherMarkets()), RangeError);
  assert.throws(
    () => buildLadder(event(BTC, false), [mk(BTC, "BAD", "greater")]),
    (e: unknown) =>
      e instanceof RangeError && e.message.includes(`${BTC}-BAD`) &&
      e.message.includes("floorStrike"),
  );
});
