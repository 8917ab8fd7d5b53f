/**
 * The lane's persisted order state, kept in a state folder so a restart (even
 * after kill -9) knows what was already sent:
 *
 * - `sent_ids.jsonl`: an append-only journal of every client order id sent,
 *   written BEFORE the order goes to the venue (write-ahead). A restart that
 *   derives the same client id again finds it here and does not send it twice.
 *   A kill between the journal write and the send leaves an id that was never
 *   sent: the order is lost, never doubled (at most once).
 * - `outstanding.json`: the orders sent and not finished (with fills so far),
 *   rewritten atomically (temporary file + rename) after every change, and
 *   read back on restart.
 *
 * A journal line cut short by a kill (the last line, with no newline) is
 * ignored: its order was never sent. Any other malformed content is an error
 * naming the file and line.
 *
 * @example
 * ```ts
 * import { OrderStateStore } from "./order_state.ts";
 * import { denoFs } from "../io.ts";
 *
 * const dir = Deno.makeTempDirSync();
 * const s = OrderStateStore.open(dir, denoFs);
 * s.recordSending({ clientId: "kx1", market: "M", side: "yes", limitPrice: 5000, count: 100,
 *   timeInForce: "ioc", decisionTs: 1, sentAt: 2 });
 * OrderStateStore.open(dir, denoFs).hasSent("kx1"); // true
 * ```
 *
 * @module
 */

import { join } from "node:path";
import type { LiveFs } from "../io.ts";
import type { AppendSink } from "../io.ts";

/** An order sent and not finished. */
export interface OutstandingOrder {
  readonly clientId: string;
  readonly market: string;
  readonly side: "yes" | "no";
  readonly limitPrice: number;
  readonly count: number;
  readonly timeInForce: string;
  /** Venue time of the decision (ms). */
  readonly decisionTs: number;
  /** Wall time it was sent (ms). */
  readonly sentAt: number;
  /** The venue's order id once known (per session; ids restart with the venue). */
  readonly venueId?: number;
  /** Centi-contracts filled so far. */
  readonly filled?: number;
}

/** File names inside the state folder. */
export const SENT_IDS_FILE = "sent_ids.jsonl";
export const OUTSTANDING_FILE = "outstanding.json";

/** The state store; see the module docs. */
export class OrderStateStore {
  readonly dir: string;
  readonly #fs: LiveFs;
  readonly #sent: Set<string>;
  readonly #open: Map<string, OutstandingOrder>;
  readonly #journal: AppendSink;
  /** Orders outstanding when the store was opened (left by an earlier session). */
  readonly recovered: readonly OutstandingOrder[];
  /** Client ids in the journal when the store was opened. */
  readonly recoveredSentIds: number;
  #writes = 0;

  private constructor(
    dir: string,
    fs: LiveFs,
    sent: Set<string>,
    open: Map<string, OutstandingOrder>,
  ) {
    this.dir = dir;
    this.#fs = fs;
    this.#sent = sent;
    this.#open = open;
    this.recovered = [...open.values()];
    this.recoveredSentIds = sent.size;
    this.#journal = fs.openAppend(join(dir, SENT_IDS_FILE));
  }

