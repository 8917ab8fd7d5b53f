/**
 * An in-memory {@link LiveFeed} that plays a tape on a clock (like
 * {@link ArrayFeed}) and injects the faults a real feed has to live through,
 * handling each the way the feed port requires (live/feed_port.ts): a gap is
 * never papered over, and every book comes back through a fresh snapshot. The
 * soak test drives the live lane with it when no mock exchange is wanted.
 *
 * | fault | what happens |
 * | --- | --- |
 * | `gap` | a book's seq breaks: the market is listed in `invalidBooks` and gets no book event for `gapMs` of tape time, then a resync `book_snapshot` of its current book |
 * | `disconnect` | the connection drops for `downMs` of tape time: mode "down", book, trade and quote events are lost (metadata, lifecycle, settlement and underlying still come), then a resync snapshot of every open market's book |
 * | `stall` | nothing arrives for `stallMs` of wall time (the feed goes silent), then the backlog |
 *
 * Faults are drawn per event with the given rates from a seeded PRNG, so a run
 * is reproducible. The feed keeps its own copy of every book (from the tape) to
 * build the resync snapshots, and renumbers book seqs per market so the output
 * is a valid tape. {@link FaultyFeed.counts} says how many of each fault were
 * injected and how many resyncs followed.
 *
 * @module
 */

import { Prng } from "../lib/random/prng.ts";
import type { BookSnapshotEvent, TapeEvent } from "../lib/tape/events.ts";
import type { FeedHealth, LiveFeed } from "./feed_port.ts";
import type { LiveClock } from "./io.ts";

/** Fault rates (per event) and durations. */
export interface FaultPlan {
  readonly seed: number;
  /** Probability per book event of a seq gap on its market. */
  readonly gapRate?: number;
  /** Tape ms a gapped book waits for its resync (default 5000). */
  readonly gapMs?: number;
  /** Probability per event of a disconnect. */
  readonly disconnectRate?: number;
  /** Tape ms a disconnect lasts (default 10 000). */
  readonly downMs?: number;
  /** Probability per event of a stall. */
  readonly stallRate?: number;
  /** Wall ms a stall lasts (default 3000). */
  readonly stallMs?: number;
}

/** Faults injected and handled. */
export interface FaultCounts {
  gaps: number;
  gapResyncs: number;
  disconnects: number;
  reconnects: number;
  reconnectResyncs: number;
  /** Gapped books whose resync came with a reconnect's snapshots. */
  gapsResyncedByReconnect: number;
  stalls: number;
  lostEvents: number;
}

interface Book {
  readonly yes: Map<number, number>;
  readonly no: Map<number, number>;
}

const CLOSED = new Set(["closed", "determined", "finalized", "settled", "inactive"]);

function checkRate(name: string, v: number | undefined): number {
  const r = v ?? 0;
  if (!(r >= 0 && r <= 1)) {
    throw new RangeError(
      `Cannot create faulty feed: ${name} must be in [0, 1], current value is ${v}`,
    );
  }
  return r;
}

/** The faulty in-memory feed; see the module docs. */
export class FaultyFeed implements LiveFeed {
  readonly #events: readonly TapeEvent[];
  readonly #clock: LiveClock;
  readonly #speed: number;
  readonly #rng: Prng;
  readonly #gapRate: number;
  readonly #gapMs: number;
  readonly #disconnectRate: number;
  readonly #downMs: number;
  readonly #stallRate: number;
  readonly #stallMs: number;
  readonly #stop = new AbortController();
  readonly #books = new Map<string, Book>();
  readonly #seq = new Map<string, number>();
  readonly #gapUntil = new Map<string, number>();
  readonly #open = new Set<string>();
  #downUntil = Number.NEGATIVE_INFINITY;
  #outage = false;
  #mode: FeedHealth["mode"] = "down";
  #last = Number.NaN;
  #started = false;
  readonly counts: FaultCounts = {
    gaps: 0,
    gapResyncs: 0,
    disconnects: 0,
    reconnects: 0,
    reconnectResyncs: 0,
    gapsResyncedByReconnect: 0,
    stalls: 0,
    lostEvents: 0,
  };

