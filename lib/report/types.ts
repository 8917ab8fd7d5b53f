/**
 * The data a run report is rendered from: everything the Markdown and HTML
 * renderers show, already computed (scores, reliability bins, PnL path). Building
 * it is the caller's job; rendering it is pure.
 *
 * Units: money in integer ticks of $0.0001, times in milliseconds since the Unix
 * epoch (UTC), probabilities and scores as plain numbers.
 *
 * @module
 */

import type { ReliabilityBin } from "../scoring/reliability.ts";

/**
 * One reliability (calibration) bin: forecasts in [lo, hi), their count, mean
 * forecast, observed YES rate and its Wilson interval. The same shape the
 * scoring library produces.
 */
export type ReportBin = ReliabilityBin;

/** Everything a report shows. */
export interface ReportData {
  title: string;
  runId: number;
  strategy: string;
  seed: number;
  tapes: string[];
  /** When true the report says SYNTHETIC DATA prominently. */
  synthetic: boolean;
  digest: string;
  codeVersion: string;
  params: Record<string, unknown>;
  summary: { label: string; value: string }[];
  scores: { metric: string; model: number; market: number; skill: number }[];
  reliability: { model: ReportBin[]; market: ReportBin[] };
  /** Cumulative realized PnL after fees, in ticks, at each time. */
  pnl: { ts: number[]; cumulativeTicks: number[] };
  brierOverTime: { ts: number[]; model: number[]; market: number[] };
  /** Head-to-head scores by time to the market's close (empty buckets have n = 0). */
  byHorizon: {
    label: string;
    n: number;
    modelBrier: number;
    marketBrier: number;
    modelLogLoss: number;
    marketLogLoss: number;
  }[];
  /**
   * The last settled events (at most 10): the model's and the market's last PMF
   * before the outcome, bin by bin, and the bin that happened.
   */
  lastEvents?: {
    event: string;
    ts: number;
    bins: string[];
    model: number[];
    market: (number | null)[];
    outcome: number;
  }[];
  /** Execution quality and PnL split (present when the run traded). */
  execution?: ExecutionSection;
  perEvent: {
    event: string;
    forecasts: number;
    brierModel: number;
    brierMarket: number;
    pnlTicks: number;
  }[];
}

/** Fill realism and the PnL split of a run (lib/venue/fill_realism.ts, pnl_attribution.ts). */
export interface ExecutionSection {
  /** Maker orders per distance from the touch: fill rate observed vs assumed. */
  makerBuckets: {
    bucket: string;
    orders: number;
    fillRate: number;
    fillRateLo: number;
    fillRateHi: number;
    withAssumption: number;
    meanAssumed: number;
    observedWithAssumption: number;
  }[];
  /** Mean price minus decision price (ticks) per role. */
  slippage: { role: string; fills: number; avgSlippageTicks: number; worstTicks: number }[];
  /** Mean mid move after fills from the side bought's view (ticks), per role and horizon. */
  markouts: {
    role: string;
    horizonMs: number;
    n: number;
    meanMoveTicks: number;
    adverse: number;
  }[];
  /** PnL split, ticks: spread capture + inventory - fees = total. */
  pnlSplit: { spreadTicks: number; inventoryTicks: number; feesTicks: number; totalTicks: number };
  /** Inventory over time of the markets with the largest positions (at most 8). */
  inventory: { market: string; ts: number[]; position: number[] }[];
  /**
   * Our resting quotes against the book for the market with the most resting
   * orders: at each order's sending, the book's YES bid and ask and our price as
   * a YES price (a NO bid at q is a YES ask at 10000 - q); ticks. At most 2000 orders.
   */
  quotes?: {
    market: string;
    ts: number[];
    bookBid: number[];
    bookAsk: number[];
    ourBid: (number | null)[];
    ourAsk: (number | null)[];
  };
}