  /**
   * Open (creating the folder) and recover the state left there.
   *
   * @throws {Error} on malformed state files (naming file and line).
   */
  static open(dir: string, fs: LiveFs): OrderStateStore {
    fs.mkdirp(dir);
    const sent = new Set<string>();
    const journalPath = join(dir, SENT_IDS_FILE);
    const text = fs.readText(journalPath) ?? "";
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === "") continue;
      const last = i === lines.length - 1; // no newline after it: cut short by a kill
      let id: unknown;
      try {
        id = (JSON.parse(line) as { id?: unknown }).id;
      } catch {
        if (last) continue;
        id = undefined;
      }
      if (typeof id !== "string" || id.length === 0) {
        if (last) continue;
        throw new Error(
          `Cannot recover order state: ${journalPath} line ${
            i + 1
          } is not {"id": string}, current value is ${JSON.stringify(line.slice(0, 80))}`,
        );
      }
      sent.add(id);
    }
    const open = new Map<string, OutstandingOrder>();
    const outPath = join(dir, OUTSTANDING_FILE);
    const outText = fs.readText(outPath);
    if (outText !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(outText);
      } catch (e) {
        throw new Error(
          `Cannot recover order state: ${outPath} is not JSON (${
            (e as Error).message
          }), current value is ${JSON.stringify(outText.slice(0, 80))}`,
        );
      }
      const orders = (parsed as { orders?: unknown }).orders;
      if (!Array.isArray(orders)) {
        throw new Error(
          `Cannot recover order state: ${outPath} has no "orders" array, current value is ${
            JSON.stringify(outText.slice(0, 80))
          }`,
        );
      }
      for (const o of orders as OutstandingOrder[]) {
        if (typeof o?.clientId !== "string" || typeof o.market !== "string") {
          throw new Error(
            `Cannot recover order state: ${outPath} holds an order without clientId and market, current value is ${
              JSON.stringify(o)
            }`,
          );
        }
        open.set(o.clientId, o);
        sent.add(o.clientId);
      }
    }
    return new OrderStateStore(dir, fs, sent, open);
  }

  /** Whether a client id was sent (this session or an earlier one). */
  hasSent(clientId: string): boolean {
    return this.#sent.has(clientId);
  }

  /** Client ids known as sent. */
  get sentCount(): number {
    return this.#sent.size;
  }

  /** Rewrites of outstanding.json so far. */
  get writes(): number {
    return this.#writes;
  }

  /** The outstanding orders, in sending order. */
  outstanding(): OutstandingOrder[] {
    return [...this.#open.values()];
  }

  /** One outstanding order by client id. */
  get(clientId: string): OutstandingOrder | undefined {
    return this.#open.get(clientId);
  }

  /**
   * Journal the id (write-ahead) and add the order to the outstanding state.
   *
   * @throws {Error} when the id was already sent (a duplicate is a bug upstream).
   */
  recordSending(order: OutstandingOrder): void {
    if (this.#sent.has(order.clientId)) {
      throw new Error(
        `Cannot record order: client order id already sent, current value is ${order.clientId}`,
      );
    }
    this.#journal.write(JSON.stringify({ id: order.clientId, ts: order.decisionTs }) + "\n");
    this.#sent.add(order.clientId);
    this.#open.set(order.clientId, order);
    this.#persist();
  }

  /** The venue accepted the order under `venueId`. */
  markVenue(clientId: string, venueId: number): void {
    const o = this.#open.get(clientId);
    if (o === undefined) return;
    this.#open.set(clientId, { ...o, venueId });
    this.#persist();
  }

  /** A fill of `count` centi-contracts. */
  addFill(clientId: string, count: number): void {
    const o = this.#open.get(clientId);
    if (o === undefined) return;
    this.#open.set(clientId, { ...o, filled: (o.filled ?? 0) + count });
    this.#persist();
  }

  /** The order finished (filled, cancelled, expired, rejected); no-op when unknown. */
  finish(clientId: string): void {
    if (!this.#open.delete(clientId)) return;
    this.#persist();
  }

  /** Forget every outstanding order (after they were reconciled); returns them. */
  clearOutstanding(): OutstandingOrder[] {
    const all = this.outstanding();
    if (all.length === 0) return all;
    this.#open.clear();
    this.#persist();
    return all;
  }

  #persist(): void {
    const body = { version: 1, orders: [...this.#open.values()] };
    this.#fs.writeAtomic(join(this.dir, OUTSTANDING_FILE), JSON.stringify(body) + "\n");
    this.#writes++;
  }

  /** Close the journal. */
  close(): void {
    this.#journal.close();
  }
}
