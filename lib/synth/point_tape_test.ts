import assert from "node:assert/strict";
import type { PointForecast } from "../pricing/point_pmf.ts";
import {
  assemblePointTape,
  type PointEventSpec,
  strikeText,
  yesProbability,
} from "./point_tape.ts";
import { checkLadderTape } from "./test_checks.ts";
import { buildLadder } from "../market/ladder.ts";
import { testEvent, testMarket } from "../market/test_fixtures.ts";

const T0 = Date.UTC(2026, 0, 5, 14);
const H = 3_600_000;

function spec(
  event: string,
  strikeType: "greater" | "greater_or_equal",
  strikes: number[],
  outcome: number,
  step: number,
  truth: PointForecast,
): PointEventSpec {
  return {
    series: event.split("-")[0],
    event,
    mutuallyExclusive: false,
    outcomeStep: step,
    openTs: T0,
    closeTs: T0 + 4 * H,
    settleTs: T0 + 5 * H,
    markets: strikes.map((k) => ({ market: `${event}-T${k}`, strikeType, floorStrike: k })),
    outcome,
    truth: () => truth,
  };
}

Deno.test("assemblePointTape: settlement semantics at a strike (CPI strict, claims at least, gas strict)", () => {
  const events = [
    spec("KXCPI-25JUL", "greater", [0.1, 0.2, 0.3], 0.2, 0.1, {
      center: 0.2,
      scale: 0.1,
      df: 5,
      log: false,
    }),
    spec("KXJOBLESSCLAIMS-26JAN08", "greater_or_equal", [215000, 220000, 225000], 220000, 1000, {
      center: Math.log(220000),
      scale: 0.03,
      df: 5,
      log: true,
    }),
    spec("KXAAAGASD-26JAN05", "greater", [3.09, 3.1, 3.11], 3.1, 0.001, {
      center: Math.log(3.1),
      scale: 0.003,
      df: 5,
      log: true,
    }),
  ];
  const tape = assemblePointTape({
    seed: 1,
    series: ["KXCPI", "KXJOBLESSCLAIMS", "KXAAAGASD"],
    underlying: [{ ts: T0 - H, symbol: "X", value: 1 }],
    events,
    requoteMeanMs: 600_000,
    tradeMeanMs: 1_200_000,
  });
  const s = checkLadderTape(tape);
  const result = (m: string) => s.settlements.get(m)!.result;
  assert.equal(result("KXCPI-25JUL-T0.2"), "no", "print 0.2: greater than 0.2 is NO");
  assert.equal(result("KXCPI-25JUL-T0.1"), "yes");
  assert.equal(
    result("KXJOBLESSCLAIMS-26JAN08-T220000"),
    "yes",
    "at least 220000 with 220000: YES",
  );
  assert.equal(result("KXJOBLESSCLAIMS-26JAN08-T225000"), "no");
  assert.equal(result("KXAAAGASD-26JAN05-T3.1"), "no", "3.100 is not strictly greater than 3.10");
  assert.equal(result("KXAAAGASD-26JAN05-T3.09"), "yes");
  // Series first, metadata at open, a book snapshot per market, trades, and lifecycle.
  assert.equal(tape[0].kind, "series");
  const kinds = new Set(tape.map((e) => e.kind));
  for (const k of ["book_snapshot", "book_delta", "trade", "lifecycle", "underlying"] as const) {
    assert.ok(kinds.has(k), k);
  }
  // Deterministic.
  const again = assemblePointTape({
    seed: 1,
    series: ["KXCPI", "KXJOBLESSCLAIMS", "KXAAAGASD"],
    underlying: [{ ts: T0 - H, symbol: "X", value: 1 }],
    events,
    requoteMeanMs: 600_000,
    tradeMeanMs: 1_200_000,
  });
  assert.deepEqual(again, tape);
});

Deno.test("assemblePointTape: the maker's mid tracks the truth", () => {
  const ev = spec("KXCPI-25JUL", "greater", [0.2], 0.3, 0.1, {
    center: 0.3,
    scale: 0.1,
    df: Infinity,
    log: false,
  });
  const tape = assemblePointTape({
    seed: 2,
    series: ["KXCPI"],
    underlying: [],
    events: [{ ...ev, closeTs: T0 + 200 * H, settleTs: T0 + 201 * H }],
    requoteMeanMs: 600_000,
    tradeMeanMs: 1e9,
    noise: { centerSd: 0, scaleBiasSd: 0, probSd: 0 },
  });
  // P(report > 0.2) = P(X >= 0.25) = N(0.5) = 0.69: the maker quotes around 69 cents.
  const snap = tape.find((e) => e.kind === "book_snapshot")!;
  assert.ok(snap.kind === "book_snapshot");
  const bid = snap.yesPrices[0];
  const ask = 10_000 - snap.noPrices[0];
  assert.ok(bid <= 6915 && ask >= 6915, `bid ${bid} ask ${ask}`);
});

Deno.test("assemblePointTape rejects bad events; yesProbability and strikeText", () => {
  const ev = spec("KXCPI-25JUL", "greater", [0.2], 0.3, 0.1, {
    center: 0.3,
    scale: 0.1,
    df: 5,
    log: false,
  });
  const base = {
    seed: 1,
    series: ["KXCPI"],
    underlying: [],
    requoteMeanMs: 1000,
    tradeMeanMs: 1000,
  };
  assert.throws(
    () => assemblePointTape({ ...base, events: [{ ...ev, closeTs: ev.openTs }] }),
    /must open < close <= settle/,
  );
  assert.throws(
    () => assemblePointTape({ ...base, events: [{ ...ev, settleTs: ev.closeTs - 1 }] }),
    /must open < close <= settle/,
  );
  assert.throws(
    () => assemblePointTape({ ...base, events: [{ ...ev, outcome: Number.NaN }] }),
    /outcome must be finite, current value is NaN/,
  );
  const l = buildLadder(testEvent("KXCPI-25JUL", false, 0.1), [
    testMarket("KXCPI-25JUL", "T0.2", "greater", { floorStrike: 0.2 }),
  ]);
  assert.ok(
    Math.abs(yesProbability(l, 0, { center: 0.25, scale: 0.1, df: Infinity, log: false }) - 0.5) <
      1e-12,
  );
  assert.equal(strikeText(-0.0001, 1), "0.0");
  assert.equal(strikeText(3.1, 2), "3.10");
  assert.equal(strikeText(-0.1, 1), "-0.1");
});
