import assert from "node:assert/strict";
import { arrayBlockSource } from "../tape/block.ts";
import type { Strategy, StrategyContext } from "../engine/strategy.ts";
import type { TapeEvent } from "../tape/events.ts";
import { runInTemp, tinyLadderTape } from "../../tests/helpers.ts";
import { ResultsDb } from "../store/results_db.ts";
import type { DecisionRow, FillObservation } from "./decision_types.ts";

const MID = "KXTEST-26JAN05-B";

/** Forecasts (0.2, 0.6, 0.2) and buys one YES of the middle market at the ask, at +2 s. */
class OneBuy implements Strategy {
  readonly name = "one-buy";
  readonly params = {};
  #done = false;
  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    if (this.#done || ev.kind !== "underlying") return;
    this.#done = true;
    ctx.forecast("KXTEST-26JAN05", Float64Array.from([0.2, 0.6, 0.2]));
    ctx.submit({ market: MID, side: "yes", limitPrice: 5100, count: 100, timeInForce: "ioc" });
  }
}

Deno.test("a decision row holds the book, model and outcome of the order as sent", async () => {
  const r = await runInTemp(new OneBuy(), [arrayBlockSource("tiny", tinyLadderTape())]);
  assert.equal(r.result.decisions.length, 1);
  const d = r.result.decisions[0];
  // Book at +2 s: YES bids 4900 x 1000, 4800 x 2000; NO bids 4900 x 1000, 4800 x 2000.
  assert.deepEqual([d.yesBid, d.yesAsk, d.mid, d.spread], [4900, 5100, 5000, 200]);
  assert.deepEqual([d.yesBidDepth, d.yesAskDepth, d.skew], [3000, 3000, 0.5]);
  assert.equal(d.touchDistance, 4900 - 5100, "a buy at the ask is 2 cents inside the bid");
  assert.ok(Math.abs(d.modelYes - 0.6) < 1e-12);
  assert.ok(Math.abs(d.disagreement - 0.1) < 1e-12);
  assert.equal(d.timeToCloseMs, 3_600_000 - 2000);
  assert.deepEqual([d.filled, d.avgFillPrice], [100, 5100]);
  // Close: the last book before close still shows 4900 / 5100 (the trade left 4900 x 500).
  assert.equal(d.closeMid, 5000);
  assert.equal(d.clv, 5000 - 5100);
  // The middle bin settles YES: +$1 - $0.51 - the taker fee: 0.07 x 0.51 x 0.49 = $0.017493,
  // up to $0.0175, and the order's cash is settled to the cent: $0.02 = 200 ticks.
  assert.equal(d.pnlTicks, 10_000 - 5100 - 200);
  assert.equal(d.pnlTicks, r.result.portfolio.totalCash());
});

Deno.test("fill observations look at the market 1, 5 and 30 minutes after the fill", async () => {
  const r = await runInTemp(new OneBuy(), [arrayBlockSource("tiny", tinyLadderTape())]);
  assert.equal(r.result.fillObservations.length, 1);
  const o = r.result.fillObservations[0];
  assert.equal(o.midAtFill, 5000);
  // +1 min and +5 min: the book still shows 4900 / 5100; +30 min likewise (closes at +60 min).
  assert.deepEqual([...o.midAfter], [5000, 5000, 5000]);
});

Deno.test("decision rows and fill observations are stored with the run", async () => {
  const r = await runInTemp(new OneBuy(), [arrayBlockSource("tiny", tinyLadderTape())]);
  const db = ResultsDb.open(r.dbPath);
  try {
    const d = db.records<DecisionRow>(r.runId, "decisions");
    assert.equal(d.length, 1);
    assert.equal(d[0].clv, -100);
    assert.equal(db.records<FillObservation>(r.runId, "fill_observations").length, 1);
    // Positions per market traded: 1 YES contract bought of the middle market, settled (0 left).
    const pos = db.records<
      { market: string; position: number; settled: boolean; boughtYes: number; cashTicks: number }
    >(r.runId, "positions");
    assert.deepEqual(pos.map((p) => [p.market, p.position, p.settled, p.boughtYes]), [
      [MID, 0, true, 100],
    ]);
    assert.equal(pos[0].cashTicks, r.result.portfolio.totalCash());
  } finally {
    db.close();
  }
});

Deno.test("the report holds each settled event's last PMF, model and market, and its outcome", async () => {
  const r = await runInTemp(new OneBuy(), [arrayBlockSource("tiny", tinyLadderTape())]);
  const e = r.reportData.lastEvents!;
  assert.equal(e.length, 1);
  assert.equal(e[0].event, "KXTEST-26JAN05");
  assert.deepEqual(e[0].bins, ["(-inf, 100)", "[100, 110)", "[110, +inf)"]);
  assert.deepEqual(e[0].model, [0.2, 0.6, 0.2]);
  assert.equal(e[0].outcome, 1, "the middle bin settled YES");
  assert.ok(e[0].market.every((x) => x !== null));
});
