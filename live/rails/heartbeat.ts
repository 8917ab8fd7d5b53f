/**
 * The heartbeat file: every `intervalMs` of wall clock the lane rewrites a small
 * JSON file (atomically) with its mode (dry or live), its state, the feed's
 * health, the outstanding orders and a few counters, so an operator or a
 * supervisor can see that it is alive and what it holds.
 *
 * The staleness gate reads {@link Heartbeat.ageMs}: the wall time since the
 * last SUCCESSFUL write. A lane that stops writing (stuck, or its disk fails)
 * has a stale heartbeat and sends no orders. A failed write is counted, never
 * thrown; it is retried at the next interval.
 *
 * @example
 * ```ts
 * import { Heartbeat } from "./heartbeat.ts";
 * import { denoFs, systemClock } from "../io.ts";
 *
 * const path = `${Deno.makeTempDirSync()}/heartbeat.json`;
 * const hb = new Heartbeat(path, {
 *   fs: denoFs,
 *   clock: systemClock,
 *   status: () => ({ mode: "dry", state: "running" }),
 * });
 * hb.tick(); // writes: the first tick always does
 * console.log(JSON.parse(Deno.readTextFileSync(path)).mode); // "dry"
 * ```
 *
 * @module
 */

import { redact } from "../../lib/kalshi/mask.ts";
import type { LiveClock, LiveFs } from "../io.ts";

/** What the heartbeat file holds besides the write time. */
export interface HeartbeatStatus {
  readonly mode: "dry" | "live";
  readonly state: string;
  readonly [key: string]: unknown;
}

/** Options of a {@link Heartbeat}. */
export interface HeartbeatOptions {
  readonly fs: LiveFs;
  readonly clock: LiveClock;
  /** Write period, ms (default 2000; > 0). */
  readonly intervalMs?: number;
  /** The status to write, read at each write. */
  readonly status: () => HeartbeatStatus;
}

/** The heartbeat writer; see the module docs. */
export class Heartbeat {
  readonly path: string;
  readonly intervalMs: number;
  readonly #fs: LiveFs;
  readonly #clock: LiveClock;
  readonly #status: () => HeartbeatStatus;
  #lastAttempt = Number.NaN;
  #lastWrite = Number.NaN;
  #writes = 0;
  #failures = 0;
  #lastError = "";

  constructor(path: string, options: HeartbeatOptions) {
    const interval = options.intervalMs ?? 2000;
    if (!Number.isFinite(interval) || interval <= 0) {
      throw new RangeError(
        `Cannot create heartbeat: intervalMs must be finite and > 0, current value is ${interval}`,
      );
    }
    this.path = path;
    this.intervalMs = interval;
    this.#fs = options.fs;
    this.#clock = options.clock;
    this.#status = options.status;
  }

  /** Successful writes. */
  get writes(): number {
    return this.#writes;
  }

  /** Failed writes. */
  get failures(): number {
    return this.#failures;
  }

  /** The message of the last failed write ("" when none). */
  get lastError(): string {
    return this.#lastError;
  }

  /** Wall time (ms) of the last successful write, NaN before the first. */
  get lastWriteTs(): number {
    return this.#lastWrite;
  }

  /** Wall ms since the last successful write at `now`; +Infinity before the first. */
  ageMs(now = this.#clock.now()): number {
    return Number.isNaN(this.#lastWrite) ? Number.POSITIVE_INFINITY : now - this.#lastWrite;
  }

  /** Write when an interval has passed since the last attempt; returns whether it wrote. */
  tick(): boolean {
    const now = this.#clock.now();
    if (!Number.isNaN(this.#lastAttempt) && now - this.#lastAttempt < this.intervalMs) return false;
    return this.writeNow();
  }

  /** Write now; returns false (and counts the failure) when the write failed. */
  writeNow(): boolean {
    const now = this.#clock.now();
    this.#lastAttempt = now;
    try {
      const body = { ...this.#status(), writtenAt: new Date(now).toISOString(), wallTs: now };
      this.#fs.writeAtomic(this.path, redact(JSON.stringify(body, null, 2)) + "\n");
      this.#lastWrite = now;
      this.#writes++;
      return true;
    } catch (e) {
      this.#failures++;
      this.#lastError = redact(e instanceof Error ? e.message : String(e));
      return false;
    }
  }
}
