/**
 * The market-implied PMF over a ladder's bins, from YES mid prices, de-vigged. It
 * is the baseline a model's forecast is scored against (DESIGN.md §5).
 *
 * @module
 */

import { binGridRanges, type Ladder } from "../market/ladder.ts";

/**
 * The market-implied PMF over `ladder`'s bins, or `null` when the quotes do not
 * determine it.
 *
 * `yesMid[i]` is market i's YES mid probability in [0, 1] (markets in ladder
 * order), or `NaN` when the market has no two-sided quote.
 *
 * Mutually exclusive ladders: the mids are normalized to sum to 1 (removing the
 * overround). `null` when any mid is `NaN` or all mids are 0.
 *
 * Threshold (non-exclusive) ladders: let C(j) be P(outcome in bins 0..j-1) at each
 * interior bin boundary j. A market covering the lowest bins 0..e-1 says
 * C(e) = mid ("below" markets); a market covering the highest bins s..nBins-1
 * says C(s) = 1 - mid ("above" markets). Several quotes at one boundary are
 * averaged. Monotonicity is enforced by least-squares isotonic regression of C over
 * the boundaries (pool-adjacent-violators, each quote weighing 1; the pooled
 * values lie in [0, 1] because the mids do), which is the de-vig of a threshold
 * ladder; with C = 0 below the lowest bin and 1 above the highest, bin masses are
 * the differences, normalized to sum to 1. With `ladder.outcomeStep`, bins holding
 * no reportable value get mass 0 and the boundaries on their two sides count as one
 * boundary. Markets covering neither the lowest nor the highest bin (between
 * markets inside a non-exclusive event) and markets covering every bin are not
 * used. `null` exactly when some interior boundary (between two reachable bins)
 * has no finite mid from a market covering the lowest or the highest bin (for
 * example, one threshold market without a two-sided quote), since the split of
 * mass across that boundary is then unknown.
 *
 * Writes into `out` when given (one entry per bin); on `null` `out` is left in an
 * unspecified state.
 *
 * @throws {RangeError} when `yesMid` does not have one entry per market, a mid is
 * outside [0, 1] (and not NaN), or `out` has the wrong length.
 *
 * @example
 * ```ts
 * import { impliedPmf } from "./implied.ts";
 * import { buildLadder } from "../market/ladder.ts";
 *
 * const ev = { kind: "event", ts: 0, event: "E", series: "S", mutuallyExclusive: false } as const;
 * const above = (k: number) => ({
 *   kind: "market", ts: 0, market: `E-T${k}`, event: "E", strikeType: "greater",
 *   floorStrike: k, openTs: 0, closeTs: 1, priceStep: 100,
 * } as const);
 * const ladder = buildLadder(ev, [above(100), above(200)]);
 * impliedPmf(ladder, [0.7, 0.2]); // Float64Array [0.3, 0.5, 0.2]
 * ```
 */
export function impliedPmf(
  ladder: Ladder,
  yesMid: ArrayLike<number>,
  out?: Float64Array,
): Float64Array | null {
  const nMarkets = ladder.markets.length;
  const nBins = ladder.bins.length;
  if (yesMid.length !== nMarkets) {
    throw new RangeError(
      `Cannot compute implied PMF for ${ladder.event}: mids length must equal the number of markets (${nMarkets}), current value is ${yesMid.length}`,
    );
  }
  if (out !== undefined && out.length !== nBins) {
    throw new RangeError(
      `Cannot compute implied PMF for ${ladder.event}: output length must equal the number of bins (${nBins}), current value is ${out.length}`,
    );
  }
  for (let i = 0; i < nMarkets; i++) {
    const v = yesMid[i];
    if (!Number.isNaN(v) && !(v >= 0 && v <= 1)) {
      throw new RangeError(
        `Cannot compute implied PMF for ${ladder.event}: mid of ${
          ladder.markets[i]
        } must be a probability in [0, 1] or NaN, current value is ${v}`,
      );
    }
  }
  return ladder.mutuallyExclusive
    ? exclusivePmf(ladder, yesMid, out)
    : thresholdPmf(ladder, yesMid, out);
}

function exclusivePmf(
  ladder: Ladder,
  yesMid: ArrayLike<number>,
  out: Float64Array | undefined,
): Float64Array | null {
  const n = ladder.markets.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = yesMid[i];
    if (Number.isNaN(v)) return null;
    total += v;
  }
  if (!(total > 0)) return null;
  const pmf = out ?? new Float64Array(ladder.bins.length);
  pmf.fill(0);
  for (let i = 0; i < n; i++) {
    // Each market of an exclusive ladder is exactly one bin.
    for (let b = ladder.binStart[i]; b < ladder.binEnd[i]; b++) pmf[b] = yesMid[i] / total;
  }
  return pmf;
}

