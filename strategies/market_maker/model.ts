/**
 * The Avellaneda-Stoikov quoting model of the market maker, on the YES price of
 * one binary market in probability units (0..1), and the pure pieces around it:
 * the risk aversion that falls with inventory, the price bands, the fill
 * probability the intensity model implies, and rounding onto a market's tick
 * grid away from the mid.
 *
 * Avellaneda and Stoikov (2008), "High-frequency trading in a limit order book":
 *
 * ```
 * reservation  r     = s - q * gamma * sigma^2 * (T - t)
 * spread       delta = gamma * sigma^2 * (T - t) + (2 / gamma) * ln(1 + gamma / k)
 * quotes       bid = r - delta / 2,  ask = r + delta / 2
 * intensity    lambda(d) = A * exp(-k * d)   (fills a quote d away from s)
 * ```
 *
 * with s the fair YES probability, q the inventory in whole contracts (long YES
 * > 0), sigma^2 the variance rate of s per hour, T - t the hours left, gamma the
 * risk aversion (per contract and probability unit) and k the decay of the fill
 * intensity with the distance from s (per probability unit).
 *
 * @example
 * ```ts
 * import { avellanedaStoikov, bidTicksOnGrid, askTicksOnGrid } from "./model.ts";
 *
 * const q = avellanedaStoikov({
 *   fair: 0.5, inventory: 10, gamma: 1, variancePerHour: 0.0025, tauHours: 1, k: 50,
 * });
 * q.reservation; // 0.475: long 10 contracts, so the quotes move down
 * bidTicksOnGrid(q.bid, 100); // the YES bid in ticks, rounded down to whole cents
 * askTicksOnGrid(q.ask, 100); // the YES ask in ticks, rounded up to whole cents
 * ```
 *
 * @module
 */

/** $1 in ticks. */
export const ONE_DOLLAR = 10_000;

/** Inputs of {@link avellanedaStoikov}. */
export interface AsInputs {
  /** Fair YES probability s, in [0, 1]. */
  readonly fair: number;
  /** Inventory q in contracts, YES-equivalent (long YES > 0, long NO < 0). */
  readonly inventory: number;
  /** Risk aversion gamma > 0, per contract and probability unit. */
  readonly gamma: number;
  /** Variance rate sigma^2 of the fair probability, per hour, >= 0. */
  readonly variancePerHour: number;
  /** Time left T - t, hours, >= 0. */
  readonly tauHours: number;
  /** Decay k > 0 of the fill intensity with the distance from s, per probability unit. */
  readonly k: number;
}

/** Quotes of {@link avellanedaStoikov}, in probability units (not yet on a grid). */
export interface AsQuote {
  /** Reservation price r. */
  readonly reservation: number;
  /** Total spread delta (ask - bid). */
  readonly spread: number;
  /** r - delta / 2. */
  readonly bid: number;
  /** r + delta / 2. */
  readonly ask: number;
}

function check(ok: boolean, action: string, detail: string, value: unknown): void {
  if (!ok) throw new RangeError(`Cannot ${action}: ${detail}, current value is ${String(value)}`);
}

/**
 * Reservation price, spread and quotes of the Avellaneda-Stoikov model.
 *
 * @throws {RangeError} on a fair value outside [0, 1], a non-finite inventory,
 * gamma or k not > 0, or a negative variance or time.
 *
 * @example
 * ```ts
 * import { avellanedaStoikov } from "./model.ts";
 * // Flat inventory: symmetric around s; spread = 0.0025 + 2 ln(1.02) = 0.04211
 * avellanedaStoikov({ fair: 0.3, inventory: 0, gamma: 1, variancePerHour: 0.0025, tauHours: 1, k: 50 });
 * ```
 */
