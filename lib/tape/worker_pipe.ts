/**
 * The two ends of a reading pipeline run in a `node:worker_threads` worker, as
 * used by the columnar reader (`columnar_reader.ts`, `columnar_worker.ts`) and
 * the NDJSON block source (`ndjson_source.ts`, `ndjson_worker.ts`).
 *
 * The worker ({@link workerPort}) owns at most `buffers` buffers: it allocates
 * them on demand up to that count, then waits until the main thread gives one
 * back. It posts each block as a transfer of its buffer, then `end`; on an
 * error it posts the error (as a {@link PostedError}) after the blocks before
 * it. Every message carries a `sync` of what changed in its state.
 *
 * Blocks travel on a channel of their own, which the main thread reads with
 * `receiveMessageOnPort`: a block the worker already posted is taken without a
 * turn of the event loop (the replay loop never yields while blocks are
 * ready). A shared counter, bumped after every post, wakes the main thread
 * (`Atomics.waitAsync`) when it has to wait.
 *
 * The main thread ({@link WorkerClient}) starts the worker at its first
 * `next()`, returns the buffer of the block last delivered at the following
 * call, keeps the worker unref'd except while `next()` waits for it (so a
 * source dropped without close() never keeps the process alive) and
 * terminates it at the end, on an error and on close().
 *
 * @module
 * @internal
 */

import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from "node:worker_threads";
import { TapeError } from "./errors.ts";

/** An error as the worker posts it. @internal */
export type PostedError =
  | {
    readonly tape: true;
    readonly file: string;
    readonly line: number;
    readonly field: string;
    readonly detail: string;
  }
  | { readonly tape: false; readonly name: string; readonly message: string };

