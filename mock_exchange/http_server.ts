/**
 * A local mock of Kalshi's public REST API on 127.0.0.1, for tests and for
 * trying the fetch lane with no network. It serves a {@link MockFixtures} set
 * in Kalshi's shapes under `/trade-api/v2/...` (see `rest_routes.ts` for the
 * endpoints), counts every request per path, and injects faults on demand:
 *
 * - `{ kind: "status", status: 429 }` (or 500, 503, ...): an error answer with
 *   Kalshi's error body and, like Kalshi, no Retry-After header;
 * - `{ kind: "drop" }`: the socket is destroyed before any byte is sent
 *   (the client sees ECONNRESET / "socket hang up");
 * - `{ kind: "drop_mid_body" }`: the status line, headers (with the full
 *   Content-Length) and half the body are sent, then the socket is destroyed;
 * - `{ kind: "slow", delayMs }`: the normal answer, after a delay.
 *
 * A fault rule names the `nth` matching request (1-based, counted per rule
 * over the requests whose path matches `path`) and how many `times` in a row
 * it fires. Every answer carries `Connection: close` unless `keepAlive` is set:
 * on a reused keep-alive connection, Deno's HTTP client silently re-sends a
 * request whose connection was dropped, which would hide a `drop` fault.
 *
 * The server will grow a WebSocket side for the live lane; keep the REST
 * answers in `rest_routes.ts` and the transport here.
 *
 * @example Serve the default fixtures with a 429 on the second /markets page
 * ```ts ignore
 * import { MockExchange } from "./http_server.ts";
 *
 * const mock = await MockExchange.start({
 *   maxPageSize: 5,
 *   faults: [{ path: "/markets", nth: 2, fault: { kind: "status", status: 429 } }],
 * });
 * console.log(mock.baseUrl); // http://127.0.0.1:<port>/trade-api/v2
 * // ... run a client against it ...
 * console.log(mock.count("/markets"));
 * await mock.close();
 * ```
 *
 * @module
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildFixtures, type MockFixtures } from "./fixtures.ts";
import { routeRequest } from "./rest_routes.ts";

/** The REST prefix Kalshi serves under. */
export const API_PREFIX = "/trade-api/v2";

/** A fault to inject; see the module docs. */
export type Fault =
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "drop" }
  | { readonly kind: "drop_mid_body" }
  | { readonly kind: "slow"; readonly delayMs: number };

/** When a fault fires. */
export interface FaultRule {
  readonly fault: Fault;
  /** Path below /trade-api/v2: exact string or a pattern. Default: every path. */
  readonly path?: string | RegExp;
  /** The first matching request that gets the fault (1-based). Default 1. */
  readonly nth?: number;
  /** How many consecutive matching requests get it. Default 1. */
  readonly times?: number;
}

/** One request the server received. */
export interface RecordedRequest {
  /** 1-based arrival order. */
  readonly n: number;
  readonly method: string;
  /** Path below /trade-api/v2 (or the raw path when outside it). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The HTTP status sent, or the fault that replaced the answer. */
  readonly outcome: number | "drop" | "drop_mid_body";
}

/** Options of {@link MockExchange.start}. */
export interface MockExchangeOptions {
  /** Data to serve. Default: {@link buildFixtures}(). */
  readonly fixtures?: MockFixtures;
  readonly faults?: readonly FaultRule[];
  /** Largest page served whatever the limit (forces pagination). Default 1000. */
  readonly maxPageSize?: number;
  /** Keep connections alive between requests. Default false (see the module docs). */
  readonly keepAlive?: boolean;
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
}

interface ArmedRule {
  readonly rule: FaultRule;
  seen: number;
}

function checkRule(rule: FaultRule): FaultRule {
  const nth = rule.nth ?? 1;
  const times = rule.times ?? 1;
  if (!Number.isInteger(nth) || nth < 1) {
    throw new RangeError(`Cannot add fault: nth must be an integer >= 1, current value is ${nth}`);
  }
  if (!Number.isInteger(times) || times < 1) {
    throw new RangeError(
      `Cannot add fault: times must be an integer >= 1, current value is ${times}`,
    );
  }
  const f = rule.fault;
  if (f.kind === "status" && (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)) {
    throw new RangeError(
      `Cannot add fault: status must be an HTTP error status (400..599), current value is ${f.status}`,
    );
  }
  if (f.kind === "slow" && (!Number.isInteger(f.delayMs) || f.delayMs < 0)) {
    throw new RangeError(
      `Cannot add fault: delayMs must be an integer >= 0, current value is ${f.delayMs}`,
    );
  }
  if (!["status", "drop", "drop_mid_body", "slow"].includes(f.kind)) {
    throw new RangeError(
      `Cannot add fault: unknown kind, current value is ${
        JSON.stringify((f as { kind: unknown }).kind)
      }`,
    );
  }
  return rule;
}

