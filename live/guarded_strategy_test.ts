import assert from "node:assert/strict";
import type { Strategy, StrategyContext } from "../lib/engine/strategy.ts";
import { K_UNDERLYING, type TapeEvent } from "../lib/tape/events.ts";
import type { DryBroker } from "./dry_broker.ts";
import { GuardedStrategy } from "./guarded_strategy.ts";

/** A broker stand-in that blocks orders on market "B" and passes the rest. */
function fakeBroker(log: string[]): DryBroker {
  return {
    observe: (ev: TapeEvent) => log.push(`observe ${ev.ts}`),
    submit: (o: { market: string }, ctx: StrategyContext) => {
      if (o.market === "B") {
        return {
          id: -1,
          blocked: { id: -1, state: "rejected", rejectReason: "risk", rejectMessage: "blocked" },
        };
      }
      return { id: ctx.submit(o as never) };
    },
    cancel: (id: number, ctx: StrategyContext) => ctx.cancel(id),
    onFill: () => log.push("broker.fill"),
    onDone: () => log.push("broker.done"),
    onCancelRejected: (id: number) => log.push(`broker.cancelRejected ${id}`),
  } as unknown as DryBroker;
}

Deno.test("GuardedStrategy: passes the venue's context through, except submit and cancel", () => {
  const log: string[] = [];
  const seen: Record<string, unknown> = {};
  const inner: Strategy = {
    name: "inner",
    params: { a: 1 },
    onEvent(_ev, ctx, market, kind) {
      seen.market = market;
      seen.kind = kind;
      seen.number = ctx.marketNumber("A");
      seen.now = ctx.now;
      seen.random = ctx.random();
      seen.pos = ctx.position("A");
      seen.id = ctx.submit({
        market: "A",
        side: "yes",
        limitPrice: 5000,
        count: 100,
        timeInForce: "ioc",
      });
      seen.blocked = ctx.submit({
        market: "B",
        side: "yes",
        limitPrice: 5000,
        count: 100,
        timeInForce: "ioc",
      });
      ctx.cancel(7);
    },
    onOrderDone(o) {
      log.push(`inner.done ${o.id}`);
    },
    onFill() {
      log.push("inner.fill");
    },
  };
  const venue = {
    now: 42,
    random: () => 0.25,
    position: () => 300,
    marketNumber: (m: string) => (m === "A" ? 3 : -1),
    submit: () => (log.push("venue.submit"), 11),
    cancel: (id: number) => log.push(`venue.cancel ${id}`),
  } as unknown as StrategyContext;
  const g = new GuardedStrategy(inner, fakeBroker(log), { onEvent: () => log.push("tick") });
  assert.equal(g.name, "inner");
  assert.deepEqual(g.params, { a: 1 });
  g.onEvent({ kind: "underlying", ts: 5, symbol: "X", value: 1 }, venue, 9, K_UNDERLYING);
  assert.deepEqual(seen, {
    market: 9,
    kind: K_UNDERLYING,
    number: 3,
    now: 42,
    random: 0.25,
    pos: 300,
    id: 11,
    blocked: -1,
  });
  assert.deepEqual(log, ["tick", "observe 5", "venue.submit", "inner.done -1", "venue.cancel 7"]);
  log.length = 0;
  g.onFill({} as never, venue);
  g.onOrderDone({ id: 11 } as never, venue);
  assert.deepEqual(log, ["broker.fill", "inner.fill", "broker.done", "inner.done 11"]);
});

Deno.test("GuardedStrategy: a strategy without optional callbacks is fine", () => {
  const inner: Strategy = { name: "bare", params: {}, onEvent() {} };
  const g = new GuardedStrategy(inner, fakeBroker([]));
  const venue = {} as StrategyContext;
  g.onFill({} as never, venue);
  g.onOrderDone({ id: 1 } as never, venue);
  g.onCancelRejected(1, "order_not_live", venue);
});
