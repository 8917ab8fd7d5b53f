/**
 * `deno task mock-exchange`: serve a tape as a local Kalshi (REST + WebSocket
 * on 127.0.0.1) for the live feed and for trying the live lane offline. Run
 * with --help for usage; docs/MOCK_EXCHANGE.md explains what it serves.
 *
 * Permissions: `--allow-net=127.0.0.1 --allow-read` (the tape file).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type FaultSpec, parseFaultArg } from "../mock_exchange/faults.ts";
import { MockKalshiExchange } from "../mock_exchange/exchange.ts";
import { buildSampleTape } from "../mock_exchange/sample_tape.ts";

const HELP = `deno task mock-exchange [options]

Serves a tape as a local Kalshi exchange on 127.0.0.1: REST under
/trade-api/v2 (series, events, markets, trades, candlesticks, order books,
demo orders) and the WebSocket API at /trade-api/ws/v2 (auth headers
required on the handshake, any values accepted; orderbook_delta, trade,
ticker, market_lifecycle_v2). See docs/MOCK_EXCHANGE.md.

Options:
  --tape PATH         tape to play: NDJSON (.ndjson/.jsonl), columnar (.kxc) or SQLite (.sqlite/.db)
                      (default: a built-in sample: a 3-market weather ladder)
  --speed X           tape seconds per wall second (default 1); 0 = manual:
                      nothing is played, only the metadata is served
  --port N            port on 127.0.0.1 (default 0: a free one, printed)
  --fault KIND=RATE[:PARAM]
                      inject a fault with probability RATE per eligible unit;
                      repeat for several. Kinds: ws_drop, ws_seq_gap,
                      ws_duplicate, ws_out_of_order, http_429, http_5xx
                      (PARAM: status), http_slow (PARAM: delay ms),
                      clock_skew (PARAM: Date offset ms)
  --fault-seed N      seed of the fault draws (default 1)
  --time tape|wall    the exchange clock: the tape's (default) or the wall
                      clock with tape times mapped onto it (speed > 0)
  --ping-ms N         WebSocket ping interval (default 10000, Kalshi's)
  -h, --help          show this help

Prints the REST and WebSocket URLs and the markets, then serves until
Ctrl-C, and prints the requests served and the faults injected.

Exit status: 0 after Ctrl-C, 1 when the tape cannot be read or the port
cannot be bound, 2 on a usage error.
`;

/** Where the task writes and how it waits (injected by the tests). */
export interface TaskIo {
  log(line: string): void;
  error(line: string): void;
  /** Resolves when the server should stop (Ctrl-C). */
  stop(): Promise<void>;
  /** Called once the exchange listens. */
  started?(ex: MockKalshiExchange): void;
}

const denoIo: TaskIo = {
  log: (l) => console.log(l),
  error: (l) => console.error(l),
  stop: () => new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", () => resolve())),
};

function usage(io: TaskIo, message: string): number {
  io.error(`error: ${message}`);
  io.error('Run "deno task mock-exchange --help" for usage.');
  return 2;
}

/** Runs the task; returns the exit status. */
export async function runMockExchange(
  args: readonly string[],
  io: TaskIo = denoIo,
): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: [...args],
      options: {
        tape: { type: "string" },
        speed: { type: "string" },
        port: { type: "string" },
        fault: { type: "string", multiple: true },
        "fault-seed": { type: "string" },
        time: { type: "string" },
        "ping-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  if (v.help) {
    io.log(HELP);
    return 0;
  }
  const num = (name: string, text: string | undefined, def: number, int: boolean, min: number) => {
    if (text === undefined) return def;
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || n < min || (int && !Number.isInteger(n))) {
      throw new RangeError(
        `Cannot read --${name}: must be ${
          int ? "an integer" : "a number"
        } >= ${min}, current value is ${text}`,
      );
    }
    return n;
  };
  let speed: number, port: number, seed: number, ping: number;
  let faults: FaultSpec[];
  try {
    speed = num("speed", v.speed, 1, false, 0);
    port = num("port", v.port, 0, true, 0);
    if (port > 65535) {
      throw new RangeError(`Cannot read --port: must be in 0..65535, current value is ${port}`);
    }
    seed = num("fault-seed", v["fault-seed"], 1, true, 0);
    ping = num("ping-ms", v["ping-ms"], 10_000, true, 0);
    faults = (v.fault ?? []).map(parseFaultArg);
    if (v.time !== undefined && v.time !== "tape" && v.time !== "wall") {
      throw new RangeError(`Cannot read --time: must be tape or wall, current value is ${v.time}`);
    }
    if (v.time === "wall" && speed === 0) {
      throw new RangeError("Cannot read --time: wall needs --speed > 0, current value is 0");
    }
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  let ex: MockKalshiExchange;
  try {
    ex = await MockKalshiExchange.start({
      tape: v.tape ?? buildSampleTape(),
      speed,
      port,
      faults,
      faultSeed: seed,
      pingIntervalMs: ping,
      timeMode: (v.time ?? "tape") as "tape" | "wall",
    });
  } catch (e) {
    io.error(`error: ${(e as Error).message}`);
    return 1;
  }
  io.log(`mock Kalshi exchange (tape: ${v.tape ?? "built-in sample"}, speed ${speed})`);
  io.log(`  REST       ${ex.baseUrl}`);
  io.log(`  WebSocket  ${ex.wsUrl}`);
  io.log(`  markets    ${[...ex.player.markets.keys()].join(", ")}`);
  if (faults.length > 0) {
    io.log(`  faults     ${faults.map((f) => `${f.kind}=${f.rate}`).join(" ")}`);
  }
  io.log("Ctrl-C to stop.");
  io.started?.(ex);
  await io.stop();
  io.log(
    `served ${ex.restCounts.requests} REST requests, ${ex.ws.counts.connections} WebSocket connections ` +
      `(${ex.ws.counts.rejected} refused), played ${ex.player.position} events`,
  );
  const injected = Object.entries(ex.faultCounts()).filter(([, n]) => n > 0);
  io.log(
    `faults injected: ${
      injected.length === 0 ? "none" : injected.map(([k, n]) => `${k} ${n}`).join(", ")
    }`,
  );
  await ex.close();
  return 0;
}

if (import.meta.main) Deno.exit(await runMockExchange(Deno.args));
