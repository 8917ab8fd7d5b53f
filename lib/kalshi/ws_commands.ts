/**
 * Kalshi WebSocket client commands: builders for the wire form, a validating
 * parser (the mock exchange reads commands with it) and Kalshi's error codes.
 *
 * Wire forms (`id` is the client's command number, echoed in the answer):
 *
 * ```
 * {"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["A","B"]}}
 * {"id":2,"cmd":"unsubscribe","params":{"sids":[1,2]}}
 * {"id":3,"cmd":"update_subscription","params":{"sids":[1],"market_tickers":["C"],"action":"add_markets"}}
 * {"id":4,"cmd":"list_subscriptions"}
 * ```
 *
 * `subscribe` also accepts the single `market_ticker`; `update_subscription`
 * the single `sid`; `action` is `add_markets` or `delete_markets`.
 *
 * @example Build and read back a subscribe command
 * ```ts
 * import { encodeCommand, parseCommand } from "./ws_commands.ts";
 *
 * const wire = encodeCommand({ id: 1, cmd: "subscribe", channels: ["trade"], marketTickers: ["X"] });
 * parseCommand(JSON.stringify(wire)); // the same command
 * ```
 *
 * @module
 */

/** A subscription command. Without `marketTickers`, every market (where the channel allows it). */
export interface SubscribeCommand {
  readonly id: number;
  readonly cmd: "subscribe";
  readonly channels: readonly string[];
  readonly marketTickers?: readonly string[];
}

/** Cancels subscriptions. */
export interface UnsubscribeCommand {
  readonly id: number;
  readonly cmd: "unsubscribe";
  readonly sids: readonly number[];
}

/** Adds markets to, or removes them from, existing subscriptions. */
export interface UpdateSubscriptionCommand {
  readonly id: number;
  readonly cmd: "update_subscription";
  readonly sids: readonly number[];
  readonly marketTickers: readonly string[];
  readonly action: "add_markets" | "delete_markets";
}

/** Lists the connection's subscriptions. */
export interface ListSubscriptionsCommand {
  readonly id: number;
  readonly cmd: "list_subscriptions";
}

/** Every client command. */
export type WsCommand =
  | SubscribeCommand
  | UnsubscribeCommand
  | UpdateSubscriptionCommand
  | ListSubscriptionsCommand;

/** Kalshi's WebSocket error codes (the `code` of an `error` message). */
export const WS_ERROR_CODES = {
  unableToProcess: 1,
  paramsRequired: 2,
  channelsRequired: 3,
  sidsRequired: 4,
  unknownCommand: 5,
  alreadySubscribed: 6,
  unknownSid: 7,
  unknownChannel: 8,
  authRequired: 9,
  channelError: 10,
  invalidParameter: 11,
  exactlyOneSid: 12,
  unsupportedAction: 13,
  marketTickerRequired: 14,
  actionRequired: 15,
  marketNotFound: 16,
  internalError: 17,
} as const;

/** A command that cannot be executed: the error code to answer with and the command's id. */
export class WsCommandError extends Error {
  readonly code: number;
  readonly id?: number;

  constructor(code: number, message: string, id?: number) {
    super(message);
    this.name = "WsCommandError";
    this.code = code;
    this.id = id;
  }
}

/** The wire form of a command. */
export function encodeCommand(c: WsCommand): Record<string, unknown> {
  switch (c.cmd) {
    case "subscribe":
      return {
        id: c.id,
        cmd: "subscribe",
        params: {
          channels: [...c.channels],
          ...(c.marketTickers !== undefined ? { market_tickers: [...c.marketTickers] } : {}),
        },
      };
    case "unsubscribe":
      return { id: c.id, cmd: "unsubscribe", params: { sids: [...c.sids] } };
    case "update_subscription":
      return {
        id: c.id,
        cmd: "update_subscription",
        params: { sids: [...c.sids], market_tickers: [...c.marketTickers], action: c.action },
      };
    case "list_subscriptions":
      return { id: c.id, cmd: "list_subscriptions" };
  }
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((t) => typeof t === "string" && t.length > 0);
}

function ints(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((t) => Number.isSafeInteger(t) && (t as number) >= 1);
}

/**
 * Parses and checks one client command.
 *
 * @throws {WsCommandError} with Kalshi's error code: 1 for text that is not a
 *   JSON object or lacks a valid `id`, 5 for an unknown `cmd`, 2/3/4/14/15 for
 *   missing parameters, 11/13 for malformed ones.
 */
