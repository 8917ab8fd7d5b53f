/**
 * The mock Kalshi exchange: ONE server on 127.0.0.1 serving Kalshi's REST API
 * under `/trade-api/v2` and its WebSocket API at `/trade-api/ws/v2`, both driven
 * by a tape. It replaces the network for the live lane's tests and lets a
 * newcomer run the live feed against something that behaves like Kalshi.
 *
 * - The tape (an array of events, or an NDJSON / `.kxc` / SQLite file read with the
 *   validating lib/tape readers) is played by a {@link TapePlayer}: in real
 *   time (`speed` 1), accelerated (`speed` 10 plays 10 tape seconds per second)
 *   or stepped by hand (`speed` 0: {@link MockKalshiExchange.step}).
 * - REST (tape_rest.ts): series, events, markets, trades, candlesticks and the
 *   historical cutoff from the played state; `GET /markets/{t}/orderbook`;
 *   demo orders (`POST/GET /portfolio/orders`, `GET/DELETE
 *   /portfolio/orders/{id}`, auth headers required).
 * - WebSocket (ws_server.ts): auth headers required on the handshake (401
 *   otherwise; with `publicKey` the signature must verify), subscribe / unsubscribe / update_subscription, snapshots then
 *   deltas with a seq per subscription, trades, tickers, lifecycle; pings.
 * - Faults (faults.ts), each counted: dropped sockets, seq gaps, duplicate and
 *   out-of-order messages, 429, 5xx, slow answers, a skewed `Date` header.
 *
 * Exchange time: with `timeMode: "tape"` (default) the exchange's clock is the
 * tape clock, so every timestamp it serves (`ts_ms`, `created_time`, `Date`)
 * is a tape time; a client under test should use {@link MockKalshiExchange.now}
 * as its clock. With `"wall"` (speed > 0 only) the exchange's clock is the wall
 * clock and tape times are mapped onto it (`wallStart + (ts - firstTs) / speed`).
 *
 * @example Serve the sample tape ten times faster than real time
 * ```ts ignore
 * import { MockKalshiExchange } from "./exchange.ts";
 * import { buildSampleTape } from "./sample_tape.ts";
 *
 * const ex = await MockKalshiExchange.start({ tape: buildSampleTape(), speed: 10 });
 * console.log(ex.baseUrl, ex.wsUrl);
 * // ... run a feed against it ...
 * console.log(ex.faultCounts());
 * await ex.close();
 * ```
 *
 * @module
 */

import type { KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TapeEvent } from "../lib/tape/events.ts";
import { tapeFileStream } from "../lib/venue/stream.ts";
import { FaultInjector, type FaultSpec } from "./faults.ts";
import { MockOrders } from "./orders.ts";
import { TapePlayer } from "./tape_player.ts";
import { TapeRest } from "./tape_rest.ts";
import { AUTH_HEADERS, MockWsServer, REAL_TIMERS, type Timers, WS_PATH } from "./ws_server.ts";

/** The REST prefix Kalshi serves under. */
export const REST_PREFIX = "/trade-api/v2";

/** Options of {@link MockKalshiExchange.start}. */
export interface MockKalshiExchangeOptions {
  /** The tape: events in time order, or an NDJSON / `.kxc` / `.sqlite` file path. */
  readonly tape: readonly TapeEvent[] | string;
  /** Tape ms per wall ms; 0 = manual stepping. Default 1. */
  readonly speed?: number;
  /** Whose clock the exchange serves; see the module docs. Default "tape". */
  readonly timeMode?: "tape" | "wall";
  /** Start playing at once (speed > 0). Default true. */
  readonly autoStart?: boolean;
  /** Port; 0 (default) picks a free one. */
  readonly port?: number;
  readonly faults?: readonly FaultSpec[];
  /** Seed of the fault draws. Default 1. */
  readonly faultSeed?: number;
  /** WebSocket ping interval, ms. Default 10 000 (Kalshi's). 0 = none. */
  readonly pingIntervalMs?: number;
  /** Largest REST page served. Default 1000. */
  readonly maxPageSize?: number;
  /** Size of a quote's level when the tape gives none, centi-contracts. Default 100. */
  readonly quoteSize?: number;
  /** Wall clock, ms. Default Date.now. */
  readonly wallNow?: () => number;
  readonly timers?: Timers;
  /** Verify WebSocket handshake signatures with this RSA public key (default: any accepted). */
  readonly publicKey?: string | KeyObject;
}

