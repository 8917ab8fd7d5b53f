import assert from "node:assert/strict";
import { inferSettlements, settleFromFinalOption } from "./final_quote_settlement.ts";
import { ReportBuilder } from "./report.ts";

const E = "KXHIGHNY-25DEC05";
const markets = new Map([[E, [`${E}-T30`, `${E}-B30.5`, `${E}-T31`]]]);
const last = new Map([[E, 1000]]);

Deno.test("settleFromFinalOption reads whole cents 51..99 and names a bad value", () => {
  assert.equal(settleFromFinalOption({}), undefined);
  assert.equal(settleFromFinalOption({ extra: { settle_from_final: "95" } }), 9500);
  assert.throws(() => settleFromFinalOption({ extra: { settle_from_final: "50" } }), /51 to 99/);
  assert.throws(() => settleFromFinalOption({ extra: { settle_from_final: "9.5" } }), /"9.5"/);
});

Deno.test("one market priced YES and the rest priced NO settle the ladder at its last row", () => {
  const b = new ReportBuilder("t", []);
  const finals = new Map([
    [`${E}-T30`, { ts: 900, yesBid: 0, yesAsk: 100 }],
    [`${E}-B30.5`, { ts: 950, yesBid: 9900, yesAsk: 10000 }],
    [`${E}-T31`, { ts: 990, yesBid: 0, yesAsk: 200 }],
  ]);
  const s = inferSettlements(markets, finals, last, 9500, b);
  assert.deepEqual(s.map((x) => [x.ts, x.market, x.result]), [
    [1000, `${E}-B30.5`, "yes"],
    [1000, `${E}-T30`, "no"],
    [1000, `${E}-T31`, "no"],
  ]);
});

Deno.test("an undecided or doubly-YES ladder is left unsettled and reported", () => {
  for (
    const [finals, why] of [
      [new Map([[`${E}-B30.5`, { ts: 1, yesBid: 9900, yesAsk: 10000 }]]), /undecided/],
      [
        new Map([
          [`${E}-T30`, { ts: 1, yesBid: 9600, yesAsk: 10000 }],
          [`${E}-B30.5`, { ts: 1, yesBid: 9900, yesAsk: 10000 }],
          [`${E}-T31`, { ts: 1, yesBid: 0, yesAsk: 100 }],
        ]),
        /2 markets end priced as YES/,
      ],
      [
        new Map([
          [`${E}-T30`, { ts: 1, yesBid: 0, yesAsk: 600 }],
          [`${E}-B30.5`, { ts: 1, yesBid: 9400, yesAsk: 10000 }],
          [`${E}-T31`, { ts: 1, yesBid: 0, yesAsk: 100 }],
        ]),
        /no market's final YES bid/,
      ],
    ] as const
  ) {
    const b = new ReportBuilder("t", []);
    assert.deepEqual(inferSettlements(markets, finals, last, 9500, b), []);
    const r = b.finish([]);
    const a = r.anomalies.find((x) => x.code === "settlement_ambiguous");
    assert.ok(a !== undefined && why.test(a.examples[0]), a?.examples[0]);
  }
});