export function avellanedaStoikov(i: AsInputs): AsQuote {
  const action = "compute Avellaneda-Stoikov quotes";
  check(
    Number.isFinite(i.fair) && i.fair >= 0 && i.fair <= 1,
    action,
    "fair must be in [0, 1]",
    i.fair,
  );
  check(Number.isFinite(i.inventory), action, "inventory must be finite", i.inventory);
  check(Number.isFinite(i.gamma) && i.gamma > 0, action, "gamma must be > 0", i.gamma);
  check(Number.isFinite(i.k) && i.k > 0, action, "k must be > 0", i.k);
  check(
    Number.isFinite(i.variancePerHour) && i.variancePerHour >= 0,
    action,
    "variancePerHour must be >= 0",
    i.variancePerHour,
  );
  check(
    Number.isFinite(i.tauHours) && i.tauHours >= 0,
    action,
    "tauHours must be >= 0",
    i.tauHours,
  );
  const risk = i.gamma * i.variancePerHour * i.tauHours;
  const reservation = i.fair - i.inventory * risk;
  const spread = risk + (2 / i.gamma) * Math.log1p(i.gamma / i.k);
  return { reservation, spread, bid: reservation - spread / 2, ask: reservation + spread / 2 };
}

/**
 * Risk aversion after the inventory schedule: gamma falls with |inventory|,
 *
 * ```
 * gamma(q) = gamma0 / (1 + decay * |q| / qMax)
 * ```
 *
 * so the inventory skew q * gamma(q) * sigma^2 * tau grows less than linearly and
 * stays below gamma0 * sigma^2 * tau * qMax / decay: near the position limit the
 * skew saturates instead of pushing quotes through the book, and the limit itself
 * (not an ever larger skew) stops the inventory from growing. decay = 0 keeps
 * gamma constant. At |q| = qMax, gamma is gamma0 / (1 + decay).
 *
 * @param gamma0 risk aversion at zero inventory, > 0.
 * @param inventory q (any sign, contracts or centi-contracts: same unit as qMax).
 * @param qMax the position limit, > 0.
 * @param decay the schedule's slope, >= 0.
 * @throws {RangeError} on bad inputs.
 *
 * @example
 * ```ts
 * import { gammaForInventory } from "./model.ts";
 * gammaForInventory(1, 0, 50, 1); // 1
 * gammaForInventory(1, -25, 50, 1); // 0.6667
 * gammaForInventory(1, 50, 50, 1); // 0.5
 * ```
 */
export function gammaForInventory(
  gamma0: number,
  inventory: number,
  qMax: number,
  decay: number,
): number {
  const action = "compute gamma for inventory";
  check(Number.isFinite(gamma0) && gamma0 > 0, action, "gamma0 must be > 0", gamma0);
  check(Number.isFinite(inventory), action, "inventory must be finite", inventory);
  check(Number.isFinite(qMax) && qMax > 0, action, "qMax must be > 0", qMax);
  check(Number.isFinite(decay) && decay >= 0, action, "decay must be >= 0", decay);
  return gamma0 / (1 + decay * Math.abs(inventory) / qMax);
}

/** Price band of a YES mid: how the market maker quotes there. */
export type PriceBand = "normal" | "soft_low" | "soft_high" | "hard_low" | "hard_high";

/** Band edges in ticks: soft below `soft` or above 10000 - soft, hard below `hard` or above 10000 - hard. */
export interface BandEdges {
  /** Edge of the soft-extreme bands (1500 = 15c: soft below 15c and above 85c). */
  readonly soft: number;
  /** Edge of the hard-extreme bands (500 = 5c: hard below 5c and above 95c). */
  readonly hard: number;
}

/** Kalshi-style defaults: normal 15-85c, soft 5-15c and 85-95c, hard < 5c and > 95c. */
export const DEFAULT_BAND_EDGES: BandEdges = Object.freeze({ soft: 1500, hard: 500 });

/**
 * The band of a YES mid (ticks; may be a half tick). Edges belong to the calmer
 * band: 15c and 85c are normal, 5c and 95c soft.
 *
 * @throws {RangeError} on a mid outside [0, 10000] or edges not 0 <= hard <= soft <= 5000.
 *
 * @example
 * ```ts
 * import { priceBand } from "./model.ts";
 * priceBand(5000); // "normal"
 * priceBand(1200); // "soft_low"
 * priceBand(9650); // "hard_high"
 * ```
 */
