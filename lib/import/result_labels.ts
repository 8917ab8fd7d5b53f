/**
 * Winning-bucket labels of weather ladders, as Kalshi writes them ("79° to 80°",
 * "78° or below", "87° or above"), and which market of a ladder a label names.
 *
 * Grammar (spaces as shown, the degree sign optional):
 * - `A° to B°`: the grid values A..B inclusive (A <= B).
 * - `X° or below`: every grid value up to X inclusive.
 * - `X° or above`: every grid value from X inclusive.
 * A, B and X are integers or decimals, optionally negative.
 *
 * A label names the market whose YES set, on the event's outcome grid, is
 * exactly those values (so "29° or below" names T30 = `less` cap 30 exclusive,
 * and "38° or above" names T37 = `greater` floor 37 exclusive, on a grid of 1).
 *
 * @example
 * ```ts
 * import { parseResultLabel } from "./result_labels.ts";
 *
 * parseResultLabel("79° to 80°"); // { lo: 79, hi: 80 }
 * parseResultLabel("78° or below"); // { lo: -Infinity, hi: 78 }
 * ```
 *
 * @module
 */

import { intervalGridRange, marketInterval } from "../market/interval.ts";
import type { MarketEvent } from "../tape/events.ts";

/** The outcome values a label names: lo..hi inclusive; a tail has an infinite end. */
export interface ResultLabel {
  readonly lo: number;
  readonly hi: number;
}

const NUM = "(-?\\d+(?:\\.\\d+)?)";
const RANGE = new RegExp(`^${NUM}°? to ${NUM}°?$`);
const TAIL = new RegExp(`^${NUM}°? or (below|above)$`);

/**
 * Parses a winning-bucket label (grammar in the module documentation).
 *
 * @throws {SyntaxError} When the label has none of the three shapes, or A > B.
 */
export function parseResultLabel(label: string): ResultLabel {
  const s = typeof label === "string" ? label.trim() : "";
  const r = RANGE.exec(s);
  if (r !== null) {
    const lo = Number(r[1]);
    const hi = Number(r[2]);
    if (lo <= hi) return { lo, hi };
  }
  const t = TAIL.exec(s);
  if (t !== null) {
    const x = Number(t[1]);
    return t[2] === "below" ? { lo: -Infinity, hi: x } : { lo: x, hi: Infinity };
  }
  throw new SyntaxError(
    `Cannot parse winning market label: not "A° to B°", "X° or below" or "X° or above", current value is ${
      JSON.stringify(label)
    }`,
  );
}

/** The label in the grammar's form, e.g. "79° to 80°", "78° or below". */
export function formatResultLabel(l: ResultLabel): string {
  if (l.lo === -Infinity) return `${l.hi}° or below`;
  if (l.hi === Infinity) return `${l.lo}° or above`;
  return `${l.lo}° to ${l.hi}°`;
}

/**
 * The markets whose YES set on the grid of `step` is exactly the label's values
 * (normally one; none or several means the label does not fit the ladder).
 *
 * @example
 * ```ts
 * import { marketsForLabel } from "./result_labels.ts";
 *
 * // markets: KXHIGHNY-25DEC05-T30 (less, cap 30), -B30.5 (between 30..31), ...
 * // marketsForLabel({ lo: -Infinity, hi: 29 }, markets, 1) -> ["KXHIGHNY-25DEC05-T30"]
 * ```
 */
export function marketsForLabel(
  label: ResultLabel,
  markets: readonly MarketEvent[],
  step: number,
): string[] {
  const lo = label.lo === -Infinity ? -Infinity : Math.round(label.lo / step);
  const hi = label.hi === Infinity ? Infinity : Math.round(label.hi / step);
  const out: string[] = [];
  for (const m of markets) {
    const g = intervalGridRange(marketInterval(m), step);
    if (g.first === lo && g.last === hi) out.push(m.market);
  }
  return out;
}
