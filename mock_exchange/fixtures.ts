/**
 * Hand-built, synthetic Kalshi REST data for the mock exchange, shaped exactly
 * like the OpenAPI models of `kalshi-typescript` 3.30 (`Series`, `EventData`,
 * `Market`, `Trade`, `GetHistoricalCutoffResponse`): fixed-point `_dollars`
 * price strings (4 decimals), `_fp` count strings (2 decimals), RFC 3339 times.
 * The numbers are made up; nothing here is recorded market data.
 *
 * The default set is a daily high-temperature ladder series in the form of
 * KXHIGHNY: each event (one day) has six markets partitioning the outcome line
 * (a "less" tail, four 2-degree "between" bins, a "greater" tail). Older days
 * are settled before the historical cutoff and live only in the historical
 * tier; recent days are in the live tier, the last one still active.
 *
 * @example
 * ```ts
 * import { buildFixtures } from "./fixtures.ts";
 *
 * const f = buildFixtures();
 * console.log(f.markets.length, f.historicalMarkets.length, f.trades.length);
 * ```
 *
 * @module
 */

import { Prng } from "../lib/random/prng.ts";
import { formatPrice } from "../lib/units/price.ts";
import { formatCount } from "../lib/units/quantity.ts";

/** A JSON object as the API sends it. */
export type JsonObject = Record<string, unknown>;

/** The data a {@link MockExchange} serves. */
export interface MockFixtures {
  /** Series by ticker. */
  readonly series: Readonly<Record<string, JsonObject>>;
  /** Every event (events are never partitioned into tiers). */
  readonly events: readonly JsonObject[];
  /** Markets of the live tier (GET /markets). */
  readonly markets: readonly JsonObject[];
  /** Markets settled before the cutoff (GET /historical/markets). */
  readonly historicalMarkets: readonly JsonObject[];
  /** Trades of the live tier, newest first (GET /markets/trades). */
  readonly trades: readonly JsonObject[];
  /** Trades before the trades cutoff, newest first (GET /historical/trades). */
  readonly historicalTrades: readonly JsonObject[];
  /** GET /historical/cutoff body. */
  readonly cutoff: JsonObject;
}

/** Options of {@link buildFixtures}. */
export interface FixtureOptions {
  readonly seriesTicker?: string;
  /** Days (YYYY-MM-DD) settled before the cutoff. Default 2025-10-01, 2025-10-02. */
  readonly historicalDays?: readonly string[];
  /** Days settled after the cutoff. Default 2026-01-05 .. 2026-01-07. */
  readonly settledDays?: readonly string[];
  /** Days still trading. Default 2026-01-08. */
  readonly activeDays?: readonly string[];
  /** Trades per market. Default 7. */
  readonly tradesPerMarket?: number;
  /** Seed of the made-up prices. Default 1. */
  readonly seed?: number;
}

const HOUR = 3_600_000;
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** The six strikes of a day: [suffix, strike_type, floor, cap, subtitle]. */
const LADDER: readonly [string, string, number | null, number | null, string][] = [
  ["T36", "less", null, 36, "35° or below"],
  ["B36.5", "between", 36, 37, "36° to 37°"],
  ["B38.5", "between", 38, 39, "38° to 39°"],
  ["B40.5", "between", 40, 41, "40° to 41°"],
  ["B42.5", "between", 42, 43, "42° to 43°"],
  ["T43", "greater", 43, null, "44° or above"],
];

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function dayMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(ms)) {
    throw new RangeError(`Cannot build fixtures: day must be YYYY-MM-DD, current value is ${day}`);
  }
  return ms;
}

/** `26JAN05` for 2026-01-05. */
function dayCode(day: string): string {
  const [y, m, d] = day.split("-");
  return `${y.slice(2)}${MONTHS[Number(m) - 1]}${d}`;
}

