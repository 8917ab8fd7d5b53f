/**
 * Checks shared by the tests of the SYNTHETIC ladder generators. Test support
 * only: nothing in the workbench imports it.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { EventEvent, MarketEvent, SettlementEvent, TapeEvent } from "../tape/events.ts";
import { formatEventLine } from "../tape/ndjson_writer.ts";
import { parseNdjsonText } from "../tape/ndjson_reader.ts";
import { buildLadder } from "../market/ladder.ts";
import { intervalContains, marketInterval } from "../market/interval.ts";

/** What {@link checkLadderTape} found. */
export interface TapeSummary {
  readonly events: EventEvent[];
  readonly markets: Map<string, MarketEvent>;
  readonly settlements: Map<string, SettlementEvent>;
  readonly underlying: { ts: number; symbol: string; value: number }[];
}

/**
 * The tape passes the strict NDJSON reader (round trip), is in time order, every
 * event's markets form a ladder, every market settles once after its close, the
 * result agrees with its YES interval at the expiration value, and an event's
 * markets share one expiration value.
 */
export function checkLadderTape(tape: readonly TapeEvent[]): TapeSummary {
  const text = tape.map(formatEventLine).join("\n");
  const back = [...parseNdjsonText(text, "synthetic", { strict: true })];
  assert.equal(back.length, tape.length, "strict NDJSON round trip");
  for (let i = 1; i < tape.length; i++) assert.ok(tape[i].ts >= tape[i - 1].ts, `ts order at ${i}`);
  const events: EventEvent[] = [];
  const markets = new Map<string, MarketEvent>();
  const settlements = new Map<string, SettlementEvent>();
  const underlying: { ts: number; symbol: string; value: number }[] = [];
  for (const e of tape) {
    if (e.kind === "event") events.push(e);
    else if (e.kind === "market") markets.set(e.market, e);
    else if (e.kind === "underlying") {
      underlying.push({ ts: e.ts, symbol: e.symbol, value: e.value });
    } else if (e.kind === "settlement") {
      assert.ok(!settlements.has(e.market), `${e.market} settles once`);
      settlements.set(e.market, e);
    }
  }
  for (const ev of events) {
    const ms = [...markets.values()].filter((m) => m.event === ev.event);
    assert.ok(ms.length > 0, `${ev.event} has markets`);
    buildLadder(ev, ms); // throws when they do not partition the line
    const values = new Set<number>();
    for (const m of ms) {
      const s = settlements.get(m.market);
      assert.ok(s !== undefined, `${m.market} settles`);
      assert.ok(s.ts >= m.closeTs, `${m.market} settles after close`);
      assert.ok(s.expirationValue !== undefined);
      values.add(s.expirationValue!);
      const yes = intervalContains(marketInterval(m), s.expirationValue!);
      assert.equal(s.result, yes ? "yes" : "no", `${m.market} at ${s.expirationValue}`);
    }
    assert.equal(values.size, 1, `${ev.event} has one outcome`);
  }
  return { events, markets, settlements, underlying };
}
