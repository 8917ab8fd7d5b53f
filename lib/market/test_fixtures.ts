/**
 * Builders of hand-made events and markets for tests of ladders and pricing.
 * Test support only: nothing in the workbench imports it.
 *
 * @module
 */

import type { EventEvent, MarketEvent, StrikeType } from "../tape/events.ts";
import { buildLadder, type Ladder } from "./ladder.ts";

/** An event named `name` (its series is the part before the first "-"). */
export function testEvent(
  name: string,
  mutuallyExclusive: boolean,
  outcomeStep?: number,
): EventEvent {
  return {
    kind: "event",
    ts: 0,
    event: name,
    series: name.split("-")[0],
    mutuallyExclusive,
    ...(outcomeStep === undefined ? {} : { outcomeStep }),
  };
}

/** A market `<event>-<suffix>` with the given strike type; `fields` override the rest. */
export function testMarket(
  event: string,
  suffix: string,
  strikeType: StrikeType,
  fields: Partial<MarketEvent> = {},
): MarketEvent {
  return {
    kind: "market",
    ts: 0,
    market: `${event}-${suffix}`,
    event,
    strikeType,
    openTs: 0,
    closeTs: 1,
    priceStep: 100,
    ...fields,
  };
}

/** Event ticker of {@link weatherLadder}. */
export const WEATHER_EVENT = "KXHIGHNY-25NOV24";
/** Event ticker of {@link btcThresholdLadder}. */
export const BTC_EVENT = "KXBTCD-26FEB0620";

/** A KXHIGHNY-like ladder: (..45), [45,46], [47,48], ..., [55,56], (56..) in whole degrees. */
export function weatherLadder(): Ladder {
  const wx = WEATHER_EVENT;
  const ms = [
    testMarket(wx, "T45", "less", { capStrike: 45 }),
    testMarket(wx, "T56", "greater", { floorStrike: 56 }),
  ];
  for (let lo = 45; lo <= 55; lo += 2) {
    ms.push(testMarket(wx, `B${lo + 0.5}`, "between", { floorStrike: lo, capStrike: lo + 1 }));
  }
  return buildLadder(testEvent(wx, true, 1), ms);
}

/** A KXBTCD-like threshold ladder: "above K" markets, not mutually exclusive. */
export function btcThresholdLadder(strikes = [72999.99, 73249.99, 73499.99]): Ladder {
  const btc = BTC_EVENT;
  return buildLadder(
    testEvent(btc, false),
    strikes.map((k) => testMarket(btc, `T${k}`, "greater", { floorStrike: k })),
  );
}
