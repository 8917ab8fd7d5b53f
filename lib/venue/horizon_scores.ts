/**
 * Scores by horizon before close: how good the model's and the market's
 * probabilities were at several distances from the market's close time. This is
 * how a real-data run answers "how well does the market price this ladder a day,
 * six hours, one hour before it closes?".
 *
 * Only head-to-head pairs (a market-implied probability existed) with a known
 * outcome enter, so the model and market columns of a bucket are on the same pairs.
 *
 * @module
 */

import { binaryScores } from "../scoring/binary.ts";

/** One horizon bucket: (loMs, hiMs] before close. */
export interface HorizonBucket {
  readonly label: string;
  /** Exclusive lower bound of time to close (ms); the first bucket starts at 0 inclusive. */
  readonly loMs: number;
  /** Inclusive upper bound (ms); Infinity for the last bucket. */
  readonly hiMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The default buckets: up to 15 minutes, 15-60 minutes, 1-6 hours, 6-24 hours, over 24 hours. */
export const DEFAULT_HORIZONS: readonly HorizonBucket[] = [
  { label: "<=15m", loMs: -1, hiMs: 15 * MIN },
  { label: "15m-1h", loMs: 15 * MIN, hiMs: HOUR },
  { label: "1h-6h", loMs: HOUR, hiMs: 6 * HOUR },
  { label: "6h-24h", loMs: 6 * HOUR, hiMs: 24 * HOUR },
  { label: ">24h", loMs: 24 * HOUR, hiMs: Number.POSITIVE_INFINITY },
];

/** Scores of the pairs in one bucket. NaN scores when the bucket is empty. */
export interface HorizonScores {
  readonly label: string;
  readonly n: number;
  readonly modelBrier: number;
  readonly marketBrier: number;
  readonly modelLogLoss: number;
  readonly marketLogLoss: number;
}

/** A forecast pair as the replay records it. */
export interface HorizonPair {
  readonly ts: number;
  readonly market: string;
  readonly pModel: number;
  readonly pMarket: number | null;
  readonly outcome: 0 | 1 | null;
}

/**
 * Scores of head-to-head pairs grouped by time to their market's close.
 * Pairs made at or after close (time to close < 0) or of markets without a close
 * time are left out; none exist when the replay refuses forecasts on closed
 * markets, but a strategy may forecast an event whose markets closed.
 */
export function scoresByHorizon(
  pairs: readonly HorizonPair[],
  closeOf: (market: string) => number | undefined,
  buckets: readonly HorizonBucket[] = DEFAULT_HORIZONS,
): HorizonScores[] {
  // Two passes: each pair's bucket (-1: left out) and the bucket sizes, then
  // the bucket columns as Float64Arrays filled in pair order (binaryScores then
  // always sees one kind of array; growing plain arrays reallocated as they went).
  const bucketOf = new Int32Array(pairs.length);
  const sizes = new Array<number>(buckets.length).fill(0);
  for (let i = 0; i < pairs.length; i++) {
    const f = pairs[i];
    bucketOf[i] = -1;
    if (f.pMarket === null || f.outcome === null) continue;
    const close = closeOf(f.market);
    if (close === undefined) continue;
    const left = close - f.ts;
    if (left < 0) continue;
    let b = 0;
    while (b < buckets.length && !(left > buckets[b].loMs && left <= buckets[b].hiMs)) b++;
    if (b === buckets.length) continue;
    bucketOf[i] = b;
    sizes[b]++;
  }
  const groups = sizes.map((n) => ({
    m: new Float64Array(n),
    k: new Float64Array(n),
    y: new Float64Array(n),
    n: 0,
  }));
  for (let i = 0; i < pairs.length; i++) {
    const b = bucketOf[i];
    if (b < 0) continue;
    const f = pairs[i];
    const g = groups[b];
    g.m[g.n] = f.pModel;
    g.k[g.n] = f.pMarket as number;
    g.y[g.n] = f.outcome as number;
    g.n++;
  }
  return buckets.map((h, i) => {
    const g = groups[i];
    if (g.y.length === 0) {
      return {
        label: h.label,
        n: 0,
        modelBrier: Number.NaN,
        marketBrier: Number.NaN,
        modelLogLoss: Number.NaN,
        marketLogLoss: Number.NaN,
      };
    }
    // Brier score and log loss in one pass each (the numbers of brierScore and logLoss).
    const model = binaryScores(g.m, g.y);
    const market = binaryScores(g.k, g.y);
    return {
      label: h.label,
      n: g.y.length,
      modelBrier: model.brier,
      marketBrier: market.brier,
      modelLogLoss: model.logLoss,
      marketLogLoss: market.logLoss,
    };
  });
}
