/**
 * The mock exchange's WebSocket endpoint, `/trade-api/ws/v2`, on an existing
 * `node:http` server (npm:ws `WebSocketServer` in `noServer` mode): Kalshi's
 * handshake rule, commands and market-data channels over a {@link TapePlayer}.
 *
 * - Handshake: the three headers `KALSHI-ACCESS-KEY`, `KALSHI-ACCESS-TIMESTAMP`
 *   and `KALSHI-ACCESS-SIGNATURE` must be present (any values are accepted,
 *   unless `publicKey` is set: then the signature of `GET /trade-api/ws/v2`
 *   must verify with it); otherwise the upgrade is answered `401
 *   Unauthorized`, as Kalshi does for every channel. Other paths get `404`.
 * - Commands (lib/kalshi/ws_commands.ts): `subscribe` (channels
 *   `orderbook_delta` (needs market tickers), `trade`, `ticker`,
 *   `market_lifecycle_v2` (always every market, as Kalshi)), `unsubscribe`,
 *   `update_subscription` (`add_markets` sends snapshots of the added markets;
 *   `delete_markets`), `list_subscriptions`. Errors answer with Kalshi's codes.
 * - Each subscription gets a `sid` (per connection, from 1); book messages of a
 *   subscription carry `seq` 1, 2, ... across its markets: first one
 *   `orderbook_snapshot` per market, then one `orderbook_delta` per level change.
 * - Tape trades and mock-order fills go out as `trade`; the top of book after a
 *   change (or a trade) as `ticker`; lifecycle changes and settlements as
 *   `market_lifecycle_v2` (`initialized` -> `created`, `active`/`open` ->
 *   `activated`, `inactive` -> `deactivated`, `closed` -> `close_date_updated`
 *   with `close_ts` = now, `determined` -> `determined`, a settlement ->
 *   `determined` with `result` and `settlement_value`, `finalized` -> `settled`).
 * - The server pings every `pingIntervalMs` (Kalshi: 10 s).
 * - Faults (faults.ts): `ws_drop`, `ws_seq_gap`, `ws_duplicate`,
 *   `ws_out_of_order`.
 *
 * @module
 */

import type { KeyObject } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import {
  parseCommand,
  WS_ERROR_CODES,
  type WsCommand,
  WsCommandError,
} from "../lib/kalshi/ws_commands.ts";
import {
  encodeServerMessage,
  WS_CHANNELS,
  type WsChannel,
  type WsServerMessage,
} from "../lib/kalshi/ws_messages.ts";
import { verifyKalshiSignature } from "../lib/kalshi/signing.ts";
import type { FaultInjector } from "./faults.ts";
import type { Happening, TapePlayer } from "./tape_player.ts";

/** The WebSocket path Kalshi serves. */
export const WS_PATH = "/trade-api/ws/v2";

/** The handshake headers a client must send. */
export const AUTH_HEADERS: readonly string[] = [
  "kalshi-access-key",
  "kalshi-access-timestamp",
  "kalshi-access-signature",
];

/** Timers the server uses (injectable for tests). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

/** The global timers. */
export const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as number),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (id) => clearInterval(id as number),
};

/** Options of {@link MockWsServer}. */
export interface MockWsServerOptions {
  readonly player: TapePlayer;
  readonly faults: FaultInjector;
  /** Exchange time of a tape timestamp (for `ts_ms`). */
  readonly time: (tapeTs: number) => number;
  /** Ping interval, ms (Kalshi: 10 000). 0 = never. */
  readonly pingIntervalMs?: number;
  /** How long an out-of-order fault holds a message at most, ms. Default 200. */
  readonly holdMs?: number;
  readonly timers?: Timers;
  /** When set, handshake signatures must verify with this RSA public key (PEM or key object). */
  readonly publicKey?: string | KeyObject;
}

/** What the server uses of an npm:ws socket (the package ships no types). */
interface ServerSocket {
  readonly readyState: number;
  send(text: string): void;
  ping(): void;
  terminate(): void;
  on(event: "message", fn: (data: unknown) => void): void;
  on(event: "close" | "error", fn: () => void): void;
}

/** `OPEN`. */
const OPEN = 1;

interface Subscription {
  readonly sid: number;
  readonly channel: WsChannel;
  /** null: every market. */
  markets: Set<string> | null;
  seq: number;
  /** A book message held back by an out-of-order fault. */
  held: { text: string; timer: unknown } | null;
}

interface Connection {
  readonly ws: ServerSocket;
  readonly subs: Map<number, Subscription>;
  nextSid: number;
  alive: boolean;
}

/** Counters of the endpoint. */
export interface WsServerCounts {
  connections: number;
  rejected: number;
  commands: number;
  commandErrors: number;
  messagesSent: number;
}

