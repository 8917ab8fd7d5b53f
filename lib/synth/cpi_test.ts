import assert from "node:assert/strict";
import { cpiSynthHistory, cpiTapeName, generateCpiTape, synthCpiReleaseTs } from "./cpi.ts";
import { checkLadderTape } from "./test_checks.ts";
import { monthIndex } from "../time/eastern.ts";

Deno.test("generateCpiTape: a valid, deterministic tape of monthly KXCPI threshold ladders", () => {
  const tape = generateCpiTape({ seed: 1, historyMonths: 24, eventMonths: 3 });
  const s = checkLadderTape(tape);
  assert.deepEqual(s.events.map((e) => e.event), ["KXCPI-18JAN", "KXCPI-18FEB", "KXCPI-18MAR"]);
  for (const e of s.events) {
    assert.equal(e.outcomeStep, 0.1);
    assert.equal(e.mutuallyExclusive, false);
  }
  const ms = [...s.markets.values()];
  assert.equal(ms.length, 21);
  assert.ok(
    ms.every((m) => m.strikeType === "greater" && /^KXCPI-\d\d[A-Z]{3}-T-?\d\.\d$/.test(m.market)),
  );
  // Each event closes a minute before its print and settles on the print rounded to 0.1.
  const prints = s.underlying.filter((u) => u.symbol === "CPI_MOM");
  assert.equal(prints.length, 27);
  assert.equal(s.underlying.filter((u) => u.symbol === "CPI_NOWCAST").length, 27);
  for (const e of s.events) {
    const m = ms.find((x) => x.event === e.event)!;
    const print = prints.find((p) => p.ts === m.closeTs + 60_000)!;
    assert.ok(print !== undefined, `${e.event}: a print at close + 1 minute`);
    assert.equal(s.settlements.get(m.market)!.expirationValue, Math.round(print.value * 10) / 10);
  }
  assert.deepEqual(generateCpiTape({ seed: 1, historyMonths: 24, eventMonths: 3 }), tape);
  assert.notDeepEqual(generateCpiTape({ seed: 2, historyMonths: 24, eventMonths: 3 }), tape);
  assert.equal(cpiTapeName(4), "synthetic_cpi_seed4.ndjson");
});

Deno.test("cpiSynthHistory: release schedule and process", () => {
  const h = cpiSynthHistory({
    seed: 1,
    historyMonths: 600,
    eventMonths: 0,
    scale: 0.12,
    rho: 0.8,
    latentSd: 0.08,
  });
  assert.equal(h.prints[0].ts, synthCpiReleaseTs(monthIndex(2016, 1)));
  assert.equal(h.prints[0].ts, Date.UTC(2016, 1, 15, 13, 30));
  // Nowcast of month M is published between the prints of M-1 and M.
  for (let k = 1; k < h.prints.length; k++) {
    assert.ok(h.nowcasts[k].ts > h.prints[k - 1].ts && h.nowcasts[k].ts < h.prints[k].ts);
  }
  // Print - nowcast has the t scale; prints are 3-decimal numbers.
  let ss = 0;
  for (let k = 0; k < h.prints.length; k++) ss += (h.prints[k].value - h.nowcasts[k].value) ** 2;
  const sd = Math.sqrt(ss / h.prints.length);
  assert.ok(Math.abs(sd / (0.12 * Math.sqrt(5 / 3)) - 1) < 0.2, `sd ${sd}`);
  assert.ok(h.prints.every((p) => Math.abs(p.value * 1000 - Math.round(p.value * 1000)) < 1e-6));
});

Deno.test("generateCpiTape rejects bad options", () => {
  for (
    const o of [{ seed: 1.5 }, { seed: 1, historyMonths: 0 }, { seed: 1, rho: 1 }, {
      seed: 1,
      scale: 0,
    }, { seed: 1, df: 0 }]
  ) {
    assert.throws(
      () => generateCpiTape(o),
      /Cannot generate synthetic CPI data/,
      JSON.stringify(o),
    );
  }
});
