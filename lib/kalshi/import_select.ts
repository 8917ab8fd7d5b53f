/**
 * Chooses what of a fetch run's cached envelopes goes into the tape, and trims
 * listings to the run's selection, so the tape holds each market once:
 *
 * - `/markets` and `/historical/markets` pages keep only selected markets,
 *   each at its first listing (a market seen twice, for instance shifted across
 *   a page boundary while the listing changed, is dropped the second time);
 * - `/events` pages keep only events that have a selected market, once each;
 * - `/historical/cutoff` is not tape data and is left out;
 * - every other page (series, trades, candlesticks) passes unchanged (the
 *   importer drops a repeated `trade_id` itself).
 *
 * An envelope passes as its original text when nothing is removed, else it is
 * re-serialized with the trimmed body; the cache files are never modified.
 *
 * @module
 */

import { parseEnvelope } from "./response_cache.ts";

/** One envelope file: its name (for reports) and text. */
export interface EnvelopeText {
  readonly name: string;
  readonly text: string;
}

/** What the run selected. */
export interface ImportSelection {
  /** Tickers of the selected markets. */
  readonly markets: ReadonlySet<string>;
  /** Event tickers of the selected markets. */
  readonly events: ReadonlySet<string>;
}

/** The importer's inputs and what was left out. */
export interface SelectResult {
  readonly inputs: EnvelopeText[];
  /** Market listings dropped: not selected (filtered out) or already listed. */
  readonly droppedMarkets: number;
  /** Events dropped: no selected market, or already listed. */
  readonly droppedEvents: number;
  /** Files left out whole (not tape data). */
  readonly leftOut: string[];
}

const MARKET_LISTS: ReadonlySet<string> = new Set(["/markets", "/historical/markets"]);
const NOT_TAPE: ReadonlySet<string> = new Set(["/historical/cutoff"]);

/**
 * Selects and trims envelopes; see the module docs.
 *
 * @throws {CacheFileError} when a file is not a valid envelope.
 */
export function selectForImport(
  files: readonly EnvelopeText[],
  selection: ImportSelection,
): SelectResult {
  const seenMarkets = new Set<string>();
  const seenEvents = new Set<string>();
  const inputs: EnvelopeText[] = [];
  const leftOut: string[] = [];
  let droppedMarkets = 0;
  let droppedEvents = 0;
  for (const f of files) {
    const env = parseEnvelope(f.name, f.text);
    if (NOT_TAPE.has(env.path)) {
      leftOut.push(f.name);
      continue;
    }
    let field: "markets" | "events" | null = null;
    let keep: (item: Record<string, unknown>) => boolean = () => true;
    if (MARKET_LISTS.has(env.path) && Array.isArray(env.body.markets)) {
      field = "markets";
      keep = (m) => {
        const t = String(m.ticker);
        if (!selection.markets.has(t) || seenMarkets.has(t)) return false;
        seenMarkets.add(t);
        return true;
      };
    } else if (env.path === "/events" && Array.isArray(env.body.events)) {
      field = "events";
      keep = (e) => {
        const t = String(e.event_ticker);
        if (!selection.events.has(t) || seenEvents.has(t)) return false;
        seenEvents.add(t);
        return true;
      };
    }
    if (field === null) {
      inputs.push(f);
      continue;
    }
    const items = env.body[field] as Record<string, unknown>[];
    const kept = items.filter((x) => typeof x === "object" && x !== null && keep(x));
    const dropped = items.length - kept.length;
    if (field === "markets") droppedMarkets += dropped;
    else droppedEvents += dropped;
    inputs.push(
      dropped === 0 ? f : {
        name: f.name,
        text: JSON.stringify({ ...env, body: { ...env.body, [field]: kept } }),
      },
    );
  }
  return { inputs, droppedMarkets, droppedEvents, leftOut };
}