/** A UUID-shaped, deterministic trade id. */
function tradeId(n: number): string {
  const h = n.toString(16).padStart(12, "0");
  return `7f3c${h.slice(0, 4)}-0000-4000-8000-${h}`;
}

/**
 * Builds the fixture set; the same options always give the same data.
 *
 * @throws {RangeError} on a malformed day or trade count.
 */
export function buildFixtures(options: FixtureOptions = {}): MockFixtures {
  const S = options.seriesTicker ?? "KXHIGHNY";
  const historicalDays = options.historicalDays ?? ["2025-10-01", "2025-10-02"];
  const settledDays = options.settledDays ?? ["2026-01-05", "2026-01-06", "2026-01-07"];
  const activeDays = options.activeDays ?? ["2026-01-08"];
  const perMarket = options.tradesPerMarket ?? 7;
  if (!Number.isInteger(perMarket) || perMarket < 0) {
    throw new RangeError(
      `Cannot build fixtures: tradesPerMarket must be an integer >= 0, current value is ${perMarket}`,
    );
  }
  const rng = new Prng(options.seed ?? 1);
  const cutoffMs = Date.parse("2025-11-01T00:00:00Z");
  const sources = [{ name: "National Weather Service", url: "https://www.weather.gov/" }];

  const series: JsonObject = {
    ticker: S,
    frequency: "daily",
    title: "Highest temperature in NYC today (synthetic)",
    category: "Climate and Weather",
    categories: ["Climate and Weather"],
    tags: ["Weather"],
    settlement_sources: sources,
    contract_url: "https://example.invalid/contract.pdf",
    contract_terms_url: "https://example.invalid/terms.pdf",
    fee_type: "quadratic",
    fee_multiplier: 1,
    additional_prohibitions: [],
    volume_fp: "0.00",
    last_updated_ts: "2025-09-01T00:00:00Z",
  };

  const events: JsonObject[] = [];
  const live: JsonObject[] = [];
  const historical: JsonObject[] = [];
  const trades: JsonObject[] = [];
  const historicalTrades: JsonObject[] = [];
  let tradeNo = 0;

  const days: [string, "historical" | "settled" | "active"][] = [
    ...historicalDays.map((d) => [d, "historical"] as [string, "historical"]),
    ...settledDays.map((d) => [d, "settled"] as [string, "settled"]),
    ...activeDays.map((d) => [d, "active"] as [string, "active"]),
  ];
  for (const [day, kind] of days) {
    const d0 = dayMs(day);
    const E = `${S}-${dayCode(day)}`;
    events.push({
      event_ticker: E,
      series_ticker: S,
      sub_title: `On ${day}`,
      title: `Highest temperature in NYC on ${day}? (synthetic)`,
      collateral_return_type: "",
      mutually_exclusive: true,
      strike_date: iso(d0 + 29 * HOUR),
      strike_period: null,
      settlement_sources: sources,
      last_updated_ts: iso(d0 - 10 * HOUR),
    });
    const openMs = d0 - 10 * HOUR; // 14:00 UTC the day before
    const closeMs = d0 + 29 * HOUR - 1000; // 04:59:59 UTC the day after
    const high = 36 + rng.int(9); // the day's made-up high, 36..44
    const settled = kind !== "active";
    for (const [suffix, strikeType, floor, cap, sub] of LADDER) {
      const T = `${E}-${suffix}`;
      const yes = strikeType === "less"
        ? high < cap!
        : strikeType === "greater"
        ? high > floor!
        : high >= floor! && high <= cap!;
      const last = 100 * (1 + rng.int(98)); // 0.01 .. 0.98 in ticks
      const market: JsonObject = {
        ticker: T,
        event_ticker: E,
        market_type: "binary",
        yes_sub_title: sub,
        no_sub_title: sub,
        created_time: iso(openMs - HOUR),
        updated_time: iso(openMs - HOUR),
        open_time: iso(openMs),
        close_time: iso(closeMs),
        expected_expiration_time: iso(closeMs + 10 * HOUR),
        latest_expiration_time: iso(closeMs + 7 * 24 * HOUR),
        settlement_timer_seconds: 3600,
        status: settled ? "finalized" : "active",
        yes_bid_dollars: formatPrice(settled ? 0 : Math.max(100, last - 100)),
        yes_bid_size_fp: formatCount(settled ? 0 : 2500),
        yes_ask_dollars: formatPrice(settled ? 10_000 : Math.min(9_900, last + 100)),
        yes_ask_size_fp: formatCount(settled ? 0 : 1800),
        no_bid_dollars: formatPrice(settled ? 0 : 10_000 - Math.min(9_900, last + 100)),
        no_ask_dollars: formatPrice(settled ? 10_000 : 10_000 - Math.max(100, last - 100)),
        last_price_dollars: formatPrice(last),
        volume_fp: formatCount(perMarket * 300),
        volume_24h_fp: formatCount(settled ? 0 : perMarket * 300),
        result: settled ? (yes ? "yes" : "no") : "",
        can_close_early: false,
        open_interest_fp: formatCount(perMarket * 150),
        notional_value_dollars: "1.0000",
        previous_yes_bid_dollars: formatPrice(Math.max(100, last - 200)),
        previous_yes_ask_dollars: formatPrice(Math.min(9_900, last + 200)),
        previous_price_dollars: formatPrice(last),
        settlement_value_dollars: settled ? (yes ? "1.0000" : "0.0000") : undefined,
        settlement_ts: settled ? iso(closeMs + 10 * HOUR) : null,
        expiration_value: settled ? String(high) : "",
        strike_type: strikeType,
        floor_strike: floor,
        cap_strike: cap,
        rules_primary: `If the highest temperature recorded in Central Park on ${day} is ${sub}, ` +
          `then the market resolves to Yes. (synthetic)`,
        rules_secondary: "",
        price_level_structure: "linear_cent",
        price_ranges: [{ start: "0.0100", end: "0.9900", step: "0.0100" }],
      };
      if (market.settlement_value_dollars === undefined) delete market.settlement_value_dollars;
      (kind === "historical" ? historical : live).push(market);

      // Trades spread over the market's life, newest first as Kalshi lists them.
      const own: JsonObject[] = [];
      for (let k = 0; k < perMarket; k++) {
        const at = openMs + Math.floor(((k + 1) * (closeMs - openMs)) / (perMarket + 2));
        const price = 100 * (1 + rng.int(98));
        const takerYes = rng.int(2) === 0;
        own.push({
          trade_id: tradeId(++tradeNo),
          ticker: T,
          count_fp: formatCount(100 * (1 + rng.int(40))),
          yes_price_dollars: formatPrice(price),
          no_price_dollars: formatPrice(10_000 - price),
          taker_side: takerYes ? "yes" : "no",
          taker_outcome_side: takerYes ? "yes" : "no",
          taker_book_side: rng.int(2) === 0 ? "bid" : "ask",
          created_time: iso(at),
          is_block_trade: false,
        });
      }
      for (const t of own) {
        (Date.parse(t.created_time as string) < cutoffMs ? historicalTrades : trades).push(t);
      }
    }
  }
  const newestFirst = (a: JsonObject, b: JsonObject) =>
    Date.parse(b.created_time as string) - Date.parse(a.created_time as string) ||
    String(a.trade_id).localeCompare(String(b.trade_id));
  trades.sort(newestFirst);
  historicalTrades.sort(newestFirst);

  return {
    series: { [S]: series },
    events,
    markets: live,
    historicalMarkets: historical,
    trades,
    historicalTrades,
    cutoff: {
      market_settled_ts: iso(cutoffMs),
      trades_created_ts: iso(cutoffMs),
      orders_updated_ts: iso(cutoffMs),
      market_positions_last_updated_ts: iso(cutoffMs),
    },
  };
}