/**
 * Reads a tape file of any form, chosen by its extension as everywhere else
 * (`tapeFileStream`): `.kxc` columnar, `.sqlite` / `.db` SQLite, anything else
 * NDJSON (all strict), on the calling thread.
 */
export async function readTapeFile(path: string): Promise<TapeEvent[]> {
  const out: TapeEvent[] = [];
  const src = tapeFileStream(path, { worker: false });
  try {
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      // Hot kinds are reused objects: copy each.
      for (let i = 0; i < b.length; i++) out.push({ ...b.event(i) });
    }
  } finally {
    src.close?.();
  }
  return out;
}

/** REST requests seen, by outcome. */
export interface RestCounts {
  requests: number;
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}

/** The mock exchange; see the module docs. */
export class MockKalshiExchange {
  readonly port: number;
  /** `http://127.0.0.1:<port>/trade-api/v2`. */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:<port>/trade-api/ws/v2`. */
  readonly wsUrl: string;
  readonly player: TapePlayer;
  readonly orders: MockOrders;
  readonly faults: FaultInjector;
  readonly ws: MockWsServer;
  readonly rest: TapeRest;
  readonly restCounts: RestCounts = { requests: 0, byPath: {}, byStatus: {} };
  readonly #server: Server;
  readonly #timers: Timers;
  readonly #wallNow: () => number;
  readonly #timeMode: "tape" | "wall";
  #wallStart = Number.NaN;
  #playTimer: unknown = undefined;
  readonly #pending = new Set<unknown>();
  #closed = false;

  private constructor(
    server: Server,
    port: number,
    tape: readonly TapeEvent[],
    o: MockKalshiExchangeOptions,
  ) {
    this.#server = server;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}${REST_PREFIX}`;
    this.wsUrl = `ws://127.0.0.1:${port}${WS_PATH}`;
    this.#timers = o.timers ?? REAL_TIMERS;
    this.#wallNow = o.wallNow ?? Date.now;
    this.#timeMode = o.timeMode ?? "tape";
    this.player = new TapePlayer(tape, { speed: o.speed ?? 1, quoteSize: o.quoteSize });
    if (this.#timeMode === "wall" && this.player.speed === 0) {
      throw new RangeError(
        'Cannot start mock exchange: timeMode "wall" needs speed > 0, current value is 0',
      );
    }
    this.faults = new FaultInjector(o.faults ?? [], o.faultSeed ?? 1);
    const time = (ts: number) => this.exchangeTime(ts);
    this.orders = new MockOrders(this.player, () => this.now());
    this.rest = new TapeRest(this.player, this.orders, time, { maxPageSize: o.maxPageSize });
    this.ws = new MockWsServer(server, {
      player: this.player,
      faults: this.faults,
      time,
      pingIntervalMs: o.pingIntervalMs,
      timers: this.#timers,
      publicKey: o.publicKey,
    });
  }

  /**
   * Reads the tape, listens on 127.0.0.1 and (speed > 0, autoStart) starts playing.
   *
   * @throws {RangeError} for bad options; a TapeError for a bad tape file.
   */
  static async start(options: MockKalshiExchangeOptions): Promise<MockKalshiExchange> {
    const tape = typeof options.tape === "string" ? await readTapeFile(options.tape) : options.tape;
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(
        `Cannot start mock exchange: port must be an integer in 0..65535, current value is ${port}`,
      );
    }
    const max = options.maxPageSize ?? 1000;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(
        `Cannot start mock exchange: maxPageSize must be an integer >= 1, current value is ${max}`,
      );
    }
    let self: MockKalshiExchange | null = null;
    const server = createServer((req, res) => self!.#handle(req, res));
    // Build everything before listening so a bad option fails without a socket left open.
    const bound = await new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
    try {
      self = new MockKalshiExchange(server, bound, tape, options);
    } catch (e) {
      await new Promise<void>((r) => server.close(() => r()));
      throw e;
    }
    if (self.player.speed > 0 && (options.autoStart ?? true)) self.startPlayback();
    return self;
  }

  /** The exchange's clock, ms (see the module docs). */
  now(): number {
    return this.#timeMode === "tape" ? this.player.tapeNow(this.#wallNow()) : this.#wallNow();
  }

  /** The exchange time of a tape timestamp. */
  exchangeTime(tapeTs: number): number {
    if (this.#timeMode === "tape") return tapeTs;
    const start = Number.isNaN(this.#wallStart) ? this.#wallNow() : this.#wallStart;
    return Math.round(start + (tapeTs - this.player.firstTs) / this.player.speed);
  }

  /** Starts real-time playback (speed > 0). */
  startPlayback(): void {
    if (!Number.isNaN(this.#wallStart)) return;
    this.#wallStart = this.#wallNow();
    this.player.start(this.#wallStart);
    this.#schedule();
  }

  /** Plays the next `n` events now (any speed). */
  step(n = 1): number {
    return this.player.step(n);
  }

  /** Plays the rest of the tape now. */
  playAll(): number {
    return this.player.playAll();
  }

  /** Faults injected so far. */
  faultCounts(): Record<string, number> {
    return this.faults.counts();
  }

  /** Stops playing, closes every socket and the server. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#playTimer !== undefined) this.#timers.clearTimeout(this.#playTimer);
    for (const t of this.#pending) this.#timers.clearTimeout(t);
    this.#pending.clear();
    this.ws.close();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections?.();
    });
  }

  #schedule(): void {
    if (this.#closed) return;
    const due = this.player.dueWall();
    if (due === null) return;
    const delay = Math.max(0, Math.min(1000, Math.ceil(due - this.#wallNow())));
    this.#playTimer = this.#timers.setTimeout(() => {
      this.#playTimer = undefined;
      if (this.#closed) return;
      this.player.playDue(this.#wallNow());
      this.#schedule();
    }, delay);
  }

  #later(ms: number, fn: () => void): void {
    const t = this.#timers.setTimeout(() => {
      this.#pending.delete(t);
      fn();
    }, ms);
    this.#pending.add(t);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const inside = url.pathname === REST_PREFIX || url.pathname.startsWith(REST_PREFIX + "/");
    const path = inside ? url.pathname.slice(REST_PREFIX.length) || "/" : url.pathname;
    const method = req.method ?? "GET";
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", () => {
      const text = new TextDecoder().decode(concat(chunks));
      this.#answer(req, res, method, inside, path, url.searchParams, text);
    });
  }

  #answer(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    inside: boolean,
    path: string,
    q: URLSearchParams,
    text: string,
  ): void {
    const c = this.restCounts;
    c.requests++;
    c.byPath[path] = (c.byPath[path] ?? 0) + 1;
    let status: number;
    let body: Record<string, unknown>;
    const f = this.faults;
    const slow = f.roll("http_slow") ? f.param("http_slow")! : 0;
    if (!inside) {
      status = 404;
      body = { error: { code: "not_found", message: `path ${path} not found` } };
    } else if (f.roll("http_429")) {
      status = 429;
      body = { error: { code: "too_many_requests", message: "too many requests" } };
    } else if (f.roll("http_5xx")) {
      status = f.param("http_5xx")!;
      body = { error: { code: "internal_server_error", message: "internal server error" } };
    } else {
      let parsed: unknown = undefined;
      let bad = false;
      if (text !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          bad = true;
        }
      }
      if (bad) {
        status = 400;
        body = { error: { code: "bad_request", message: "body is not JSON" } };
      } else {
        const authed = AUTH_HEADERS.every((h) =>
          typeof req.headers[h] === "string" && req.headers[h] !== ""
        );
        const a = this.rest.route(method, path, q, parsed, authed);
        status = a.status;
        body = a.body;
      }
    }
    c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
    const skew = f.roll("clock_skew") ? f.param("clock_skew")! : 0;
    const send = () => {
      if (req.socket.destroyed) return;
      const bytes = new TextEncoder().encode(JSON.stringify(body));
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": bytes.length,
        date: new Date(this.now() + skew).toUTCString(),
        connection: "close",
      });
      res.end(bytes);
    };
    if (slow > 0) this.#later(slow, send);
    else send();
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
