import assert from "node:assert/strict";
import type { FillRow, SettlementRow } from "../store/results_db.ts";
import { Portfolio } from "../engine/portfolio.ts";
import { Prng } from "../random/prng.ts";
import { attributePnl, pnlAttributionMetricRows } from "./pnl_attribution.ts";

const NAN = Number.NaN;

function f(p: Partial<FillRow>): FillRow {
  return {
    orderId: 1,
    ts: 0,
    market: "A",
    side: "yes",
    price: 5000,
    count: 100,
    feeTicks: 0,
    role: "maker",
    ...p,
  };
}

/** Settlement rows the way the venue makes them: through the Portfolio. */
function settle(fills: readonly FillRow[], results: Record<string, "yes" | "no">, ts = 1e6) {
  const p = new Portfolio();
  for (const x of fills) p.applyFill(x.market, x.side, x.price, x.count, x.feeTicks);
  const rows: SettlementRow[] = [];
  for (const [market, result] of Object.entries(results)) {
    const { position, payout } = p.settle(market, result);
    rows.push({
      ts,
      market,
      result,
      position,
      payoutTicks: payout,
      pnlTicks: p.account(market).cash,
    });
  }
  return { rows, portfolio: p };
}

const obs = (mids: number[]) => mids.map((midAtFill, fillIndex) => ({ fillIndex, midAtFill }));

Deno.test("attributePnl: a hand-computed market reconciles to the tick", () => {
  const fills = [
    f({ ts: 10, side: "yes", price: 4800, count: 500 }), // edge (5000 - 4800) x 5 = 1000
    f({ ts: 20, side: "no", price: 4900, count: 300, feeTicks: 12 }), // (5050 - 4900) x 3 = 450
    f({ ts: 30, side: "yes", price: 5100, count: 200 }), // mid unknown: no spread
  ];
  const { rows, portfolio } = settle(fills, { A: "yes" });
  const a = attributePnl({ fills, settlements: rows, observations: obs([5000, 4950, NAN]) });
  const m = a.markets[0];
  // Paid 24000 + 14700 + 10200 = 48900 and 12 fees; YES pays 7 contracts bought: 70000.
  assert.equal(m.totalTicks, 70_000 - 48_900 - 12);
  assert.equal(m.totalTicks, portfolio.account("A").cash);
  assert.equal(m.totalTicks, rows[0].pnlTicks);
  assert.equal(m.spreadTicks, 1450);
  assert.equal(m.spreadExactTicks, 1450);
  assert.equal(m.feesTicks, 12);
  // Inventory: (10000 - 5000) x 5 + (0 - 5050) x 3 + (10000 - 5100) x 2 = 19650.
  assert.equal(m.inventoryTicks, 19_650);
  assert.equal(m.spreadTicks + m.inventoryTicks - m.feesTicks, m.totalTicks);
  assert.deepEqual(
    [m.fills, m.fillsWithoutMid, m.boughtYes, m.boughtNo, m.finalPosition, m.valuation, m.result],
    [3, 1, 700, 300, 400, "settlement", "yes"],
  );
  assert.deepEqual(a.inventory[0], {
    market: "A",
    ts: [10, 20, 30, 1e6],
    position: [500, 200, 400, 0],
    maxAbsPosition: 500,
  });
  assert.equal(a.total.totalTicks, m.totalTicks);
  assert.equal(a.total.fillsWithoutMid, 1);
});

