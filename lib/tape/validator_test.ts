import assert from "node:assert/strict";
import { TapeError } from "./errors.ts";
import type {
  BookDeltaEvent,
  BookSnapshotEvent,
  MarketEvent,
  QuoteEvent,
  TapeEvent,
  TradeEvent,
} from "./events.ts";
import { MAX_KEPT_ANOMALIES, TapeValidator } from "./validator.ts";
import { generateBtcTape } from "../synth/btc_tape.ts";

const M = "KXTEST-M1";
type Mut<T> = { -readonly [K in keyof T]: T[K] };

const SERIES: TapeEvent = {
  kind: "series",
  ts: 1000,
  series: "KXTEST",
  feeType: "quadratic",
  feeMultiplier: 10000,
};
const EVENT: TapeEvent = {
  kind: "event",
  ts: 1000,
  event: "KXTEST-E",
  series: "KXTEST",
  mutuallyExclusive: true,
};
const MARKET: MarketEvent = {
  kind: "market",
  ts: 1000,
  market: M,
  event: "KXTEST-E",
  strikeType: "between",
  floorStrike: 40,
  capStrike: 41,
  openTs: 1000,
  closeTs: 90000,
  priceStep: 100,
};
const SNAPSHOT: BookSnapshotEvent = {
  kind: "book_snapshot",
  ts: 2000,
  market: M,
  seq: 7,
  yesPrices: [3000, 2000],
  yesSizes: [500, 100],
  noPrices: [6000],
  noSizes: [500],
};
const HEADER: TapeEvent[] = [SERIES, EVENT, MARKET, SNAPSHOT];

const delta = (seq: number, over: Partial<Mut<BookDeltaEvent>> = {}): BookDeltaEvent => ({
  kind: "book_delta",
  ts: 3000,
  market: M,
  seq,
  side: "yes",
  price: 3000,
  delta: 100,
  ...over,
});
const trade = (over: Partial<Mut<TradeEvent>> = {}): TradeEvent => ({
  kind: "trade",
  ts: 3000,
  market: M,
  price: 5000,
  count: 100,
  takerSide: "yes",
  ...over,
});
const quote = (over: Partial<Mut<QuoteEvent>> = {}): QuoteEvent => ({
  kind: "quote",
  ts: 3000,
  market: M,
  yesBid: 4000,
  yesAsk: 4200,
  yesBidSize: 0,
  yesAskSize: 100,
  ...over,
});

function validator(strict = true, header = HEADER): TapeValidator {
  const v = new TapeValidator("t.tape", { strict });
  header.forEach((ev, i) => assert.equal(v.check(ev, i + 1), true));
  return v;
}

/** Strict: `ev` throws naming `field` (and `includes`); lenient: dropped and recorded. */
function rejects(ev: TapeEvent, field: string, includes: string[] = [], header = HEADER): void {
  const line = header.length + 1;
  const strict = validator(true, header);
  assert.throws(
    () => strict.check(ev, line),
    (e: unknown) => {
      assert.ok(e instanceof TapeError, String(e));
      assert.equal(e.file, "t.tape");
      assert.equal(e.line, line);
      assert.equal(e.field, field, e.message);
      for (const s of includes) assert.ok(e.message.includes(s), `${e.message} lacks ${s}`);
      return true;
    },
  );
  const lenient = validator(false, header);
  assert.equal(lenient.check(ev, line), false);
  assert.equal(lenient.anomalyCount, 1);
  assert.equal(lenient.anomalies[0].field, field);
  assert.equal(lenient.anomalies[0].line, line);
}

Deno.test("a whole synthetic tape passes", () => {
  const v = new TapeValidator("synthetic");
  const events = generateBtcTape({ seed: 1 });
  events.forEach((ev, i) => assert.equal(v.check(ev, i + 1), true));
  assert.equal(v.anomalyCount, 0);
  assert.equal(v.name, "synthetic");
  assert.equal(v.strict, true);
});

