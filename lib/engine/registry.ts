/**
 * What the venue knows about series, events and markets at the current time,
 * built only from metadata, lifecycle and settlement events already applied:
 * fee schedules per series, market status, ladders per event and results.
 *
 * @module
 */

import type { EventEvent, MarketEvent, MarketStatus, SeriesEvent, Side } from "../tape/events.ts";
import { FeeSchedule } from "../fees/schedule.ts";
import type { FeeParams } from "../fees/fees.ts";
import { buildLadder, type Ladder, LadderError } from "../market/ladder.ts";

/** Series, events, markets, statuses and ladders known so far. */
export class MarketRegistry {
  readonly #fees = new Map<string, FeeSchedule>();
  readonly #events = new Map<string, EventEvent>();
  readonly #markets = new Map<string, MarketEvent>();
  readonly #eventMarkets = new Map<string, MarketEvent[]>();
  readonly #ladders = new Map<string, Ladder>();
  readonly #ladderErrors = new Map<string, LadderError>();
  readonly #status = new Map<string, MarketStatus>();
  readonly #results = new Map<string, Map<string, Side>>();

  /** Record a series (or a fee change in force from its ts). */
  addSeries(ev: SeriesEvent): void {
    let s = this.#fees.get(ev.series);
    if (s === undefined) {
      s = new FeeSchedule();
      this.#fees.set(ev.series, s);
    }
    s.set(ev.ts, { feeType: ev.feeType, multiplier: ev.feeMultiplier });
  }

  /** Record an event. */
  addEvent(ev: EventEvent): void {
    if (!this.#events.has(ev.event)) this.#eventMarkets.set(ev.event, []);
    this.#events.set(ev.event, ev);
  }

  /** Record a market; the event's ladder is rebuilt on next use. */
  addMarket(ev: MarketEvent): void {
    const prev = this.#markets.get(ev.market);
    this.#markets.set(ev.market, ev);
    const list = this.#eventMarkets.get(ev.event);
    if (list === undefined) {
      throw new RangeError(`Cannot add market ${ev.market}: unknown event ${ev.event}`);
    }
    if (prev === undefined) list.push(ev);
    else list[list.indexOf(prev)] = ev;
    this.#ladders.delete(ev.event);
    this.#ladderErrors.delete(ev.event);
  }

  /** Fee parameters of a series in force at a time. */
  fees(series: string, ts: number): FeeParams | undefined {
    return this.#fees.get(series)?.at(ts);
  }

  /** A market's metadata. */
  market(ticker: string): MarketEvent | undefined {
    return this.#markets.get(ticker);
  }

  /** An event's metadata. */
  event(ticker: string): EventEvent | undefined {
    return this.#events.get(ticker);
  }

  /** The series of an event. */
  seriesOf(event: string): string | undefined {
    return this.#events.get(event)?.series;
  }

  /** Markets of an event, in declaration order. */
  marketsOf(event: string): readonly MarketEvent[] {
    return this.#eventMarkets.get(event) ?? [];
  }

  /**
   * The ladder of an event, built from the markets declared so far (cached), or
   * undefined while it has no markets or its bins do not partition the outcome
   * line (see {@link ladderError}: markets may still be arriving).
   */
  ladder(event: string): Ladder | undefined {
    const cached = this.#ladders.get(event);
    if (cached !== undefined) return cached;
    if (this.#ladderErrors.has(event)) return undefined;
    const ev = this.#events.get(event);
    const markets = this.#eventMarkets.get(event);
    if (ev === undefined || markets === undefined || markets.length === 0) return undefined;
    try {
      const ladder = buildLadder(ev, markets);
      this.#ladders.set(event, ladder);
      return ladder;
    } catch (e) {
      if (!(e instanceof LadderError)) throw e;
      this.#ladderErrors.set(event, e);
      return undefined;
    }
  }

  /** Why an event's markets do not form a ladder, if they do not. */
  ladderError(event: string): LadderError | undefined {
    this.ladder(event);
    return this.#ladderErrors.get(event);
  }

  /** Set a market's status. */
  setStatus(market: string, status: MarketStatus): void {
    this.#status.set(market, status);
  }

  /** A market's last known status. */
  status(market: string): MarketStatus | undefined {
    return this.#status.get(market);
  }

  /**
   * Whether a market accepts orders at `ts`: within [open_ts, close_ts) and its
   * last lifecycle status is open or active (a market with no lifecycle event yet
   * is not open: importers of logs without statuses declare markets open
   * explicitly, see lib/import/ladder_meta.ts).
   */
  isOpen(market: string, ts: number): boolean {
    const m = this.#markets.get(market);
    if (m === undefined || ts < m.openTs || ts >= m.closeTs) return false;
    const s = this.#status.get(market);
    return s === "open" || s === "active";
  }

  /** Record a market's result; returns the event's results so far. */
  recordResult(market: string, result: Side): ReadonlyMap<string, Side> {
    const m = this.#markets.get(market);
    if (m === undefined) throw new RangeError(`Cannot settle unknown market ${market}`);
    let r = this.#results.get(m.event);
    if (r === undefined) {
      r = new Map();
      this.#results.set(m.event, r);
    }
    r.set(market, result);
    return r;
  }
}
