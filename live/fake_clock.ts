/**
 * A virtual wall clock for tests of the live lane: `now()` moves only when a
 * sleep is due. Each sleep registers a timer; once the event loop has run
 * everything that is ready (a macrotask later), the clock jumps to the earliest
 * timer and fires it (and every other timer due at that instant, in the order
 * they were set). Time therefore never passes while work is pending, and a run
 * that would take hours of wall time takes milliseconds.
 *
 * Aborted sleeps are removed and reject with the signal's reason. `advance(ms)`
 * moves the clock by hand (a clock jump), firing what falls due.
 *
 * @example
 * ```ts
 * import { FakeClock } from "./fake_clock.ts";
 *
 * const clock = new FakeClock(1_000);
 * await clock.sleep(5_000);
 * console.log(clock.now()); // 6000
 * ```
 *
 * @module
 */

import { setImmediate } from "node:timers";
import type { LiveClock } from "./io.ts";

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** A virtual clock; see the module docs. */
export class FakeClock implements LiveClock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  #scheduled = false;

  constructor(start = 0) {
    if (!Number.isFinite(start)) {
      throw new RangeError(
        `Cannot create fake clock: start must be a finite ms time, current value is ${start}`,
      );
    }
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Cannot sleep: ms must be finite and >= 0, current value is ${ms}`);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        due: this.#now + ms,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.#timers.indexOf(timer);
        if (i >= 0) this.#timers.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#timers.push(timer);
      this.#schedule();
    });
  }

  /** Move the clock forward by `ms` (a jump), firing every timer due by then. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(
        `Cannot advance fake clock: ms must be finite and >= 0, current value is ${ms}`,
      );
    }
    this.#now += ms;
    this.#fireDue();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate: a macrotask without the 4 ms clamp of nested setTimeout calls.
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#timers.length === 0) return;
      let earliest = this.#timers[0].due;
      for (const t of this.#timers) if (t.due < earliest) earliest = t.due;
      if (earliest > this.#now) this.#now = earliest;
      this.#fireDue();
      if (this.#timers.length > 0) this.#schedule();
    });
  }

  #fireDue(): void {
    const due = this.#timers.filter((t) => t.due <= this.#now).sort((a, b) =>
      a.due - b.due || a.seq - b.seq
    );
    if (due.length === 0) return;
    this.#timers = this.#timers.filter((t) => t.due > this.#now);
    for (const t of due) t.resolve();
  }
}
