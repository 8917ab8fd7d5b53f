/**
 * The market baseline: at fixed horizons before each ladder event's close it
 * records the market's own de-vigged PMF as its forecast, and never trades. Its
 * run answers "how good are the market's prices at 24 h, 6 h, 1 h, 15 min before
 * close?" on any tape, real or synthetic, with the same scoring as every model.
 *
 * Because its forecast is the market-implied PMF the engine captures at the same
 * instant, model and market columns of its report are equal by construction (skill
 * 0); the report's "scores by time to close" table is what it is for.
 *
 * @module
 */

import type { Strategy, StrategyContext } from "../../lib/engine/strategy.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { impliedPmf, yesMidOf } from "../../lib/pricing/implied.ts";

/** Parameters of {@link MarketBaselineStrategy}. */
export interface MarketBaselineParams {
  /** Horizons before close, in minutes, comma-separated (e.g. "1440,360,60,15"). */
  horizonsMin: string;
  /** Only events whose ticker starts with this prefix ("" = every event). */
  eventPrefix: string;
}

/** Defaults of {@link MarketBaselineParams}. */
export const DEFAULT_MARKET_BASELINE_PARAMS: MarketBaselineParams = Object.freeze({
  horizonsMin: "1440,360,60,15",
  eventPrefix: "",
});

interface Tracked {
  readonly event: string;
  /** Horizons (ms before close) not yet forecast, largest first. */
  pending: number[];
  /**
   * The event's close once its ladder is known (the latest close of its markets:
   * imported logs may close a market at its last recorded row), else NaN.
   */
  close: number;
  /** Time the next pending horizon is reached (close - pending[0]), or Infinity. */
  nextDue: number;
}

/** Parses "1440,360,60" into milliseconds, largest first; throws naming the bad item. */
export function parseHorizons(spec: string): number[] {
  const out: number[] = [];
  for (const raw of spec.split(",")) {
    const s = raw.trim();
    const v = Number(s);
    if (s === "" || !Number.isFinite(v) || v <= 0) {
      throw new RangeError(
        `Cannot parse horizonsMin: each item must be a positive number of minutes, current value is "${raw}"`,
      );
    }
    out.push(Math.round(v * 60_000));
  }
  return [...new Set(out)].sort((a, b) => b - a);
}

/** Records the market-implied PMF of each ladder event at each horizon before its close. */
export class MarketBaselineStrategy implements Strategy {
  readonly name = "market";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly #horizons: number[];
  readonly #prefix: string;
  readonly #tracked = new Map<string, Tracked>();
  /** Horizons skipped because the market had no two-sided quote on every bin then. */
  skippedNoQuote = 0;

  constructor(params: Partial<MarketBaselineParams> = {}) {
    const p = { ...DEFAULT_MARKET_BASELINE_PARAMS, ...params };
    this.#horizons = parseHorizons(p.horizonsMin);
    this.#prefix = p.eventPrefix;
    this.params = { horizonsMin: p.horizonsMin, eventPrefix: p.eventPrefix };
  }

  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    if (ev.kind === "market") {
      if (!ev.event.startsWith(this.#prefix) || this.#tracked.has(ev.event)) return;
      this.#tracked.set(ev.event, {
        event: ev.event,
        pending: [...this.#horizons],
        close: Number.NaN,
        nextDue: Number.NaN,
      });
      return;
    }
    const now = ctx.now;
    for (const t of this.#tracked.values()) {
      if (now < t.nextDue || t.pending.length === 0) continue;
      const ladder = ctx.ladder(t.event);
      if (ladder === undefined) continue;
      if (Number.isNaN(t.close)) {
        let close = Number.NEGATIVE_INFINITY;
        for (const m of ladder.markets) close = Math.max(close, ctx.closeTs(m) ?? close);
        if (!Number.isFinite(close)) continue;
        t.close = close;
      }
      if (now >= t.close) {
        t.pending.length = 0;
        continue;
      }
      // The smallest horizon already reached is the one to forecast now; larger
      // ones reached at the same time (a gap in the tape) are skipped, not backdated.
      let due = -1;
      while (t.pending.length > 0 && now >= t.close - t.pending[0]) due = t.pending.shift()!;
      t.nextDue = t.pending.length > 0 ? t.close - t.pending[0] : Number.POSITIVE_INFINITY;
      if (due < 0) continue;
      const mids = new Float64Array(ladder.markets.length);
      for (let i = 0; i < ladder.markets.length; i++) {
        mids[i] = yesMidOf(ctx.book(ladder.markets[i]));
      }
      const pmf = impliedPmf(ladder, mids);
      if (pmf === null) {
        this.skippedNoQuote++;
        continue;
      }
      ctx.forecast(t.event, pmf);
    }
  }
}