Deno.test("timestamps: non-negative safe integers, never decreasing", () => {
  for (const ts of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
    rejects({ kind: "underlying", ts, symbol: "X", value: 1 }, "ts", ["non-negative integer"]);
  }
  rejects({ kind: "underlying", ts: 1999, symbol: "X", value: 1 }, "ts", [
    "backwards from 2000 to 1999",
  ]);
  const v = validator();
  assert.equal(v.check({ kind: "underlying", ts: 2000, symbol: "X", value: 1 }, 5), true);
});

Deno.test("metadata must be declared before use", () => {
  rejects({ ...EVENT, ts: 3000, series: "NOPE" }, "series", ["unknown series"]);
  rejects({ ...MARKET, ts: 3000, market: "M2", event: "NOPE" }, "event", ["unknown event"]);
  for (
    const ev of [delta(8), trade(), quote(), SNAPSHOT, {
      kind: "lifecycle" as const,
      ts: 3000,
      market: M,
      status: "open" as const,
    }, { kind: "settlement" as const, ts: 3000, market: M, result: "no" as const }]
  ) {
    rejects({ ...ev, market: "NOPE" } as TapeEvent, "market", ["unknown market", "NOPE"]);
  }
  rejects(trade({ market: "" }), "market", ["non-empty string"]);
});

Deno.test("market redeclaration: same content accepted, different content rejected", () => {
  const v = validator();
  assert.equal(v.check({ ...MARKET, ts: 2500 }, 5), true);
  rejects({ ...MARKET, ts: 2500, capStrike: 42 }, "market", ["already declared"]);
});

Deno.test("market declarations: strikes, times, price step, enums", () => {
  const m2 = { ...MARKET, ts: 3000, market: "M2" };
  rejects({ ...m2, strikeType: "functional" } as unknown as TapeEvent, "strike_type");
  rejects({ ...m2, strikeType: "greater", floorStrike: undefined }, "floor_strike", ["missing"]);
  rejects({ ...m2, strikeType: "less", capStrike: undefined }, "cap_strike", ["missing"]);
  rejects({ ...m2, floorStrike: 5, capStrike: 4 }, "cap_strike", ["below floor"]);
  rejects({ ...m2, floorStrike: NaN }, "floor_strike", ["finite"]);
  rejects({ ...m2, openTs: 5, closeTs: 1 }, "close_ts", ["before open_ts"]);
  rejects({ ...m2, openTs: -5 }, "open_ts");
  rejects({ ...m2, priceStep: 0 }, "price_step", ["not positive", '"0.0000"']);
  rejects({ ...m2, priceStep: 1.5 }, "price_step");
  rejects({ ...m2, floorInclusive: 1 } as unknown as TapeEvent, "floor_inclusive", ["boolean"]);
  rejects({ ...SERIES, ts: 3000, feeType: "cubic" } as unknown as TapeEvent, "fee_type");
  rejects({ ...SERIES, ts: 3000, feeMultiplier: -1 }, "fee_multiplier");
  rejects({ ...SERIES, ts: 3000, series: "" }, "series");
  rejects({ ...EVENT, ts: 3000, event: "E2", outcomeStep: 0 }, "outcome_step", ["not positive"]);
  rejects(
    { ...EVENT, ts: 3000, event: "E2", mutuallyExclusive: "yes" } as unknown as TapeEvent,
    "mutually_exclusive",
  );
});

Deno.test("book snapshots: inner prices, positive sizes, sorted, no duplicates, not crossed", () => {
  const snap = (over: Partial<Mut<BookSnapshotEvent>>): BookSnapshotEvent => ({
    ...SNAPSHOT,
    ts: 3000,
    ...over,
  });
  rejects(snap({ yesPrices: [10000, 2000] }), "yes", ["book level 0", '"1.0000"']);
  rejects(snap({ noPrices: [0] }), "no", ["price not strictly between"]);
  rejects(snap({ yesSizes: [500, 0] }), "yes", ["book level 1: size not positive"]);
  rejects(snap({ yesPrices: [3000, 3000] }), "yes", ["duplicate", '"0.3000"']);
  rejects(snap({ yesPrices: [2000, 3000] }), "yes", ["not sorted"]);
  rejects(snap({ yesSizes: [500] }), "yes", ["parallel arrays"]);
  rejects(snap({ noPrices: [7001] }), "no", ["crossed", "10001"]);
  rejects(snap({ seq: -1 }), "seq");
  // Either side may be empty; a snapshot resets seq.
  const v = validator();
  assert.equal(v.check(snap({ seq: 50, yesPrices: [], yesSizes: [] }), 5), true);
  assert.equal(v.check(delta(51, { ts: 3001 }), 6), true);
});

