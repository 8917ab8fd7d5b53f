/**
 * SYNTHETIC order book and trade simulation of one BTC ladder market, for the
 * synthetic tape generator: the ladder book simulation (ladder_book.ts: 3 levels
 * per side, Poisson requotes and taker trades at the touch) around a fair YES
 * probability computed with a noisy, biased volatility estimate of the price path.
 *
 * @module
 */

import cdf from "@stdlib/stats-base-dists-normal-cdf";
import type { Prng } from "../random/prng.ts";
import { type BtcPath, tickIndexAt, YEAR_MS } from "./btc_path.ts";
import { type MarketSpec, yesIntervalCents } from "./ladder.ts";
import { type BookSimOptions, type EventSink, simulateLadderMarket } from "./ladder_book.ts";

/** Standard deviation of the maker's per-market multiplicative volatility bias. */
const VOL_BIAS_SD = 0.15;
/** Standard deviation of the per-requote multiplicative volatility noise. */
const VOL_NOISE_SD = 0.05;
/** Standard deviation of the additive noise on the maker's fair probability. */
const PROB_NOISE_SD = 0.01;

/** P(S_T > x) under GBM with zero drift: N(d2). */
function probAbove(spot: number, x: number, sigma: number, tau: number): number {
  const sd = sigma * Math.sqrt(tau);
  return cdf((Math.log(spot / x) - 0.5 * sd * sd) / sd, 0, 1);
}

/** Probability that the terminal value (in dollars) lands in the YES interval (cents). */
export function yesProbability(
  spec: MarketSpec,
  spot: number,
  sigma: number,
  tauYears: number,
): number {
  const [lo, hi] = yesIntervalCents(spec);
  const upper = Number.isFinite(lo) ? probAbove(spot, (lo - 0.5) / 100, sigma, tauYears) : 1;
  const lower = Number.isFinite(hi) ? probAbove(spot, (hi + 0.5) / 100, sigma, tauYears) : 0;
  return Math.min(1, Math.max(0, upper - lower));
}

/**
 * Simulate books and trades of one market from openTs (snapshot) until closeTs:
 * the ladder book simulation (ladder_book.ts) with the maker's probability from a
 * noisy, biased volatility estimate and the takers' from the path's true
 * volatility.
 */
export function simulateMarket(
  spec: MarketSpec,
  path: BtcPath,
  quoteRng: Prng,
  tradeRng: Prng,
  sink: EventSink,
  options: BookSimOptions,
): void {
  /** The maker's per-market volatility bias, drawn at its first requote. */
  let volBias = Number.NaN;
  const tauOf = (ts: number) => (spec.closeTs - ts) / YEAR_MS;
  simulateLadderMarket(
    spec,
    {
      makerYes(ts, rng) {
        if (Number.isNaN(volBias)) volBias = Math.exp(VOL_BIAS_SD * rng.normal());
        const k = tickIndexAt(path, ts);
        const sigma = path.mmVol[k] * volBias * Math.exp(VOL_NOISE_SD * rng.normal());
        return yesProbability(spec, path.values[k], sigma, tauOf(ts)) +
          PROB_NOISE_SD * rng.normal();
      },
      trueYes(ts) {
        const k = tickIndexAt(path, ts);
        return yesProbability(spec, path.values[k], path.trueVol[k], tauOf(ts));
      },
      makerRange: [0.001, 0.999],
    },
    quoteRng,
    tradeRng,
    sink,
    options,
  );
}
