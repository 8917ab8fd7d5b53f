/**
 * The US Eastern day number of an observation's publication time, memoised per
 * observation object: the daily-series models (gas, 10-year, weather) look the
 * same observations up at every decision of a replay.
 *
 * @module
 */

import { easternDayNumber } from "../lib/time/eastern.ts";
import type { Observation } from "./family.ts";

const dayCache = new WeakMap<Observation, number>();

/** The Eastern day number (lib/time/eastern.ts) of `o.ts`. */
export function observationDay(o: Observation): number {
  let d = dayCache.get(o);
  if (d === undefined) {
    d = easternDayNumber(o.ts);
    dayCache.set(o, d);
  }
  return d;
}

/** {@link observationDay} of each observation, in order. */
export function observationDays(obs: readonly Observation[]): Float64Array {
  const out = new Float64Array(obs.length);
  for (let i = 0; i < obs.length; i++) out[i] = observationDay(obs[i]);
  return out;
}
