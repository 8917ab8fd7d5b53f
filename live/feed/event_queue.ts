/**
 * The output queue of a live feed: it enforces two rules of the feed port
 * (live/feed_port.ts) and hands the events to one async consumer.
 *
 * - Non-decreasing `ts`: an event older than the last one is clamped up to it
 *   (a copy with the new `ts`) and counted in `clamped`.
 * - Metadata first: a data event (book, trade, lifecycle, settlement, quote)
 *   of a market no `market` event has declared is dropped and counted in
 *   `undeclared` (the feed emits metadata before it subscribes, so this only
 *   catches a bug).
 *
 * The buffer is unbounded (the consumer is expected to keep up; `size` shows
 * the backlog). After {@link EventQueue.close} the iterator ends once the
 * buffer is drained and pushes are ignored.
 *
 * @example
 * ```ts
 * import { EventQueue } from "./event_queue.ts";
 *
 * const q = new EventQueue();
 * q.push({ kind: "underlying", ts: 5, symbol: "X", value: 1 });
 * q.push({ kind: "underlying", ts: 3, symbol: "X", value: 2 }); // clamped to ts 5
 * q.close();
 * for await (const ev of q) console.log(ev.ts); // 5, 5
 * ```
 *
 * @module
 */

import type { TapeEvent } from "../../lib/tape/events.ts";

/** See the module docs. */
export class EventQueue implements AsyncIterable<TapeEvent> {
  readonly #buf: TapeEvent[] = [];
  #head = 0;
  #wake: (() => void) | null = null;
  #closed = false;
  #iterating = false;
  #lastTs = Number.NEGATIVE_INFINITY;
  readonly #declared = new Set<string>();
  /** Events whose ts was raised to keep the order. */
  clamped = 0;
  /** Data events of undeclared markets, dropped. */
  undeclared = 0;
  /** Events accepted. */
  pushed = 0;

  /** Events waiting for the consumer. */
  get size(): number {
    return this.#buf.length - this.#head;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a market has been declared. */
  declared(market: string): boolean {
    return this.#declared.has(market);
  }

  /** Queues one event (see the module docs); returns false when it was dropped. */
  push(ev: TapeEvent): boolean {
    if (this.#closed) return false;
    if (ev.kind === "market") this.#declared.add(ev.market);
    else if ("market" in ev && !this.#declared.has(ev.market)) {
      this.undeclared++;
      return false;
    }
    let out = ev;
    if (ev.ts < this.#lastTs) {
      this.clamped++;
      out = { ...ev, ts: this.#lastTs } as TapeEvent;
    } else this.#lastTs = ev.ts;
    this.#buf.push(out);
    this.pushed++;
    this.#signal();
    return true;
  }

  /** Ends the stream after the buffered events. */
  close(): void {
    this.#closed = true;
    this.#signal();
  }

  #signal(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  /**
   * The events, in order. One consumer only.
   *
   * @throws {Error} when iterated a second time.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<TapeEvent> {
    if (this.#iterating) {
      throw new Error(
        "Cannot iterate feed events: already being consumed, current value is 1 consumer",
      );
    }
    this.#iterating = true;
    for (;;) {
      if (this.#head < this.#buf.length) {
        const ev = this.#buf[this.#head++];
        if (this.#head > 4096 && this.#head * 2 > this.#buf.length) {
          this.#buf.splice(0, this.#head);
          this.#head = 0;
        }
        yield ev;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((r) => (this.#wake = r));
    }
  }
}
