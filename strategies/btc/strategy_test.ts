import assert from "node:assert/strict";
import type {
  BookView,
  MakerOrderView,
  OrderIntent,
  StrategyContext,
} from "../../lib/engine/strategy.ts";
import type { Ladder } from "../../lib/market/ladder.ts";
import type { FeeParams } from "../../lib/fees/fees.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { pmfFromCdf } from "../../lib/pricing/pmf.ts";
import { evPerContract } from "../../lib/pricing/ev.ts";
import { BtcStrategy, DEFAULT_BTC_PARAMS } from "./strategy.ts";
import { settlementDistribution, varPerMsFromAnnualVol } from "./model.ts";

const T0 = 1_770_000_000_000;
const HOUR = 3_600_000;
const CLOSE = T0 + HOUR + 1000;
const EVENT = "KXBTCD-26FEB0620";
const SERIES = "KXBTCD";
const K = [69000, 70000, 71000];
const MKT = K.map((k) => `${EVENT}-T${k - 0.01}`);
const FEE: FeeParams = { feeType: "quadratic", multiplier: 10_000 };

/** Hand-made threshold ladder: bins (-inf,K0], (K0,K1], (K1,K2], (K2,inf); market i is "> K_i". */
function makeLadder(): Ladder {
  const bins = [
    { lo: -Infinity, loInclusive: false, hi: K[0], hiInclusive: true },
    { lo: K[0], loInclusive: false, hi: K[1], hiInclusive: true },
    { lo: K[1], loInclusive: false, hi: K[2], hiInclusive: true },
    { lo: K[2], loInclusive: false, hi: Infinity, hiInclusive: false },
  ];
  return {
    event: EVENT,
    series: SERIES,
    mutuallyExclusive: false,
    bins,
    markets: MKT,
    binStart: Int32Array.from([1, 2, 3]),
    binEnd: Int32Array.from([4, 4, 4]),
    marketIndex: new Map(MKT.map((m, i) => [m, i])),
  };
}

function book(
  bid: number,
  ask: number,
  bidSize = 5000,
  askSize = 5000,
  valid = true,
): BookView {
  return {
    bestYesBid: bid,
    bestYesAsk: ask,
    bestYesBidSize: bidSize,
    bestYesAskSize: askSize,
    valid,
    updatedTs: T0,
  };
}

class FakeContext implements StrategyContext {
  now = T0;
  ladders = new Map<string, Ladder>();
  books = new Map<string, BookView>();
  positions = new Map<string, number>();
  open = new Set<string>();
  closes = new Map<string, number>();
  orders: OrderIntent[] = [];
  forecasts: { ts: number; event: string; pmf: Float64Array }[] = [];

  random(): number {
    throw new Error("the BTC strategy must not use randomness");
  }
  ladder(event: string): Ladder | undefined {
    return this.ladders.get(event);
  }
  seriesOf(event: string): string | undefined {
    return event.startsWith(SERIES) ? SERIES : undefined;
  }
  fees(series: string): FeeParams | undefined {
    return series === SERIES ? FEE : undefined;
  }
  book(market: string): BookView | undefined {
    return this.books.get(market);
  }
  position(market: string): number {
    return this.positions.get(market) ?? 0;
  }
  closeTs(market: string): number | undefined {
    return this.closes.get(market);
  }
  marketNumber(_market: string): number {
    return -1;
  }
  isOpen(market: string): boolean {
    return this.open.has(market) && this.now < (this.closes.get(market) ?? Infinity);
  }
  submit(order: OrderIntent): number {
    this.orders.push(order);
    return this.orders.length;
  }
  cancel(_orderId: number): void {
    throw new Error("the BTC strategy never cancels");
  }
  openOrders(_market: string): readonly MakerOrderView[] {
    return [];
  }
  forecast(event: string, pmf: Float64Array): void {
    this.forecasts.push({ ts: this.now, event, pmf: Float64Array.from(pmf) });
  }
}

/** A fake engine: applies the event's time to the context, then hands it over. */
function deliver(s: BtcStrategy, ctx: FakeContext, ev: TapeEvent): void {
  ctx.now = ev.ts;
  s.onEvent(ev, ctx);
}

function tick(ts: number, value: number, symbol = "BTC"): TapeEvent {
  return { kind: "underlying", ts, symbol, value };
}

