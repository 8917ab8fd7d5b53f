/**
 * One {@link LiveFeed} out of two: the exchange's feed (books, trades,
 * lifecycle) and a reference feed (underlying values: BTC spot, an index
 * level; Kalshi has no channel for them). Events come out in the order they
 * arrive; a timestamp older than the last one is raised to it (a copy; counted
 * as `mergeClamped`), so the output keeps the feed port's non-decreasing rule.
 * Health is the exchange feed's (the rails judge the exchange), with the
 * merge's counters added. It ends when both feeds end (or on close).
 *
 * @example
 * ```ts
 * import { ArrayFeed } from "./array_feed.ts";
 * import { MergedFeed } from "./merged_feed.ts";
 *
 * const feed = new MergedFeed(
 *   new ArrayFeed([{ kind: "underlying", ts: 5, symbol: "A", value: 1 }]),
 *   new ArrayFeed([{ kind: "underlying", ts: 3, symbol: "B", value: 2 }]),
 * );
 * for await (const ev of feed.events()) console.log(ev.ts); // 5, 5 (or 3, 5)
 * ```
 *
 * @module
 */

import type { TapeEvent } from "../lib/tape/events.ts";
import type { FeedHealth, LiveFeed } from "./feed_port.ts";

/** Two feeds merged by arrival; see the module docs. */
export class MergedFeed implements LiveFeed {
  readonly primary: LiveFeed;
  readonly secondary: LiveFeed;
  readonly #health: (h: FeedHealth) => FeedHealth;
  #lastTs = Number.NEGATIVE_INFINITY;
  #clamped = 0;
  #fromSecondary = 0;
  #started = false;

  /**
   * @param primary The exchange feed (its health is the merged health).
   * @param secondary The reference feed.
   * @param adjustHealth Maps the primary's health (e.g. its clock onto the lane's).
   */
  constructor(
    primary: LiveFeed,
    secondary: LiveFeed,
    adjustHealth: (h: FeedHealth) => FeedHealth = (h) => h,
  ) {
    this.primary = primary;
    this.secondary = secondary;
    this.#health = adjustHealth;
  }

  async *events(): AsyncIterable<TapeEvent> {
    if (this.#started) {
      throw new Error(
        "Cannot iterate merged feed: events() was already called, current value is 2",
      );
    }
    this.#started = true;
    const its = [this.primary.events(), this.secondary.events()].map((f) =>
      f[Symbol.asyncIterator]()
    );
    const next = its.map((it, i) => it.next().then((r) => ({ i, r })));
    let open = its.length;
    const pending: (Promise<{ i: number; r: IteratorResult<TapeEvent> }> | null)[] = [...next];
    while (open > 0) {
      const { i, r } = await Promise.race(pending.filter((p) => p !== null));
      if (r.done) {
        pending[i] = null;
        open--;
        continue;
      }
      pending[i] = its[i].next().then((x) => ({ i, r: x }));
      let ev = r.value;
      if (i === 1) this.#fromSecondary++;
      if (ev.ts < this.#lastTs) {
        this.#clamped++;
        ev = { ...ev, ts: this.#lastTs } as TapeEvent;
      } else this.#lastTs = ev.ts;
      yield ev;
    }
  }

  health(): FeedHealth {
    const h = this.#health(this.primary.health());
    return {
      ...h,
      counters: {
        ...h.counters,
        mergeClamped: this.#clamped,
        referenceEvents: this.#fromSecondary,
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.secondary.close()]);
  }
}
