import assert from "node:assert/strict";
import type { TapeEvent } from "../lib/tape/events.ts";
import { MockOrders } from "./orders.ts";
import { type Happening, TapePlayer } from "./tape_player.ts";

const T0 = 1_767_884_400_000;
const M = "S-E-T1";

function setup(extra: TapeEvent[] = []) {
  const tape: TapeEvent[] = [
    { kind: "series", ts: T0, series: "S", feeType: "quadratic", feeMultiplier: 10000 },
    { kind: "event", ts: T0, event: "S-E", series: "S", mutuallyExclusive: false },
    {
      kind: "market",
      ts: T0,
      market: M,
      event: "S-E",
      strikeType: "greater",
      floorStrike: 1,
      openTs: T0,
      closeTs: T0 + 60_000,
      priceStep: 100,
    },
    { kind: "lifecycle", ts: T0, market: M, status: "open" },
    {
      kind: "book_snapshot",
      ts: T0,
      market: M,
      seq: 1,
      yesPrices: [5500, 5400],
      yesSizes: [1000, 2000],
      noPrices: [4300, 4200],
      noSizes: [800, 500],
    },
    ...extra,
  ];
  const player = new TapePlayer(tape, { speed: 0 });
  const orders = new MockOrders(player, () => T0 + 5);
  const seen: Happening[] = [];
  player.onHappening((h) => seen.push(h));
  player.step(5);
  seen.length = 0;
  return { player, orders, seen, book: player.markets.get(M)!.book };
}

Deno.test("MockOrders: a crossing buy takes liquidity best first, trades, rests the rest", () => {
  const { orders, seen, book } = setup();
  // Buy YES at 0.58: crosses NO bids >= 0.42 (YES asks 0.57 and 0.58).
  const a = orders.create({
    ticker: M,
    side: "yes",
    action: "buy",
    count_fp: "15.00",
    yes_price_dollars: "0.5800",
    client_order_id: "c1",
  });
  assert.equal(a.status, 201);
  const o = a.body.order as Record<string, unknown>;
  assert.equal(o.status, "resting");
  assert.equal(o.fill_count_fp, "13.00");
  assert.equal(o.remaining_count_fp, "2.00");
  assert.equal(o.yes_price_dollars, "0.5800");
  assert.equal(o.taker_fill_cost_dollars, "7.4600"); // 8 x 0.57 + 5 x 0.58
  assert.equal(o.book_side, "bid");
  assert.deepEqual(book.levels("no"), []);
  assert.deepEqual(book.levels("yes"), [[5800, 200], [5500, 1000], [5400, 2000]]);
  const trades = seen.filter((h) => h.kind === "trade");
  assert.deepEqual(
    trades.map((t) => t.kind === "trade" && [t.price, t.count, t.takerSide, t.byOrder]),
    [[5700, 800, "yes", true], [5800, 500, "yes", true]],
  );
  const books = seen.filter((h) => h.kind === "book");
  assert.ok(books.every((h) => h.kind === "book" && h.clientOrderId === "c1"));
});

Deno.test("MockOrders: sell YES is a NO bid; IOC and FOK; post-only; no self-trade", () => {
  const { orders, book } = setup();
  // Sell YES at 0.56 = NO bid at 0.44: crosses YES bids >= 0.56: none, so it rests on NO at 0.44.
  const r = orders.create({
    ticker: M,
    side: "yes",
    action: "sell",
    count_fp: "1",
    yes_price_dollars: "0.5600",
  });
  assert.equal((r.body.order as Record<string, unknown>).status, "resting");
  assert.equal(book.size("no", 4400), 100);
  // A buy of YES at 0.56 would only cross our own NO bid: self-trade prevention cancels it.
  const s = orders.create({ ticker: M, side: "yes", action: "buy", count: 1, yes_price: 56 });
  const so = s.body.order as Record<string, unknown>;
  assert.deepEqual([so.status, so.fill_count_fp], ["canceled", "0.00"]);
  assert.equal(book.size("yes", 5600), 0);
  // IOC sell YES at 0.55 fills 10 against the 0.55 YES bid, cancels the rest.
  const i = orders.create({
    ticker: M,
    side: "yes",
    action: "sell",
    count_fp: "12",
    yes_price_dollars: "0.5500",
    time_in_force: "immediate_or_cancel",
  });
  const io = i.body.order as Record<string, unknown>;
  assert.deepEqual([io.status, io.fill_count_fp], ["canceled", "10.00"]);
  // FOK buy NO at 0.47 for 100 contracts cannot fill completely: nothing happens.
  const before = book.levels("yes");
  const f = orders.create({
    ticker: M,
    side: "no",
    action: "buy",
    count_fp: "100",
    no_price_dollars: "0.4700",
    time_in_force: "fill_or_kill",
  });
  assert.deepEqual([
    (f.body.order as Record<string, unknown>).status,
    (f.body.order as Record<string, unknown>).fill_count_fp,
  ], ["canceled", "0.00"]);
  assert.deepEqual(book.levels("yes"), before);
  const p = orders.create({
    ticker: M,
    side: "no",
    action: "buy",
    count_fp: "1",
    no_price_dollars: "0.4700",
    post_only: true,
  });
  assert.equal(p.status, 400);
  assert.match(JSON.stringify(p.body), /post_only_cross/);
});

