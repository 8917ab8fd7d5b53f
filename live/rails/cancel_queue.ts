/**
 * The bounded cancel/replace queue: requests that change resting orders wait
 * here, first in first out, and go out as the write limiter gives tokens.
 *
 * - Capacity: a request that finds the queue full is dropped at once (and
 *   reported through `onDrop` with reason "capacity", to be audited).
 * - Retries with backoff: when sending fails (the executor returns false or
 *   throws), the request stays at the head and is retried after `backoffMs`,
 *   doubling per attempt up to `backoffMaxMs`; after `maxAttempts` attempts it
 *   is dropped (reason "retries_exhausted").
 * - Strict FIFO: nothing overtakes the head, so a cancel never passes the
 *   replace it belongs to.
 *
 * The queue keeps no timers: {@link CancelQueue.drain} sends what it can now
 * and returns; the lane drains on every event and every enqueue.
 *
 * @example
 * ```ts
 * import { CancelQueue } from "./cancel_queue.ts";
 *
 * let now = 0;
 * const q = new CancelQueue<number>({
 *   capacity: 2,
 *   now: () => now,
 *   limiter: { tryTake: () => true },
 *   onDrop: (id, why) => console.log("dropped", id, why),
 * });
 * q.enqueue(7);
 * q.drain((id) => id === 7); // 1 sent
 * ```
 *
 * @module
 */

/** Why a request left the queue unsent. */
export type DropReason = "capacity" | "retries_exhausted";

/** Options of a {@link CancelQueue}. */
export interface CancelQueueOptions<T> {
  /** Most requests waiting (integer >= 1). */
  readonly capacity: number;
  /** Attempts before a request is dropped (integer >= 1; default 5). */
  readonly maxAttempts?: number;
  /** First retry delay, ms (default 200; >= 0). */
  readonly backoffMs?: number;
  /** Largest retry delay, ms (default 5000; >= backoffMs). */
  readonly backoffMaxMs?: number;
  /** The clock of the backoff (ms). */
  readonly now: () => number;
  /** One token per attempt; no token, no attempt. */
  readonly limiter: { tryTake(): boolean };
  /** A request left unsent. */
  readonly onDrop: (item: T, reason: DropReason, attempts: number, lastError: string) => void;
}

interface Entry<T> {
  readonly item: T;
  attempts: number;
  notBefore: number;
  lastError: string;
}

function checkInt(what: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) {
    throw new RangeError(
      `Cannot create cancel queue: ${what} must be an integer >= ${min}, current value is ${v}`,
    );
  }
}

/** A bounded FIFO of requests with retries; see the module docs. */
export class CancelQueue<T> {
  readonly capacity: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
  readonly #o: CancelQueueOptions<T>;
  readonly #q: Entry<T>[] = [];
  #sent = 0;
  #retries = 0;
  #dropped = 0;

  constructor(options: CancelQueueOptions<T>) {
    const maxAttempts = options.maxAttempts ?? 5;
    const backoffMs = options.backoffMs ?? 200;
    const backoffMaxMs = options.backoffMaxMs ?? 5000;
    checkInt("capacity", options.capacity, 1);
    checkInt("maxAttempts", maxAttempts, 1);
    checkInt("backoffMs", backoffMs, 0);
    checkInt("backoffMaxMs", backoffMaxMs, backoffMs);
    this.capacity = options.capacity;
    this.maxAttempts = maxAttempts;
    this.backoffMs = backoffMs;
    this.backoffMaxMs = backoffMaxMs;
    this.#o = options;
  }

  /** Requests waiting. */
  get size(): number {
    return this.#q.length;
  }

  /** Counters: sent, failed attempts retried, dropped. */
  get counts(): { sent: number; retries: number; dropped: number } {
    return { sent: this.#sent, retries: this.#retries, dropped: this.#dropped };
  }

  /** The waiting requests, head first. */
  items(): T[] {
    return this.#q.map((e) => e.item);
  }

  /** Add a request at the tail; false (and a "capacity" drop) when the queue is full. */
  enqueue(item: T): boolean {
    if (this.#q.length >= this.capacity) {
      this.#dropped++;
      this.#o.onDrop(item, "capacity", 0, "");
      return false;
    }
    this.#q.push({ item, attempts: 0, notBefore: Number.NEGATIVE_INFINITY, lastError: "" });
    return true;
  }

  /**
   * Send from the head while requests are due and tokens are there. `send`
   * returns true when the request went out, false (or throws) when it failed.
   *
   * @returns How many requests went out.
   */
  drain(send: (item: T) => boolean): number {
    let n = 0;
    const q = this.#q;
    while (q.length > 0) {
      const head = q[0];
      const now = this.#o.now();
      if (head.notBefore > now) break;
      if (!this.#o.limiter.tryTake()) break;
      head.attempts++;
      let ok: boolean;
      try {
        ok = send(head.item);
        if (!ok) head.lastError = "send failed";
      } catch (e) {
        ok = false;
        head.lastError = e instanceof Error ? e.message : String(e);
      }
      if (ok) {
        q.shift();
        this.#sent++;
        n++;
        continue;
      }
      if (head.attempts >= this.maxAttempts) {
        q.shift();
        this.#dropped++;
        this.#o.onDrop(head.item, "retries_exhausted", head.attempts, head.lastError);
        continue;
      }
      this.#retries++;
      const delay = Math.min(this.backoffMaxMs, this.backoffMs * 2 ** (head.attempts - 1));
      head.notBefore = now + delay;
      break;
    }
    return n;
  }
}
