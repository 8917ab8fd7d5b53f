/**
 * Market metadata inferred from the tickers of a ladder event, for sources that
 * carry tickers but no strikes (recorder CSV logs). Spec: docs/import/ladder_tickers.md.
 *
 * Ticker shape: `SERIES-DATE-B<mid>` (a bin) or `SERIES-DATE-T<strike>` (a tail),
 * e.g. `KXHIGHNY-25DEC05-B30.5`, `KXHIGHNY-25DEC05-T37`. The event is the ticker
 * without its last `-` part, the series is the part before the first `-`.
 *
 * Rules (checked against KXHIGHNY data: e.g. KXHIGHNY-25DEC05 has T30, B30.5,
 * B32.5, B34.5, B36.5, T37, and Kalshi labels them "29° or below", "30° to 31°",
 * ..., "36° to 37°", "38° or above"):
 *
 * - `B<mid>`: strike type `between`, floor = mid - h, cap = mid + h, both
 *   inclusive, with the half-width h = 0.5 (KXHIGH*: a 2-degree bin, B45.5 is
 *   45..46).
 * - `T<s>` with s at or below the lowest B floor: the lower tail, strike type
 *   `less`, cap = s, exclusive (T30 next to B30.5 is 29 or below).
 * - `T<s>` with s at or above the highest B cap: the upper tail, strike type
 *   `greater`, floor = s, exclusive (T37 next to B36.5 is 38 or above).
 * - Any other T (inside the B range, or an event with no B market): not inferable;
 *   the market is listed in `unresolved` and the importer rejects its rows.
 *
 * The inferred markets are then checked with {@link checkPartition} on the
 * event's outcome grid; a ladder that does not partition the line (a missing bin
 * in the source, uneven bins) is returned with its problems, for the importer to
 * report as anomaly `ladder_not_partition`. It is never silently accepted.
 *
 * @example
 * ```ts
 * import { inferLadder } from "./ticker_ladder.ts";
 *
 * const l = inferLadder("KXHIGHNY-25DEC05", [
 *   "KXHIGHNY-25DEC05-T30", "KXHIGHNY-25DEC05-B30.5", "KXHIGHNY-25DEC05-T31",
 * ], { outcomeStep: 1 });
 * l.shapes.get("KXHIGHNY-25DEC05-B30.5"); // { strikeType: "between", floorStrike: 30, capStrike: 31 }
 * l.problems.length; // 0
 * ```
 *
 * @module
 */

import { checkPartition, type PartitionProblem } from "../market/ladder.ts";
import { marketInterval } from "../market/interval.ts";
import type { StrikeType } from "../tape/events.ts";
import { MONTH_CODES } from "../market/date_code.ts";

/** A ladder ticker split into its parts. */
export interface LadderTicker {
  readonly market: string;
  readonly event: string;
  readonly series: string;
  /** B: a bin (between two strikes); T: a threshold (a tail of the ladder). */
  readonly kind: "B" | "T";
  readonly strike: number;
}

const STRIKE = /^([BT])(\d+(?:\.\d+)?)$/;

/**
 * Splits `SERIES-DATE-B<mid>` / `SERIES-DATE-T<strike>`.
 *
 * @throws {SyntaxError} When the ticker does not have that shape (fewer than three
 *   `-` parts, or a last part that is not B or T followed by a decimal number).
 *
 * @example
 * ```ts
 * import { parseLadderTicker } from "./ticker_ladder.ts";
 *
 * parseLadderTicker("KXHIGHNY-25DEC05-B30.5").strike; // 30.5
 * ```
 */
export function parseLadderTicker(ticker: string): LadderTicker {
  const first = typeof ticker === "string" ? ticker.indexOf("-") : -1;
  const last = typeof ticker === "string" ? ticker.lastIndexOf("-") : -1;
  const m = first > 0 && last > first + 1 ? STRIKE.exec(ticker.slice(last + 1)) : null;
  if (m === null) {
    throw new SyntaxError(
      `Cannot parse ticker: not SERIES-DATE-B<mid> or SERIES-DATE-T<strike>, current value is ${
        JSON.stringify(ticker)
      }`,
    );
  }
  return {
    market: ticker,
    event: ticker.slice(0, last),
    series: ticker.slice(0, first),
    kind: m[1] as "B" | "T",
    strike: Number(m[2]),
  };
}

/**
 * The series of an event or market ticker: the text before the first `-`.
 *
 * @example
 * ```ts
 * import { seriesOfTicker } from "./ticker_ladder.ts";
 *
 * seriesOfTicker("KXHIGHNY-25DEC05"); // "KXHIGHNY"
 * ```
 */
export function seriesOfTicker(ticker: string): string {
  const i = ticker.indexOf("-");
  return i < 0 ? ticker : ticker.slice(0, i);
}

/** The strike fields of a market event inferred from its ticker. */
export interface MarketShape {
  readonly strikeType: StrikeType;
  readonly floorStrike?: number;
  readonly capStrike?: number;
}

/** What {@link inferLadder} found for one event. */
export interface InferredLadder {
  readonly event: string;
  /** Ticker -> strike fields, for every market whose shape could be inferred. */
  readonly shapes: ReadonlyMap<string, MarketShape>;
  /** Markets whose shape could not be inferred, with why (sorted by ticker). */
  readonly unresolved: readonly { market: string; detail: string }[];
  /** Why the inferred markets do not partition the outcome line (empty when they do). */
  readonly problems: readonly PartitionProblem[];
}

