/**
 * Writer of the NDJSON tape: the same form {@link ../tape/ndjson_reader.ts}
 * reads (docs/TAPE.md), so a recorded session replays as a backtest.
 *
 * Keys come in a fixed order: `ts`, `type`, then the type's fields in the
 * order of docs/TAPE.md; optional fields that are undefined are left out.
 * Prices are written as 4-decimal dollar strings, counts as 2-decimal
 * contract strings.
 *
 * @example Format one event
 * ```ts
 * import { formatEventLine } from "./ndjson_writer.ts";
 *
 * const line = formatEventLine({ kind: "underlying", ts: 5, symbol: "BTC", value: 97000.5 });
 * // '{"ts":5,"type":"underlying","symbol":"BTC","value":97000.5}'
 * console.log(line);
 * ```
 *
 * @module
 */

import { formatPrice } from "../units/price.ts";
import { formatCount } from "../units/quantity.ts";
import type { TapeEvent } from "./events.ts";

const str = JSON.stringify;

/** A finite number as JSON; refuses NaN and infinities, which JSON cannot hold. */
function num(v: number, field: string): string {
  if (!Number.isFinite(v)) {
    throw new RangeError(
      `Cannot write field "${field}": not a finite number, current value is ${v}`,
    );
  }
  return String(v);
}

function levels(prices: readonly number[], sizes: readonly number[]): string {
  let s = "[";
  for (let i = 0; i < prices.length; i++) {
    if (i > 0) s += ",";
    s += `["${formatPrice(prices[i])}","${formatCount(sizes[i])}"]`;
  }
  return s + "]";
}

/**
 * Formats one event as one NDJSON line (no line terminator).
 *
 * @param ev The event, in in-memory units (ticks, centi-contracts, ms).
 * @returns The JSON line.
 * @throws {RangeError} When a number cannot be written (NaN, infinite, out-of-range price or count).
 */
export function formatEventLine(ev: TapeEvent): string {
  const head = `{"ts":${ev.ts},"type":"${ev.kind}"`;
  switch (ev.kind) {
    case "book_delta":
      return `${head},"market":${str(ev.market)},"seq":${ev.seq},"side":"${ev.side}","price":"${
        formatPrice(ev.price)
      }","delta":"${formatCount(ev.delta)}"}`;
    case "trade":
      return `${head},"market":${str(ev.market)},"price":"${formatPrice(ev.price)}","count":"${
        formatCount(ev.count)
      }","taker_side":"${ev.takerSide}"}`;
    case "quote": {
      let s = `${head},"market":${str(ev.market)},"yes_bid":"${
        formatPrice(ev.yesBid)
      }","yes_ask":"${formatPrice(ev.yesAsk)}"`;
      if (ev.yesBidSize !== 0) s += `,"yes_bid_size":"${formatCount(ev.yesBidSize)}"`;
      if (ev.yesAskSize !== 0) s += `,"yes_ask_size":"${formatCount(ev.yesAskSize)}"`;
      return s + "}";
    }
    case "book_snapshot":
      return `${head},"market":${str(ev.market)},"seq":${ev.seq},"yes":${
        levels(ev.yesPrices, ev.yesSizes)
      },"no":${levels(ev.noPrices, ev.noSizes)}}`;
    case "underlying":
      return `${head},"symbol":${str(ev.symbol)},"value":${num(ev.value, "value")}}`;
    case "lifecycle":
      return `${head},"market":${str(ev.market)},"status":"${ev.status}"}`;
    case "settlement": {
      let s = `${head},"market":${str(ev.market)},"result":"${ev.result}"`;
      if (ev.expirationValue !== undefined) {
        s += `,"expiration_value":${num(ev.expirationValue, "expiration_value")}`;
      }
      return s + "}";
    }
    case "series":
      return `${head},"series":${str(ev.series)},"fee_type":"${ev.feeType}","fee_multiplier":${
        num(ev.feeMultiplier / 10000, "fee_multiplier")
      }}`;
    case "event": {
      let s = `${head},"event":${str(ev.event)},"series":${
        str(ev.series)
      },"mutually_exclusive":${ev.mutuallyExclusive}`;
      if (ev.outcomeStep !== undefined) {
        s += `,"outcome_step":${num(ev.outcomeStep, "outcome_step")}`;
      }
      return s + "}";
    }
    case "market": {
      let s = `${head},"market":${str(ev.market)},"event":${
        str(ev.event)
      },"strike_type":"${ev.strikeType}"`;
      if (ev.floorStrike !== undefined) {
        s += `,"floor_strike":${num(ev.floorStrike, "floor_strike")}`;
      }
      if (ev.capStrike !== undefined) s += `,"cap_strike":${num(ev.capStrike, "cap_strike")}`;
      if (ev.floorInclusive !== undefined) s += `,"floor_inclusive":${ev.floorInclusive}`;
      if (ev.capInclusive !== undefined) s += `,"cap_inclusive":${ev.capInclusive}`;
      return `${s},"open_ts":${ev.openTs},"close_ts":${ev.closeTs},"price_step":"${
        formatPrice(ev.priceStep)
      }"}`;
    }
  }
}

/** Bytes gathered before one write to the file. */
const FLUSH_CHARS = 1 << 16;

/**
 * Writes events to an NDJSON file (created or truncated), one line each,
 * buffering the writes.
 *
 * @param path The file.
 * @param events The events, in tape order.
 * @returns How many events were written.
 */
export async function writeNdjsonFile(
  path: string,
  events: Iterable<TapeEvent> | AsyncIterable<TapeEvent>,
): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const writer = file.writable.getWriter();
  const encoder = new TextEncoder();
  let buf = "";
  let count = 0;
  try {
    for await (const ev of events) {
      buf += formatEventLine(ev) + "\n";
      count++;
      if (buf.length >= FLUSH_CHARS) {
        await writer.write(encoder.encode(buf));
        buf = "";
      }
    }
    if (buf.length > 0) await writer.write(encoder.encode(buf));
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => {});
    throw e;
  }
  return count;
}