/** Metadata for the test ladder, books that price nothing attractively, all open. */
function setup(s: BtcStrategy, ctx: FakeContext, withLadder = true): void {
  deliver(s, ctx, {
    kind: "series",
    ts: T0,
    series: SERIES,
    feeType: "quadratic",
    feeMultiplier: 10_000,
  });
  deliver(s, ctx, {
    kind: "event",
    ts: T0,
    event: EVENT,
    series: SERIES,
    mutuallyExclusive: false,
  });
  for (let i = 0; i < MKT.length; i++) {
    deliver(s, ctx, {
      kind: "market",
      ts: T0,
      market: MKT[i],
      event: EVENT,
      strikeType: "greater",
      floorStrike: K[i] - 0.01,
      openTs: T0 - HOUR,
      closeTs: CLOSE,
      priceStep: 100,
    });
    ctx.open.add(MKT[i]);
    ctx.closes.set(MKT[i], CLOSE);
  }
  if (withLadder) ctx.ladders.set(EVENT, makeLadder());
  // Fair-ish books: nothing to take at a 3c edge.
  ctx.books.set(MKT[0], book(9800, 9990));
  ctx.books.set(MKT[1], book(4700, 5300));
  ctx.books.set(MKT[2], book(10, 200));
}

/** Fair YES of "> K" with only the initial variance (one tick: no returns yet). */
function fairAbove(k: number, spot: number, now: number): number {
  const v = varPerMsFromAnnualVol(DEFAULT_BTC_PARAMS.initialAnnualVol);
  return 1 - settlementDistribution(spot, v, CLOSE - now, 60_000, spot, 0).cdf(k);
}

Deno.test("BtcStrategy: defaults and params", () => {
  const s = new BtcStrategy();
  assert.equal(s.name, "btc");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_BTC_PARAMS });
  assert.equal(DEFAULT_BTC_PARAMS.lambda, 0.94);
  assert.equal(DEFAULT_BTC_PARAMS.edgeTicks, 300);
  assert.equal(DEFAULT_BTC_PARAMS.maxContracts, 10);
  assert.equal(DEFAULT_BTC_PARAMS.decisionIntervalMs, 60_000);
  assert.equal(DEFAULT_BTC_PARAMS.symbol, "BTC");
  assert.equal(DEFAULT_BTC_PARAMS.settleWindowMs, 60_000);
  assert.equal(DEFAULT_BTC_PARAMS.minTauMs, 60_000);
  assert.equal(DEFAULT_BTC_PARAMS.initialAnnualVol, 0.5);
  assert.equal(new BtcStrategy({ edgeTicks: 500 }).params.edgeTicks, 500);
  assert.throws(
    () => new BtcStrategy({ lambda: 1.5 }),
    /lambda must be in \(0, 1\), current value is 1.5/,
  );
  assert.throws(() => new BtcStrategy({ maxContracts: 2.5 }), RangeError);
});