/** An error as the worker posts it. @internal */
export function postError(e: unknown): PostedError {
  if (e instanceof TapeError) {
    return { tape: true, file: e.file, line: e.line, field: e.field, detail: e.detail };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { tape: false, name: err.name, message: err.message };
}

const STANDARD_ERRORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  RangeError,
  TypeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** The error the worker posted, as the same class with the same message. @internal */
export function rebuildError(p: PostedError): Error {
  if (p.tape) return new TapeError({ file: p.file, line: p.line }, p.field, p.detail);
  const denoErrors = Deno.errors as unknown as Record<string, ErrorConstructor | undefined>;
  const C = denoErrors[p.name] ?? STANDARD_ERRORS[p.name];
  if (C !== undefined) return new C(p.message);
  const e = new Error(p.message);
  e.name = p.name;
  return e;
}

/** The `workerData` of a pipe's worker: the source's own start data, the block channel and the counter. */
interface PipeStart<S> {
  readonly data: S;
  /** Where the worker posts its messages (blocks, end, error). */
  readonly port: MessagePort;
  /** One Int32: bumped and notified after every message posted on `port`. */
  readonly signal: SharedArrayBuffer;
}

/** Bump the counter and wake a waiting reader. */
function bump(signal: Int32Array): void {
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// ---------------------------------------------------------------- worker side

/** The worker's end of the pipe (see {@link workerPort}). @internal */
export interface WorkerPort<S, M> {
  /** The `workerData` the worker was started with. */
  readonly start: S;
  /** A buffer to fill: one given back, a new empty one (up to the count), or the next given back. */
  take(): Promise<ArrayBuffer>;
  /** Posts a message to the main thread, transferring `transfer`. */
  post(m: M, transfer?: ArrayBuffer[]): void;
}

/**
 * Sets up the worker's end of the pipe: collects the buffers the main thread
 * gives back and hands out at most `start.buffers` new ones (empty: the filler
 * grows them to the block's size).
 *
 * @param file The worker module's file name, for the error when it is not run as a worker thread.
 * @internal
 */
export function workerPort<S extends { readonly buffers: number }, M>(
  file: string,
): WorkerPort<S, M> {
  const port = parentPort;
  if (port === null) throw new Error(`${file} runs as a worker thread only`);
  const pipe = workerData as PipeStart<S>;
  const start = pipe.data;
  const out = pipe.port;
  const signal = new Int32Array(pipe.signal);

  /** Buffers given back by the main thread. */
  const pool: ArrayBuffer[] = [];
  /** Buffers this thread may still allocate. */
  let fresh = start.buffers;
  let wake: (() => void) | null = null;

  port.on("message", (buf: ArrayBuffer) => {
    pool.push(buf);
    const w = wake;
    wake = null;
    if (w !== null) w();
  });

  async function take(): Promise<ArrayBuffer> {
    for (;;) {
      const b = pool.pop();
      if (b !== undefined) return b;
      if (fresh > 0) {
        fresh--;
        return new ArrayBuffer(0); // the filler grows it to the block's size
      }
      await new Promise<void>((resolve) => wake = resolve);
    }
  }

  function post(m: M, transfer: ArrayBuffer[] = []): void {
    out.postMessage(m, transfer);
    bump(signal);
  }

  return { start, take, post };
}

// ----------------------------------------------------------- main-thread side

/**
 * The main thread's end of the pipe: one worker, started at the first
 * {@link next}, whose messages wait on their channel until asked for. @internal
 */
export class WorkerClient<
  S,
  M extends
    | { readonly type: "block"; readonly buffer: ArrayBuffer; readonly sync: S }
    | { readonly type: "end"; readonly sync: S }
    | { readonly type: "error"; readonly error: PostedError; readonly sync: S },
> {
  readonly #url: URL;
  readonly #name: string;
  readonly #data: () => unknown;
  readonly #apply: (s: S) => void;
  #thread: Worker | null = null;
  /** The main thread's end of the block channel (while the worker runs). */
  #port: MessagePort | null = null;
  /** Bumped by the worker after each message, and here on a crash and on close(). */
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  #finished = false;
  /** The first crash reported by the worker's events (its messages arrive on the channel). */
  #crash: { readonly error: unknown } | null = null;
  /** The buffer of the block last delivered, returned at the next call. */
  #held: ArrayBuffer | null = null;

  /**
   * @param url The worker module.
   * @param name The source's name, for the error when the worker exits.
   * @param data Makes the worker's `workerData` (called when it starts).
   * @param apply Applies the `sync` of each message, before the message is acted on.
   */
  constructor(url: URL, name: string, data: () => unknown, apply: (s: S) => void) {
    this.#url = url;
    this.#name = name;
    this.#data = data;
    this.#apply = apply;
  }

  /** Terminates the worker; a pending {@link next} returns null. */
  close(): void {
    this.#finished = true;
    this.#held = null;
    const t = this.#thread;
    this.#thread = null;
    if (t !== null) void t.terminate();
    this.#port?.close();
    this.#port = null;
    // A next() waiting for the worker (close() called meanwhile) returns null.
    bump(this.#signal);
  }

  #crashed(error: unknown): void {
    if (this.#finished || this.#crash !== null) return;
    this.#crash = { error };
    bump(this.#signal);
  }

  /** The next message the worker posted, or undefined. */
  #take(): M | undefined {
    const port = this.#port;
    return port === null ? undefined : receiveMessageOnPort(port)?.message as M | undefined;
  }

  #start(): Worker {
    const { port1, port2 } = new MessageChannel();
    const start: PipeStart<unknown> = {
      data: this.#data(),
      port: port2,
      signal: this.#signal.buffer,
    };
    const t = new Worker(this.#url, { workerData: start, transferList: [port2] });
    this.#port = port1;
    t.unref();
    t.on("error", (e: unknown) => this.#crashed(e));
    t.on("exit", (code: number) =>
      this.#crashed(
        new Error(`Cannot read ${this.#name}: the reader thread exited (code ${code})`),
      ));
    this.#thread = t;
    return t;
  }

  /**
   * The next block message (its sync applied; its buffer is held and given
   * back at the next call), or null at the end or after close().
   *
   * @throws The worker's error, rebuilt; or the worker's crash.
   */
  async next(): Promise<Extract<M, { readonly type: "block" }> | null> {
    if (this.#finished) return null;
    const t = this.#thread ?? this.#start();
    const held = this.#held;
    if (held !== null) {
      this.#held = null;
      t.postMessage(held, [held]);
    }
    // Messages the worker posted come before a crash reported after them.
    let m = this.#take();
    if (m === undefined && this.#crash === null) {
      t.ref();
      try {
        for (;;) {
          // Read the counter before looking, so a post in between is not missed.
          const seen = Atomics.load(this.#signal, 0);
          m = this.#take();
          if (m !== undefined || this.#crash !== null || this.#finished) break;
          const w = Atomics.waitAsync(this.#signal, 0, seen);
          if (w.async) await w.value;
        }
      } finally {
        // close() may have run meanwhile.
        if (this.#thread !== null) t.unref();
      }
    }
    if (this.#finished) return null;
    if (m === undefined) {
      const error = this.#crash!.error;
      this.close();
      throw error;
    }
    this.#apply(m.sync);
    if (m.type === "end") {
      this.close();
      return null;
    }
    if (m.type === "error") {
      this.close();
      throw rebuildError(m.error);
    }
    const b = m as Extract<M, { readonly type: "block" }>;
    this.#held = b.buffer;
    return b;
  }
}