export function parseCommand(text: string): WsCommand {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new WsCommandError(
      WS_ERROR_CODES.unableToProcess,
      `Cannot parse command: not JSON, current value is ${show(text)}`,
    );
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new WsCommandError(
      WS_ERROR_CODES.unableToProcess,
      `Cannot parse command: not a JSON object, current value is ${show(raw)}`,
    );
  }
  const o = raw as Record<string, unknown>;
  const id = o.id;
  if (!Number.isSafeInteger(id) || (id as number) < 1) {
    throw new WsCommandError(
      WS_ERROR_CODES.unableToProcess,
      `Cannot parse command: id must be an integer >= 1, current value is ${show(id)}`,
    );
  }
  const n = id as number;
  const fail = (code: number, message: string): never => {
    throw new WsCommandError(code, message, n);
  };
  const cmd = o.cmd;
  if (cmd === "list_subscriptions") return { id: n, cmd };
  if (cmd !== "subscribe" && cmd !== "unsubscribe" && cmd !== "update_subscription") {
    return fail(
      WS_ERROR_CODES.unknownCommand,
      `Cannot run command: unknown cmd, current value is ${show(cmd)}`,
    );
  }
  const params = o.params;
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return fail(
      WS_ERROR_CODES.paramsRequired,
      `Cannot run ${cmd}: params must be an object, current value is ${show(params)}`,
    );
  }
  const p = params as Record<string, unknown>;
  const tickers = (required: boolean): string[] | undefined => {
    if (p.market_tickers !== undefined) {
      if (!strings(p.market_tickers)) {
        fail(
          WS_ERROR_CODES.invalidParameter,
          `Cannot run ${cmd}: market_tickers must be an array of tickers, current value is ${
            show(p.market_tickers)
          }`,
        );
      }
      return p.market_tickers as string[];
    }
    if (p.market_ticker !== undefined) {
      if (typeof p.market_ticker !== "string" || p.market_ticker === "") {
        fail(
          WS_ERROR_CODES.invalidParameter,
          `Cannot run ${cmd}: market_ticker must be a ticker, current value is ${
            show(p.market_ticker)
          }`,
        );
      }
      return [p.market_ticker as string];
    }
    if (required) {
      fail(
        WS_ERROR_CODES.marketTickerRequired,
        `Cannot run ${cmd}: market_tickers required, current value is undefined`,
      );
    }
    return undefined;
  };
  const sids = (): number[] => {
    if (p.sids !== undefined) {
      if (!ints(p.sids) || p.sids.length === 0) {
        fail(
          WS_ERROR_CODES.invalidParameter,
          `Cannot run ${cmd}: sids must be a non-empty array of integers >= 1, current value is ${
            show(p.sids)
          }`,
        );
      }
      return p.sids as number[];
    }
    if (p.sid !== undefined) {
      if (!Number.isSafeInteger(p.sid) || (p.sid as number) < 1) {
        fail(
          WS_ERROR_CODES.invalidParameter,
          `Cannot run ${cmd}: sid must be an integer >= 1, current value is ${show(p.sid)}`,
        );
      }
      return [p.sid as number];
    }
    return fail(
      WS_ERROR_CODES.sidsRequired,
      `Cannot run ${cmd}: sids required, current value is undefined`,
    );
  };
  if (cmd === "subscribe") {
    const ch = p.channels;
    if (ch === undefined || (Array.isArray(ch) && ch.length === 0)) {
      return fail(
        WS_ERROR_CODES.channelsRequired,
        `Cannot run subscribe: channels required, current value is ${show(ch)}`,
      );
    }
    if (!strings(ch)) {
      return fail(
        WS_ERROR_CODES.invalidParameter,
        `Cannot run subscribe: channels must be an array of names, current value is ${show(ch)}`,
      );
    }
    const t = tickers(false);
    return { id: n, cmd, channels: ch, ...(t !== undefined ? { marketTickers: t } : {}) };
  }
  if (cmd === "unsubscribe") return { id: n, cmd, sids: sids() };
  const s = sids();
  const action = p.action;
  if (action === undefined) {
    return fail(
      WS_ERROR_CODES.actionRequired,
      `Cannot run update_subscription: action required, current value is undefined`,
    );
  }
  if (action !== "add_markets" && action !== "delete_markets") {
    return fail(
      WS_ERROR_CODES.unsupportedAction,
      `Cannot run update_subscription: action must be add_markets or delete_markets, current value is ${
        show(action)
      }`,
    );
  }
  return { id: n, cmd, sids: s, marketTickers: tickers(true)!, action };
}
