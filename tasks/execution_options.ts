/**
 * Command-line forms of the execution model: latencies (constant or a seeded
 * distribution) and the queue model of resting orders. Shared by the tasks that
 * replay (backtest now, the live lane's dry venue later).
 *
 * - latency: `N` (ms, constant), `uniform:MIN:MAX` (ms, both inclusive) or
 *   `lognormal:MEDIAN:SIGMA` (median in ms, sigma of ln latency).
 * - queue mode: `pro_rata` (default), `trades_only`, `pessimistic` (docs/FILLS.md).
 *
 * @module
 */

import {
  type LatencyConfig,
  type LatencySpec,
  validateLatencyConfig,
} from "../lib/engine/latency.ts";
import { QUEUE_MODES, type QueueConfig, type QueueMode } from "../lib/engine/queue_fill.ts";
import type { GateConfig } from "../lib/research/gate.ts";
import { DECISION_FACTORS } from "../lib/research/signals.ts";

/** Parses one latency option; throws RangeError naming the option and the text. */
export function parseLatency(option: string, text: string): LatencySpec {
  const bad = (why: string): never => {
    throw new RangeError(
      `Cannot read ${option}: ${why} (N, uniform:MIN:MAX or lognormal:MEDIAN:SIGMA), current value is "${text}"`,
    );
  };
  const int = (
    s: string,
  ) => (/^\d+$/.test(s) ? Number(s) : bad(`"${s}" is not whole milliseconds`));
  const parts = text.split(":");
  if (parts.length === 1) return { kind: "constant", ms: int(parts[0]) };
  if (parts[0] === "uniform" && parts.length === 3) {
    const minMs = int(parts[1]);
    const maxMs = int(parts[2]);
    if (maxMs < minMs) bad("MAX is below MIN");
    return { kind: "uniform", minMs, maxMs };
  }
  if (parts[0] === "lognormal" && parts.length === 3) {
    const medianMs = Number(parts[1]);
    const sigma = Number(parts[2]);
    if (!(medianMs > 0) || !Number.isFinite(medianMs)) bad("MEDIAN must be a positive number");
    if (!(sigma >= 0) || !Number.isFinite(sigma)) bad("SIGMA must be a non-negative number");
    return { kind: "lognormal", medianMs, sigma };
  }
  return bad("unknown form");
}

/** The latency model from the options (entry defaults to `--latency-ms`, cancel to entry). */
export function latencyFromOptions(
  o: { entry: string; feed?: string; cancel?: string },
): LatencyConfig {
  const entry = parseLatency("--latency-ms", o.entry);
  const config: LatencyConfig = {
    feed: o.feed === undefined
      ? { kind: "constant", ms: 0 }
      : parseLatency("--feed-latency", o.feed),
    entry,
    cancel: o.cancel === undefined ? entry : parseLatency("--cancel-latency", o.cancel),
  };
  validateLatencyConfig(config);
  return config;
}

/** The queue model from `--queue-mode`. */
export function queueFromOption(text: string | undefined): QueueConfig | undefined {
  if (text === undefined) return undefined;
  if (!(QUEUE_MODES as readonly string[]).includes(text)) {
    throw new RangeError(
      `Cannot read --queue-mode: one of ${QUEUE_MODES.join(", ")}, current value is "${text}"`,
    );
  }
  return { mode: text as QueueMode, matchWindowMs: 0 };
}

/**
 * The factor gate from `--gate MODE:FACTOR:OP:THRESHOLD`, e.g. `enforce:skew:>=:0.6`
 * (MODE shadow or enforce; FACTOR one of lib/research/signals.ts DECISION_FACTORS;
 * OP one of >=, >, <=, <).
 */
export function gateFromOption(text: string | undefined): GateConfig | undefined {
  if (text === undefined) return undefined;
  const bad = (why: string): never => {
    throw new RangeError(
      `Cannot read --gate: ${why} (MODE:FACTOR:OP:THRESHOLD, e.g. enforce:skew:>=:0.6), current value is "${text}"`,
    );
  };
  const parts = text.split(":");
  if (parts.length !== 4) bad("four parts separated by ':'");
  const [mode, factor, op, th] = parts;
  if (mode !== "shadow" && mode !== "enforce") bad("MODE must be shadow or enforce");
  if (!(DECISION_FACTORS as readonly string[]).includes(factor)) {
    bad(`FACTOR must be one of ${DECISION_FACTORS.join(", ")}`);
  }
  if (op !== ">=" && op !== ">" && op !== "<=" && op !== "<") bad("OP must be >=, >, <= or <");
  const threshold = Number(th);
  if (th.trim() === "" || !Number.isFinite(threshold)) bad("THRESHOLD must be a number");
  return { mode: mode as "shadow" | "enforce", factor, op: op as ">=", threshold };
}