Deno.test("MockOrders: a tape trade fills crossing resting orders; cancel and list", () => {
  const { player, orders, book } = setup([
    { kind: "trade", ts: T0 + 10, market: M, price: 5600, count: 300, takerSide: "no" },
  ]);
  const a = orders.create({
    ticker: M,
    side: "yes",
    action: "buy",
    count_fp: "5",
    yes_price_dollars: "0.5600",
  });
  const id = (a.body.order as Record<string, unknown>).order_id as string;
  assert.equal(book.size("yes", 5600), 500);
  player.step(); // the taker sold YES (bought NO) at 0.56: our YES bid at 0.56 fills 3
  const o = orders.get(id).body.order as Record<string, unknown>;
  assert.deepEqual([o.status, o.fill_count_fp, o.remaining_count_fp], ["resting", "3.00", "2.00"]);
  assert.equal(o.maker_fill_cost_dollars, "1.6800");
  assert.equal(book.size("yes", 5600), 200);
  const c = orders.cancel(id);
  assert.equal(c.status, 200);
  assert.equal(c.body.reduced_by_fp, "2.00");
  assert.equal(book.size("yes", 5600), 0);
  assert.equal(orders.cancel(id).status, 409);
  assert.equal(orders.cancel("nope").status, 404);
  assert.equal(orders.get("nope").status, 404);
  const list = orders.list(new URLSearchParams({ status: "canceled" }));
  assert.equal((list.body.orders as unknown[]).length, 1);
  assert.equal(orders.list(new URLSearchParams({ status: "x" })).status, 400);
});

Deno.test("MockOrders: closing a market cancels its resting orders", () => {
  const { player, orders, book } = setup([{
    kind: "lifecycle",
    ts: T0 + 10,
    market: M,
    status: "closed",
  }]);
  orders.create({
    ticker: M,
    side: "no",
    action: "buy",
    count_fp: "2",
    no_price_dollars: "0.3000",
  });
  assert.equal(book.size("no", 3000), 200);
  player.step();
  assert.equal(book.size("no", 3000), 0);
  assert.equal(orders.all[0].status, "canceled");
  const late = orders.create({
    ticker: M,
    side: "no",
    action: "buy",
    count_fp: "2",
    no_price_dollars: "0.3000",
  });
  assert.equal(late.status, 409);
});

Deno.test("MockOrders: bad orders are 400/404 with Kalshi's error body", () => {
  const { orders } = setup();
  const cases: [unknown, number, RegExp][] = [
    [null, 400, /body must be a JSON object/],
    [{}, 400, /ticker is required/],
    [{ ticker: "NOPE" }, 404, /market NOPE not found/],
    [{ ticker: M, side: "maybe" }, 400, /side must be yes or no/],
    [{ ticker: M, side: "yes", action: "hold" }, 400, /action must be buy or sell/],
    [{ ticker: M, side: "yes", action: "buy" }, 400, /count_fp \(or count\) is required/],
    [{ ticker: M, side: "yes", action: "buy", count_fp: "1.001" }, 400, /count/],
    [{ ticker: M, side: "yes", action: "buy", count_fp: "0" }, 400, /count must be positive/],
    [{ ticker: M, side: "yes", action: "buy", count_fp: "1" }, 400, /exactly one of/],
    [
      {
        ticker: M,
        side: "yes",
        action: "buy",
        count_fp: "1",
        yes_price_dollars: "0.5",
        no_price_dollars: "0.5",
      },
      400,
      /exactly one of/,
    ],
    [
      { ticker: M, side: "yes", action: "buy", count_fp: "1", yes_price_dollars: "1.0000" },
      400,
      /inside \$0..\$1/,
    ],
    [
      { ticker: M, side: "yes", action: "buy", count_fp: "1", yes_price_dollars: "0.5050" },
      400,
      /price step/,
    ],
    [
      { ticker: M, side: "yes", action: "buy", count_fp: "1", yes_price_dollars: 0.5 },
      400,
      /dollar string/,
    ],
    [
      {
        ticker: M,
        side: "yes",
        action: "buy",
        count_fp: "1",
        yes_price_dollars: "0.5",
        time_in_force: "gtd",
      },
      400,
      /time_in_force/,
    ],
  ];
  for (const [body, status, re] of cases) {
    const a = orders.create(body);
    assert.equal(a.status, status, JSON.stringify(body));
    assert.match(JSON.stringify(a.body), re);
    assert.ok("error" in a.body);
  }
});

Deno.test("MockOrders: tape liquidity moving through a resting order trades with it", () => {
  const { player, orders, book, seen } = setup([
    { kind: "book_delta", ts: T0 + 10, market: M, seq: 2, side: "no", price: 4500, delta: 300 },
  ]);
  orders.create({
    ticker: M,
    side: "yes",
    action: "buy",
    count_fp: "5",
    yes_price_dollars: "0.5600",
  });
  seen.length = 0;
  player.step(); // a NO bid at 0.45 appears: YES ask 0.55 is below our 0.56 bid
  assert.equal(book.size("no", 4500), 0);
  assert.equal(book.size("yes", 5600), 200);
  assert.equal(book.isCrossed(), false);
  const o = orders.all[0];
  assert.deepEqual([o.status, o.filled, o.remaining], ["resting", 300, 200]);
  const t = seen.find((h) => h.kind === "trade");
  assert.ok(t?.kind === "trade" && t.price === 5600 && t.count === 300 && t.takerSide === "no");
});
