import assert from "node:assert/strict";
import { gasSynthHistory, gasTapeName, generateGasTape } from "./gas.ts";
import { checkLadderTape } from "./test_checks.ts";

Deno.test("generateGasTape: a valid, deterministic tape of daily 'strictly greater' ladders", () => {
  const tape = generateGasTape({ seed: 1, historyDays: 30, eventDays: 4 });
  const s = checkLadderTape(tape);
  assert.equal(s.events.length, 4);
  const ms = [...s.markets.values()];
  assert.ok(
    ms.every((m) =>
      m.strikeType === "greater" && /^KXAAAGASD-\d\d[A-Z]{3}\d\d-T\d\.\d\d$/.test(m.market)
    ),
  );
  for (const m of ms) {
    const st = s.settlements.get(m.market)!;
    assert.equal(
      st.result,
      st.expirationValue! > m.floorStrike! ? "yes" : "no",
      "strictly greater",
    );
  }
  assert.deepEqual(generateGasTape({ seed: 1, historyDays: 30, eventDays: 4 }), tape);
  assert.equal(gasTapeName(9), "synthetic_gas_seed9.ndjson");
});

Deno.test("gasSynthHistory: momentum makes daily changes autocorrelated; prices to $0.001", () => {
  const ac1 = (beta: number) => {
    const h = gasSynthHistory({ seed: 3, historyDays: 4000, eventDays: 0, beta });
    const d: number[] = [];
    for (let i = 1; i < h.prices.length; i++) {
      d.push(Math.log(h.prices[i].value / h.prices[i - 1].value));
    }
    for (const p of h.prices) {
      assert.ok(Math.abs(p.value * 1000 - Math.round(p.value * 1000)) < 1e-6);
    }
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    let num = 0, den = 0;
    for (let i = 0; i < d.length; i++) {
      den += (d[i] - m) ** 2;
      if (i > 0) num += (d[i] - m) * (d[i - 1] - m);
    }
    return num / den;
  };
  assert.ok(ac1(0.7) > 0.1, "positive autocorrelation with momentum");
  assert.ok(Math.abs(ac1(0)) < 0.06, "none without");
});

Deno.test("generateGasTape rejects bad options", () => {
  for (
    const o of [{ seed: 1, beta: 1 }, { seed: 1, momentumDays: 0 }, { seed: 1, start: 0 }, {
      seed: 1,
      historyDays: 0,
    }]
  ) {
    assert.throws(
      () => generateGasTape(o),
      /Cannot generate synthetic gas data/,
      JSON.stringify(o),
    );
  }
});
