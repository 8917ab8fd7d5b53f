/**
 * The two ends of a reading pipeline run in a `node:worker_threads` worker, as
 * used by the columnar reader (`columnar_reader.ts`, `columnar_worker.ts`) and
 * the NDJSON block source (`ndjson_source.ts`, `ndjson_worker.ts`).
 *
 * A worker serves jobs one after another ({@link serveJobs}): a job is one
 * file read by one source. Each job brings its own channel and counter, so
 * nothing of a job reaches the next. Threads whose job ended are kept idle for
 * the next source of the same kind (`reader_threads.ts`): a replay after the
 * first one in a process does not wait for a thread to start, and its reader
 * runs code that is already compiled.
 *
 * Within a job the worker owns at most `buffers` buffers: it allocates them on
 * demand up to that count, then waits until the main thread gives one back.
 * It posts each block as a transfer of its buffer, then `end`; on an error it
 * posts the error (as a {@link PostedError}) after the blocks before it. Every
 * message carries a `sync` of what changed in its state.
 *
 * Blocks travel on the job's channel, which the main thread reads with
 * `receiveMessageOnPort`: a block the worker already posted is taken without a
 * turn of the event loop (the replay loop never yields while blocks are
 * ready). A shared counter, bumped after every post, wakes the main thread
 * (`Atomics.waitAsync`) when it has to wait.
 *
 * The main thread ({@link WorkerClient}) takes a thread at its first `next()`,
 * returns the buffer of the block last delivered at the following call, keeps
 * the thread unref'd except while `next()` waits for it (so a source dropped
 * without close() never keeps the process alive), gives the thread back when
 * the job ends (`end` or a posted error) and terminates it on close() before
 * the end and on a crash.
 *
 * @module
 * @internal
 */

import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  type Worker,
} from "node:worker_threads";
import { TapeError } from "./errors.ts";
import { releaseReaderThread, takeReaderThread } from "./reader_threads.ts";

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

/** A job as posted to a worker: the source's own start data, the job's channel and counter. */
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

/** The worker's end of one job (see {@link serveJobs}). @internal */
export interface WorkerPort<S, M> {
  /** The job's start data. */
  readonly start: S;
  /** A buffer to fill: one given back, a new empty one (up to the count), or the next given back. */
  take(): Promise<ArrayBuffer>;
  /** Posts a message to the main thread, transferring `transfer`. */
  post(m: M, transfer?: ArrayBuffer[]): void;
}

/**
 * Serves the jobs posted to this worker thread, one at a time in the order
 * posted. `run` reads one file and posts its blocks, then `end` or the error;
 * it must not throw (an exception ends the thread, which the main thread
 * reports as a crash).
 *
 * @param file The worker module's file name, for the error when it is not run as a worker thread.
 * @internal
 */
export function serveJobs<S extends { readonly buffers: number }, M>(
  file: string,
  run: (job: WorkerPort<S, M>) => Promise<void>,
): void {
  const port = parentPort;
  if (port === null) throw new Error(`${file} runs as a worker thread only`);
  let queue = Promise.resolve();
  port.on("message", (job: PipeStart<S>) => {
    queue = queue.then(() => runJob(job, run));
  });
}

/**
 * One job: collects the buffers the main thread gives back on the job's
 * channel and hands out at most `start.buffers` new ones (empty: the filler
 * grows them to the block's size). The channel is closed when the job ends;
 * messages posted before are still delivered.
 */
