/**
 * The live lane's side effects as ports: a wall clock with timers, and the few
 * file operations the rails need. Everything in `live/` takes them as
 * arguments, so tests run on a virtual clock (live/fake_clock.ts) and the real
 * lane on {@link systemClock} and {@link denoFs}.
 *
 * The file operations are synchronous on purpose: the kill switch is checked,
 * the recorded tape flushed and the order state persisted from inside a
 * strategy's synchronous `submit`, before the order goes on; nothing may
 * interleave there.
 *
 * @example
 * ```ts
 * import { denoFs, systemClock } from "./io.ts";
 *
 * const dir = Deno.makeTempDirSync();
 * denoFs.writeAtomic(`${dir}/state.json`, JSON.stringify({ at: systemClock.now() }));
 * console.log(denoFs.readText(`${dir}/state.json`));
 * ```
 *
 * @module
 */

/** A wall clock in ms since the epoch (UTC) with cancellable sleeps. */
export interface LiveClock {
  now(): number;
  /** Resolves after `ms` (at least 0); rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A file opened for appending; each write goes to the file before it returns. */
export interface AppendSink {
  write(text: string): void;
  close(): void;
}

/** The file operations of the live lane (all synchronous; see the module docs). */
export interface LiveFs {
  /** Whether something exists at `path` (false on any error but "not found" too). */
  exists(path: string): boolean;
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): string | undefined;
  /** Replace the file's content at once: write a temporary file beside it, then rename. */
  writeAtomic(path: string, text: string): void;
  /** Open a file for appending, creating it; `truncate` empties an existing one first. */
  openAppend(path: string, options?: { truncate?: boolean }): AppendSink;
  /** Create a folder and its parents. */
  mkdirp(path: string): void;
}

function checkMs(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Cannot sleep: ms must be finite and >= 0, current value is ${ms}`);
  }
}

/** The process's wall clock and `setTimeout`. */
export const systemClock: LiveClock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    checkMs(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

const encoder = new TextEncoder();

/** Write all of `bytes` to a file (writeSync may write fewer bytes than asked). */
function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
}

let tmpCounter = 0;

/** The file operations on the real file system (Deno's synchronous APIs). */
export const denoFs: LiveFs = {
  exists(path: string): boolean {
    try {
      Deno.statSync(path);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      // Anything else (permission, I/O): something is there or cannot be told apart.
      return true;
    }
  },
  readText(path: string): string | undefined {
    try {
      return Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
  },
  writeAtomic(path: string, text: string): void {
    const tmp = `${path}.tmp-${Deno.pid}-${++tmpCounter}`;
    const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
    try {
      writeAll(file, encoder.encode(text));
    } finally {
      file.close();
    }
    try {
      Deno.renameSync(tmp, path);
    } catch (e) {
      try {
        Deno.removeSync(tmp);
      } catch { /* already gone */ }
      throw e;
    }
  },
  openAppend(path: string, options: { truncate?: boolean } = {}): AppendSink {
    const file = Deno.openSync(path, {
      write: true,
      create: true,
      append: options.truncate !== true,
      truncate: options.truncate === true,
    });
    let open = true;
    return {
      write(text: string): void {
        if (!open) {
          throw new Error(`Cannot append to ${path}: the file is closed, current value is closed`);
        }
        writeAll(file, encoder.encode(text));
      },
      close(): void {
        if (!open) return;
        open = false;
        file.close();
      },
    };
  },
  mkdirp(path: string): void {
    Deno.mkdirSync(path, { recursive: true });
  },
};
