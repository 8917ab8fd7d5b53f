/**
 * Reader threads kept for the next source: a `node:worker_threads` worker
 * whose job (one file, `worker_pipe.ts`) ended is kept idle, per worker
 * module, and the next source of that kind takes it instead of starting a
 * thread. Starting one costs about 40 ms before its first block (a fresh
 * isolate loads and compiles the reading pipeline); a notebook kernel or a
 * parameter sweep that replays many times in one process pays it once.
 *
 * Idle threads are unref'd: they never keep the process alive. At most
 * {@link MAX_IDLE_PER_MODULE} are kept per module (a replay of merged tapes
 * uses one per tape at once); the others are terminated when given back. A
 * thread that was stopped in the middle of a job, or crashed, is never kept.
 *
 * @module
 * @internal
 */

import { Worker } from "node:worker_threads";

/** Idle threads kept per worker module. */
export const MAX_IDLE_PER_MODULE = 2;

/** Idle threads by worker module URL. */
const idle = new Map<string, Worker[]>();

function removeIdle(url: string, t: Worker): void {
  const list = idle.get(url);
  const i = list === undefined ? -1 : list.indexOf(t);
  if (i >= 0) list!.splice(i, 1);
}

/**
 * A thread running the worker module `url`, unref'd: an idle one when there
 * is one, else a new one. The caller posts its job and, when the job has
 * ended, gives it back with {@link releaseReaderThread} (or terminates it).
 */
export function takeReaderThread(url: URL): Worker {
  const kept = idle.get(url.href)?.pop();
  if (kept !== undefined) return kept;
  const t = new Worker(url);
  t.unref();
  // A thread that fails while idle leaves the pool. (While a job runs, its
  // client listens too and reports the crash.) Listening also keeps an error
  // of an idle thread from being thrown as an unhandled 'error' event.
  const leave = () => removeIdle(url.href, t);
  t.on("error", leave);
  t.on("exit", leave);
  return t;
}

/** Gives back a thread whose job ended: kept idle (unref'd), or terminated beyond the limit. */
export function releaseReaderThread(url: URL, t: Worker): void {
  t.unref();
  let list = idle.get(url.href);
  if (list === undefined) {
    list = [];
    idle.set(url.href, list);
  }
  if (list.length < MAX_IDLE_PER_MODULE) list.push(t);
  else void t.terminate();
}

/** Number of idle threads, of one worker module or of all. */
export function idleReaderThreads(url?: URL): number {
  if (url !== undefined) return idle.get(url.href)?.length ?? 0;
  let n = 0;
  for (const list of idle.values()) n += list.length;
  return n;
}

/**
 * Terminates every idle reader thread, for a long-running process that wants
 * their memory back (each holds a JavaScript isolate). Sources opened later
 * start new threads.
 */
export async function closeIdleReaderThreads(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(all.map((t) => t.terminate()));
}