/** The WebSocket endpoint; see the module docs. */
export class MockWsServer {
  readonly counts: WsServerCounts = {
    connections: 0,
    rejected: 0,
    commands: 0,
    commandErrors: 0,
    messagesSent: 0,
  };
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #conns = new Set<Connection>();
  readonly #player: TapePlayer;
  readonly #faults: FaultInjector;
  readonly #time: (ts: number) => number;
  readonly #timers: Timers;
  readonly #holdMs: number;
  readonly #pingTimer: unknown;
  readonly #publicKey: string | KeyObject | undefined;

  constructor(server: Server, options: MockWsServerOptions) {
    this.#publicKey = options.publicKey;
    this.#player = options.player;
    this.#faults = options.faults;
    this.#time = options.time;
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#holdMs = options.holdMs ?? 200;
    const ping = options.pingIntervalMs ?? 10_000;
    if (!Number.isInteger(ping) || ping < 0) {
      throw new RangeError(
        `Cannot start WebSocket endpoint: pingIntervalMs must be an integer >= 0, current value is ${ping}`,
      );
    }
    this.#pingTimer = ping > 0 ? this.#timers.setInterval(() => this.#pingAll(), ping) : undefined;
    server.on(
      "upgrade",
      (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head),
    );
    this.#player.onHappening((h) => this.#broadcast(h));
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.#conns.size;
  }

  /** Destroys every connection (no close frame), as a network failure would. */
  dropAll(): void {
    for (const c of this.#conns) c.ws.terminate();
  }

  /** Closes every connection and stops pinging. */
  close(): void {
    if (this.#pingTimer !== undefined) this.#timers.clearInterval(this.#pingTimer);
    for (const c of this.#conns) {
      for (const s of c.subs.values()) if (s.held) this.#timers.clearTimeout(s.held.timer);
      c.ws.terminate();
    }
    this.#conns.clear();
    this.#wss.close();
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const reject = (status: number, text: string) => {
      this.counts.rejected++;
      socket.write(
        `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Content-Length: 0\r\n\r\n`,
      );
      socket.destroy();
    };
    if (path !== WS_PATH) return reject(404, "Not Found");
    if (AUTH_HEADERS.some((h) => typeof req.headers[h] !== "string" || req.headers[h] === "")) {
      return reject(401, "Unauthorized");
    }
    if (this.#publicKey !== undefined) {
      let ok = false;
      try {
        ok = verifyKalshiSignature(
          this.#publicKey,
          "GET",
          WS_PATH,
          String(req.headers["kalshi-access-timestamp"]),
          String(req.headers["kalshi-access-signature"]),
        );
      } catch {
        ok = false;
      }
      if (!ok) return reject(401, "Unauthorized");
    }
    this.#wss.handleUpgrade(req, socket, head, (ws: ServerSocket) => this.#accept(ws));
  }

  #accept(ws: ServerSocket): void {
    this.counts.connections++;
    const conn: Connection = { ws, subs: new Map(), nextSid: 1, alive: true };
    this.#conns.add(conn);
    ws.on("message", (data: unknown) => this.#command(conn, String(data)));
    ws.on("close", () => this.#forget(conn));
    ws.on("error", () => this.#forget(conn));
  }

  #forget(conn: Connection): void {
    conn.alive = false;
    for (const s of conn.subs.values()) if (s.held) this.#timers.clearTimeout(s.held.timer);
    this.#conns.delete(conn);
  }

  #pingAll(): void {
    for (const c of this.#conns) {
      if (c.ws.readyState === OPEN) c.ws.ping();
    }
  }

  /** Sends a control answer (never faulted). */
  #reply(
    conn: Connection,
    m: Exclude<WsServerMessage, { type: "other" }> | Record<string, unknown>,
  ): void {
    if (conn.ws.readyState !== OPEN) return;
    const obj = isEncodable(m) ? encodeServerMessage(m) : m;
    conn.ws.send(JSON.stringify(obj));
    this.counts.messagesSent++;
  }

  #error(conn: Connection, code: number, message: string, id?: number): void {
    this.counts.commandErrors++;
    this.#reply(conn, { type: "error", ...(id !== undefined ? { id } : {}), code, message });
  }

