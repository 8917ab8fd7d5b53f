/**
 * Tickers and strike ladders of the SYNTHETIC Kalshi BTC markets (KXBTCD above/below,
 * KXBTC ranges, KXBTC15M up/down). Strikes are kept in integer cents so that the
 * ladders partition the outcome line exactly at the 0.01 outcome step.
 *
 * @module
 */

import type { StrikeType } from "../tape/events.ts";

/** Spacing of KXBTCD thresholds and KXBTC range bins, in cents ($250). */
export const STRIKE_SPACING_CENTS = 25_000;

/** One synthetic market: its ticker, event, strikes (in cents) and trading window. */
export interface MarketSpec {
  readonly market: string;
  readonly event: string;
  readonly strikeType: StrikeType;
  readonly floorCents?: number;
  readonly capCents?: number;
  readonly openTs: number;
  readonly closeTs: number;
}

/** One synthetic event with its markets. */
export interface EventSpec {
  readonly event: string;
  readonly series: string;
  readonly mutuallyExclusive: boolean;
  readonly openTs: number;
  readonly markets: readonly MarketSpec[];
}

const ET = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "2-digit",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * Kalshi's date part of an event ticker, in Eastern time (America/New_York):
 * `yyMMMddHH` (e.g. 26JAN0510), with minutes appended when `withMinutes`.
 */
export function tickerTime(ts: number, withMinutes: boolean): string {
  const parts: Record<string, string> = {};
  for (const p of ET.formatToParts(ts)) parts[p.type] = p.value;
  const base = `${parts.year}${parts.month.toUpperCase()}${parts.day}${parts.hour}`;
  return withMinutes ? base + parts.minute : base;
}

/** Dollars with two decimals from integer cents (e.g. 9499999 -> "94999.99"). */
export function centsToString(cents: number): string {
  return (cents / 100).toFixed(2);
}

/**
 * The hourly KXBTCD event: 9 "greater" markets, $250 apart, centred on the spot at
 * open, with strikes ending in .99 (T94999.99 is "95,000 or above").
 */
export function kxbtcdEvent(openTs: number, closeTs: number, spot: number): EventSpec {
  const event = `KXBTCD-${tickerTime(closeTs, false)}`;
  const centre = Math.round(spot / 250) * STRIKE_SPACING_CENTS - 1;
  const markets: MarketSpec[] = [];
  for (let i = -4; i <= 4; i++) {
    const floor = centre + i * STRIKE_SPACING_CENTS;
    markets.push({
      market: `${event}-T${centsToString(floor)}`,
      event,
      strikeType: "greater",
      floorCents: floor,
      openTs,
      closeTs,
    });
  }
  return { event, series: "KXBTCD", mutuallyExclusive: false, openTs, markets };
}

/**
 * The hourly KXBTC range ladder: a "less" tail below a, 8 "between" bins
 * [a + 250k, a + 250k + 249.99] and a "greater" tail above the last cap, where
 * a = (spot rounded to $250) - $1000.
 */
export function kxbtcEvent(openTs: number, closeTs: number, spot: number): EventSpec {
  const event = `KXBTC-${tickerTime(closeTs, false)}`;
  const a = Math.round(spot / 250) * STRIKE_SPACING_CENTS - 4 * STRIKE_SPACING_CENTS;
  const markets: MarketSpec[] = [{
    market: `${event}-T${centsToString(a - 1)}`,
    event,
    strikeType: "less",
    capCents: a,
    openTs,
    closeTs,
  }];
  let cap = a;
  for (let k = 0; k < 8; k++) {
    const floor = a + k * STRIKE_SPACING_CENTS;
    cap = floor + STRIKE_SPACING_CENTS - 1;
    const mid = (floor + STRIKE_SPACING_CENTS / 2) / 100;
    markets.push({
      market: `${event}-B${mid}`,
      event,
      strikeType: "between",
      floorCents: floor,
      capCents: cap,
      openTs,
      closeTs,
    });
  }
  markets.push({
    market: `${event}-T${centsToString(cap)}`,
    event,
    strikeType: "greater",
    floorCents: cap,
    openTs,
    closeTs,
  });
  return { event, series: "KXBTC", mutuallyExclusive: true, openTs, markets };
}

/**
 * The 15-minute KXBTC15M up/down event: one "greater_or_equal" market whose floor
 * is the spot at open; the market ticker ends with the closing minute (Kalshi's shape).
 */
export function kxbtc15mEvent(openTs: number, closeTs: number, spot: number): EventSpec {
  const t = tickerTime(closeTs, true);
  const event = `KXBTC15M-${t}`;
  return {
    event,
    series: "KXBTC15M",
    mutuallyExclusive: false,
    openTs,
    markets: [{
      market: `${event}-${t.slice(-2)}`,
      event,
      strikeType: "greater_or_equal",
      floorCents: Math.round(spot * 100),
      openTs,
      closeTs,
    }],
  };
}

/**
 * The YES interval of a market in integer cents, both ends inclusive (±Infinity for
 * open ends): greater is strict, greater_or_equal and between inclusive, less strict.
 */
export function yesIntervalCents(m: MarketSpec): [number, number] {
  switch (m.strikeType) {
    case "greater":
      return [m.floorCents! + 1, Infinity];
    case "greater_or_equal":
      return [m.floorCents!, Infinity];
    case "less":
      return [-Infinity, m.capCents! - 1];
    case "less_or_equal":
      return [-Infinity, m.capCents!];
    case "between":
      return [m.floorCents!, m.capCents!];
  }
}
