/**
 * A minimal WebSocket client for the mock exchange's tests: collects every
 * message as parsed JSON and waits for one matching a predicate.
 *
 * @module
 */

import WebSocket from "ws";

/** A parsed server message. */
export type Wire = Record<string, unknown> & {
  type?: string;
  sid?: number;
  seq?: number;
  msg?: Record<string, unknown>;
};

/** Headers that pass the mock's handshake check. */
export const TEST_AUTH_HEADERS: Readonly<Record<string, string>> = {
  "KALSHI-ACCESS-KEY": "test-key-0000",
  "KALSHI-ACCESS-TIMESTAMP": "1",
  "KALSHI-ACCESS-SIGNATURE": "c2lnbmF0dXJl",
};

/** A connected test client. */
export interface TestClient {
  readonly messages: Wire[];
  send(obj: unknown): void;
  /** The first message (from `from` on) matching `pred`, waiting up to `timeoutMs`. */
  waitFor(pred: (m: Wire) => boolean, timeoutMs?: number, from?: number): Promise<Wire>;
  /** Resolves when the socket closes. */
  readonly closed: Promise<void>;
  close(): void;
}

/**
 * Connects; rejects with the HTTP status when the handshake is refused.
 */
export function connect(
  url: string,
  headers: Record<string, string> = { ...TEST_AUTH_HEADERS },
): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    // deno-lint-ignore no-explicit-any
    const ws: any = new WebSocket(url, { headers });
    const messages: Wire[] = [];
    const waiters = new Set<() => void>();
    let closeResolve!: () => void;
    const closed = new Promise<void>((r) => (closeResolve = r));
    ws.on("message", (d: unknown) => {
      messages.push(JSON.parse(String(d)));
      for (const w of [...waiters]) w();
    });
    ws.on("unexpected-response", (_req: unknown, res: { statusCode: number }) => {
      reject(new Error(`handshake refused: HTTP ${res.statusCode}`));
    });
    ws.on("error", (e: Error) => reject(e));
    ws.on("close", () => {
      closeResolve();
      for (const w of [...waiters]) w();
    });
    ws.on("open", () =>
      resolve({
        messages,
        closed,
        send: (obj) => ws.send(JSON.stringify(obj)),
        close: () => ws.close(),
        waitFor(pred, timeoutMs = 3000, from = 0) {
          return new Promise((res, rej) => {
            const check = () => {
              const m = messages.slice(from).find(pred);
              if (m !== undefined) {
                waiters.delete(check);
                clearTimeout(timer);
                res(m);
              } else if (ws.readyState === WebSocket.CLOSED) {
                waiters.delete(check);
                clearTimeout(timer);
                rej(new Error("socket closed while waiting"));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              rej(new Error(`timed out; got ${JSON.stringify(messages.slice(-5))}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      }));
  });
}
