/**
 * The live lane's tape recorder: every event the lane consumes, in the order it
 * consumed them, as NDJSON tape lines ({@link formatEventLine}, docs/TAPE.md).
 * The file is a valid tape: `deno task backtest --tape <it>` replays it.
 *
 * Durability rule ("loses no recorded event"): lines are buffered and written
 * to the file when `flushEvents` events or `flushMs` of wall time have gathered,
 * on {@link TapeRecorder.close}, and — the rule that matters — by
 * {@link TapeRecorder.flush} before the lane acts on a decision (the dry
 * broker flushes before an order goes on). Every write reaches the operating
 * system before `flush` returns, so a process killed right after an order has
 * every event that order could depend on in the file. Events consumed after the
 * last flush may be lost on a kill -9; a clean stop loses nothing.
 *
 * @example
 * ```ts
 * import { TapeRecorder } from "./recorder.ts";
 * import { denoFs, systemClock } from "./io.ts";
 *
 * const path = `${Deno.makeTempDirSync()}/tape.ndjson`;
 * const rec = new TapeRecorder(path, { fs: denoFs, clock: systemClock });
 * rec.append({ kind: "underlying", ts: 5, symbol: "BTC", value: 97000 });
 * rec.close();
 * console.log(Deno.readTextFileSync(path));
 * ```
 *
 * @module
 */

import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import type { AppendSink, LiveClock, LiveFs } from "./io.ts";

/** Options of a {@link TapeRecorder}. */
export interface RecorderOptions {
  readonly fs: LiveFs;
  readonly clock: LiveClock;
  /** Write after this many buffered events (default 1024; >= 1). */
  readonly flushEvents?: number;
  /** Write once the oldest buffered event waited this long (ms, default 1000; >= 0). */
  readonly flushMs?: number;
}

/** Appends consumed events to an NDJSON tape; see the module docs. */
export class TapeRecorder {
  readonly path: string;
  readonly #sink: AppendSink;
  readonly #clock: LiveClock;
  readonly #flushEvents: number;
  readonly #flushMs: number;
  #buf = "";
  #buffered = 0;
  #oldest = Number.NaN;
  #written = 0;
  #flushes = 0;
  #closed = false;

  /** Creates (or empties) the file at `path`. */
  constructor(path: string, options: RecorderOptions) {
    const flushEvents = options.flushEvents ?? 1024;
    const flushMs = options.flushMs ?? 1000;
    if (!Number.isSafeInteger(flushEvents) || flushEvents < 1) {
      throw new RangeError(
        `Cannot create tape recorder: flushEvents must be an integer >= 1, current value is ${flushEvents}`,
      );
    }
    if (!Number.isFinite(flushMs) || flushMs < 0) {
      throw new RangeError(
        `Cannot create tape recorder: flushMs must be finite and >= 0, current value is ${flushMs}`,
      );
    }
    this.path = path;
    this.#clock = options.clock;
    this.#flushEvents = flushEvents;
    this.#flushMs = flushMs;
    this.#sink = options.fs.openAppend(path, { truncate: true });
  }

  /** Events appended (buffered or written). */
  get recorded(): number {
    return this.#written + this.#buffered;
  }

  /** Events written to the file. */
  get written(): number {
    return this.#written;
  }

  /** Writes done (one per non-empty flush). */
  get flushes(): number {
    return this.#flushes;
  }

  /**
   * Append one event. Throws RangeError (and records nothing) when the event
   * cannot be written as a tape line.
   */
  append(ev: TapeEvent): void {
    if (this.#closed) {
      throw new Error(
        `Cannot record event: the recorder of ${this.path} is closed, current value is ${ev.ts}`,
      );
    }
    const line = formatEventLine(ev);
    if (this.#buffered === 0) this.#oldest = this.#clock.now();
    this.#buf += line + "\n";
    this.#buffered++;
    if (this.#buffered >= this.#flushEvents) this.flush();
  }

  /** Write the buffer if the time rule says so (call it when idle). */
  maybeFlush(): void {
    if (this.#buffered > 0 && this.#clock.now() - this.#oldest >= this.#flushMs) this.flush();
  }

  /** Write every buffered event to the file now. */
  flush(): void {
    if (this.#buffered === 0) return;
    this.#sink.write(this.#buf);
    this.#written += this.#buffered;
    this.#flushes++;
    this.#buf = "";
    this.#buffered = 0;
    this.#oldest = Number.NaN;
  }

  /** Flush and close the file; later calls do nothing. */
  close(): void {
    if (this.#closed) return;
    try {
      this.flush();
    } finally {
      this.#closed = true;
      this.#sink.close();
    }
  }
}
