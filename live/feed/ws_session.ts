/**
 * One WebSocket connection of the live feed (npm:ws, which lets a client send
 * the Kalshi auth headers on the handshake): open, send JSON, receive text,
 * answer the server's pings (npm:ws does it), and watch for silence.
 *
 * The session ends exactly once, reporting why: the handshake was refused
 * (`handshake HTTP 401`), a socket error, the server closed it, the idle
 * timeout fired (no message and no ping for `idleTimeoutMs`; Kalshi pings
 * every 10 s), or {@link WsSession.close} was called. The timer clock is
 * injected (the idle watchdog sleeps on it and measures silence with it).
 *
 * @module
 */

import WebSocket from "ws";
import type { LiveClock } from "../io.ts";

/** What the session uses of an npm:ws client socket (the package ships no types). */
export interface ClientSocket {
  readonly readyState: number;
  send(text: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: "open" | "ping", fn: () => void): void;
  on(event: "message", fn: (data: unknown) => void): void;
  on(event: "close", fn: (code: number) => void): void;
  on(event: "error", fn: (e: Error) => void): void;
}

/** Opens a client socket with handshake headers. */
export type SocketFactory = (
  url: string,
  headers: Record<string, string>,
  handshakeTimeoutMs: number,
) => ClientSocket;

/** The npm:ws client. */
export const npmWsFactory: SocketFactory = (url, headers, handshakeTimeoutMs) =>
  new WebSocket(url, { headers, handshakeTimeout: handshakeTimeoutMs }) as ClientSocket;

/** `WebSocket.OPEN`. */
const OPEN = 1;

/** Callbacks of a {@link WsSession}. */
export interface WsSessionHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  onPing?(): void;
  /** Called once when the session ends. */
  onEnd(reason: string): void;
}

/** Options of a {@link WsSession}. */
export interface WsSessionOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Sleeps and measures silence (a monotonic-enough wall clock, not the event clock). */
  readonly timer: LiveClock;
  readonly factory?: SocketFactory;
  /** Silence (no message, no ping) that ends the session, ms. Default 30 000. */
  readonly idleTimeoutMs?: number;
  /** Default 10 000. */
  readonly handshakeTimeoutMs?: number;
}

/** See the module docs. */
export class WsSession {
  readonly #o: WsSessionOptions;
  readonly #h: WsSessionHandlers;
  readonly #watch = new AbortController();
  #socket: ClientSocket | null = null;
  #ended = false;
  #opened = false;
  #lastActivity = 0;

  constructor(options: WsSessionOptions, handlers: WsSessionHandlers) {
    const idle = options.idleTimeoutMs ?? 30_000;
    if (!Number.isInteger(idle) || idle < 1) {
      throw new RangeError(
        `Cannot open WebSocket session: idleTimeoutMs must be an integer >= 1, current value is ${idle}`,
      );
    }
    this.#o = { ...options, idleTimeoutMs: idle };
    this.#h = handlers;
  }

  /** Whether the socket is open and the session has not ended. */
  get isOpen(): boolean {
    return !this.#ended && this.#opened && this.#socket?.readyState === OPEN;
  }

  /** Connects (once). */
  start(): void {
    if (this.#socket !== null) return;
    let s: ClientSocket;
    try {
      s = (this.#o.factory ?? npmWsFactory)(
        this.#o.url,
        this.#o.headers,
        this.#o.handshakeTimeoutMs ?? 10_000,
      );
    } catch (e) {
      this.#end(`connect failed: ${(e as Error).message}`);
      return;
    }
    this.#socket = s;
    s.on("open", () => {
      this.#opened = true;
      this.#lastActivity = this.#o.timer.now();
      this.#watchdog();
      this.#h.onOpen();
    });
    s.on("message", (data) => {
      this.#lastActivity = this.#o.timer.now();
      if (!this.#ended) this.#h.onMessage(String(data));
    });
    s.on("ping", () => {
      this.#lastActivity = this.#o.timer.now();
      this.#h.onPing?.();
    });
    s.on("error", (e) => {
      const m = /Unexpected server response: (\d+)/.exec(e.message);
      this.#end(m ? `handshake HTTP ${m[1]}` : `socket error: ${e.message}`);
    });
    s.on("close", (code) => this.#end(`closed by server (code ${code})`));
  }

  /** Sends one JSON command; false when the socket is not open. */
  send(obj: unknown): boolean {
    if (!this.isOpen) return false;
    this.#socket!.send(JSON.stringify(obj));
    return true;
  }

  /** Ends the session (the socket is dropped without waiting). */
  close(reason = "closed by client"): void {
    this.#end(reason);
  }

  #end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#watch.abort();
    try {
      this.#socket?.terminate();
    } catch {
      // already gone
    }
    this.#h.onEnd(reason);
  }

  async #watchdog(): Promise<void> {
    const idle = this.#o.idleTimeoutMs!;
    const step = Math.max(5, Math.min(1000, Math.floor(idle / 4)));
    while (!this.#ended) {
      try {
        await this.#o.timer.sleep(step, this.#watch.signal);
      } catch {
        return;
      }
      if (this.#o.timer.now() - this.#lastActivity > idle) {
        this.#end(`idle timeout: nothing for more than ${idle} ms`);
        return;
      }
    }
  }
}
