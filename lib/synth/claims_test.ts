import assert from "node:assert/strict";
import {
  claimsSynthHistory,
  claimsTapeName,
  generateClaimsTape,
  synthClaimsReleaseTs,
} from "./claims.ts";
import { checkLadderTape } from "./test_checks.ts";
import { dayNumber, weekdayOf } from "../time/eastern.ts";

Deno.test("generateClaimsTape: a valid, deterministic tape of weekly 'at least N' ladders", () => {
  const tape = generateClaimsTape({ seed: 1, historyWeeks: 20, eventWeeks: 3 });
  const s = checkLadderTape(tape);
  assert.equal(s.events.length, 3);
  assert.match(s.events[0].event, /^KXJOBLESSCLAIMS-21MAY\d\d$/);
  const ms = [...s.markets.values()];
  assert.ok(ms.every((m) => m.strikeType === "greater_or_equal" && m.floorStrike! % 5000 === 0));
  for (const m of ms) {
    const v = s.settlements.get(m.market)!.expirationValue!;
    assert.equal(v % 1000, 0, "prints are whole thousands");
    assert.equal(
      s.settlements.get(m.market)!.result,
      v >= m.floorStrike! ? "yes" : "no",
      "at least N",
    );
  }
  assert.deepEqual(generateClaimsTape({ seed: 1, historyWeeks: 20, eventWeeks: 3 }), tape);
  assert.equal(claimsTapeName(2), "synthetic_claims_seed2.ndjson");
});

Deno.test("claimsSynthHistory: Thursday releases, seasonality in the prints", () => {
  const h = claimsSynthHistory({
    seed: 2,
    historyWeeks: 520,
    eventWeeks: 0,
    alpha: 0,
    scale: 0.01,
    a1: 0.15,
    b1: 0,
  });
  assert.equal(h.prints[0].ts, synthClaimsReleaseTs(dayNumber(2021, 1, 2)));
  for (const w of h.weeks) assert.equal(weekdayOf(w), 6);
  // With a flat level, winter weeks (cos > 0.9) are ~30% above summer weeks (cos < -0.9).
  let winter = 0, nw = 0, summer = 0, ns = 0;
  for (let i = 0; i < h.weeks.length; i++) {
    const c = Math.cos((2 * Math.PI * h.weeks[i]) / 365.2425);
    if (c > 0.9) (winter += Math.log(h.prints[i].value), nw++);
    if (c < -0.9) (summer += Math.log(h.prints[i].value), ns++);
  }
  assert.ok(Math.abs(winter / nw - summer / ns - 0.3) < 0.02);
});

Deno.test("generateClaimsTape rejects bad options", () => {
  for (
    const o of [{ seed: 1, startWeek: dayNumber(2021, 1, 1) }, { seed: 1, alpha: 2 }, {
      seed: 1,
      eventWeeks: -1,
    }, { seed: 1, startLevel: 0 }]
  ) {
    assert.throws(
      () => generateClaimsTape(o),
      /Cannot generate synthetic claims data/,
      JSON.stringify(o),
    );
  }
});
