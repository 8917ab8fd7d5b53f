import assert from "node:assert/strict";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket } from "../../lib/market/test_fixtures.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { FakeContext, testBook } from "../test_context.ts";
import { pointPmf } from "../../lib/pricing/point_pmf.ts";
import {
  DEFAULT_POINT_STRATEGY_PARAMS,
  type PointData,
  PointErrorStrategy,
  type PointFamilyBinding,
} from "./strategy.ts";

const T0 = Date.UTC(2026, 0, 5, 15, 0);
const HOUR = 3_600_000;
const CLOSE = T0 + 10 * HOUR;
const EVENT = "KXTEST-26JAN05";
const STRIKES = [99, 100, 101];

function ladder(): Ladder {
  return buildLadder(
    testEvent(EVENT, false, 1),
    STRIKES.map((k) => testMarket(EVENT, `T${k}`, "greater", { floorStrike: k })),
  );
}

/** A toy family: the outcome is the last value plus a normal error of scale `scale`. */
interface Toy {
  scale: number;
  calibratedOn?: number;
}
class ToyBinding implements PointFamilyBinding<Toy> {
  series = ["KXTEST"];
  symbol = "X";
  auxSymbols = ["NOW"];
  initialParams: Toy = { scale: 1 };
  calls: { n: number; cutoff: number; maxTs: number }[] = [];
  failNext = false;
  calibrate(data: PointData, cutoffTs: number): Toy {
    this.calls.push({ n: data.main.length, cutoff: cutoffTs, maxTs: data.main.at(-1)!.ts });
    if (this.failNext) {
      this.failNext = false;
      throw new RangeError("Cannot calibrate toy: no spread, current value is 0");
    }
    return { scale: 2, calibratedOn: data.main.length };
  }
  pmf(_now: number, _close: number, data: PointData, p: Toy, l: Ladder, out: Float64Array) {
    return pointPmf(
      l,
      { center: data.main.at(-1)!.value, scale: p.scale, df: Infinity, log: false },
      1,
      out,
    );
  }
}

function metadata(): TapeEvent[] {
  const out: TapeEvent[] = [
    { kind: "series", ts: T0, series: "KXTEST", feeType: "quadratic", feeMultiplier: 10_000 },
    {
      kind: "event",
      ts: T0,
      event: EVENT,
      series: "KXTEST",
      mutuallyExclusive: false,
      outcomeStep: 1,
    },
  ];
  for (const k of STRIKES) {
    out.push({
      kind: "market",
      ts: T0,
      market: `${EVENT}-T${k}`,
      event: EVENT,
      strikeType: "greater",
      floorStrike: k,
      openTs: T0,
      closeTs: CLOSE,
      priceStep: 100,
    });
  }
  return out;
}

function setup(common: Record<string, number | boolean> = {}) {
  const binding = new ToyBinding();
  const s = new PointErrorStrategy("toy", binding, { minCalibrationObs: 3, ...common }, { a: 1 });
  const ctx = new FakeContext();
  const l = ladder();
  ctx.ladders.set(EVENT, l);
  ctx.seriesByEvent.set(EVENT, "KXTEST");
  for (const m of l.markets) {
    ctx.open.add(m);
    ctx.closes.set(m, CLOSE);
    ctx.books.set(m, testBook(4800, 5200));
  }
  const deliver = (ev: TapeEvent) => {
    ctx.now = ev.ts;
    s.onEvent(ev, ctx);
  };
  for (const ev of metadata()) deliver(ev);
  return { s, ctx, binding, deliver, l };
}

const x = (ts: number, value: number, symbol = "X"): TapeEvent => ({
  kind: "underlying",
  ts,
  symbol,
  value,
});

Deno.test("PointErrorStrategy: defaults, params and validation", () => {
  const s = new PointErrorStrategy("toy", new ToyBinding(), {}, { k: 2 });
  assert.equal(s.name, "toy");
  assert.deepEqual({ ...s.params }, { k: 2 });
  assert.deepEqual({ ...s.common }, { ...DEFAULT_POINT_STRATEGY_PARAMS });
  assert.throws(
    () => new PointErrorStrategy("toy", new ToyBinding(), { maxContracts: -1 }, {}),
    /Cannot create toy: maxContracts must be an integer >= 0, current value is -1/,
  );
  assert.throws(
    () => new PointErrorStrategy("toy", new ToyBinding(), { minCalibrationObs: 0 }, {}),
    RangeError,
  );
  assert.throws(
    () => new PointErrorStrategy("toy", new ToyBinding(), { calibrationWindow: 1.5 }, {}),
    RangeError,
  );
  assert.throws(
    () => new PointErrorStrategy("toy", new ToyBinding(), { decisionIntervalMs: -1 }, {}),
    RangeError,
  );
});

