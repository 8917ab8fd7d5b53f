/**
 * The latency model of a run: three channels, each a constant or a seeded
 * distribution of integer milliseconds.
 *
 * - **feed**: from an event's exchange timestamp to the moment the strategy sees
 *   it. The feed is a FIFO channel: {@link LatencyModel.observeTs} never lets a
 *   later event be seen before an earlier one (observe times are nondecreasing).
 * - **entry**: from an order's submit to its arrival at the venue (matching).
 * - **cancel**: from a cancel request's submit to its arrival at the venue.
 *
 * Distributions (all integer ms, >= 0):
 * - `constant`: always `ms`.
 * - `uniform`: an integer uniform on `minMs..maxMs`, both inclusive (exact, by
 *   rejection sampling in {@link Prng.int}).
 * - `lognormal`: `round(medianMs x exp(sigma x Z))` with Z standard normal,
 *   capped at `maxMs` when given. The median of the draws is `medianMs`.
 *
 * Randomness comes only from the injected {@link Prng}. Each channel draws from
 * its own sub-stream `rng.fork(label)` (feed 1, entry 2, cancel 3), so the draws
 * of one channel never shift another's: the same seed gives the same entry
 * latencies whether or not the strategy ever cancels.
 *
 * @example
 * ```ts
 * import { Prng } from "../random/prng.ts";
 * import { describeLatency, LatencyModel } from "./latency.ts";
 *
 * const config = {
 *   feed: { kind: "constant", ms: 0 },
 *   entry: { kind: "lognormal", medianMs: 250, sigma: 0.5, maxMs: 5_000 },
 *   cancel: { kind: "uniform", minMs: 100, maxMs: 300 },
 * } as const;
 * const model = new LatencyModel(config, new Prng(7));
 * const arrival = 1_000 + model.entryMs(); // deterministic for seed 7
 * describeLatency(config).summary; // "feed constant 0 ms; entry lognormal ..."
 * console.log(arrival);
 * ```
 *
 * @module
 */

import type { Prng } from "../random/prng.ts";

/** One channel's latency: a constant or a distribution, in integer ms. */
export type LatencySpec =
  | { readonly kind: "constant"; readonly ms: number }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  | {
    readonly kind: "lognormal";
    /** Median of the draws in ms, > 0. */
    readonly medianMs: number;
    /** Standard deviation of ln(latency), >= 0 (0 gives the median every time). */
    readonly sigma: number;
    /** Optional cap in ms (integer >= medianMs): draws above it are set to it. */
    readonly maxMs?: number;
  };

/** The three latency channels of a run. */
export interface LatencyConfig {
  readonly feed: LatencySpec;
  readonly entry: LatencySpec;
  readonly cancel: LatencySpec;
}

/** Fork labels of each channel's sub-stream of the run's PRNG. */
export const LATENCY_STREAMS = { feed: 1, entry: 2, cancel: 3 } as const;

/**
 * Default latencies: no feed delay, 250 ms to enter and to cancel (the replay's
 * historical default order latency).
 */
export const DEFAULT_LATENCY: LatencyConfig = {
  feed: { kind: "constant", ms: 0 },
  entry: { kind: "constant", ms: 250 },
  cancel: { kind: "constant", ms: 250 },
};

/** Largest latency accepted anywhere, ms (one day): a guard against unit mistakes. */
export const MAX_LATENCY_MS = 86_400_000;

/**
 * A constant latency spec.
 *
 * @example
 * ```ts
 * import { constantLatency } from "./latency.ts";
 *
 * constantLatency(250); // { kind: "constant", ms: 250 }
 * ```
 */
export function constantLatency(ms: number): LatencySpec {
  const spec: LatencySpec = { kind: "constant", ms };
  validateLatencySpec(spec, "latency");
  return spec;
}

function isMs(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= MAX_LATENCY_MS;
}

