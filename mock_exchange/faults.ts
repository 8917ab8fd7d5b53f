/**
 * Fault injection for the mock exchange (`exchange.ts`): which faults fire,
 * how often, and how many were injected.
 *
 * | kind | eligible unit | what happens |
 * | --- | --- | --- |
 * | `ws_drop` | every data message about to go out on a socket | the socket is destroyed instead (no close frame) |
 * | `ws_seq_gap` | every `orderbook_delta` | its seq is used up but the message is not sent |
 * | `ws_duplicate` | every `orderbook_delta` and `trade` | the message is sent twice |
 * | `ws_out_of_order` | every `orderbook_delta` | it is held and sent after the next book message of its subscription |
 * | `http_429` | every REST request | `429 too_many_requests`, no Retry-After (as Kalshi) |
 * | `http_5xx` | every REST request | an error status (`param`, default 503) |
 * | `http_slow` | every REST request | the answer is delayed by `param` ms (default 1500) |
 * | `clock_skew` | every REST answer | its `Date` header is off by `param` ms (default +5000) |
 *
 * Each kind fires on an eligible unit with probability `rate` (drawn from a
 * seeded {@link Prng}, so a run is reproducible given the same traffic), or on
 * the next units after {@link FaultInjector.force}. Every firing is counted;
 * {@link FaultInjector.counts} is what a soak test compares with what the
 * client noticed.
 *
 * @example
 * ```ts
 * import { FaultInjector, parseFaultArg } from "./faults.ts";
 *
 * const f = new FaultInjector([parseFaultArg("http_429=0.5")], 7);
 * f.force("ws_drop");
 * f.roll("ws_drop"); // true (forced)
 * f.counts().ws_drop; // 1
 * ```
 *
 * @module
 */

import { Prng } from "../lib/random/prng.ts";

/** Every fault kind; see the module docs. */
export type FaultKind =
  | "ws_drop"
  | "ws_seq_gap"
  | "ws_duplicate"
  | "ws_out_of_order"
  | "http_429"
  | "http_5xx"
  | "http_slow"
  | "clock_skew";

/** Every {@link FaultKind}, in a fixed order. */
export const FAULT_KINDS: readonly FaultKind[] = [
  "ws_drop",
  "ws_seq_gap",
  "ws_duplicate",
  "ws_out_of_order",
  "http_429",
  "http_5xx",
  "http_slow",
  "clock_skew",
];

const DEFAULT_PARAM: Partial<Record<FaultKind, number>> = {
  http_5xx: 503,
  http_slow: 1500,
  clock_skew: 5000,
};

/** A fault and its rate. */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** Probability per eligible unit, 0..1. */
  readonly rate: number;
  /** `http_5xx`: the status; `http_slow`: delay ms; `clock_skew`: offset ms. */
  readonly param?: number;
}

function checkKind(action: string, kind: unknown): FaultKind {
  if (!FAULT_KINDS.includes(kind as FaultKind)) {
    throw new RangeError(
      `Cannot ${action}: unknown fault kind (one of ${FAULT_KINDS.join(", ")}), current value is ${
        JSON.stringify(kind)
      }`,
    );
  }
  return kind as FaultKind;
}

/**
 * Checks a spec.
 *
 * @throws {RangeError} for an unknown kind, a rate outside 0..1, or a bad param.
 */
export function checkFaultSpec(spec: FaultSpec): FaultSpec {
  const kind = checkKind("add fault", spec.kind);
  if (!(typeof spec.rate === "number" && spec.rate >= 0 && spec.rate <= 1)) {
    throw new RangeError(
      `Cannot add fault ${kind}: rate must be a number in 0..1, current value is ${spec.rate}`,
    );
  }
  const p = spec.param;
  if (p !== undefined) {
    if (kind === "http_5xx" && (!Number.isInteger(p) || p < 500 || p > 599)) {
      throw new RangeError(
        `Cannot add fault http_5xx: param must be a status in 500..599, current value is ${p}`,
      );
    }
    if (kind === "http_slow" && (!Number.isInteger(p) || p < 0)) {
      throw new RangeError(
        `Cannot add fault http_slow: param must be a delay of ms >= 0, current value is ${p}`,
      );
    }
    if (kind === "clock_skew" && !Number.isInteger(p)) {
      throw new RangeError(
        `Cannot add fault clock_skew: param must be an integer offset of ms, current value is ${p}`,
      );
    }
  }
  return spec;
}

/**
 * Parses `kind=rate` or `kind=rate:param` (the `--fault` argument of
 * `deno task mock-exchange`), e.g. `ws_drop=0.01`, `http_slow=0.1:800`.
 *
 * @throws {RangeError} for a malformed argument.
 */
export function parseFaultArg(text: string): FaultSpec {
  const m = /^([a-z_0-9]+)=([0-9.]+)(?::(-?\d+))?$/.exec(text);
  if (m === null) {
    throw new RangeError(
      `Cannot read --fault: expected kind=rate or kind=rate:param, current value is ${
        JSON.stringify(text)
      }`,
    );
  }
  const rate = Number(m[2]);
  return checkFaultSpec({
    kind: checkKind("read --fault", m[1]),
    rate,
    ...(m[3] !== undefined ? { param: Number(m[3]) } : {}),
  });
}

/** Decides and counts faults; see the module docs. */
export class FaultInjector {
  readonly #specs = new Map<FaultKind, FaultSpec>();
  readonly #forced = new Map<FaultKind, number>();
  readonly #counts: Record<FaultKind, number>;
  readonly #rng: Prng;

  /**
   * @param specs Faults and their rates (a later spec of a kind replaces an earlier one).
   * @param seed Seed of the draws.
   */
  constructor(specs: readonly FaultSpec[] = [], seed = 1) {
    this.#rng = new Prng(seed);
    this.#counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
    for (const s of specs) this.set(s);
  }

  /** Adds or replaces the rate of a kind. */
  set(spec: FaultSpec): void {
    this.#specs.set(spec.kind, checkFaultSpec(spec));
  }

  /** Stops every rate-based fault (forced ones still pending stay). */
  clearRates(): void {
    this.#specs.clear();
  }

  /** Makes the next `n` eligible units of `kind` get the fault. */
  force(kind: FaultKind, n = 1): void {
    checkKind("force fault", kind);
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`Cannot force fault: n must be an integer >= 1, current value is ${n}`);
    }
    this.#forced.set(kind, (this.#forced.get(kind) ?? 0) + n);
  }

  /** Whether the fault fires on this eligible unit; a firing is counted. */
  roll(kind: FaultKind): boolean {
    const forced = this.#forced.get(kind) ?? 0;
    if (forced > 0) {
      this.#forced.set(kind, forced - 1);
      this.#counts[kind]++;
      return true;
    }
    const spec = this.#specs.get(kind);
    if (spec === undefined || spec.rate === 0) return false;
    if (this.#rng.next() < spec.rate) {
      this.#counts[kind]++;
      return true;
    }
    return false;
  }

  /** Takes back a counted firing that turned out to have no effect. */
  cancel(kind: FaultKind): void {
    if (this.#counts[kind] > 0) this.#counts[kind]--;
  }

  /** The kind's parameter (its default when the spec gave none). */
  param(kind: FaultKind): number | undefined {
    return this.#specs.get(kind)?.param ?? DEFAULT_PARAM[kind];
  }

  /** Faults injected so far, per kind. */
  counts(): Record<FaultKind, number> {
    return { ...this.#counts };
  }

  /** Sum of {@link counts}. */
  total(): number {
    return FAULT_KINDS.reduce((s, k) => s + this.#counts[k], 0);
  }
}