  constructor(events: readonly TapeEvent[], clock: LiveClock, speed: number, plan: FaultPlan) {
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new RangeError(
        `Cannot create faulty feed: speed must be > 0, current value is ${speed}`,
      );
    }
    this.#events = events;
    this.#clock = clock;
    this.#speed = speed;
    this.#rng = new Prng(plan.seed);
    this.#gapRate = checkRate("gapRate", plan.gapRate);
    this.#disconnectRate = checkRate("disconnectRate", plan.disconnectRate);
    this.#stallRate = checkRate("stallRate", plan.stallRate);
    this.#gapMs = plan.gapMs ?? 5000;
    this.#downMs = plan.downMs ?? 10_000;
    this.#stallMs = plan.stallMs ?? 3000;
  }

  /** Markets whose book waits for a resync now. */
  invalidBooks(): string[] {
    const out = [...this.#gapUntil.keys()];
    if (this.#outage) {
      for (const m of this.#books.keys()) if (!this.#gapUntil.has(m)) out.push(m);
    }
    return out.sort();
  }

  health(): FeedHealth {
    return {
      mode: this.#mode,
      lastMessageTs: this.#last,
      invalidBooks: this.invalidBooks(),
      counters: { ...this.counts },
    };
  }

  close(): Promise<void> {
    this.#stop.abort(new Error("feed closed"));
    this.#mode = "down";
    return Promise.resolve();
  }

  #nextSeq(market: string): number {
    const s = (this.#seq.get(market) ?? 0) + 1;
    this.#seq.set(market, s);
    return s;
  }

  /** Apply a book event to the feed's own copy of the book. */
  #track(ev: TapeEvent): void {
    if (ev.kind === "book_snapshot") {
      const b: Book = { yes: new Map(), no: new Map() };
      ev.yesPrices.forEach((p, i) => b.yes.set(p, ev.yesSizes[i]));
      ev.noPrices.forEach((p, i) => b.no.set(p, ev.noSizes[i]));
      this.#books.set(ev.market, b);
    } else if (ev.kind === "book_delta") {
      const b = this.#books.get(ev.market);
      if (b === undefined) return;
      const side = ev.side === "yes" ? b.yes : b.no;
      const v = (side.get(ev.price) ?? 0) + ev.delta;
      if (v > 0) side.set(ev.price, v);
      else side.delete(ev.price);
    } else if (ev.kind === "lifecycle") {
      if (CLOSED.has(ev.status)) this.#open.delete(ev.market);
      else this.#open.add(ev.market);
    } else if (ev.kind === "settlement") this.#open.delete(ev.market);
  }

  #snapshot(market: string, ts: number): BookSnapshotEvent {
    const b = this.#books.get(market)!;
    const yes = [...b.yes.entries()].sort((x, y) => y[0] - x[0]);
    const no = [...b.no.entries()].sort((x, y) => y[0] - x[0]);
    return {
      kind: "book_snapshot",
      ts,
      market,
      seq: this.#nextSeq(market),
      yesPrices: yes.map((x) => x[0]),
      yesSizes: yes.map((x) => x[1]),
      noPrices: no.map((x) => x[0]),
      noSizes: no.map((x) => x[1]),
    };
  }

  async *events(): AsyncIterable<TapeEvent> {
    if (this.#started) {
      throw new Error(
        "Cannot iterate faulty feed: events() was already called, current value is 2",
      );
    }
    this.#started = true;
    const events = this.#events;
    if (events.length === 0) return;
    const clock = this.#clock;
    const signal = this.#stop.signal;
    const start = clock.now();
    const ts0 = events[0].ts;
    this.#mode = "ws";
    const sleep = async (ms: number) => {
      try {
        await clock.sleep(ms, signal);
        return true;
      } catch {
        return false;
      }
    };
    try {
      for (const ev of events) {
        if (signal.aborted) return;
        const wait = start + (ev.ts - ts0) / this.#speed - clock.now();
        if (wait > 0 && !(await sleep(wait))) return;
        if (this.#rng.next() < this.#stallRate) {
          this.counts.stalls++;
          // The backlog comes out at once after the stall.
          if (!(await sleep(this.#stallMs))) return;
        }
        const out: TapeEvent[] = [];
        // Reconnect after an outage: every open book comes back through a snapshot.
        if (this.#mode === "down" && ev.ts >= this.#downUntil) {
          this.#mode = "ws";
          this.#outage = false;
          this.counts.reconnects++;
          for (const m of [...this.#books.keys()].sort()) {
            if (this.#gapUntil.delete(m)) this.counts.gapsResyncedByReconnect++;
            if (!this.#open.has(m)) continue;
            out.push(this.#snapshot(m, ev.ts));
            this.counts.reconnectResyncs++;
          }
        }
        if (this.#mode === "ws" && this.#rng.next() < this.#disconnectRate) {
          this.#mode = "down";
          this.#outage = true;
          this.#downUntil = ev.ts + this.#downMs;
          this.counts.disconnects++;
        }
        const market = "market" in ev ? ev.market : undefined;
        const isBook = ev.kind === "book_snapshot" || ev.kind === "book_delta";
        if (market !== undefined && isBook) {
          // Resync a gapped book once its wait is over.
          const until = this.#gapUntil.get(market);
          if (until !== undefined && ev.ts >= until && this.#mode === "ws") {
            this.#gapUntil.delete(market);
            this.#track(ev);
            if (this.#open.has(market) && this.#books.has(market)) {
              out.push(this.#snapshot(market, ev.ts));
              this.counts.gapResyncs++;
            }
            yield* this.#emit(out);
            continue;
          }
        }
        // A gapped book is resynced before its market closes (a closed book stays valid).
        if (
          market !== undefined && this.#gapUntil.has(market) && this.#mode === "ws" &&
          (ev.kind === "settlement" || (ev.kind === "lifecycle" && CLOSED.has(ev.status)))
        ) {
          this.#gapUntil.delete(market);
          if (this.#books.has(market)) {
            out.push(this.#snapshot(market, ev.ts));
            this.counts.gapResyncs++;
          }
        }
        this.#track(ev);
        if (this.#mode === "down") {
          if (isBook || ev.kind === "trade" || ev.kind === "quote") {
            this.counts.lostEvents++;
            yield* this.#emit(out);
            continue;
          }
        } else if (market !== undefined && isBook) {
          if (this.#gapUntil.has(market)) {
            this.counts.lostEvents++;
            yield* this.#emit(out);
            continue;
          }
          if (
            ev.kind === "book_delta" && this.#open.has(market) &&
            this.#rng.next() < this.#gapRate
          ) {
            this.#gapUntil.set(market, ev.ts + this.#gapMs);
            this.counts.gaps++;
            this.counts.lostEvents++;
            yield* this.#emit(out);
            continue;
          }
        }
        if (ev.kind === "book_snapshot" || ev.kind === "book_delta") {
          out.push({ ...ev, seq: this.#nextSeq(ev.market) });
        } else out.push(ev);
        yield* this.#emit(out);
      }
      // Books still waiting at the end get their resync.
      const last = events[events.length - 1].ts;
      const tail: TapeEvent[] = [];
      for (const m of [...this.#gapUntil.keys()].sort()) {
        this.#gapUntil.delete(m);
        if (!this.#books.has(m)) continue;
        tail.push(this.#snapshot(m, last));
        this.counts.gapResyncs++;
      }
      yield* this.#emit(tail);
    } finally {
      this.#mode = "down";
    }
  }

  *#emit(out: TapeEvent[]): Generator<TapeEvent> {
    for (const e of out) {
      this.#last = this.#clock.now();
      yield e;
    }
  }
}
