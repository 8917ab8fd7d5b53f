/**
 * What the replay venue records about every order a strategy sends (a
 * "decision"), at the moment it is sent, and what it observes later: the market
 * after each fill (adverse selection) and each market's closing mid (closing line
 * value). Research (lib/research, `deno task factors`) and fill-realism metrics
 * read these rows; they never change the run's results.
 *
 * Units: prices and mids in ticks of $0.0001 (a mid can be a half tick), sizes in
 * centi-contracts, times in ms since the epoch (UTC). Book measures are taken
 * from the YES side's view (YES bids; YES asks = NO bids) and, where named
 * "side", from the side bought's view.
 *
 * @module
 */

import type { Side } from "../tape/events.ts";

/** Half-width of the depth window around the touch: 5 cents. */
export const DEPTH_WINDOW_TICKS = 500;

/** One order as sent, with the market around it at that instant. */
export interface DecisionRow {
  readonly orderId: number;
  readonly ts: number;
  readonly market: string;
  readonly event: string;
  readonly side: Side;
  readonly timeInForce: string;
  readonly limitPrice: number;
  readonly count: number;
  /** Whether the book was valid and two-sided when the order was sent. */
  readonly bookValid: boolean;
  /** Best YES bid and ask, ticks (0 / 10000 when missing). */
  readonly yesBid: number;
  readonly yesAsk: number;
  /** YES mid, ticks (NaN when the book is not two-sided). */
  readonly mid: number;
  /** YES ask - YES bid, ticks (NaN when not two-sided). */
  readonly spread: number;
  /** Resting size within DEPTH_WINDOW_TICKS of the best price, YES bids and NO bids (YES asks). */
  readonly yesBidDepth: number;
  readonly yesAskDepth: number;
  /**
   * Liquidity skew from the side bought's view: its bid depth / (its bid depth +
   * its ask depth); for a NO order the NO bids are its bids. NaN when both are 0.
   */
  readonly skew: number;
  /**
   * Distance of the limit from the touch on the side bought, ticks: 0 = joins the
   * best bid, > 0 = behind it (more passive), < 0 = inside the spread or
   * crossing (a limit at or through the ask is -(ask - bid) or less).
   */
  readonly touchDistance: number;
  /** Time left to the market's close, ms. */
  readonly timeToCloseMs: number;
  /** The model's YES probability for this market at decision time (NaN when unknown). */
  readonly modelYes: number;
  /**
   * Model minus market from the side bought's view: (modelYes - mid/10000) for
   * YES, the negative for NO. NaN when either is unknown.
   */
  readonly disagreement: number;
  /** The fill probability the strategy assumed for this order, when it said (else NaN). */
  readonly assumedFillProbability: number;
  /**
   * Traded volume of the market over the last 30 minutes (at most its latest 256
   * trades), centi-contracts.
   */
  readonly recentVolume: number;
  /**
   * Volatility of the traded YES price over the same trades: root mean squared
   * trade-to-trade change, ticks. NaN with fewer than two trades.
   */
  readonly recentVolatility: number;
  /** Filled count and average fill price (ticks; NaN when unfilled), filled in at the end. */
  readonly filled: number;
  readonly avgFillPrice: number;
  /**
   * The market's last mid before its close (ticks; a one-sided book near $0 or $1
   * is priced as in lib/pricing/implied.ts yesMidOf; NaN when unpriced).
   */
  readonly closeMid: number;
  /**
   * Closing line value from the side bought's view, ticks: closing price of the
   * side bought minus the entry price (average fill, or the limit when unfilled).
   */
  readonly clv: number;
  /** Realized PnL of this order's fills after fees at settlement, ticks (0 unfilled; NaN unsettled). */
  readonly pnlTicks: number;
}

/** The market after a fill: the YES mid at fill time + 1, 5 and 30 minutes. */
export interface FillObservation {
  /** Index of the fill in the run's fill rows. */
  readonly fillIndex: number;
  readonly orderId: number;
  readonly market: string;
  readonly side: Side;
  readonly ts: number;
  readonly price: number;
  readonly role: "maker" | "taker";
  /** YES mid at the fill (ticks, NaN if not two-sided). */
  readonly midAtFill: number;
  /**
   * YES mid of the market's book as it stood 1, 5 and 30 minutes after the fill
   * (after every event up to that time; NaN when not two-sided then, or when the
   * tape ended first).
   */
  readonly midAfter: readonly [number, number, number];
}

/** Offsets of {@link FillObservation.midAfter}. */
export const ADVERSE_HORIZONS_MS: readonly [number, number, number] = [60_000, 300_000, 1_800_000];
