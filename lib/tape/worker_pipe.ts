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
 * The main thread ({@link WorkerClient}) starts the worker at its first
 * `next()`, returns the buffer of the block last delivered at the following
 * call, keeps the worker unref'd except while `next()` waits for it (so a
 * source dropped without close() never keeps the process alive) and
 * terminates it at the end, on an error and on close().
 *
 * @module
 * @internal
 */

import { parentPort, Worker, workerData } from "node:worker_threads";
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
  const start = workerData as S;

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
    port!.postMessage(m, transfer);
  }

  return { start, take, post };
}

// ----------------------------------------------------------- main-thread side

type Incoming<M> = M | { readonly type: "crash"; readonly error: unknown };

/**
 * The main thread's end of the pipe: one worker, started at the first
 * {@link next}, whose messages are queued until asked for. @internal
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
  #finished = false;
  readonly #queue: Incoming<M>[] = [];
  #wake: (() => void) | null = null;
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
    this.#queue.length = 0;
    this.#held = null;
    const t = this.#thread;
    this.#thread = null;
    if (t !== null) void t.terminate();
    // A next() waiting for the worker (close() called meanwhile) returns null.
    const w = this.#wake;
    this.#wake = null;
    if (w !== null) w();
  }

  #push(m: Incoming<M>): void {
    if (this.#finished) return;
    this.#queue.push(m);
    const w = this.#wake;
    this.#wake = null;
    if (w !== null) w();
  }

  #start(): Worker {
    const t = new Worker(this.#url, { workerData: this.#data() });
    t.unref();
    t.on("message", (m: M) => this.#push(m));
    t.on("error", (e: unknown) => this.#push({ type: "crash", error: e }));
    t.on("exit", (code: number) =>
      this.#push({
        type: "crash",
        error: new Error(`Cannot read ${this.#name}: the reader thread exited (code ${code})`),
      }));
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
    let m = this.#queue.shift();
    if (m === undefined) {
      t.ref();
      try {
        await new Promise<void>((resolve) => this.#wake = resolve);
      } finally {
        // close() may have run meanwhile.
        if (this.#thread !== null) t.unref();
      }
      if (this.#finished) return null;
      m = this.#queue.shift()!;
    }
    if (m.type === "crash") {
      this.close();
      throw (m as { readonly error: unknown }).error;
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