Deno.test("PointErrorStrategy: forecasts once data exists, on updates and every interval", () => {
  const { ctx, deliver } = setup({ decisionIntervalMs: HOUR });
  deliver({
    kind: "trade",
    ts: T0 + 1000,
    market: `${EVENT}-T100`,
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(ctx.forecasts.length, 0, "no underlying yet");
  deliver(x(T0 + 2000, 100));
  assert.equal(ctx.forecasts.length, 1);
  deliver(x(T0 + 3000, 100.2, "OTHER"));
  assert.equal(ctx.forecasts.length, 1, "an unknown symbol is not an update");
  deliver(x(T0 + 4000, 100.4, "NOW"));
  assert.equal(ctx.forecasts.length, 2, "an auxiliary symbol is an update");
  deliver({
    kind: "trade",
    ts: T0 + 5000,
    market: `${EVENT}-T100`,
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(ctx.forecasts.length, 2, "no new data, interval not elapsed");
  deliver({
    kind: "trade",
    ts: T0 + 4000 + HOUR,
    market: `${EVENT}-T100`,
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(ctx.forecasts.length, 3, "interval elapsed");
  const f = ctx.forecasts[0];
  assert.equal(f.event, EVENT);
  let sum = 0;
  for (const p of f.pmf) sum += p;
  assert.ok(Math.abs(sum - 1) < 1e-12);
  // Past close: no more decisions.
  deliver(x(CLOSE, 101));
  assert.equal(ctx.forecasts.length, 3);
});

Deno.test("PointErrorStrategy: decideOnUpdate off waits for the interval", () => {
  const { ctx, deliver } = setup({ decideOnUpdate: false, decisionIntervalMs: HOUR });
  deliver(x(T0 + 1000, 100));
  deliver(x(T0 + 2000, 100.3));
  assert.equal(ctx.forecasts.length, 1);
  deliver(x(T0 + 1000 + HOUR, 100.3));
  assert.equal(ctx.forecasts.length, 2);
});

Deno.test("PointErrorStrategy: recalibrates on new data only, on data seen so far; failures keep params", () => {
  const { s, ctx, binding, deliver } = setup({ decisionIntervalMs: 1000 });
  deliver(x(T0 + 1000, 100));
  deliver(x(T0 + 2000, 100));
  assert.equal(binding.calls.length, 0, "fewer than minCalibrationObs");
  assert.equal(s.model.scale, 1);
  deliver(x(T0 + 3000, 100));
  assert.deepEqual(binding.calls, [{ n: 3, cutoff: T0 + 3001, maxTs: T0 + 3000 }]);
  assert.equal(s.model.calibratedOn, 3);
  deliver({
    kind: "trade",
    ts: T0 + 9000,
    market: `${EVENT}-T100`,
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(binding.calls.length, 1, "no new data: no recalibration");
  binding.failNext = true;
  deliver(x(T0 + 10_000, 100));
  assert.equal(binding.calls.length, 2);
  assert.equal(s.model.calibratedOn, 3, "a failed calibration keeps the previous params");
  assert.deepEqual(s.calibrationCounts, {
    runs: 2,
    failures: 1,
    lastError: "Cannot calibrate toy: no spread, current value is 0",
  });
  assert.ok(ctx.forecasts.length >= 4);
  // The calibration window keeps the latest observations.
  const w = setup({ calibrationWindow: 2 });
  for (let i = 1; i <= 4; i++) w.deliver(x(T0 + i * 1000, 100));
  assert.deepEqual(w.binding.calls.map((c) => c.n), [2, 2]);
  // Recalibration off: hand-set params forever.
  const off = setup({ recalibrate: false });
  for (let i = 1; i <= 5; i++) off.deliver(x(T0 + i * 1000, 100));
  assert.equal(off.binding.calls.length, 0);
  assert.equal(off.s.model.scale, 1);
});

Deno.test("PointErrorStrategy: trades mispriced books by fee-aware EV, not within minTauMs", () => {
  const { ctx, deliver, l } = setup();
  // Reported on the integer grid: P(> 99) = P(X >= 99.5) ~ 0.82, P(> 100) ~ 0.46, P(> 101) ~ 0.14.
  ctx.books.set(l.markets[0], testBook(5000, 6000));
  ctx.books.set(l.markets[1], testBook(4400, 4800));
  ctx.books.set(l.markets[2], testBook(1200, 1600));
  deliver(x(T0 + 1000, 100.4));
  assert.equal(ctx.orders.length, 1);
  assert.equal(ctx.orders[0].market, l.markets[0]);
  assert.equal(ctx.orders[0].side, "yes");
  const late = setup({ minTauMs: 2 * HOUR });
  late.ctx.books.set(late.l.markets[0], testBook(5000, 6000));
  late.ctx.books.set(late.l.markets[2], testBook(4800, 5200));
  late.deliver(x(CLOSE - HOUR, 100.4));
  assert.equal(late.ctx.forecasts.length, 1);
  assert.equal(late.ctx.orders.length, 0);
});

Deno.test("PointErrorStrategy: ignores other series and events without open markets", () => {
  const { ctx, deliver } = setup();
  deliver({
    kind: "event",
    ts: T0,
    event: "KXOTHER-26JAN05",
    series: "KXOTHER",
    mutuallyExclusive: false,
  });
  ctx.ladders.set("KXOTHER-26JAN05", { ...ladder(), event: "KXOTHER-26JAN05" });
  ctx.open.clear();
  deliver(x(T0 + 1000, 100));
  assert.equal(ctx.forecasts.length, 0);
});
