/**
 * A {@link LiveFeed} over tape events already in memory: the in-process
 * stand-in for the exchange in tests and in `deno task live --exchange memory`.
 *
 * Unpaced (no clock), it hands the events out as fast as they are read. Paced,
 * it plays them against an injected clock: event `i` comes out once
 * `clock.now() >= start + (ts_i - ts_0) / speed`, where `start` is the clock
 * when iteration began; with `schedule: "absolute"` once `clock.now() >= ts_i`
 * (the clock runs in tape time, e.g. a mock exchange's clock). Events pass through unchanged (the same objects), so
 * the recorded tape of a lane fed by it is the consumed prefix of the input.
 *
 * `health()` reports mode "ws" while events flow, "down" after the end or
 * `close()`; `lastMessageTs` is the clock time of the last event handed out.
 *
 * @example
 * ```ts
 * import { ArrayFeed } from "./array_feed.ts";
 *
 * const feed = new ArrayFeed([{ kind: "underlying", ts: 5, symbol: "BTC", value: 1 }]);
 * for await (const ev of feed.events()) console.log(ev.kind); // underlying
 * ```
 *
 * @module
 */

import type { TapeEvent } from "../lib/tape/events.ts";
import type { FeedHealth, LiveFeed } from "./feed_port.ts";
import type { LiveClock } from "./io.ts";

/** Options of an {@link ArrayFeed}. */
export interface ArrayFeedOptions {
  /** Pace the events on this clock (omit for as fast as read). */
  readonly clock?: LiveClock;
  /** Tape ms per clock ms when paced (default 1: real time); > 0. */
  readonly speed?: number;
  /** "relative" (default): paced from the start of iteration; "absolute": at ts on the clock. */
  readonly schedule?: "relative" | "absolute";
}

/** A feed over an array of events; see the module docs. */
export class ArrayFeed implements LiveFeed {
  readonly #events: readonly TapeEvent[];
  readonly #clock: LiveClock | undefined;
  readonly #speed: number;
  readonly #absolute: boolean;
  readonly #stop = new AbortController();
  #mode: FeedHealth["mode"] = "down";
  #last = Number.NaN;
  #delivered = 0;
  #started = false;

  constructor(events: readonly TapeEvent[], options: ArrayFeedOptions = {}) {
    const speed = options.speed ?? 1;
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new RangeError(
        `Cannot create array feed: speed must be finite and > 0, current value is ${speed}`,
      );
    }
    this.#events = events;
    this.#clock = options.clock;
    this.#speed = speed;
    this.#absolute = options.schedule === "absolute";
  }

  /** Events handed out so far. */
  get delivered(): number {
    return this.#delivered;
  }

  async *events(): AsyncIterable<TapeEvent> {
    if (this.#started) {
      throw new Error("Cannot iterate array feed: events() was already called, current value is 2");
    }
    this.#started = true;
    const events = this.#events;
    const clock = this.#clock;
    if (events.length === 0 || this.#stop.signal.aborted) return;
    this.#mode = "ws";
    const start = clock?.now() ?? 0;
    const ts0 = events[0].ts;
    try {
      for (const ev of events) {
        if (this.#stop.signal.aborted) return;
        if (clock !== undefined) {
          const due = this.#absolute ? ev.ts : start + (ev.ts - ts0) / this.#speed;
          const wait = due - clock.now();
          if (wait > 0) {
            try {
              await clock.sleep(wait, this.#stop.signal);
            } catch {
              return; // closed while waiting
            }
          }
          this.#last = clock.now();
        }
        this.#delivered++;
        yield ev;
      }
    } finally {
      this.#mode = "down";
    }
  }

  health(): FeedHealth {
    return {
      mode: this.#mode,
      lastMessageTs: this.#last,
      invalidBooks: [],
      counters: { delivered: this.#delivered },
    };
  }

  close(): Promise<void> {
    this.#stop.abort(new Error("feed closed"));
    this.#mode = "down";
    return Promise.resolve();
  }
}
