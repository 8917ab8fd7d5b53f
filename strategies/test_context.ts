/**
 * A hand-driven {@link StrategyContext} for strategy unit tests: ladders, books,
 * positions, open markets and close times are set by the test; orders and
 * forecasts are recorded. Test support only: nothing in the workbench imports it.
 *
 * @module
 */

import type {
  BookView,
  MakerOrderView,
  OrderIntent,
  StrategyContext,
} from "../lib/engine/strategy.ts";
import { buildLadder, type Ladder, LadderError } from "../lib/market/ladder.ts";
import type { FeeParams } from "../lib/fees/fees.ts";
import {
  type EventEvent,
  KIND_CODE,
  type MarketEvent,
  type TapeEvent,
} from "../lib/tape/events.ts";

/** A top-of-book view for tests. */
export function testBook(
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
    updatedTs: 0,
  };
}

/** The fake context. `fee` applies to every series in `series`. */
export class FakeContext implements StrategyContext {
  now = 0;
  ladders = new Map<string, Ladder>();
  books = new Map<string, BookView>();
  positions = new Map<string, number>();
  open = new Set<string>();
  closes = new Map<string, number>();
  seriesByEvent = new Map<string, string>();
  fee: FeeParams = { feeType: "quadratic", multiplier: 10_000 };
  orders: OrderIntent[] = [];
  forecasts: { ts: number; event: string; pmf: Float64Array }[] = [];
  /** Market numbers, given in declaration order by {@link deliverAll}. */
  numbers = new Map<string, number>();

  random(): number {
    throw new Error("strategies must not use randomness here");
  }
  ladder(event: string): Ladder | undefined {
    return this.ladders.get(event);
  }
  seriesOf(event: string): string | undefined {
    return this.seriesByEvent.get(event);
  }
  fees(series: string): FeeParams | undefined {
    return [...this.seriesByEvent.values()].includes(series) ? this.fee : undefined;
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
  isOpen(market: string): boolean {
    return this.open.has(market) && this.now < (this.closes.get(market) ?? Infinity);
  }
  marketNumber(market: string): number {
    return this.numbers.get(market) ?? -1;
  }
  submit(order: OrderIntent): number {
    this.orders.push(order);
    return this.orders.length;
  }
  cancels: number[] = [];
  cancel(orderId: number): void {
    this.cancels.push(orderId);
  }
  openOrders(_market: string): readonly MakerOrderView[] {
    return [];
  }
  forecast(event: string, pmf: Float64Array): void {
    this.forecasts.push({ ts: this.now, event, pmf: Float64Array.from(pmf) });
  }
}

/**
 * Deliver `events` to `strategy` through `ctx` the way the engine would for
 * metadata: ladders are (re)built from event and market events, lifecycle
 * events open and close markets, close times are recorded. Books are not
 * simulated (set `ctx.books` to test trading).
 */
export function deliverAll(
  strategy: { onEvent(ev: TapeEvent, ctx: StrategyContext, market: number, kind: number): void },
  ctx: FakeContext,
  events: readonly TapeEvent[],
): void {
  const eventMeta = new Map<string, EventEvent>();
  const markets = new Map<string, MarketEvent[]>();
  for (const ev of events) {
    ctx.now = ev.ts;
    switch (ev.kind) {
      case "event":
        eventMeta.set(ev.event, ev);
        ctx.seriesByEvent.set(ev.event, ev.series);
        markets.set(ev.event, []);
        break;
      case "market": {
        const list = markets.get(ev.event)!;
        list.push(ev);
        ctx.closes.set(ev.market, ev.closeTs);
        if (!ctx.numbers.has(ev.market)) ctx.numbers.set(ev.market, ctx.numbers.size);
        try {
          ctx.ladders.set(ev.event, buildLadder(eventMeta.get(ev.event)!, list));
        } catch (e) {
          if (!(e instanceof LadderError)) throw e;
          ctx.ladders.delete(ev.event); // markets still arriving
        }
        break;
      }
      case "lifecycle":
        if (ev.status === "open") ctx.open.add(ev.market);
        else ctx.open.delete(ev.market);
        break;
    }
    strategy.onEvent(
      ev,
      ctx,
      "market" in ev ? ctx.marketNumber(ev.market) : -1,
      KIND_CODE[ev.kind],
    );
  }
}
