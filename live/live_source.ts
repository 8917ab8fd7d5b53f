/**
 * A {@link BlockSource} over a {@link LiveFeed}: the live lane hands it to the
 * same run loop as a backtest (lib/venue/run.ts), so the replay venue, fill model
 * and risk layer are the backtest's own.
 *
 * A background pump reads the feed into a queue, stamping each event with the
 * wall-clock time it arrived. {@link LiveSource.nextBlock} returns whatever has
 * arrived (at least one event, at most `maxBlock`), after it passed the
 * {@link TapeValidator} like any tape and was appended to the recorder (so the
 * recorded tape is exactly what the venue consumed). While nothing arrives it
 * wakes every `idleTickMs` to call `onTick` (the heartbeat and the recorder's
 * time-based flush). It ends (returns null) when the feed ends, when `signal`
 * aborts, or when the wall clock reaches `deadline`; events still queued then
 * are not consumed and not recorded.
 *
 * Lenient by default (an invalid event from the exchange is counted and
 * dropped, not fatal); a seq gap is kept and counted, and the venue invalidates
 * that book until the feed's resync snapshot.
 *
 * @example
 * ```ts
 * import { ArrayFeed } from "./array_feed.ts";
 * import { LiveSource } from "./live_source.ts";
 * import { systemClock } from "./io.ts";
 *
 * const feed = new ArrayFeed([{ kind: "underlying", ts: 5, symbol: "BTC", value: 1 }]);
 * const source = new LiveSource(feed, { name: "live", clock: systemClock });
 * const block = await source.nextBlock(); // 1 event
 * console.log(block?.length, await source.nextBlock()); // 1 null
 * ```
 *
 * @module
 */

import { ArrayBlock, type BlockSource, type EventBlock } from "../lib/tape/block.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { type Anomaly, TapeValidator } from "../lib/tape/validator.ts";
import type { LiveFeed } from "./feed_port.ts";
import type { LiveClock } from "./io.ts";
import type { TapeRecorder } from "./recorder.ts";

/** Why a live source ended. */
export type StopReason = "feed_end" | "stopped" | "time_limit";

/** Options of a {@link LiveSource}. */
export interface LiveSourceOptions {
  /** Name in errors and the run's tape list (usually the recorded tape's path). */
  readonly name: string;
  readonly clock: LiveClock;
  /** Where consumed events are appended (omit to record nothing). */
  readonly recorder?: TapeRecorder;
  /** Invalid events throw (true) or are counted and dropped (false, the default). */
  readonly strict?: boolean;
  /** Most events per block (default 4096). */
  readonly maxBlock?: number;
  /** Wake-up period while waiting for events, ms (default 500). */
  readonly idleTickMs?: number;
  /** Called on every wake-up and before every block is returned. */
  readonly onTick?: () => void;
  /** Stop consuming when it aborts. */
  readonly signal?: AbortSignal;
  /** Stop consuming once the wall clock reaches this time (ms). */
  readonly deadline?: number;
}

interface Arrived {
  readonly ev: TapeEvent;
  readonly at: number;
}

const BOOK_KINDS: ReadonlySet<string> = new Set(["book_snapshot", "book_delta", "quote"]);

/** A block source over a live feed; see the module docs. */
export class LiveSource implements BlockSource {
  readonly name: string;
  readonly #feed: LiveFeed;
  readonly #clock: LiveClock;
  readonly #recorder: TapeRecorder | undefined;
  readonly #validator: TapeValidator;
  readonly #maxBlock: number;
  readonly #idleTickMs: number;
  readonly #onTick: () => void;
  readonly #signal: AbortSignal | undefined;
  readonly #deadline: number;
  readonly #bookAt = new Map<string, number>();
  #queue: Arrived[] = [];
  #head = 0;
  #pumping = false;
  #ended = false;
  #error: unknown = undefined;
  #wake: (() => void) | null = null;
  #received = 0;
  #delivered = 0;
  #stopReason: StopReason | null = null;
  #lastTs = Number.NaN;