/** Options of {@link inferLadder}. */
export interface InferLadderOptions {
  /** Outcome grid for the partition check (1 for whole degrees); undefined: continuous. */
  readonly outcomeStep?: number;
  /** Half-width of a B bin around its mid (default 0.5: B45.5 is 45..46). */
  readonly binHalfWidth?: number;
}

/** Exact decimal sum for strikes such as 45.5 - 0.5 (avoids 44.99999). */
function addExact(a: number, b: number): number {
  return Number((a + b).toFixed(10));
}

/**
 * Infers the strike fields of every market of one ladder event from the tickers
 * (rules in the module documentation) and checks the partition.
 *
 * @param event The event ticker; every ticker must belong to it.
 * @param tickers The event's market tickers (any order; repeats are ignored).
 * @throws {SyntaxError} When a ticker does not parse ({@link parseLadderTicker}).
 * @throws {RangeError} When a ticker belongs to another event.
 */
export function inferLadder(
  event: string,
  tickers: readonly string[],
  options: InferLadderOptions = {},
): InferredLadder {
  const h = options.binHalfWidth ?? 0.5;
  const parsed = [...new Set(tickers)].sort().map(parseLadderTicker);
  for (const p of parsed) {
    if (p.event !== event) {
      throw new RangeError(
        `Cannot infer ladder of ${event}: market belongs to event ${p.event}, current value is ${
          JSON.stringify(p.market)
        }`,
      );
    }
  }
  const shapes = new Map<string, MarketShape>();
  const unresolved: { market: string; detail: string }[] = [];
  let minFloor = Infinity;
  let maxCap = -Infinity;
  for (const p of parsed) {
    if (p.kind !== "B") continue;
    const floorStrike = addExact(p.strike, -h);
    const capStrike = addExact(p.strike, h);
    shapes.set(p.market, { strikeType: "between", floorStrike, capStrike });
    minFloor = Math.min(minFloor, floorStrike);
    maxCap = Math.max(maxCap, capStrike);
  }
  for (const p of parsed) {
    if (p.kind !== "T") continue;
    if (minFloor === Infinity) {
      unresolved.push({
        market: p.market,
        detail:
          `Cannot infer strike: event ${event} has no B market to place tail T${p.strike} against, current value is ${
            JSON.stringify(p.market)
          }`,
      });
    } else if (p.strike <= minFloor) {
      shapes.set(p.market, { strikeType: "less", capStrike: p.strike });
    } else if (p.strike >= maxCap) {
      shapes.set(p.market, { strikeType: "greater", floorStrike: p.strike });
    } else {
      unresolved.push({
        market: p.market,
        detail:
          `Cannot infer strike: T${p.strike} is neither at or below the lowest B floor ${minFloor} nor at or above the highest B cap ${maxCap} of event ${event}, current value is ${
            JSON.stringify(p.market)
          }`,
      });
    }
  }
  const items = [...shapes].map(([market, s]) => ({
    market,
    interval: marketInterval({
      kind: "market",
      ts: 0,
      market,
      event,
      ...s,
      openTs: 0,
      closeTs: 0,
      priceStep: 100,
    }),
  }));
  const problems = items.length === 0 ? [] : checkPartition(items, options.outcomeStep);
  return { event, shapes, unresolved, problems };
}

/** One line describing partition problems (for an anomaly example). */
export function describePartitionProblems(problems: readonly PartitionProblem[]): string {
  return problems.map((p) => `${p.kind} (${p.detail})`).join("; ");
}

/**
 * The outcome step of a series whose outcome is reported on a grid, from its
 * ticker: 1 for KXHIGH* (NWS daily highs, whole degrees F), 0.01 for KXBTC* (cent
 * strikes); undefined otherwise (give it with `--extra outcome_step`).
 *
 * @example
 * ```ts
 * import { seriesOutcomeStep } from "./ticker_ladder.ts";
 *
 * seriesOutcomeStep("KXHIGHNY"); // 1
 * ```
 */
export function seriesOutcomeStep(series: string): number | undefined {
  // Data from the series' settlement rules: whole degrees F (NWS report); BTC to the
  // cent (its strikes are cent values such as T72999.99, ranges end at .99).
  if (series.startsWith("KXHIGH")) return 1;
  if (series.startsWith("KXBTC")) return 0.01;
  return undefined;
}

/**
 * The date code Kalshi uses in event tickers (`YYMONDD`) for an ISO date.
 *
 * @throws {SyntaxError} When `isoDate` is not YYYY-MM-DD with a valid month and day.
 *
 * @example
 * ```ts
 * import { eventDateCode } from "./ticker_ladder.ts";
 *
 * eventDateCode("2025-08-02"); // "25AUG02"
 * ```
 */
export function eventDateCode(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = m === null ? 0 : Number(m[2]);
  const day = m === null ? 0 : Number(m[3]);
  if (m === null || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new SyntaxError(
      `Cannot parse date: not YYYY-MM-DD, current value is ${JSON.stringify(isoDate)}`,
    );
  }
  return `${m[1].slice(2)}${MONTH_CODES[month - 1]}${m[3]}`;
}

/**
 * A cache of ticker checks: "" for a ladder ticker, else why it is not one.
 * Shared by the CSV readers (a file repeats a few tickers many times).
 */
export class TickerCheck {
  readonly #seen = new Map<string, string>();

  /** Why `ticker` is not a ladder ticker, or null when it is one. */
  problem(ticker: string): string | null {
    let p = this.#seen.get(ticker);
    if (p === undefined) {
      try {
        parseLadderTicker(ticker);
        p = "";
      } catch (e) {
        p = (e as Error).message;
      }
      this.#seen.set(ticker, p);
    }
    return p === "" ? null : p;
  }
}