Deno.test("deltas, trades, quotes, underlying, lifecycle, settlement", () => {
  rejects(delta(8, { price: 0 }), "price", ["not strictly between"]);
  rejects(delta(8, { price: 10000 }), "price");
  rejects(delta(8, { price: 12.5 }), "price", ["integer number of ticks"]);
  rejects(delta(8, { price: NaN }), "price");
  rejects(delta(8, { delta: 0 }), "delta", ["zero"]);
  rejects(delta(8, { delta: 1.5 }), "delta");
  rejects(delta(8, { side: "buy" } as unknown as BookDeltaEvent), "side", ['"buy"']);
  rejects(trade({ count: 0 }), "count", ["not positive", "0.00"]);
  rejects(trade({ takerSide: "YES" } as unknown as TradeEvent), "taker_side");
  rejects(quote({ yesBid: 4300 }), "yes_bid", ["crossed", "0.4300", "0.4200"]);
  rejects(quote({ yesAskSize: -100 }), "yes_ask_size", ["negative"]);
  rejects(quote({ yesAsk: 0 }), "yes_ask");
  rejects({ kind: "underlying", ts: 3000, symbol: "X", value: NaN }, "value", ["NaN"]);
  rejects({ kind: "underlying", ts: 3000, symbol: "", value: 1 }, "symbol");
  rejects(
    { kind: "lifecycle", ts: 3000, market: M, status: "paused" } as unknown as TapeEvent,
    "status",
  );
  rejects(
    { kind: "settlement", ts: 3000, market: M, result: "void" } as unknown as TapeEvent,
    "result",
  );
  rejects(
    { kind: "settlement", ts: 3000, market: M, result: "yes", expirationValue: Infinity },
    "expiration_value",
  );
  rejects({ kind: "orderbook", ts: 3000 } as unknown as TapeEvent, "type", ["unknown type"]);
  // A locked quote is fine.
  assert.equal(validator().check(quote({ yesBid: 4200 }), 5), true);
});

Deno.test("seq continuity: strict throws; lenient records and keeps the event", () => {
  assert.throws(
    () => validator().check(delta(10), 5),
    (e: unknown) =>
      e instanceof TapeError && e.field === "seq" && e.line === 5 &&
      e.message.includes("seq gap for market KXTEST-M1: expected 8, current value is 10"),
  );
  const noSnapshot = HEADER.slice(0, 3);
  const strict = validator(true, noSnapshot);
  assert.throws(() => strict.check(delta(1), 4), /no book_snapshot yet/);

  const v = validator(false);
  assert.equal(v.check(delta(10), 5), true, "gap kept");
  assert.equal(v.check(delta(11, { ts: 3001 }), 6), true, "resynced");
  assert.equal(v.anomalyCount, 1);
  assert.deepEqual(v.anomalies[0], {
    file: "t.tape",
    line: 5,
    field: "seq",
    detail: `Cannot apply delta: seq gap for market ${M}: expected 8, current value is 10`,
  });
});

Deno.test("a rejected event leaves the state unchanged", () => {
  const v = validator(false);
  // Rejected for a bad price: neither ts nor seq move.
  assert.equal(v.check(delta(8, { ts: 9000, price: 0 }), 5), false);
  assert.equal(v.check(delta(8, { ts: 3000 }), 6), true);
  // A rejected market declaration does not declare it.
  assert.equal(v.check({ ...MARKET, ts: 3000, market: "M2", closeTs: 1 }, 7), false);
  assert.equal(v.check(trade({ market: "M2" }), 8), false);
  assert.equal(v.anomalyCount, 3);
});

