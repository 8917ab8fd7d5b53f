/**
 * Builders of hand-made events and markets for tests of ladders and pricing.
 * Test support only: nothing in the workbench imports it.
 *
 * @module
 */

import type { EventEvent, MarketEvent, StrikeType } from "../tape/events.ts";

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