  constructor(feed: LiveFeed, options: LiveSourceOptions) {
    const maxBlock = options.maxBlock ?? 4096;
    const idle = options.idleTickMs ?? 500;
    if (!Number.isSafeInteger(maxBlock) || maxBlock < 1) {
      throw new RangeError(
        `Cannot create live source: maxBlock must be an integer >= 1, current value is ${maxBlock}`,
      );
    }
    if (!Number.isFinite(idle) || idle <= 0) {
      throw new RangeError(
        `Cannot create live source: idleTickMs must be finite and > 0, current value is ${idle}`,
      );
    }
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(deadline)) {
      throw new RangeError(
        `Cannot create live source: deadline must be a time in ms, current value is ${deadline}`,
      );
    }
    this.name = options.name;
    this.#feed = feed;
    this.#clock = options.clock;
    this.#recorder = options.recorder;
    this.#validator = new TapeValidator(options.name, { strict: options.strict ?? false });
    this.#maxBlock = maxBlock;
    this.#idleTickMs = idle;
    this.#onTick = options.onTick ?? (() => {});
    this.#signal = options.signal;
    this.#deadline = deadline;
  }

  /** Events read from the feed so far. */
  get received(): number {
    return this.#received;
  }

  /** Events handed to the venue (and recorded) so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Why the source ended, or null while it runs. */
  get stopReason(): StopReason | null {
    return this.#stopReason;
  }

  /** Tape time of the last event delivered (NaN before the first). */
  get lastTs(): number {
    return this.#lastTs;
  }

  /** Anomalies found (invalid events dropped, seq gaps kept). */
  anomalyCount(): number {
    return this.#validator.anomalyCount;
  }

  /** The first anomalies found, with their receive ordinal as the line. */
  get anomalies(): readonly Anomaly[] {
    return this.#validator.anomalies;
  }

  /**
   * Wall-clock time at which the latest book event (snapshot, delta or quote)
   * of a market that the venue has consumed arrived, or undefined.
   */
  bookReceivedAt(market: string): number | undefined {
    return this.#bookAt.get(market);
  }

  #startPump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    (async () => {
      try {
        for await (const ev of this.#feed.events()) {
          this.#queue.push({ ev, at: this.#clock.now() });
          this.#received++;
          this.#notify();
          if (this.#stopReason !== null) break;
        }
      } catch (e) {
        this.#error = e;
      } finally {
        this.#ended = true;
        this.#notify();
      }
    })();
  }

  #notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  #stopNow(): StopReason | null {
    if (this.#signal?.aborted) return "stopped";
    if (this.#clock.now() >= this.#deadline) return "time_limit";
    return null;
  }

  #finish(reason: StopReason): null {
    this.#stopReason ??= reason;
    this.#queue = [];
    this.#head = 0;
    return null;
  }

  async nextBlock(): Promise<EventBlock | null> {
    if (this.#stopReason !== null) return null;
    this.#startPump();
    for (;;) {
      if (this.#error !== undefined) {
        const e = this.#error;
        this.#error = undefined;
        this.#stopReason = "feed_end";
        throw e;
      }
      const stop = this.#stopNow();
      if (stop !== null) return this.#finish(stop);
      if (this.#head < this.#queue.length) {
        const block = this.#take();
        this.#onTick();
        if (block !== null) return block;
        continue;
      }
      if (this.#ended) return this.#finish("feed_end");
      await this.#wait();
      this.#onTick();
    }
  }

  /** Validate and record up to maxBlock queued events; null when all were dropped. */
  #take(): EventBlock | null {
    const end = Math.min(this.#queue.length, this.#head + this.#maxBlock);
    const out: TapeEvent[] = [];
    const firstLine = this.#delivered + 1;
    for (let i = this.#head; i < end; i++) {
      const { ev, at } = this.#queue[i];
      const ordinal = this.#received - (this.#queue.length - i) + 1;
      if (!this.#validator.check(ev, ordinal)) continue;
      this.#recorder?.append(ev);
      if (BOOK_KINDS.has(ev.kind)) this.#bookAt.set((ev as { market: string }).market, at);
      out.push(ev);
      this.#lastTs = ev.ts;
    }
    this.#head = end;
    if (this.#head >= this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 65_536) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#delivered += out.length;
    return out.length === 0 ? null : new ArrayBlock(out, firstLine);
  }

  /** Wait for an event, a stop, the deadline or the idle tick, whichever comes first. */
  async #wait(): Promise<void> {
    const timer = new AbortController();
    const wait = Math.max(0, Math.min(this.#idleTickMs, this.#deadline - this.#clock.now()));
    const arrived = new Promise<void>((resolve) => (this.#wake = resolve));
    const onAbort = () => this.#notify();
    this.#signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.race([
        arrived,
        this.#clock.sleep(wait, timer.signal).catch(() => {}),
      ]);
    } finally {
      timer.abort();
      this.#wake = null;
      this.#signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Stop reading the feed (the run ends at the next block) and close it. */
  async close(): Promise<void> {
    this.#stopReason ??= "stopped";
    await this.#feed.close();
  }
}