  #command(conn: Connection, text: string): void {
    this.counts.commands++;
    let cmd: WsCommand;
    try {
      cmd = parseCommand(text);
    } catch (e) {
      if (e instanceof WsCommandError) return this.#error(conn, e.code, e.message, e.id);
      return this.#error(conn, WS_ERROR_CODES.internalError, String(e));
    }
    switch (cmd.cmd) {
      case "subscribe":
        return this.#subscribe(conn, cmd.id, cmd.channels, cmd.marketTickers);
      case "unsubscribe":
        for (const sid of cmd.sids) {
          const s = conn.subs.get(sid);
          if (s === undefined) {
            this.#error(conn, WS_ERROR_CODES.unknownSid, `Unknown subscription ID ${sid}`, cmd.id);
            continue;
          }
          if (s.held) this.#timers.clearTimeout(s.held.timer);
          conn.subs.delete(sid);
          this.#reply(conn, { type: "unsubscribed", id: cmd.id, sid });
        }
        return;
      case "update_subscription": {
        if (cmd.sids.length !== 1) {
          return this.#error(
            conn,
            WS_ERROR_CODES.exactlyOneSid,
            "Exactly one subscription ID is required",
            cmd.id,
          );
        }
        const s = conn.subs.get(cmd.sids[0]);
        if (s === undefined) {
          return this.#error(
            conn,
            WS_ERROR_CODES.unknownSid,
            `Unknown subscription ID ${cmd.sids[0]}`,
            cmd.id,
          );
        }
        const unknown = cmd.marketTickers.find((t) => !this.#player.markets.has(t));
        if (unknown !== undefined) {
          return this.#error(
            conn,
            WS_ERROR_CODES.marketNotFound,
            `Market not found: ${unknown}`,
            cmd.id,
          );
        }
        if (s.markets === null) {
          return this.#error(
            conn,
            WS_ERROR_CODES.unsupportedAction,
            "This subscription covers every market",
            cmd.id,
          );
        }
        const added: string[] = [];
        for (const t of cmd.marketTickers) {
          if (cmd.action === "add_markets" && !s.markets.has(t)) {
            s.markets.add(t);
            added.push(t);
          } else if (cmd.action === "delete_markets") s.markets.delete(t);
        }
        this.#reply(conn, {
          type: "ok",
          id: cmd.id,
          sid: s.sid,
          seq: s.seq,
          marketTickers: [...s.markets],
        });
        if (s.channel === "orderbook_delta") { for (const t of added) this.#snapshot(conn, s, t); }
        return;
      }
      case "list_subscriptions":
        return this.#reply(conn, {
          id: cmd.id,
          type: "ok",
          subscriptions: [...conn.subs.values()].map((s) => ({ channel: s.channel, sid: s.sid })),
        });
    }
  }

  #subscribe(
    conn: Connection,
    id: number,
    channels: readonly string[],
    tickers: readonly string[] | undefined,
  ): void {
    const bad = channels.find((c) => !WS_CHANNELS.includes(c as WsChannel));
    if (bad !== undefined) {
      return this.#error(conn, WS_ERROR_CODES.unknownChannel, `Unknown channel name ${bad}`, id);
    }
    const unknown = tickers?.find((t) => !this.#player.markets.has(t));
    if (unknown !== undefined) {
      return this.#error(conn, WS_ERROR_CODES.marketNotFound, `Market not found: ${unknown}`, id);
    }
    if (channels.includes("orderbook_delta") && (tickers === undefined || tickers.length === 0)) {
      return this.#error(conn, WS_ERROR_CODES.marketTickerRequired, "Market Ticker required", id);
    }
    for (const ch of channels as WsChannel[]) {
      const s: Subscription = {
        sid: conn.nextSid++,
        channel: ch,
        markets: ch === "market_lifecycle_v2" || tickers === undefined ? null : new Set(tickers),
        seq: 0,
        held: null,
      };
      conn.subs.set(s.sid, s);
      this.#reply(conn, { type: "subscribed", id, channel: ch, sid: s.sid });
      if (ch === "orderbook_delta") { for (const t of s.markets!) this.#snapshot(conn, s, t); }
    }
  }

  #snapshot(conn: Connection, s: Subscription, market: string): void {
    const book = this.#player.markets.get(market)!.book;
    const wire = encodeServerMessage({
      type: "orderbook_snapshot",
      sid: s.sid,
      seq: ++s.seq,
      market,
      yes: book.levels("yes"),
      no: book.levels("no"),
    });
    this.#sendBook(conn, s, JSON.stringify(wire), false);
  }

  /** Sends a data message, subject to the drop fault. Returns false when the socket is gone. */
  #send(conn: Connection, text: string): boolean {
    if (!conn.alive || conn.ws.readyState !== OPEN) return false;
    if (this.#faults.roll("ws_drop")) {
      this.#forget(conn);
      conn.ws.terminate();
      return false;
    }
    conn.ws.send(text);
    this.counts.messagesSent++;
    return true;
  }

  /** Sends a book message of a subscription, subject to the out-of-order fault. */
  #sendBook(conn: Connection, s: Subscription, text: string, eligible: boolean): void {
    const held = s.held;
    if (held !== null) {
      s.held = null;
      this.#timers.clearTimeout(held.timer);
      if (this.#send(conn, text)) this.#send(conn, held.text);
      return;
    }
    if (eligible && this.#faults.roll("ws_out_of_order")) {
      const timer = this.#timers.setTimeout(() => {
        if (s.held?.text !== text) return;
        s.held = null;
        this.#faults.cancel("ws_out_of_order"); // nothing came after it: sent in order after all
        this.#send(conn, text);
      }, this.#holdMs);
      s.held = { text, timer };
      return;
    }
    this.#send(conn, text);
  }

  #broadcast(h: Happening): void {
    const tsMs = this.#time(h.ts);
    for (const conn of [...this.#conns]) {
      for (const s of [...conn.subs.values()]) {
        if (!conn.alive) break;
        if (s.markets !== null && !s.markets.has(h.market)) continue;
        this.#deliver(conn, s, h, tsMs);
      }
    }
  }

  #deliver(conn: Connection, s: Subscription, h: Happening, tsMs: number): void {
    if (h.kind === "book" && s.channel === "orderbook_delta") {
      for (const c of h.changes) {
        const seq = ++s.seq;
        if (this.#faults.roll("ws_seq_gap")) continue; // the seq is used up, the message lost
        const text = JSON.stringify(encodeServerMessage({
          type: "orderbook_delta",
          sid: s.sid,
          seq,
          market: h.market,
          side: c.side,
          price: c.price,
          delta: c.delta,
          tsMs,
          ...(h.clientOrderId !== undefined ? { clientOrderId: h.clientOrderId } : {}),
        }));
        this.#sendBook(conn, s, text, true);
        if (this.#faults.roll("ws_duplicate")) this.#sendBook(conn, s, text, false);
      }
      return;
    }
    if (h.kind === "trade" && s.channel === "trade") {
      const text = JSON.stringify(encodeServerMessage({
        type: "trade",
        sid: s.sid,
        tradeId: h.tradeId,
        market: h.market,
        yesPrice: h.price,
        count: h.count,
        takerSide: h.takerSide,
        tsMs,
      }));
      if (this.#send(conn, text) && this.#faults.roll("ws_duplicate")) this.#send(conn, text);
      return;
    }
    if ((h.kind === "book" || h.kind === "trade") && s.channel === "ticker") {
      const st = this.#player.markets.get(h.market)!;
      const yesBid = st.book.best("yes");
      const noBid = st.book.best("no");
      this.#send(
        conn,
        JSON.stringify(encodeServerMessage({
          type: "ticker",
          sid: s.sid,
          market: h.market,
          price: st.lastPrice ?? 0,
          yesBid,
          yesAsk: noBid > 0 ? 10000 - noBid : 10000,
          yesBidSize: yesBid > 0 ? st.book.size("yes", yesBid) : 0,
          yesAskSize: noBid > 0 ? st.book.size("no", noBid) : 0,
          tsMs,
        })),
      );
      return;
    }
    if (
      (h.kind === "lifecycle" || h.kind === "settlement") && s.channel === "market_lifecycle_v2"
    ) {
      const msg = lifecycleMessage(h, s.sid, tsMs, this.#player, this.#time);
      if (msg !== null) this.#send(conn, JSON.stringify(encodeServerMessage(msg)));
    }
  }
}

function isEncodable(m: unknown): m is Exclude<WsServerMessage, { type: "other" }> {
  if (typeof m !== "object" || m === null) return false;
  const o = m as Record<string, unknown>;
  return ["subscribed", "unsubscribed", "error"].includes(String(o.type)) ||
    (o.type === "ok" && !("subscriptions" in o));
}

/** The `market_lifecycle_v2` message of a lifecycle change or settlement, or null when Kalshi has none. */
export function lifecycleMessage(
  h: Extract<Happening, { kind: "lifecycle" | "settlement" }>,
  sid: number,
  tsMs: number,
  player: TapePlayer,
  time: (tapeTs: number) => number,
): Extract<WsServerMessage, { type: "market_lifecycle_v2" }> | null {
  const base = { type: "market_lifecycle_v2" as const, sid, market: h.market };
  if (h.kind === "settlement") {
    return {
      ...base,
      eventType: "determined",
      result: h.result,
      determinationTs: tsMs,
      settlementValue: h.result === "yes" ? 10000 : 0,
    };
  }
  const decl = player.markets.get(h.market)!.decl;
  switch (h.status) {
    case "initialized":
      return {
        ...base,
        eventType: "created",
        openTs: time(decl.openTs),
        closeTs: time(decl.closeTs),
      };
    case "active":
    case "open":
      return { ...base, eventType: "activated", isDeactivated: false };
    case "inactive":
      return { ...base, eventType: "deactivated", isDeactivated: true };
    case "closed":
      return { ...base, eventType: "close_date_updated", closeTs: tsMs };
    case "determined":
      return { ...base, eventType: "determined", determinationTs: tsMs };
    case "finalized":
      return { ...base, eventType: "settled", settledTs: tsMs };
    default:
      return null;
  }
}