Deno.test("metadata is copied: a reader may reuse its event objects", () => {
  const v = new TapeValidator("reuse");
  v.check(SERIES, 1);
  v.check(EVENT, 2);
  const reused: Mut<MarketEvent> = { ...MARKET };
  assert.equal(v.check(reused, 3), true);
  reused.market = "M2";
  reused.capStrike = 99;
  assert.equal(v.check(reused, 4), true);
  // M1 is still declared with its own content.
  assert.equal(v.check({ ...MARKET }, 5), true);
  assert.throws(() => v.check({ ...MARKET, capStrike: 99 }, 6), /already declared/);
});

Deno.test("reject and record: reader-found problems share the anomaly list", () => {
  const v = new TapeValidator("r", { strict: false });
  assert.equal(v.reject(3, "(line)", "Cannot parse JSON: bad"), false);
  v.record(new TapeError({ file: "r", line: 4 }, "price", "Cannot parse price: x"));
  assert.equal(v.anomalyCount, 2);
  assert.deepEqual(v.anomalies.map((a) => a.line), [3, 4]);
  assert.throws(() => new TapeValidator("s").reject(1, "f", "d"), TapeError);
});

Deno.test("lenient mode keeps the first 1000 anomalies and counts all", () => {
  const v = new TapeValidator("many", { strict: false });
  for (let i = 1; i <= 1500; i++) {
    assert.equal(v.check({ kind: "underlying", ts: -i, symbol: "X", value: 1 }, i), false);
  }
  assert.equal(v.anomalyCount, 1500);
  assert.equal(v.anomalies.length, MAX_KEPT_ANOMALIES);
});

Deno.test("check with slot ids gives the same results and anomalies as by name", () => {
  // A synthetic tape with problems: undeclared markets, seq gaps, a backwards ts.
  const events = generateBtcTape({ seed: 3, hours: 1 }).map((e, i) => {
    if (i % 997 === 5 && "market" in e && e.kind !== "market") {
      return { ...e, market: "NOPE" } as TapeEvent;
    }
    if (i % 1501 === 7 && e.kind === "book_delta") return { ...e, seq: e.seq + 5 } as TapeEvent;
    if (i % 2003 === 9) return { ...e, ts: e.ts - 100_000 } as TapeEvent;
    return e;
  });
  const byName = new TapeValidator("t", { strict: false });
  const bySlot = new TapeValidator("t", { strict: false });
  const slots = new Map<string, number>();
  const kept = [0, 0];
  events.forEach((e, i) => {
    let slot = -1;
    if ("market" in e && typeof e.market === "string") {
      slot = slots.get(e.market) ?? slots.size;
      slots.set(e.market, slot);
    }
    const a = byName.check(e, i + 1);
    const b = bySlot.check(e, i + 1, slot);
    assert.equal(b, a, `line ${i + 1}`);
    if (a) kept[0]++;
    if (b) kept[1]++;
  });
  assert.ok(byName.anomalyCount > 10);
  assert.equal(bySlot.anomalyCount, byName.anomalyCount);
  assert.deepEqual(bySlot.anomalies, byName.anomalies);
  // Strict mode throws the same error either way.
  const s1 = new TapeValidator("t");
  const s2 = new TapeValidator("t");
  for (const e of HEADER) {
    s1.check(e, 1);
    s2.check(e, 1, 0);
  }
  const bad = delta(9);
  assert.throws(() => s1.check(bad, 5), (e) => e instanceof TapeError && e.field === "seq");
  assert.throws(() => s2.check(bad, 5, 0), (e) => e instanceof TapeError && e.field === "seq");
});

Deno.test("absorb takes over another validator's anomalies, keeping the first 1000", () => {
  const v = new TapeValidator("t", { strict: false });
  v.reject(1, "ts", "first");
  const a = { file: "t", line: 2, field: "price", detail: "second" };
  v.absorb([a], 1);
  assert.equal(v.anomalyCount, 2);
  assert.deepEqual(v.anomalies.map((x) => x.detail), ["first", "second"]);
  const many = Array.from({ length: 1200 }, (_, i) => ({ ...a, line: i }));
  v.absorb(many.slice(0, 998), 5000);
  assert.equal(v.anomalyCount, 5002);
  assert.equal(v.anomalies.length, MAX_KEPT_ANOMALIES);
  v.absorb([a], 1);
  assert.equal(v.anomalies.length, MAX_KEPT_ANOMALIES);
  assert.equal(v.anomalyCount, 5003);
});
