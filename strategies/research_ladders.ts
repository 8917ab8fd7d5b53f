/**
 * Realistic ladders for research without recorded markets: the calibration jobs
 * and the real-data walk-forward tests score a family's PMF on ladders shaped like
 * Kalshi's (thresholds or ranges around the current level), built from strike
 * specs here so every family states its ladder in a few lines.
 *
 * Ladders are centred on what is known at decision time (the last published
 * value), the way Kalshi centres its strike grids near the current level, never
 * on the model's forecast.
 *
 * @example
 * ```ts
 * import { thresholdLadder } from "./research_ladders.ts";
 * // CPI m/m: "greater than" 0.0 .. 0.6 in steps of 0.1, reported to 0.1.
 * const ladder = thresholdLadder("KXCPI-X", "greater", 3, 1, 10, 0.1);
 * ladder.bins.length; // 8
 * ```
 *
 * @module
 */

import { buildLadder, type Ladder } from "../lib/market/ladder.ts";
import type { MarketEvent, StrikeType } from "../lib/tape/events.ts";

/** One market of a research ladder: its ticker suffix, strike type and strikes. */
export interface StrikeSpec {
  readonly suffix: string;
  readonly type: StrikeType;
  readonly floor?: number;
  readonly cap?: number;
}

/**
 * A ladder of event `event` (its series is the part before the first "-") from
 * strike specs; `outcomeStep` undefined means a continuous outcome.
 *
 * @throws {RangeError} as `buildLadder` does (no markets, overlapping or missing
 * ranges in an exclusive ladder, a bad step).
 */
export function ladderFromStrikes(
  event: string,
  outcomeStep: number | undefined,
  exclusive: boolean,
  specs: readonly StrikeSpec[],
): Ladder {
  const markets: MarketEvent[] = specs.map((s) => ({
    kind: "market",
    ts: 0,
    market: `${event}-${s.suffix}`,
    event,
    strikeType: s.type,
    ...(s.floor !== undefined ? { floorStrike: s.floor } : {}),
    ...(s.cap !== undefined ? { capStrike: s.cap } : {}),
    openTs: 0,
    closeTs: 1,
    priceStep: 100,
  }));
  return buildLadder({
    kind: "event",
    ts: 0,
    event,
    series: event.split("-")[0],
    mutuallyExclusive: exclusive,
    ...(outcomeStep !== undefined ? { outcomeStep } : {}),
  }, markets);
}

/**
 * A threshold ladder (not mutually exclusive) of `2 * perSide + 1` markets of one
 * strike type at `(centreUnits + j * spacingUnits) / unit`, j = -perSide..perSide,
 * so `2 * perSide + 2` bins. Strikes are given in integer units (`unit` = 10 for
 * tenths) so they print exactly.
 *
 * @throws {RangeError} when spacingUnits is not > 0, perSide is not an integer
 * >= 0, or as {@link ladderFromStrikes}.
 */
export function thresholdLadder(
  event: string,
  type: StrikeType,
  centreUnits: number,
  spacingUnits: number,
  unit: number,
  outcomeStep: number | undefined,
  perSide = 3,
): Ladder {
  if (!(spacingUnits > 0) || !Number.isFinite(spacingUnits)) {
    throw new RangeError(
      `Cannot build a threshold ladder: spacing must be finite and > 0, current value is ${spacingUnits}`,
    );
  }
  if (!Number.isInteger(perSide) || perSide < 0) {
    throw new RangeError(
      `Cannot build a threshold ladder: perSide must be an integer >= 0, current value is ${perSide}`,
    );
  }
  if (!Number.isFinite(centreUnits)) {
    throw new RangeError(
      `Cannot build a threshold ladder: centre must be finite, current value is ${centreUnits}`,
    );
  }
  const specs: StrikeSpec[] = [];
  for (let j = -perSide; j <= perSide; j++) {
    const k = (centreUnits + j * spacingUnits) / unit;
    specs.push({ suffix: `T${k}`, type, floor: k });
  }
  return ladderFromStrikes(event, outcomeStep, false, specs);
}

/**
 * The "nice" step (1, 2, 2.5 or 5 times a power of ten) nearest to `x` in ratio:
 * the strike spacing a lister would pick for a target spacing.
 *
 * @throws {RangeError} when x is not finite and > 0.
 *
 * @example
 * ```ts
 * niceStep(255); // 250
 * niceStep(385); // 500
 * ```
 */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(
      `Cannot pick a strike spacing: x must be finite and > 0, current value is ${x}`,
    );
  }
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  let best = p;
  let bestRatio = Infinity;
  for (const m of [1, 2, 2.5, 5, 10]) {
    const c = m * p;
    const ratio = Math.abs(Math.log(c / x));
    if (ratio < bestRatio) {
      bestRatio = ratio;
      best = c;
    }
  }
  return best;
}