Deno.test("BtcStrategy: forecasts once a ladder and a spot exist, then every decisionIntervalMs", () => {
  const s = new BtcStrategy();
  const ctx = new FakeContext();
  setup(s, ctx, false);
  assert.equal(ctx.forecasts.length, 0, "no spot yet");
  deliver(s, ctx, tick(T0 + 500, 70000));
  assert.equal(ctx.forecasts.length, 0, "no ladder yet");
  ctx.ladders.set(EVENT, makeLadder());
  deliver(s, ctx, tick(T0 + 1000, 70000));
  assert.equal(ctx.forecasts.length, 1);
  const f = ctx.forecasts[0];
  assert.equal(f.ts, T0 + 1000);
  assert.equal(f.event, EVENT);
  assert.equal(f.pmf.length, 4);
  assert.ok(Math.abs(f.pmf.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  for (let t = T0 + 2000; t < T0 + 61_000; t += 5000) deliver(s, ctx, tick(t, 70000));
  assert.equal(ctx.forecasts.length, 1, "nothing before the interval elapsed");
  deliver(s, ctx, tick(T0 + 61_000, 70000));
  assert.equal(ctx.forecasts.length, 2);
  // Any event kind drives decisions, not only ticks.
  deliver(s, ctx, {
    kind: "trade",
    ts: T0 + 121_000,
    market: MKT[1],
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(ctx.forecasts.length, 3);
  assert.deepEqual(ctx.forecasts.map((x) => x.ts), [T0 + 1000, T0 + 61_000, T0 + 121_000]);
  assert.equal(ctx.orders.length, 0, "fair books: no orders");
});

Deno.test("BtcStrategy: forecast PMF is the model's settlement distribution on the ladder", () => {
  const s = new BtcStrategy();
  const ctx = new FakeContext();
  setup(s, ctx);
  deliver(s, ctx, tick(T0 + 1000, 70000));
  const v = varPerMsFromAnnualVol(0.5);
  const expected = pmfFromCdf(
    makeLadder(),
    settlementDistribution(70000, v, CLOSE - (T0 + 1000), 60_000, 70000, 0),
  );
  assert.deepEqual(Array.from(ctx.forecasts[0].pmf), Array.from(expected));
});

Deno.test("BtcStrategy: inside the settlement window the elapsed part is the known average", () => {
  const s = new BtcStrategy({ decisionIntervalMs: 1_000_000_000 });
  const ctx = new FakeContext();
  setup(s, ctx, false);
  // Ticks at 70000 until 15 s into the window, then 70020 from 16 s.
  const windowStart = CLOSE - 60_000;
  for (let t = windowStart - 120_000; t <= windowStart + 15_000; t += 1000) {
    deliver(s, ctx, tick(t, 70000));
  }
  for (let t = windowStart + 16_000; t <= windowStart + 30_000; t += 1000) {
    deliver(s, ctx, tick(t, 70020));
  }
  ctx.ladders.set(EVENT, makeLadder());
  const now = windowStart + 30_000;
  deliver(s, ctx, {
    kind: "trade",
    ts: now,
    market: MKT[1],
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(ctx.forecasts.length, 1);
  // Known average over [windowStart, now]: 70000 for 16000 ms, 70020 for 14000 ms.
  const knownAvg = (70000 * 16_000 + 70020 * 14_000) / 30_000;
  const dist = settlementDistribution(
    70020,
    s.ewma.varPerMs,
    CLOSE - now,
    60_000,
    knownAvg,
    30_000,
  );
  const expected = pmfFromCdf(makeLadder(), dist);
  const got = ctx.forecasts[0].pmf;
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-9);
  // Ignoring the elapsed part would give another answer.
  const spotOnly = pmfFromCdf(
    makeLadder(),
    settlementDistribution(70020, s.ewma.varPerMs, CLOSE - now, 60_000, 70020, 0),
  );
  assert.ok(Math.abs(spotOnly[1] - got[1]) > 1e-3);
  assert.equal(ctx.orders.length, 0, "no trading within minTauMs");
});

Deno.test("BtcStrategy: a mispriced ask is bought as YES, capped at maxContracts", () => {
  const s = new BtcStrategy();
  const ctx = new FakeContext();
  setup(s, ctx);
  ctx.books.set(MKT[0], book(8800, 9000, 5000, 2500));
  const now = T0 + 1000;
  deliver(s, ctx, tick(now, 70000));
  assert.equal(ctx.orders.length, 1);
  const o = ctx.orders[0];
  assert.equal(o.market, MKT[0]);
  assert.equal(o.side, "yes");
  assert.equal(o.limitPrice, 9000);
  assert.equal(o.count, 1000);
  assert.equal(o.timeInForce, "ioc");
  const p = fairAbove(K[0] - 0.01, 70000, now);
  const ev = evPerContract(p, "yes", 9000, 1000, FEE, "taker");
  assert.ok(ev >= 300);
  assert.equal(o.reason, `ev=${ev.toFixed(1)}ticks p=${p.toFixed(4)}`);
});

Deno.test("BtcStrategy: a rich YES bid is sold by buying NO at 10000 - bid", () => {
  const s = new BtcStrategy();
  const ctx = new FakeContext();
  setup(s, ctx);
  ctx.books.set(MKT[2], book(1500, 1700, 450, 5000));
  deliver(s, ctx, tick(T0 + 1000, 70000));
  assert.equal(ctx.orders.length, 1);
  const o = ctx.orders[0];
  assert.equal(o.market, MKT[2]);
  assert.equal(o.side, "no");
  assert.equal(o.limitPrice, 8500);
  assert.equal(o.count, 400, "touch size 4.5 contracts -> 4 whole contracts");
});

Deno.test("BtcStrategy: no trade when EV < edge", () => {
  const ctx = new FakeContext();
  const s = new BtcStrategy();
  setup(s, ctx);
  const now = T0 + 1000;
  const p = fairAbove(K[0] - 0.01, 70000, now);
  // An ask just above fair minus the edge: EV below 300 ticks.
  const ask = Math.ceil((p * 10000 - 250) / 100) * 100;
  ctx.books.set(MKT[0], book(ask - 200, ask, 5000, 5000));
  deliver(s, ctx, tick(now, 70000));
  assert.ok(evPerContract(p, "yes", ask, 1000, FEE, "taker") < 300);
  assert.equal(ctx.orders.length, 0);

  // The same mispricing as the buy test, but a larger edge required.
  const ctx2 = new FakeContext();
  const s2 = new BtcStrategy({ edgeTicks: 2000 });
  setup(s2, ctx2);
  ctx2.books.set(MKT[0], book(8800, 9000, 5000, 2500));
  deliver(s2, ctx2, tick(now, 70000));
  assert.equal(ctx2.forecasts.length, 1);
  assert.equal(ctx2.orders.length, 0);
});

Deno.test("BtcStrategy: no trade within minTauMs of close (forecasts continue)", () => {
  const s = new BtcStrategy();
  const ctx = new FakeContext();
  setup(s, ctx);
  ctx.books.set(MKT[0], book(8800, 9000, 5000, 2500));
  deliver(s, ctx, tick(CLOSE - 59_999, 70000));
  assert.equal(ctx.forecasts.length, 1);
  assert.equal(ctx.orders.length, 0);
  // Exactly minTauMs before close still trades.
  const s2 = new BtcStrategy();
  const ctx2 = new FakeContext();
  setup(s2, ctx2);
  ctx2.books.set(MKT[0], book(8800, 9000, 5000, 2500));
  deliver(s2, ctx2, tick(CLOSE - 60_000, 70000));
  assert.equal(ctx2.orders.length, 1);
  // After close: nothing at all.
  const s3 = new BtcStrategy();
  const ctx3 = new FakeContext();
  setup(s3, ctx3);
  deliver(s3, ctx3, tick(CLOSE, 70000));
  assert.equal(ctx3.forecasts.length, 0);
});

Deno.test("BtcStrategy: position limits", () => {
  const run = (pos: number, askSize = 5000) => {
    const s = new BtcStrategy();
    const ctx = new FakeContext();
    setup(s, ctx);
    ctx.books.set(MKT[0], book(8800, 9000, 5000, askSize));
    ctx.positions.set(MKT[0], pos);
    deliver(s, ctx, tick(T0 + 1000, 70000));
    return ctx.orders;
  };
  assert.equal(run(700)[0].count, 300, "7 held: room for 3");
  assert.equal(run(750)[0].count, 200, "7.5 held: 2 whole contracts");
  assert.equal(run(1000).length, 0, "at the limit");
  assert.equal(run(1500).length, 0, "over the limit");
  assert.equal(run(-500)[0].count, 1500, "short 5 (long NO): may buy back and go long 10");
  assert.equal(run(0, 350)[0].count, 300, "touch size caps the count");
  assert.equal(run(0, 50).length, 0, "less than one contract at the touch");
  const s = new BtcStrategy({ maxContracts: 0 });
  const ctx = new FakeContext();
  setup(s, ctx);
  ctx.books.set(MKT[0], book(8800, 9000, 5000, 5000));
  deliver(s, ctx, tick(T0 + 1000, 70000));
  assert.equal(ctx.orders.length, 0);
});

Deno.test("BtcStrategy: NO-side limit uses the negative position", () => {
  const run = (pos: number) => {
    const s = new BtcStrategy();
    const ctx = new FakeContext();
    setup(s, ctx);
    ctx.books.set(MKT[2], book(1500, 1700, 5000, 5000));
    ctx.positions.set(MKT[2], pos);
    deliver(s, ctx, tick(T0 + 1000, 70000));
    return ctx.orders;
  };
  assert.equal(run(-600)[0].count, 400);
  assert.equal(run(-1000).length, 0);
  assert.equal(run(300)[0].count, 1300);
});

Deno.test("BtcStrategy: skips invalid books, closed markets, other series and symbols", () => {
  const s = new BtcStrategy();
  const ctx = new FakeContext();
  setup(s, ctx);
  ctx.books.set(MKT[0], book(8800, 9000, 5000, 2500, false));
  ctx.books.set(MKT[2], book(1500, 1700, 5000, 5000));
  ctx.open.delete(MKT[2]);
  deliver(s, ctx, tick(T0 + 1000, 70000, "ETH"));
  assert.equal(ctx.forecasts.length, 0, "another symbol is not a spot");
  deliver(s, ctx, tick(T0 + 1000, 70000));
  assert.equal(ctx.forecasts.length, 1);
  assert.equal(ctx.orders.length, 0);

  // A non-BTC event is never tracked.
  const s2 = new BtcStrategy();
  const ctx2 = new FakeContext();
  deliver(s2, ctx2, {
    kind: "event",
    ts: T0,
    event: "KXINX-26FEB06H1600",
    series: "KXINX",
    mutuallyExclusive: true,
  });
  ctx2.ladders.set("KXINX-26FEB06H1600", { ...makeLadder(), event: "KXINX-26FEB06H1600" });
  deliver(s2, ctx2, tick(T0 + 1000, 70000));
  assert.equal(ctx2.forecasts.length, 0);

  // No markets open: no forecast.
  const s3 = new BtcStrategy();
  const ctx3 = new FakeContext();
  setup(s3, ctx3);
  ctx3.open.clear();
  deliver(s3, ctx3, tick(T0 + 1000, 70000));
  assert.equal(ctx3.forecasts.length, 0);
});

Deno.test("BtcStrategy: deterministic, and uses nothing but the context", () => {
  const runOnce = () => {
    const s = new BtcStrategy({ decisionIntervalMs: 10_000 });
    const ctx = new FakeContext();
    const used = new Set<string>();
    const spy = new Proxy(ctx, {
      get(target, key, receiver) {
        if (typeof key === "string") used.add(key);
        const v = Reflect.get(target, key, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    setup(s, ctx);
    ctx.books.set(MKT[0], book(8800, 9000, 5000, 800));
    ctx.books.set(MKT[2], book(1500, 1700, 300, 5000));
    let price = 70000;
    for (let i = 0; i < 200; i++) {
      price *= Math.exp(((i * 7919) % 13 - 6) * 1e-4);
      const ev = tick(T0 + 1000 + i * 1000, price);
      ctx.now = ev.ts;
      s.onEvent(ev, spy);
    }
    return { orders: ctx.orders, forecasts: ctx.forecasts.map((f) => Array.from(f.pmf)), used };
  };
  const realRandom = Math.random;
  const realNow = Date.now;
  Math.random = () => {
    throw new Error("Math.random used");
  };
  Date.now = () => {
    throw new Error("Date.now used");
  };
  try {
    const a = runOnce();
    const b = runOnce();
    assert.deepEqual(a.orders, b.orders);
    assert.deepEqual(a.forecasts, b.forecasts);
    assert.ok(a.orders.length > 0);
    assert.equal(a.forecasts.length, 20);
    const allowed = new Set([
      "now",
      "ladder",
      "seriesOf",
      "fees",
      "book",
      "position",
      "closeTs",
      "isOpen",
      "submit",
      "forecast",
    ]);
    for (const k of a.used) assert.ok(allowed.has(k), `unexpected context member ${k}`);
  } finally {
    Math.random = realRandom;
    Date.now = realNow;
  }
});

Deno.test("BtcStrategy: known average over many fast ticks (buffer growth and wrap-around)", () => {
  const s = new BtcStrategy({ decisionIntervalMs: 1_000_000_000 });
  const ctx = new FakeContext();
  setup(s, ctx, false);
  const windowStart = CLOSE - 60_000;
  const now = windowStart + 30_000;
  const value = (t: number) => 70000 + ((t / 50) % 7) - 3;
  let integral = 0;
  for (let t = windowStart - 90_000; t <= now; t += 50) {
    deliver(s, ctx, tick(t, value(t)));
    if (t >= windowStart && t < now) integral += value(t) * 50;
  }
  ctx.ladders.set(EVENT, makeLadder());
  deliver(s, ctx, {
    kind: "trade",
    ts: now,
    market: MKT[1],
    price: 5000,
    count: 100,
    takerSide: "yes",
  });
  assert.equal(ctx.forecasts.length, 1);
  const knownAvg = integral / 30_000;
  const dist = settlementDistribution(
    value(now),
    s.ewma.varPerMs,
    CLOSE - now,
    60_000,
    knownAvg,
    30_000,
  );
  const expected = pmfFromCdf(makeLadder(), dist);
  const got = ctx.forecasts[0].pmf;
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-9);
});