export function priceBand(midTicks: number, edges: BandEdges = DEFAULT_BAND_EDGES): PriceBand {
  const action = "classify price band";
  check(
    Number.isFinite(midTicks) && midTicks >= 0 && midTicks <= ONE_DOLLAR,
    action,
    "mid must be in [0, 10000] ticks",
    midTicks,
  );
  check(
    Number.isInteger(edges.hard) && Number.isInteger(edges.soft) && edges.hard >= 0 &&
      edges.hard <= edges.soft && edges.soft <= ONE_DOLLAR / 2,
    action,
    "edges must be integers with 0 <= hard <= soft <= 5000",
    JSON.stringify(edges),
  );
  if (midTicks < edges.hard) return "hard_low";
  if (midTicks > ONE_DOLLAR - edges.hard) return "hard_high";
  if (midTicks < edges.soft) return "soft_low";
  if (midTicks > ONE_DOLLAR - edges.soft) return "soft_high";
  return "normal";
}

/** Slack against floating-point noise when a probability is turned into ticks. */
const EPS_TICKS = 1e-6;

function checkStep(step: number, action: string): void {
  check(
    Number.isInteger(step) && step >= 1 && step <= ONE_DOLLAR,
    action,
    "step must be an integer in 1..10000 ticks",
    step,
  );
}

/**
 * A YES bid in probability units as ticks on a uniform grid, rounded **down**
 * (away from the mid). 0.57 on a 100-tick grid is 5700 (not 5600 from
 * 0.57 * 10000 = 5699.999...). May return 0 or less: no valid bid.
 *
 * @throws {RangeError} on a non-finite price or a bad step.
 *
 * @example
 * ```ts
 * import { bidTicksOnGrid } from "./model.ts";
 * bidTicksOnGrid(0.4789, 100); // 4700
 * bidTicksOnGrid(0.4789, 10); // 4780
 * ```
 */
export function bidTicksOnGrid(prob: number, step: number): number {
  check(Number.isFinite(prob), "round bid to grid", "price must be finite", prob);
  checkStep(step, "round bid to grid");
  const ticks = Math.floor(prob * ONE_DOLLAR + EPS_TICKS);
  return Math.floor(ticks / step) * step;
}

/**
 * A YES ask in probability units as ticks on a uniform grid, rounded **up** (away
 * from the mid). May return 10000 or more: no valid ask.
 *
 * @throws {RangeError} on a non-finite price or a bad step.
 *
 * @example
 * ```ts
 * import { askTicksOnGrid } from "./model.ts";
 * askTicksOnGrid(0.5211, 100); // 5300
 * askTicksOnGrid(0.53, 100); // 5300
 * ```
 */
export function askTicksOnGrid(prob: number, step: number): number {
  check(Number.isFinite(prob), "round ask to grid", "price must be finite", prob);
  checkStep(step, "round ask to grid");
  const ticks = Math.ceil(prob * ONE_DOLLAR - EPS_TICKS);
  return Math.ceil(ticks / step) * step;
}

/**
 * The probability that a quote `distance` away from the fair value fills at
 * least once within `horizonMs`, under the model's Poisson intensity
 * lambda(d) = A exp(-k d):
 *
 * ```
 * P = 1 - exp(-A * exp(-k * max(d, 0)) * horizonHours)
 * ```
 *
 * This is what the market maker reports as its assumed fill probability (for the
 * fill-realism metrics); a quote at or through the fair value counts as d = 0.
 *
 * @param distance |quote - s| in probability units.
 * @param arrivalPerHour A, fills per hour of a quote at the fair value, >= 0.
 * @param k decay per probability unit, > 0.
 * @param horizonMs the horizon, ms >= 0.
 * @throws {RangeError} on bad inputs.
 *
 * @example
 * ```ts
 * import { fillProbability } from "./model.ts";
 * fillProbability(0.02, 20, 50, 300_000); // 1 - exp(-20 e^-1 / 12) = 0.458
 * ```
 */
export function fillProbability(
  distance: number,
  arrivalPerHour: number,
  k: number,
  horizonMs: number,
): number {
  const action = "compute fill probability";
  check(!Number.isNaN(distance), action, "distance must be a number", distance);
  check(
    Number.isFinite(arrivalPerHour) && arrivalPerHour >= 0,
    action,
    "arrivalPerHour must be >= 0",
    arrivalPerHour,
  );
  check(Number.isFinite(k) && k > 0, action, "k must be > 0", k);
  check(Number.isFinite(horizonMs) && horizonMs >= 0, action, "horizonMs must be >= 0", horizonMs);
  const d = distance > 0 ? distance : 0;
  return -Math.expm1(-arrivalPerHour * Math.exp(-k * d) * (horizonMs / 3_600_000));
}
