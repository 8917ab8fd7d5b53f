/**
 * The strategies `deno task backtest --strategy NAME` can run, by name.
 *
 * @module
 */

import type { Strategy } from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { defaultTapeName, generateBtcTape } from "../lib/synth/btc_tape.ts";
import { cpiTapeName, generateCpiTape } from "../lib/synth/cpi.ts";
import { claimsTapeName, generateClaimsTape } from "../lib/synth/claims.ts";
import { generateTnoteTape, tnoteTapeName } from "../lib/synth/tnote.ts";
import { gasTapeName, generateGasTape } from "../lib/synth/gas.ts";
import { BtcStrategy, DEFAULT_BTC_PARAMS } from "./btc/strategy.ts";
import { generateWeatherTape, weatherTapeName } from "../lib/synth/weather.ts";
import { generateIndexTape, indexTapeName } from "../lib/synth/index_tape.ts";
import { DEFAULT_WEATHER_STRATEGY_PARAMS, WeatherStrategy } from "./weather/strategy.ts";
import { DEFAULT_INDEX_STRATEGY_PARAMS, IndexStrategy } from "./index/strategy.ts";
import { DEFAULT_MARKET_BASELINE_PARAMS, MarketBaselineStrategy } from "./market/strategy.ts";
import { DEFAULT_MARKET_MAKER_PARAMS, MarketMakerStrategy } from "./market_maker/strategy.ts";
import { generateMakerTestTape } from "./market_maker/test_tape.ts";
import { CpiStrategy, DEFAULT_CPI_STRATEGY_PARAMS } from "./cpi/strategy.ts";
import { ClaimsStrategy, DEFAULT_CLAIMS_STRATEGY_PARAMS } from "./claims/strategy.ts";
import { DEFAULT_TNOTE_STRATEGY_PARAMS, TnoteStrategy } from "./tnote/strategy.ts";
import { DEFAULT_GAS_STRATEGY_PARAMS, GasStrategy } from "./gas/strategy.ts";

/** A runnable strategy family. */
export interface StrategyEntry {
  readonly description: string;
  /** Default parameters: their types decide how `--param k=v` strings are parsed. */
  readonly defaults: Readonly<Record<string, number | string | boolean>>;
  create(params: Record<string, number | string | boolean>): Strategy;
  /** The SYNTHETIC default tape `deno task backtest` runs when given no --tape. */
  readonly synthetic?: SyntheticDefault;
}

/** A strategy's synthetic default tape: a pure function of the seed. */
export interface SyntheticDefault {
  /** What the tape holds, for the help text. */
  readonly description: string;
  generate(seed: number): TapeEvent[];
  /** File name the task writes it to. */
  fileName(seed: number): string;
}

/** Every strategy by name. */
export const STRATEGIES: Readonly<Record<string, StrategyEntry>> = {
  btc: {
    description: "BTC ladders (KXBTCD, KXBTC, KXBTC15M): GBM with EWMA volatility, fee-aware taker",
    defaults: { ...DEFAULT_BTC_PARAMS },
    create: (params) => new BtcStrategy(params),
    synthetic: {
      description: "a day of BTC ladder markets (KXBTCD, KXBTC, KXBTC15M)",
      generate: (seed) => generateBtcTape({ seed }),
      fileName: defaultTapeName,
    },
  },
  market: {
    description:
      "the market's own de-vigged PMF at horizons before close, never trades (any ladder tape)",
    defaults: { ...DEFAULT_MARKET_BASELINE_PARAMS },
    create: (params) => new MarketBaselineStrategy(params),
  },
  weather: {
    description:
      "NYC high ladders (KXHIGHNY): bias-corrected kernel-smoothed forecast members, else walk-forward climatology, fee-aware taker",
    defaults: { ...DEFAULT_WEATHER_STRATEGY_PARAMS },
    create: (params) => new WeatherStrategy(params),
    synthetic: {
      description:
        "5 years of daily NYC highs with 10-member forecasts, then 30 daily KXHIGHNY ladders",
      generate: (seed) => generateWeatherTape({ seed }),
      fileName: weatherTapeName,
    },
  },
  index: {
    description:
      "S&P 500 / Nasdaq-100 ladders (KXINX, KXINXU, KXNASDAQ100, KXNASDAQ100U): lognormal with a time-of-day variance curve and tail clamps, fee-aware taker",
    defaults: { ...DEFAULT_INDEX_STRATEGY_PARAMS },
    create: (params) => new IndexStrategy(params),
    synthetic: {
      description:
        "20 sessions of S&P 500 minute levels, then 2 sessions of hourly KXINX range ladders, the 16:00 close and KXINXU",
      generate: (seed) => generateIndexTape({ seed }),
      fileName: indexTapeName,
    },
  },
  market_maker: {
    description:
      "Avellaneda-Stoikov market maker: post-only YES/NO bids around an inventory-skewed reservation price, price bands, hysteresis throttles",
    defaults: { ...DEFAULT_MARKET_MAKER_PARAMS },
    create: (params) => new MarketMakerStrategy(params),
    synthetic: {
      description:
        "2 hours of 3 SYNTHETIC binary markets with L2 books (near 50c, drifting below 5c, above 95c)",
      generate: (seed) => generateMakerTestTape({ seed }),
      fileName: (seed) => `synthetic_market_maker_seed${seed}.ndjson`,
    },
  },
  cpi: {
    description:
      "CPI m/m ladders (KXCPI): nowcast or trend + fitted Student-t error, fee-aware taker",
    defaults: { ...DEFAULT_CPI_STRATEGY_PARAMS },
    create: (params) => new CpiStrategy(params),
    synthetic: {
      description: "10 years of monthly CPI prints and nowcasts, then 12 monthly KXCPI ladders",
      generate: (seed) => generateCpiTape({ seed }),
      fileName: cpiTapeName,
    },
  },
  claims: {
    description:
      "Jobless claims ladders (KXJOBLESSCLAIMS, at least N): seasonal local level + fitted Student-t error, fee-aware taker",
    defaults: { ...DEFAULT_CLAIMS_STRATEGY_PARAMS },
    create: (params) => new ClaimsStrategy(params),
    synthetic: {
      description:
        "5 years of weekly claims with seasonality, then 26 weekly KXJOBLESSCLAIMS ladders",
      generate: (seed) => generateClaimsTape({ seed }),
      fileName: claimsTapeName,
    },
  },
  tnote: {
    description:
      "10-year yield ladders (KXTNOTED, KXTNOTEW): random walk (optional mean reversion) + fitted Student-t error, fee-aware taker",
    defaults: { ...DEFAULT_TNOTE_STRATEGY_PARAMS },
    create: (params) => new TnoteStrategy(params),
    synthetic: {
      description: "2 years of daily 10-year yields, then 40 daily KXTNOTED range ladders",
      generate: (seed) => generateTnoteTape({ seed }),
      fileName: tnoteTapeName,
    },
  },
  gas: {
    description:
      "Gas ladders (KXAAAGASD/W/M, strictly greater): momentum random walk + fitted Student-t error, fee-aware taker",
    defaults: { ...DEFAULT_GAS_STRATEGY_PARAMS },
    create: (params) => new GasStrategy(params),
    synthetic: {
      description: "2 years of daily AAA-style gas prices, then 45 daily KXAAAGASD ladders",
      generate: (seed) => generateGasTape({ seed }),
      fileName: gasTapeName,
    },
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