const ERROR_CODES: Readonly<Record<number, string>> = {
  429: "too_many_requests",
  500: "internal_server_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

/** The mock Kalshi REST server; see the module docs. */
export class MockExchange {
  /** `http://127.0.0.1:<port>/trade-api/v2`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #fixtures: MockFixtures;
  readonly #maxPageSize: number;
  readonly #keepAlive: boolean;
  readonly #rules: ArmedRule[] = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(server: Server, port: number, options: MockExchangeOptions) {
    this.#server = server;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}${API_PREFIX}`;
    this.#fixtures = options.fixtures ?? buildFixtures();
    this.#maxPageSize = options.maxPageSize ?? 1000;
    this.#keepAlive = options.keepAlive ?? false;
    for (const r of options.faults ?? []) this.addFault(r);
  }

  /** Starts a server on 127.0.0.1 and resolves once it listens. */
  static async start(options: MockExchangeOptions = {}): Promise<MockExchange> {
    const max = options.maxPageSize ?? 1000;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(
        `Cannot start mock exchange: maxPageSize must be an integer >= 1, current value is ${max}`,
      );
    }
    let self: MockExchange | null = null;
    const server = createServer((req, res) => self!.#handle(req, res));
    const port = await new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        resolve((server.address() as AddressInfo).port);
      });
    });
    self = new MockExchange(server, port, options);
    return self;
  }

  /** Arms another fault rule (counted from the requests after this call). */
  addFault(rule: FaultRule): void {
    this.#rules.push({ rule: checkRule(rule), seen: 0 });
  }

  /** Requests received for a path (exact or pattern), or all requests. */
  count(path?: string | RegExp): number {
    if (path === undefined) return this.requests.length;
    return this.requests.filter((r) => matches(path, r.path)).length;
  }

  /** Requests received per path. */
  countsByPath(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) out[r.path] = (out[r.path] ?? 0) + 1;
    return out;
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections?.();
    });
  }

  #faultFor(path: string): Fault | null {
    let hit: Fault | null = null;
    for (const armed of this.#rules) {
      if (armed.rule.path !== undefined && !matches(armed.rule.path, path)) continue;
      armed.seen++;
      const nth = armed.rule.nth ?? 1;
      const times = armed.rule.times ?? 1;
      if (hit === null && armed.seen >= nth && armed.seen < nth + times) hit = armed.rule.fault;
    }
    return hit;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const inside = url.pathname === API_PREFIX || url.pathname.startsWith(API_PREFIX + "/");
    const path = inside ? url.pathname.slice(API_PREFIX.length) || "/" : url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const fault = this.#faultFor(path);
    let answer = req.method !== "GET"
      ? { status: 405, body: { error: { code: "method_not_allowed", message: "GET only" } } }
      : !inside
      ? { status: 404, body: { error: { code: "not_found", message: `path ${path} not found` } } }
      : routeRequest(this.#fixtures, path, url.searchParams, { maxPageSize: this.#maxPageSize });
    if (fault?.kind === "status") {
      const code = ERROR_CODES[fault.status] ?? "error";
      answer = {
        status: fault.status,
        body: { error: { code, message: code.replace(/_/g, " ") } },
      };
    }
    this.requests.push({
      n: this.requests.length + 1,
      method: req.method ?? "",
      path,
      query,
      outcome: fault?.kind === "drop" || fault?.kind === "drop_mid_body"
        ? fault.kind
        : answer.status,
    });
    if (fault?.kind === "drop") {
      req.socket.destroy();
      return;
    }
    const bytes = new TextEncoder().encode(JSON.stringify(answer.body));
    const headers: Record<string, string | number> = {
      "content-type": "application/json; charset=utf-8",
      "content-length": bytes.length,
    };
    if (!this.#keepAlive) headers.connection = "close";
    if (fault?.kind === "drop_mid_body") {
      res.writeHead(answer.status, headers);
      res.write(bytes.subarray(0, bytes.length >> 1), () => {
        // Give the half body a moment on the wire, then cut the connection.
        this.#later(5, () => req.socket.destroy());
      });
      return;
    }
    const send = () => {
      if (req.socket.destroyed) return;
      res.writeHead(answer.status, headers);
      res.end(bytes);
    };
    if (fault?.kind === "slow") this.#later(fault.delayMs, send);
    else send();
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }
}

function matches(p: string | RegExp, path: string): boolean {
  return typeof p === "string" ? p === path : p.test(path);
}

/**
 * Serves the default fixtures until interrupted:
 * `deno run --allow-net=127.0.0.1 mock_exchange/http_server.ts [--port N] [--page-size N]`.
 */
async function serveFromCommandLine(args: readonly string[]): Promise<number> {
  const { parseArgs } = await import("node:util");
  let v;
  try {
    v = parseArgs({
      args: [...args],
      options: { port: { type: "string" }, "page-size": { type: "string" } },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
  const port = Number(v.port ?? 0);
  const maxPageSize = Number(v["page-size"] ?? 1000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `error: Cannot read --port: must be an integer in 0..65535, current value is ${v.port}`,
    );
    return 2;
  }
  let mock: MockExchange;
  try {
    mock = await MockExchange.start({ port, maxPageSize });
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return e instanceof RangeError ? 2 : 1;
  }
  console.log(`mock Kalshi REST on ${mock.baseUrl} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", () => resolve()));
  console.log(`served ${mock.count()} requests`);
  await mock.close();
  return 0;
}

if (import.meta.main) Deno.exit(await serveFromCommandLine(Deno.args));
