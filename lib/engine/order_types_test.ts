import assert from "node:assert/strict";
import {
  isLiveState,
  isOnTickGrid,
  isTerminalState,
  type LimitOrderIntent,
  ORDER_STATES,
  orderIntentProblem,
  TIME_IN_FORCE,
  validateCancelIntent,
  validateOrderIntent,
  validateTickGrid,
} from "./order_types.ts";
import type { OrderIntent } from "./strategy.ts";

const base: LimitOrderIntent = {
  market: "M",
  side: "yes",
  limitPrice: 4200,
  count: 500,
  timeInForce: "gtc",
};

Deno.test("a well-formed order has no problem, for every time in force", () => {
  for (const tif of TIME_IN_FORCE) {
    assert.equal(orderIntentProblem({ ...base, timeInForce: tif }, 100), undefined);
  }
  assert.equal(orderIntentProblem({ ...base, side: "no", limitPrice: 1 }, 1), undefined);
  assert.equal(orderIntentProblem({ ...base, limitPrice: 9999 }, 1), undefined);
  assert.equal(orderIntentProblem({ ...base, expireTs: 2000 }, 100, 1000), undefined);
  validateOrderIntent(base, 100);
});

Deno.test("the IOC-only OrderIntent of the strategy port is a LimitOrderIntent", () => {
  const old: OrderIntent = {
    market: "M",
    side: "no",
    limitPrice: 5600,
    count: 100,
    timeInForce: "ioc",
    reason: "x",
  };
  const widened: LimitOrderIntent = old;
  assert.equal(orderIntentProblem(widened, 100), undefined);
});

Deno.test("price must be an integer in 1..9999 ticks and on the grid", () => {
  for (const p of [0, -100, 10000, 10100, 4200.5, Number.NaN, Infinity]) {
    assert.equal(
      orderIntentProblem({ ...base, limitPrice: p }, 1)?.reason,
      "invalid_price",
      `${p}`,
    );
  }
  const off = orderIntentProblem({ ...base, limitPrice: 4250 }, 100);
  assert.equal(off?.reason, "off_tick_grid");
  assert.match(off!.message, /^Cannot accept order: .*current value is 4250$/);
  assert.throws(() => validateOrderIntent({ ...base, limitPrice: 4250 }, 100), RangeError);
});

Deno.test("count must be a positive safe integer of centi-contracts", () => {
  for (const c of [0, -100, 1.5, Number.NaN, 2 ** 53]) {
    assert.equal(orderIntentProblem({ ...base, count: c }, 100)?.reason, "invalid_count", `${c}`);
  }
  assert.equal(orderIntentProblem({ ...base, count: 1 }, 100), undefined); // 0.01 contract
});

Deno.test("side and time in force outside their sets are rejected", () => {
  const badSide = { ...base, side: "maybe" } as unknown as LimitOrderIntent;
  assert.equal(orderIntentProblem(badSide, 100)?.reason, "invalid_side");
  const badTif = { ...base, timeInForce: "fok" } as unknown as LimitOrderIntent;
  assert.equal(orderIntentProblem(badTif, 100)?.reason, "invalid_time_in_force");
});

Deno.test("expiry: integer, not on IOC, after the submit time", () => {
  const ioc = { ...base, timeInForce: "ioc", expireTs: 5000 } as const;
  assert.equal(orderIntentProblem(ioc, 100)?.reason, "invalid_expiry");
  assert.equal(orderIntentProblem({ ...base, expireTs: 1.5 }, 100)?.reason, "invalid_expiry");
  assert.equal(
    orderIntentProblem({ ...base, expireTs: 1000 }, 100, 1000)?.reason,
    "invalid_expiry",
  );
  assert.equal(orderIntentProblem({ ...base, expireTs: 999 }, 100, 1000)?.reason, "invalid_expiry");
  // Without a submit time only the form is checked.
  assert.equal(orderIntentProblem({ ...base, expireTs: 999 }, 100), undefined);
});

Deno.test("tick grids: uniform steps and Kalshi-style price ranges (inclusive ends)", () => {
  const ranges = [
    { start: 0, end: 1000, step: 10 },
    { start: 1000, end: 9000, step: 100 },
    { start: 9000, end: 10000, step: 10 },
  ];
  validateTickGrid(ranges);
  assert.equal(isOnTickGrid(250, ranges), true);
  assert.equal(isOnTickGrid(255, ranges), false);
  assert.equal(isOnTickGrid(1000, ranges), true);
  assert.equal(isOnTickGrid(1010, ranges), false);
  assert.equal(isOnTickGrid(4200, ranges), true);
  assert.equal(isOnTickGrid(9990, ranges), true);
  assert.equal(isOnTickGrid(4200.5, 1), false);
  assert.equal(orderIntentProblem({ ...base, limitPrice: 1010 }, ranges)?.reason, "off_tick_grid");
  assert.equal(orderIntentProblem({ ...base, limitPrice: 9990 }, ranges), undefined);
});

Deno.test("invalid tick grids are RangeErrors", () => {
  for (const g of [0, -1, 1.5, 10001, Number.NaN]) {
    assert.throws(() => validateTickGrid(g), /Cannot use tick grid: .*current value is/);
  }
  assert.throws(() => validateTickGrid([]), RangeError);
  assert.throws(() => validateTickGrid([{ start: 500, end: 100, step: 10 }]), RangeError);
  assert.throws(() => validateTickGrid([{ start: 0, end: 10001, step: 10 }]), RangeError);
  assert.throws(() => validateTickGrid([{ start: 0, end: 100, step: 0 }]), RangeError);
});

Deno.test("cancel intents need a market and a positive integer id", () => {
  validateCancelIntent({ market: "M", orderId: 1 });
  assert.throws(() => validateCancelIntent({ market: "", orderId: 1 }), RangeError);
  assert.throws(() => validateCancelIntent({ market: "M", orderId: 0 }), /current value is 0/);
  assert.throws(() => validateCancelIntent({ market: "M", orderId: 1.5 }), RangeError);
});

Deno.test("order states: live and terminal partition all but pending_arrival", () => {
  const live = ORDER_STATES.filter(isLiveState);
  const terminal = ORDER_STATES.filter(isTerminalState);
  assert.deepEqual(live, ["resting", "partially_filled"]);
  assert.deepEqual(terminal, ["filled", "cancelled", "expired", "rejected"]);
  assert.equal(isLiveState("pending_arrival") || isTerminalState("pending_arrival"), false);
});
