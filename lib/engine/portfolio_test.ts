import assert from "node:assert/strict";
import { Portfolio } from "./portfolio.ts";

Deno.test("buy YES then settle YES pays $1 a contract", () => {
  const p = new Portfolio();
  p.applyFill("M", "yes", 4000, 1000, 1700); // 10 @ $0.40, fee $0.17
  const a = p.account("M");
  assert.equal(a.position, 1000);
  assert.equal(a.cash, -(40000 + 1700));
  const s = p.settle("M", "yes");
  assert.deepEqual(s, { position: 1000, payout: 100000 });
  assert.equal(a.cash, 100000 - 40000 - 1700);
  assert.equal(a.position, 0);
});

Deno.test("NO positions are negative and win on NO", () => {
  const p = new Portfolio();
  p.applyFill("M", "no", 3000, 500, 0);
  assert.equal(p.position("M"), -500);
  assert.deepEqual(p.settle("M", "no"), { position: -500, payout: 50000 });
  assert.equal(p.account("M").cash, 50000 - 15000);
});

Deno.test("YES and NO net to $1 a pair at once", () => {
  const p = new Portfolio();
  p.applyFill("M", "yes", 4000, 1000, 0);
  p.applyFill("M", "no", 5500, 400, 0);
  const a = p.account("M");
  assert.equal(a.position, 600);
  assert.equal(a.nettingPayout, 40000);
  assert.equal(a.cash, -40000 - 22000 + 40000);
  // conservation: cash = -(notional + fees) + netting + settlement payouts
  p.settle("M", "no");
  assert.equal(a.cash, -(a.notional + a.fees) + a.nettingPayout + a.settlementPayout);
});

Deno.test("a settled market takes no more fills and cannot settle twice", () => {
  const p = new Portfolio();
  p.settle("M", "yes");
  assert.throws(() => p.applyFill("M", "yes", 5000, 100, 0), RangeError);
  assert.throws(() => p.settle("M", "no"), RangeError);
});
