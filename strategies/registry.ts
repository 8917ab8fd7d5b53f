/**
 * The strategies `deno task backtest --strategy NAME` can run, by name.
 *
 * @module
 */

import type { Strategy } from "../lib/engine/strategy.ts";
import { BtcStrategy, DEFAULT_BTC_PARAMS } from "./btc/strategy.ts";

/** A runnable strategy family. */
export interface StrategyEntry {
  readonly description: string;
  /** Default parameters: their types decide how `--param k=v` strings are parsed. */
  readonly defaults: Readonly<Record<string, number | string | boolean>>;
  create(params: Record<string, number | string | boolean>): Strategy;
}

/** Every strategy by name. */
export const STRATEGIES: Readonly<Record<string, StrategyEntry>> = {
  btc: {
    description: "BTC ladders (KXBTCD, KXBTC, KXBTC15M): GBM with EWMA volatility, fee-aware taker",
    defaults: { ...DEFAULT_BTC_PARAMS },
    create: (params) => new BtcStrategy(params),
  },
};

/**
 * Parse `key=value` overrides against a strategy's defaults.
 * Throws RangeError naming the key for unknown keys or values of the wrong type.
 */
export function parseParams(
  entry: StrategyEntry,
  overrides: readonly string[],
): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = { ...entry.defaults };
  for (const kv of overrides) {
    const eq = kv.indexOf("=");
    if (eq <= 0) {
      throw new RangeError(`Cannot parse --param: expected key=value, current value is "${kv}"`);
    }
    const key = kv.slice(0, eq);
    const raw = kv.slice(eq + 1);
    if (!(key in entry.defaults)) {
      throw new RangeError(
        `Cannot set parameter "${key}": unknown; known: ${Object.keys(entry.defaults).join(", ")}`,
      );
    }
    const def = entry.defaults[key];
    if (typeof def === "number") {
      const v = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(v)) {
        throw new RangeError(
          `Cannot set parameter "${key}": not a number, current value is "${raw}"`,
        );
      }
      out[key] = v;
    } else if (typeof def === "boolean") {
      if (raw !== "true" && raw !== "false") {
        throw new RangeError(
          `Cannot set parameter "${key}": expected true or false, current value is "${raw}"`,
        );
      }
      out[key] = raw === "true";
    } else out[key] = raw;
  }
  return out;
}
