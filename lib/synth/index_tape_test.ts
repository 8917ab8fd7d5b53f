import assert from "node:assert/strict";
import { easternParts, weekdayOf } from "../time/eastern.ts";
import { checkLadderTape } from "./test_checks.ts";
import {
  generateIndexTape,
  indexSynthSessions,
  indexTapeName,
  NDX_SYMBOL,
  SPX_SYMBOL,
  syntheticSigmaTod,
} from "./index_tape.ts";

Deno.test("generateIndexTape: a valid, deterministic tape of hourly and close ladders", () => {
  const o = { seed: 1, historyDays: 2, eventDays: 1, nasdaq: true, binsEachSide: 3 };
  const tape = generateIndexTape(o);
  const s = checkLadderTape(tape);
  const names = s.events.map((e) => e.event);
  assert.equal(names.length, 18, "7 ranges + 2 above/below, for each index");
  const spx = names.filter((n) => n.startsWith("KXINX-"));
  assert.deepEqual(
    spx.map((n) => n.slice(-5)).sort(),
    ["H1000", "H1100", "H1200", "H1300", "H1400", "H1500", "H1600"],
  );
  assert.deepEqual(names.filter((n) => n.startsWith("KXINXU-")).map((n) => n.slice(-5)), [
    "H1200",
    "H1600",
  ]);
  assert.ok(names.some((n) => n.startsWith("KXNASDAQ100-")));
  for (const ev of s.events) {
    const ms = [...s.markets.values()].filter((m) => m.event === ev.event);
    assert.equal(ev.outcomeStep, 0.01);
    if (ev.mutuallyExclusive) {
      assert.equal(ms.length, 8, "6 ranges and 2 tails");
      assert.equal(ms.filter((m) => s.settlements.get(m.market)!.result === "yes").length, 1);
    } else assert.equal(ms.length, 5);
    // Markets close at their target (a top of the hour ET), and settle on the level then.
    const close = ms[0].closeTs;
    const p = easternParts(close);
    assert.equal(p.minute, 0);
    assert.equal(`H${p.hour}00`, ev.event.slice(-5));
    const sym = ev.series.startsWith("KXNASDAQ") ? NDX_SYMBOL : SPX_SYMBOL;
    const level = s.underlying.find((u) => u.symbol === sym && u.ts === close)!;
    assert.equal(s.settlements.get(ms[0].market)!.expirationValue, level.value);
  }
  // Ranges are [k, k + 24.99] on the S&P 500 and [k, k + 99.99] on the Nasdaq-100.
  const b = [...s.markets.values()].find((m) =>
    m.market.includes("KXINX-") && m.strikeType === "between"
  )!;
  assert.equal(Number((b.capStrike! - b.floorStrike!).toFixed(2)), 24.99);
  const n = [...s.markets.values()].find((m) =>
    m.market.startsWith("KXNASDAQ100-") && m.strikeType === "between"
  )!;
  assert.equal(Number((n.capStrike! - n.floorStrike!).toFixed(2)), 99.99);
  // 391 levels a session and index; fee multiplier 0.5.
  assert.equal(s.underlying.filter((u) => u.symbol === SPX_SYMBOL).length, 3 * 391);
  assert.equal(s.underlying.filter((u) => u.symbol === NDX_SYMBOL).length, 3 * 391);
  for (const e of tape) if (e.kind === "series") assert.equal(e.feeMultiplier, 5_000);
  assert.deepEqual(generateIndexTape(o), tape);
  assert.equal(indexTapeName(3), "synthetic_index_seed3.ndjson");
});

Deno.test("syntheticSigmaTod: U-shaped, summing to the daily variance", () => {
  const v = syntheticSigmaTod({ dailyVol: 0.012 });
  assert.equal(v.length, 390);
  assert.ok(Math.abs(v.reduce((a, b) => a + b, 0) - 0.012 ** 2) < 1e-18);
  assert.ok(v[0] > 5 * v[200] && v[389] > 2 * v[200]);
  const flat = syntheticSigmaTod({ openBoost: 0, closeBoost: 0 });
  assert.ok(flat.every((x) => Math.abs(x - 1e-4 / 390) < 1e-18));
});

Deno.test("indexSynthSessions: weekdays only, cents, realized variance near the curve", () => {
  const ss = indexSynthSessions({ seed: 2, historyDays: 60, eventDays: 0 });
  assert.equal(ss.length, 60);
  for (const s of ss) {
    const w = weekdayOf(s.day);
    assert.ok(w >= 1 && w <= 5);
    assert.equal(s.levels.length, 391);
    assert.equal(easternParts(s.ts[0]).hour, 9);
    assert.equal(easternParts(s.ts[0]).minute, 30);
    for (const x of s.levels) assert.ok(Math.abs(x * 100 - Math.round(x * 100)) < 1e-6);
  }
  let rv = 0;
  for (const s of ss) {
    for (let m = 1; m <= 390; m++) rv += Math.log(s.levels[m] / s.levels[m - 1]) ** 2;
  }
  // 60 sessions of 1% daily vol: realized daily variance within 10% of 1e-4.
  assert.ok(Math.abs(rv / 60 / 1e-4 - 1) < 0.1, `realized ${rv / 60}`);
  // Fat tails on request: the same total variance.
  const t = indexSynthSessions({ seed: 2, historyDays: 60, eventDays: 0, df: 4 });
  assert.equal(t.length, 60);
});

Deno.test("generateIndexTape rejects bad options", () => {
  const bad: object[] = [
    { seed: 1.5 },
    { seed: 1, historyDays: 0, eventDays: 0 },
    { seed: 1, dailyVol: 0 },
    { seed: 1, df: 2 },
    { seed: 1, openDecay: 0 },
    { seed: 1, gapSd: -1 },
    { seed: 1, spxStart: 0 },
    { seed: 1, binsEachSide: 0 },
  ];
  for (const o of bad) {
    assert.throws(
      () => generateIndexTape(o as { seed: number }),
      /^RangeError: Cannot generate synthetic index data: .*, current value is/,
      JSON.stringify(o),
    );
  }
});