Deno.test("attributePnl: half-tick mids round the spread once a market; inventory takes the rest", () => {
  const fills = [
    f({ side: "yes", price: 4800, count: 100 }), // (4900.5 - 4800) x 1 = 100.5
    f({ side: "yes", price: 4800, count: 100 }), // 100.5 again: 201 exactly, no rounding
    f({ market: "B", side: "no", price: 3000, count: 100 }), // (10000 - 6999.5 - 3000) = 0.5
  ];
  const { rows } = settle(fills, { A: "no", B: "no" });
  const a = attributePnl({ fills, settlements: rows, observations: obs([4900.5, 4900.5, 6999.5]) });
  const [mA, mB] = a.markets;
  assert.equal(mA.spreadTicks, 201);
  assert.equal(mB.spreadExactTicks, 0.5);
  assert.equal(mB.spreadTicks, 1, "Math.round: half up");
  assert.equal(mB.inventoryTicks, mB.totalTicks + mB.feesTicks - 1);
  assert.equal(
    a.total.spreadTicks + a.total.inventoryTicks - a.total.feesTicks,
    a.total.totalTicks,
  );
});

Deno.test("attributePnl: random runs reconcile exactly with the Portfolio, per market and in total", () => {
  const rng = new Prng(2026);
  for (let run = 0; run < 200; run++) {
    const fills: FillRow[] = [];
    const mids: number[] = [];
    const n = rng.int(40);
    for (let i = 0; i < n; i++) {
      const whole = rng.next() < 0.7;
      fills.push(f({
        ts: i * 1000,
        market: ["A", "B", "C"][rng.int(3)],
        side: rng.next() < 0.5 ? "yes" : "no",
        price: 1 + rng.int(9999),
        count: whole ? 100 * (1 + rng.int(20)) : 1 + rng.int(2000),
        feeTicks: rng.int(50),
      }));
      mids.push(rng.next() < 0.1 ? NAN : rng.int(20_001) / 2);
    }
    const results: Record<string, "yes" | "no"> = {};
    for (const x of fills) results[x.market] ??= rng.next() < 0.5 ? "yes" : "no";
    if (rng.next() < 0.3) delete results[Object.keys(results)[0] ?? "A"]; // one left unsettled
    const { rows, portfolio } = settle(fills, results);
    const a = attributePnl({ fills, settlements: rows, observations: obs(mids) });
    let total = 0;
    for (const m of a.markets) {
      assert.equal(m.spreadTicks + m.inventoryTicks - m.feesTicks, m.totalTicks);
      assert.equal(m.totalTicks, portfolio.account(m.market).cash, `run ${run} ${m.market}`);
      assert.ok(Number.isInteger(m.spreadTicks) && Number.isInteger(m.inventoryTicks));
      assert.ok(Math.abs(m.spreadTicks - m.spreadExactTicks) <= 0.5);
      if (m.valuation === "settlement") {
        // Independent: inventory = sum of (settlement value - side mid) x count / 100 (whole
        // PnL for fills without a mid), up to the notional rounding and the spread rounding.
        let exact = 0;
        let rounding = 0;
        fills.forEach((x, i) => {
          if (x.market !== m.market) return;
          const v = (x.side === m.result) ? 10_000 : 0;
          const mid = Number.isNaN(mids[i])
            ? x.price
            : x.side === "yes"
            ? mids[i]
            : 10_000 - mids[i];
          exact += (v - mid) * x.count / 100;
          rounding += Math.ceil(x.count * x.price / 100) - x.count * x.price / 100;
        });
        const err = m.inventoryTicks - (exact - rounding);
        assert.ok(Math.abs(err) <= 0.5 + 1e-6, `run ${run} ${m.market}: ${err}`);
      } else assert.equal(m.valuation, "cash");
      total += m.totalTicks;
    }
    assert.equal(a.total.totalTicks, total);
    assert.equal(a.total.totalTicks, portfolio.totalCash());
    assert.equal(
      a.total.spreadTicks + a.total.inventoryTicks - a.total.feesTicks,
      a.total.totalTicks,
    );
  }
});