function bad(channel: string, detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot use ${channel} latency: ${detail}, current value is ${JSON.stringify(value)}`,
  );
}

/**
 * Checks one channel's spec.
 *
 * @param spec the spec.
 * @param channel its name, for the error message.
 * @throws {RangeError} on an unknown kind or out-of-range parameters.
 *
 * @example
 * ```ts
 * import { validateLatencySpec } from "./latency.ts";
 *
 * validateLatencySpec({ kind: "uniform", minMs: 100, maxMs: 300 }, "entry"); // ok
 * ```
 */
export function validateLatencySpec(spec: LatencySpec, channel: string): void {
  if (spec === null || typeof spec !== "object") bad(channel, "need a spec object", spec);
  switch (spec.kind) {
    case "constant":
      if (!isMs(spec.ms)) bad(channel, `ms must be an integer in 0..${MAX_LATENCY_MS}`, spec.ms);
      return;
    case "uniform":
      if (!isMs(spec.minMs)) {
        bad(channel, `minMs must be an integer in 0..${MAX_LATENCY_MS}`, spec.minMs);
      }
      if (!isMs(spec.maxMs) || spec.maxMs < spec.minMs) {
        bad(channel, `maxMs must be an integer in minMs..${MAX_LATENCY_MS}`, spec.maxMs);
      }
      return;
    case "lognormal":
      if (
        typeof spec.medianMs !== "number" || !(spec.medianMs > 0) ||
        spec.medianMs > MAX_LATENCY_MS
      ) {
        bad(channel, `medianMs must be a number in (0, ${MAX_LATENCY_MS}]`, spec.medianMs);
      }
      if (typeof spec.sigma !== "number" || !(spec.sigma >= 0) || !Number.isFinite(spec.sigma)) {
        bad(channel, "sigma must be a finite number >= 0", spec.sigma);
      }
      if (spec.maxMs !== undefined && (!isMs(spec.maxMs) || spec.maxMs < spec.medianMs)) {
        bad(channel, `maxMs must be an integer in medianMs..${MAX_LATENCY_MS}`, spec.maxMs);
      }
      return;
    default:
      bad(
        channel,
        'kind must be "constant", "uniform" or "lognormal"',
        (spec as { kind?: unknown }).kind,
      );
  }
}

/**
 * Checks all three channels.
 *
 * @throws {RangeError} naming the first bad channel.
 */
export function validateLatencyConfig(config: LatencyConfig): void {
  if (config === null || typeof config !== "object") {
    throw new RangeError(
      `Cannot use latency config: need { feed, entry, cancel }, current value is ${
        JSON.stringify(config)
      }`,
    );
  }
  validateLatencySpec(config.feed, "feed");
  validateLatencySpec(config.entry, "entry");
  validateLatencySpec(config.cancel, "cancel");
}

/** What is stored with a run's results about its latencies. */
export interface LatencyDescription {
  readonly feed: LatencySpec;
  readonly entry: LatencySpec;
  readonly cancel: LatencySpec;
  /** Fork labels of the channels' PRNG sub-streams (see the module docs). */
  readonly streams: typeof LATENCY_STREAMS;
  /** One line for reports, e.g. "feed constant 0 ms; entry uniform 100..300 ms; ...". */
  readonly summary: string;
}

function specText(s: LatencySpec): string {
  switch (s.kind) {
    case "constant":
      return `constant ${s.ms} ms`;
    case "uniform":
      return `uniform ${s.minMs}..${s.maxMs} ms`;
    case "lognormal":
      return `lognormal median ${s.medianMs} ms sigma ${s.sigma}` +
        (s.maxMs === undefined ? "" : ` max ${s.maxMs} ms`);
  }
}

/**
 * A plain, JSON-serialisable description of a latency config (copies of the
 * specs, the stream labels and a one-line summary), to store with run results.
 *
 * @throws {RangeError} on an invalid config.
 *
 * @example
 * ```ts
 * import { DEFAULT_LATENCY, describeLatency } from "./latency.ts";
 *
 * describeLatency(DEFAULT_LATENCY).summary;
 * // "feed constant 0 ms; entry constant 250 ms; cancel constant 250 ms"
 * ```
 */
export function describeLatency(config: LatencyConfig): LatencyDescription {
  validateLatencyConfig(config);
  return {
    feed: { ...config.feed },
    entry: { ...config.entry },
    cancel: { ...config.cancel },
    streams: LATENCY_STREAMS,
    summary: `feed ${specText(config.feed)}; entry ${specText(config.entry)}; cancel ${
      specText(config.cancel)
    }`,
  };
}

/**
 * Draws one channel's latencies. Constant specs never touch the PRNG.
 *
 * @example
 * ```ts
 * import { Prng } from "../random/prng.ts";
 * import { LatencySampler } from "./latency.ts";
 *
 * const s = new LatencySampler({ kind: "uniform", minMs: 10, maxMs: 20 }, new Prng(1), "entry");
 * const ms = s.draw(); // 10..20
 * console.log(ms);
 * ```
 */
export class LatencySampler {
  readonly spec: LatencySpec;
  readonly #rng: Prng | undefined;
  // Unpacked parameters so draw() does no property lookups through the union.
  readonly #kind: 0 | 1 | 2;
  readonly #a: number;
  readonly #b: number;
  readonly #cap: number;

  /**
   * @param spec the channel's spec (validated here).
   * @param rng the channel's own PRNG stream; may be omitted for a constant spec.
   * @param channel the channel's name, for error messages.
   * @throws {RangeError} on an invalid spec, or a random spec without a PRNG.
   */
  constructor(spec: LatencySpec, rng: Prng | undefined, channel = "latency") {
    validateLatencySpec(spec, channel);
    this.spec = spec;
    this.#rng = rng;
    if (spec.kind === "constant") {
      this.#kind = 0;
      this.#a = spec.ms;
      this.#b = spec.ms;
      this.#cap = spec.ms;
      return;
    }
    if (rng === undefined) {
      throw new RangeError(
        `Cannot draw ${channel} latency: a ${spec.kind} spec needs a Prng, current value is undefined`,
      );
    }
    if (spec.kind === "uniform") {
      this.#kind = 1;
      this.#a = spec.minMs;
      this.#b = spec.maxMs - spec.minMs + 1;
      this.#cap = spec.maxMs;
    } else {
      this.#kind = 2;
      this.#a = spec.medianMs;
      this.#b = spec.sigma;
      this.#cap = spec.maxMs ?? MAX_LATENCY_MS;
    }
  }

  /** The next latency, integer ms >= 0. */
  draw(): number {
    switch (this.#kind) {
      case 0:
        return this.#a;
      case 1:
        return this.#a + this.#rng!.int(this.#b);
      default: {
        const ms = Math.round(this.#a * Math.exp(this.#b * this.#rng!.normal()));
        return ms > this.#cap ? this.#cap : ms;
      }
    }
  }
}

/**
 * A run's latency model: one sampler per channel, each on its own PRNG
 * sub-stream, plus the FIFO feed clock.
 */
export class LatencyModel {
  readonly config: LatencyConfig;
  /** The description to store with the run's results. */
  readonly description: LatencyDescription;
  readonly #feed: LatencySampler;
  readonly #entry: LatencySampler;
  readonly #cancel: LatencySampler;
  #lastObserve = Number.NEGATIVE_INFINITY;

  /**
   * @param config the three channels (validated).
   * @param rng the run's PRNG; each channel forks its own sub-stream from it, so
   *   the parent's own sequence is not consumed.
   * @throws {RangeError} on an invalid config.
   */
  constructor(config: LatencyConfig, rng: Prng) {
    this.description = describeLatency(config);
    this.config = config;
    this.#feed = new LatencySampler(config.feed, rng.fork(LATENCY_STREAMS.feed), "feed");
    this.#entry = new LatencySampler(config.entry, rng.fork(LATENCY_STREAMS.entry), "entry");
    this.#cancel = new LatencySampler(config.cancel, rng.fork(LATENCY_STREAMS.cancel), "cancel");
  }

  /** Next feed latency (ms). */
  feedMs(): number {
    return this.#feed.draw();
  }

  /** Next order-entry latency (ms). */
  entryMs(): number {
    return this.#entry.draw();
  }

  /** Next cancel latency (ms). */
  cancelMs(): number {
    return this.#cancel.draw();
  }

  /**
   * When the strategy sees an event stamped `eventTs`: `eventTs + feedMs()`, but
   * never before the previous event was seen (the feed delivers in order). Call
   * it once per event, in tape order.
   */
  observeTs(eventTs: number): number {
    let t = eventTs + this.#feed.draw();
    if (t < this.#lastObserve) t = this.#lastObserve;
    this.#lastObserve = t;
    return t;
  }
}