function thresholdPmf(
  ladder: Ladder,
  yesMid: ArrayLike<number>,
  out: Float64Array | undefined,
): Float64Array | null {
  const nBins = ladder.bins.length;
  const nMarkets = ladder.markets.length;
  // Work on the reachable bins only: with an outcome step, a bin holding no
  // reportable value gets no mass and the boundaries on its two sides coincide.
  // before[b] = number of reachable bins among 0..b-1.
  const before = new Int32Array(nBins + 1);
  const reachable = new Uint8Array(nBins);
  const grid = ladder.outcomeStep === undefined ? undefined : binGridRanges(ladder);
  for (let b = 0; b < nBins; b++) {
    reachable[b] = grid === undefined || grid.first[b] <= grid.last[b] ? 1 : 0;
    before[b + 1] = before[b] + reachable[b];
  }
  const r = before[nBins];
  // Sum and count of CDF observations at each reduced boundary j (1..r-1).
  const sum = new Float64Array(r + 1);
  const count = new Float64Array(r + 1);
  for (let i = 0; i < nMarkets; i++) {
    const v = yesMid[i];
    if (Number.isNaN(v)) continue;
    const s = before[ladder.binStart[i]];
    const e = before[ladder.binEnd[i]];
    if (s === 0 && e === r) continue; // covers every reachable value: says nothing
    if (s === 0) {
      sum[e] += v;
      count[e] += 1;
    } else if (e === r) {
      sum[s] += 1 - v;
      count[s] += 1;
    }
  }
  // Pool adjacent violators over the boundaries 1..r-1, in order.
  const m = Math.max(0, r - 1);
  const blockValue = new Float64Array(m);
  const blockWeight = new Float64Array(m);
  const blockLength = new Int32Array(m);
  let blocks = 0;
  for (let j = 1; j < r; j++) {
    if (count[j] === 0) return null;
    let value = sum[j] / count[j];
    let weight = count[j];
    let length = 1;
    while (blocks > 0 && blockValue[blocks - 1] > value) {
      const b = blocks - 1;
      value = (blockValue[b] * blockWeight[b] + value * weight) / (blockWeight[b] + weight);
      weight += blockWeight[b];
      length += blockLength[b];
      blocks--;
    }
    blockValue[blocks] = value;
    blockWeight[blocks] = weight;
    blockLength[blocks] = length;
    blocks++;
  }
  // Expand the blocks into C(1..r-1) and take differences: reduced masses.
  const reduced = new Float64Array(r);
  let prev = 0;
  let k = 0;
  for (let b = 0; b < blocks; b++) {
    const c = Math.min(1, Math.max(0, blockValue[b]));
    for (let t = 0; t < blockLength[b]; t++) {
      const d = c - prev;
      reduced[k++] = d > 0 ? d : 0;
      prev = c;
    }
  }
  reduced[k] = 1 - prev > 0 ? 1 - prev : 0;
  let total = 0;
  for (let j = 0; j < r; j++) total += reduced[j];
  const pmf = out ?? new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) pmf[b] = reachable[b] ? reduced[before[b]] / total : 0;
  return pmf;
}

/**
 * The YES mid probability of a book for {@link impliedPmf}: the midpoint of the
 * best YES bid and ask in dollars; NaN when the book is missing or invalid.
 *
 * A book with one side missing is priced only near the bound the missing side
 * would sit at: no YES bid and a YES ask of at most {@link ONE_SIDED_LIMIT}
 * ticks (10 cents) gives ask / 2 (the bid's floor is $0); no YES ask (no NO bid)
 * and a YES bid of at least $1 - 10 cents gives (bid + $1) / 2. A far-out tail
 * bin of a ladder usually looks like this (nobody bids YES at 0 on a 3-cent
 * bin). Any other one-sided book, and an empty one, gives NaN.
 */
export function yesMidOf(
  book:
    | { readonly valid: boolean; readonly bestYesBid: number; readonly bestYesAsk: number }
    | undefined,
): number {
  if (book === undefined || !book.valid) return Number.NaN;
  const bid = book.bestYesBid;
  const ask = book.bestYesAsk;
  if (bid > 0 && ask < 10_000) return (bid + ask) / 2 / 10_000;
  if (bid === 0 && ask > 0 && ask <= ONE_SIDED_LIMIT) return ask / 2 / 10_000;
  if (ask === 10_000 && bid < 10_000 && bid >= 10_000 - ONE_SIDED_LIMIT) {
    return (bid + 10_000) / 2 / 10_000;
  }
  return Number.NaN;
}

/** How close to $0 or $1 (ticks) the one side of a one-sided book must be to be priced. */
export const ONE_SIDED_LIMIT = 1_000;