Deno.test("attributePnl: unsettled markets at a mark or at cash", () => {
  const fills = [
    f({ market: "U", side: "yes", price: 4000, count: 300 }),
    f({ market: "U", side: "no", price: 5000, count: 100 }), // one pair netted, 2 YES open
  ];
  const marked = attributePnl({
    fills,
    settlements: [],
    observations: obs([4100, 4100]),
    marks: new Map([["U", 4500.5]]),
  });
  const m = marked.markets[0];
  // Pair: 10000; 2 YES at 45.005c: 9001 (9001.0 exactly); paid 12000 + 5000.
  assert.equal(m.valuation, "mark");
  assert.equal(m.markTicks, 4500.5);
  assert.equal(m.totalTicks, 10_000 + 9_001 - 17_000);
  const cash = attributePnl({ fills, settlements: [], observations: obs([4100, 4100]) });
  assert.equal(cash.markets[0].valuation, "cash");
  const p = new Portfolio();
  for (const x of fills) p.applyFill(x.market, x.side, x.price, x.count, x.feeTicks);
  assert.equal(cash.markets[0].totalTicks, p.account("U").cash);
  assert.equal(cash.inventory[0].position.at(-1), 200, "still open");
});

Deno.test("attributePnl: a settled market without fills, and no input at all", () => {
  const s: SettlementRow = {
    ts: 5,
    market: "Z",
    result: "no",
    position: 0,
    payoutTicks: 0,
    pnlTicks: 0,
  };
  const a = attributePnl({ fills: [], settlements: [s], observations: [] });
  assert.equal(a.markets[0].totalTicks, 0);
  assert.deepEqual(a.inventory[0].position, [0]);
  const e = attributePnl({ fills: [], settlements: [], observations: [] });
  assert.deepEqual(e.markets, []);
  assert.equal(e.total.totalTicks, 0);
  const rows = new Map(pnlAttributionMetricRows(a).map((r) => [r.name, r.value]));
  assert.equal(rows.get("pnl_total_ticks"), 0);
  assert.equal(rows.get("inventory_max_abs_centi"), 0);
});

Deno.test("attributePnl: inconsistent or malformed input is an error", () => {
  const fills = [f({ side: "yes", price: 5000, count: 100 })];
  const good = settle(fills, { A: "yes" }).rows[0];
  const run = (p: Partial<Parameters<typeof attributePnl>[0]>) => () =>
    attributePnl({ fills, settlements: [good], observations: obs([5000]), ...p });
  assert.throws(
    run({ settlements: [{ ...good, position: 300 }] }),
    /holds position 300, the fills make 100/,
  );
  assert.throws(run({ settlements: [{ ...good, pnlTicks: 1 }] }), /has PnL 1, the fills make 5000/);
  assert.throws(run({ settlements: [good, good] }), /market A settled twice/);
  assert.throws(
    run({ observations: [{ fillIndex: 1, midAtFill: 1 }] }),
    /fillIndex must be in 0..0, current value is 1/,
  );
  assert.throws(
    run({ observations: obs([1, 2]).map(() => ({ fillIndex: 0, midAtFill: 1 })) }),
    /two observations/,
  );
  assert.throws(run({ observations: obs([12_000]) }), /mid at fill 0 must be in \[0, 10000\]/);
  assert.throws(
    run({ fills: [f({ count: 0 })], settlements: [] }),
    /fill 0 count must be a positive integer, current value is 0/,
  );
  assert.throws(run({ fills: [f({ price: 1.5 })], settlements: [] }), /price must be an integer/);
  assert.throws(
    run({ fills: [f({ feeTicks: -1 })], settlements: [] }),
    /feeTicks must be an integer >= 0/,
  );
  assert.throws(
    run({ fills: [f({ side: "maybe" as "yes" })], settlements: [] }),
    /side must be yes or no/,
  );
  assert.throws(
    run({ fills: [f({ ts: 10 }), f({ ts: 5 })], settlements: [], observations: [] }),
    /times of A must not go back/,
  );
  assert.throws(
    run({ settlements: [], marks: new Map([["A", NAN]]) }),
    /mark of A must be in \[0, 10000\], current value is NaN/,
  );
});