async function runJob<S extends { readonly buffers: number }, M>(
  job: PipeStart<S>,
  run: (job: WorkerPort<S, M>) => Promise<void>,
): Promise<void> {
  const out = job.port;
  const signal = new Int32Array(job.signal);
  /** Buffers given back by the main thread. */
  const pool: ArrayBuffer[] = [];
  /** Buffers this job may still allocate. */
  let fresh = job.data.buffers;
  let wake: (() => void) | null = null;

  out.on("message", (buf: ArrayBuffer) => {
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

  try {
    await run({ start: job.data, take, post });
  } finally {
    out.close();
  }
}

// ----------------------------------------------------------- main-thread side

/**
 * The main thread's end of the pipe: one job on a reader thread taken at the
 * first {@link next}, whose messages wait on their channel until asked for.
 * @internal
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
  /** The main thread's end of the job's channel (while the job runs). */
  #port: MessagePort | null = null;
  /** Bumped by the worker after each message, and here on a crash and on close(). */
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  #finished = false;
  /** The first crash reported by the thread's events (its messages arrive on the channel). */
  #crash: { readonly error: unknown } | null = null;
  /** The buffer of the block last delivered, returned at the next call. */
  #held: ArrayBuffer | null = null;
  readonly #onError = (e: unknown) => this.#crashed(e);
  readonly #onExit = (code: number) =>
    this.#crashed(new Error(`Cannot read ${this.#name}: the reader thread exited (code ${code})`));

  /**
   * @param url The worker module (it calls {@link serveJobs}).
   * @param name The source's name, for the error when the thread exits.
   * @param data Makes the job's start data (called when the job starts).
   * @param apply Applies the `sync` of each message, before the message is acted on.
   */
  constructor(url: URL, name: string, data: () => unknown, apply: (s: S) => void) {
    this.#url = url;
    this.#name = name;
    this.#data = data;
    this.#apply = apply;
  }

  /** Stops the job (terminating its thread if it had not ended); a pending {@link next} returns null. */
  close(): void {
    this.#end(false);
  }

  /**
   * Ends the job: the thread goes back to the idle ones when its job ended
   * (`reusable`), else it is terminated.
   */
  #end(reusable: boolean): void {
    this.#finished = true;
    this.#held = null;
    const t = this.#thread;
    this.#thread = null;
    if (t !== null) {
      t.off("error", this.#onError);
      t.off("exit", this.#onExit);
      if (reusable && this.#crash === null) releaseReaderThread(this.#url, t);
      else void t.terminate();
    }
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
    const job: PipeStart<unknown> = {
      data: this.#data(),
      port: port2,
      signal: this.#signal.buffer,
    };
    const t = takeReaderThread(this.#url);
    t.on("error", this.#onError);
    t.on("exit", this.#onExit);
    t.postMessage(job, [port2]);
    this.#port = port1;
    this.#thread = t;
    return t;
  }

  /**
   * The next block message (its sync applied; its buffer is held and given
   * back at the next call), or null at the end or after close().
   *
   * @throws The worker's error, rebuilt; or the thread's crash.
   */
  async next(): Promise<Extract<M, { readonly type: "block" }> | null> {
    if (this.#finished) return null;
    const t = this.#thread ?? this.#start();
    const held = this.#held;
    if (held !== null) {
      this.#held = null;
      this.#port!.postMessage(held, [held]);
    }
    // Messages the worker posted come before a crash reported after them.
    let m = this.#take();
    let waited = false;
    if (m === undefined && this.#crash === null) {
      t.ref();
      try {
        for (;;) {
          // Read the counter before looking, so a post in between is not missed.
          const seen = Atomics.load(this.#signal, 0);
          m = this.#take();
          if (m !== undefined || this.#crash !== null || this.#finished) break;
          const w = Atomics.waitAsync(this.#signal, 0, seen);
          if (w.async) {
            waited = true;
            await w.value;
          }
        }
      } finally {
        // close() may have run meanwhile (and given the thread to another source).
        if (this.#thread === t) t.unref();
      }
    }
    // Found without waiting: yield once all the same, so that a close() made
    // right after this call, before its promise settled, still makes it return
    // null, however fast the thread posted (one microtask per block).
    if (!waited) await null;
    if (this.#finished) return null;
    if (m === undefined) {
      const error = this.#crash!.error;
      this.close();
      throw error;
    }
    this.#apply(m.sync);
    if (m.type === "end") {
      this.#end(true);
      return null;
    }
    if (m.type === "error") {
      this.#end(true);
      throw rebuildError(m.error);
    }
    const b = m as Extract<M, { readonly type: "block" }>;
    this.#held = b.buffer;
    return b;
  }
}
