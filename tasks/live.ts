/**
 * `deno task live`: run a strategy on a live feed through the live lane
 * (live/lane.ts): the backtest's replay venue and fill model behind the rails
 * (kill switch, heartbeat, staleness gate, trading windows, write limiter,
 * cancel queue, persisted order state), recording every consumed event into a
 * tape that replays as a backtest. Dry-run by default. Run with --help.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import type { TapeEvent } from "../lib/tape/events.ts";
import { readNdjsonFile } from "../lib/tape/ndjson_reader.ts";
import { writeNdjsonFile } from "../lib/tape/ndjson_writer.ts";
import { type RiskLimits, validateRiskLimits } from "../lib/risk/limits.ts";
import { loadCredentials } from "../lib/kalshi/credentials.ts";
import { maskSecret, redact } from "../lib/kalshi/mask.ts";
import { DEFAULT_REPLAY_CONFIG, type ReplayConfig } from "../lib/venue/replay.ts";
import { parseParams, STRATEGIES } from "../strategies/registry.ts";
import { ArrayFeed } from "../live/array_feed.ts";
import { decideArming, DEFAULT_MAX_CLOCK_SKEW_MS, LIVE_NOT_IMPLEMENTED } from "../live/arming.ts";
import type { LiveFeed } from "../live/feed_port.ts";
import { denoFs, systemClock } from "../live/io.ts";
import { type LaneParts, runLane } from "../live/lane.ts";
import { DEFAULT_STALENESS, type StalenessLimits } from "../live/rails/staleness.ts";
import { parseTradingWindows, type TradingWindows } from "../live/rails/trading_windows.ts";
import { TIER_WRITES_PER_SECOND } from "../live/rails/write_limiter.ts";
import { openExchange } from "../live/exchange_feed.ts";
import type { WsSigner } from "../live/feed/kalshi_feed.ts";
import { type FaultSpec, parseFaultArg } from "../mock_exchange/faults.ts";
import { latencyFromOptions } from "./execution_options.ts";
import { codeVersion } from "./code_version.ts";

const HELP = `deno task live [options]

Runs a strategy on a live feed through the live lane: the backtest's replay
venue and fill model behind the rails, recording every event it consumes into
a tape that replays as a backtest (docs/LIVE.md).

DRY-RUN BY DEFAULT: orders are simulated, nothing is sent to any exchange.
Live mode needs BOTH --live and --i-understand-the-risks, credentials
(KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY), a
measured clock skew within --max-skew-ms, and is refused under CI=true. Live
order submission to the exchange is NOT implemented: an armed lane still
simulates its orders exactly as in dry-run, and says so.

Options:
  --dry                 dry-run (the default; conflicts with --live)
  --live                ask for live mode (needs --i-understand-the-risks too)
  --i-understand-the-risks
  --key-file PATH       private key file for live mode (default: KALSHI_PRIVATE_KEY_PATH,
                        else KALSHI_PRIVATE_KEY); the key id comes from KALSHI_API_KEY_ID
  --exchange KIND       where the events come from (required):
                          mock    the local mock exchange (HTTP + WebSocket on
                                  127.0.0.1) started in-process, playing the
                                  tape, and the live feed connected to it
                          memory  the tape played by an in-process feed (no
                                  sockets)
  --tape PATH           tape the exchange plays (NDJSON); default: the
                        strategy's SYNTHETIC default tape from --seed (btc:
                        a day of BTC ladder markets), written to <out>
  --strategy NAME       strategy (default: btc). Known: ${Object.keys(STRATEGIES).join(", ")}
  --param KEY=VALUE     override a strategy parameter (repeatable)
  --seed N              seed of the venue's PRNG and the default tape (default 1)
  --minutes M           stop after M minutes of wall time (default 1; fractions ok)
  --speed N             tape ms played per wall ms (default 60: an hour a minute)
  --out DIR             folder of the lane's files (default out/live): audit.jsonl,
                        heartbeat.json, state/, tapes/live-<session>.ndjson,
                        results.sqlite
  --kill-switch FILE    kill-switch file (default <out>/KILL): while it exists
                        no order is sent; its appearance cancels every order
  --heartbeat FILE      heartbeat file (default <out>/heartbeat.json)
  --state DIR           persisted order state (default <out>/state)
  --tier NAME           account tier of the write limiter (its budget scales with
                        --speed, as the exchange's clock runs that much faster): ${
  Object.entries(TIER_WRITES_PER_SECOND).map(([k, v]) => `${k} (${v}/s)`).join(", ")
} (default basic)
  --windows FILE        Eastern-time trading windows per series (JSON, docs/LIVE.md)
  --risk FILE           risk limits (JSON, docs/RISK.md), checked by the venue
  --latency-ms L        order-entry latency of the venue (default ${DEFAULT_REPLAY_CONFIG.latencyMs})
  --max-heartbeat-age-ms N   staleness gate (default ${DEFAULT_STALENESS.maxHeartbeatAgeMs})
  --max-book-age-ms N        staleness gate (default ${DEFAULT_STALENESS.maxBookAgeMs})
  --max-feed-silence-ms N    staleness gate (default ${DEFAULT_STALENESS.maxFeedSilenceMs})
  --max-skew-ms N       largest clock skew accepted for live mode (default ${DEFAULT_MAX_CLOCK_SKEW_MS})
  --fault KIND=RATE[:PARAM]  (--exchange mock) a fault the mock injects, per
                        eligible message or request (repeatable): ws_drop,
                        ws_seq_gap, ws_duplicate, ws_out_of_order, http_429,
                        http_5xx, http_slow, clock_skew (mock_exchange/faults.ts)
  --report              also write the Markdown and HTML reports of the run
  --quiet               no progress lines
  -h, --help            show this help

Replay the recorded tape as a backtest with the command printed at the end:
the same strategy, parameters and seed give the same orders and fills.

Exit status: 0 on success, 1 when the session failed, 2 on a usage error or a
refused arming (nothing ran).
`;

/** Environment and output of {@link main}, injectable for tests. */
export interface MainIo {
  readonly env: (name: string) => string | undefined;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const DEFAULT_IO: MainIo = {
  env: (name) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined;
    }
  },
  out: (l) => console.log(l),
  err: (l) => console.error(l),
};

function nonNegative(name: string, text: string | undefined, def: number): number {
  if (text === undefined) return def;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${name} must be a number >= 0, current value is "${text}"`);
  }
  return v;
}

function readJsonFile(option: string, path: string): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new RangeError(`Cannot read ${option} file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RangeError(`Cannot read ${option} file ${path}: not JSON (${(e as Error).message})`);
  }
}

/** Run the task; returns the exit status. */
export async function main(args: string[], io: MainIo = DEFAULT_IO): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args,
      options: {
        dry: { type: "boolean", default: false },
        live: { type: "boolean", default: false },
        "i-understand-the-risks": { type: "boolean", default: false },
        exchange: { type: "string" },
        "key-file": { type: "string" },
        tape: { type: "string" },
        strategy: { type: "string", default: "btc" },
        param: { type: "string", multiple: true },
        seed: { type: "string", default: "1" },
        minutes: { type: "string", default: "1" },
        speed: { type: "string", default: "60" },
        out: { type: "string", default: join("out", "live") },
        "kill-switch": { type: "string" },
        heartbeat: { type: "string" },
        state: { type: "string" },
        tier: { type: "string", default: "basic" },
        windows: { type: "string" },
        risk: { type: "string" },
        "latency-ms": { type: "string", default: String(DEFAULT_REPLAY_CONFIG.latencyMs) },
        "max-heartbeat-age-ms": { type: "string" },
        "max-book-age-ms": { type: "string" },
        "max-feed-silence-ms": { type: "string" },
        "max-skew-ms": { type: "string" },
        fault: { type: "string", multiple: true },
        report: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    io.err(`error: ${(e as Error).message}\nrun 'deno task live --help' for the options`);
    return 2;
  }
  if (v.help) {
    io.out(HELP);
    return 0;
  }
  const usage = (msg: string) => {
    io.err(`error: ${msg}\nrun 'deno task live --help' for the options`);
    return 2;
  };
  const exchange = v.exchange;
  if (exchange !== "mock" && exchange !== "memory") {
    return usage(`--exchange must be mock or memory, current value is ${JSON.stringify(exchange)}`);
  }
  const entry = STRATEGIES[v.strategy!];
  if (entry === undefined) {
    return usage(`unknown strategy "${v.strategy}"; known: ${Object.keys(STRATEGIES).join(", ")}`);
  }
  const seed = Number(v.seed);
  if (!Number.isSafeInteger(seed)) {
    return usage(`--seed must be an integer, current value is "${v.seed}"`);
  }
  if (!Object.hasOwn(TIER_WRITES_PER_SECOND, v.tier!)) {
    return usage(
      `--tier must be one of ${
        Object.keys(TIER_WRITES_PER_SECOND).join(", ")
      }, current value is "${v.tier}"`,
    );
  }
  let minutes: number;
  let speed: number;
  let staleness: StalenessLimits;
  let maxSkew: number;
  let windows: TradingWindows | undefined;
  let risk: RiskLimits | undefined;
  let params;
  let replay: ReplayConfig;
  let faults: FaultSpec[];
  try {
    faults = (v.fault ?? []).map(parseFaultArg);
    if (faults.length > 0 && exchange !== "mock") {
      throw new RangeError(
        `--fault needs --exchange mock, current value is --exchange ${exchange}`,
      );
    }
    minutes = nonNegative("--minutes", v.minutes, 1);
    if (minutes <= 0) {
      throw new RangeError(`--minutes must be > 0, current value is "${v.minutes}"`);
    }
    speed = nonNegative("--speed", v.speed, 60);
    if (speed <= 0) throw new RangeError(`--speed must be > 0, current value is "${v.speed}"`);
    staleness = {
      maxHeartbeatAgeMs: nonNegative(
        "--max-heartbeat-age-ms",
        v["max-heartbeat-age-ms"],
        DEFAULT_STALENESS.maxHeartbeatAgeMs,
      ),
      maxBookAgeMs: nonNegative(
        "--max-book-age-ms",
        v["max-book-age-ms"],
        DEFAULT_STALENESS.maxBookAgeMs,
      ),
      maxFeedSilenceMs: nonNegative(
        "--max-feed-silence-ms",
        v["max-feed-silence-ms"],
        DEFAULT_STALENESS.maxFeedSilenceMs,
      ),
    };
    maxSkew = nonNegative("--max-skew-ms", v["max-skew-ms"], DEFAULT_MAX_CLOCK_SKEW_MS);
    if (v.windows !== undefined) {
      windows = parseTradingWindows(readJsonFile("--windows", v.windows));
    }
    if (v.risk !== undefined) {
      risk = readJsonFile("--risk", v.risk) as RiskLimits;
      validateRiskLimits(risk);
    }
    params = parseParams(entry, v.param ?? []);
    const latency = latencyFromOptions({ entry: v["latency-ms"]! });
    replay = {
      ...DEFAULT_REPLAY_CONFIG,
      seed,
      latencyMs: latency.entry.kind === "constant" ? latency.entry.ms : 0,
      latency,
      strict: false,
      ...(risk !== undefined ? { risk } : {}),
    };
  } catch (e) {
    return usage((e as Error).message);
  }

  // Arming: credentials are read only when live mode is asked for.
  const wantsLive = v.live! || v["i-understand-the-risks"]!;
  let keyId: string | undefined;
  let signer: WsSigner | undefined;
  if (wantsLive && v.live && v["i-understand-the-risks"]) {
    try {
      const creds = await loadCredentials({ env: io.env, keyPath: v["key-file"] });
      if (creds.kind === "loaded") {
        keyId = creds.keyId;
        signer = creds.signer;
      } else io.err(`note: ${creds.message}`);
    } catch (e) {
      io.err(`error: ${redact((e as Error).message)}`);
      return 2;
    }
  }

  const armingRequest = {
    live: v.live!,
    iUnderstandTheRisks: v["i-understand-the-risks"]!,
    dry: v.dry,
    ci: io.env("CI"),
    credentials: keyId === undefined ? undefined : { keyId },
    maxClockSkewMs: maxSkew,
  };
  // Everything but the clock skew can be decided before anything starts.
  const early = decideArming({ ...armingRequest, clockSkewMs: 0 });
  if (!early.ok) {
    io.err(`error: ${early.message}`);
    return 2;
  }

  const outDir = v.out!;
  await Deno.mkdir(outDir, { recursive: true });
  let tape: TapeEvent[];
  let tapePath: string;
  let synthetic = false;
  try {
    if (v.tape !== undefined) {
      tapePath = v.tape;
      tape = [];
      for await (const ev of readNdjsonFile(v.tape)) tape.push(ev);
    } else {
      if (entry.synthetic === undefined) {
        return usage(`strategy "${v.strategy}" has no synthetic default tape; pass --tape`);
      }
      tape = entry.synthetic.generate(seed);
      tapePath = join(outDir, entry.synthetic.fileName(seed));
      await writeNdjsonFile(tapePath, tape);
      synthetic = true;
    }
  } catch (e) {
    return usage(`Cannot read --tape ${v.tape}: ${(e as Error).message}`);
  }
  if (tape.length === 0) return usage(`the tape ${tapePath} holds no events`);

  let feed: LiveFeed;
  let feedName: string;
  let clockSkewMs: number | undefined;
  let closeExchange: () => Promise<void> = () => Promise.resolve();
  try {
    if (exchange === "memory") {
      feed = new ArrayFeed(tape, { clock: systemClock, speed });
      feedName = `memory: ${tapePath} at speed ${speed}`;
    } else {
      const ex = await openExchange({ tape, speed, clock: systemClock, signer, faults });
      feed = ex.feed;
      feedName = `mock exchange ${ex.baseUrl}: ${tapePath} at speed ${speed}`;
      clockSkewMs = wantsLive ? await ex.measureSkew() : undefined;
      closeExchange = ex.close;
    }
  } catch (e) {
    io.err(`error: ${redact((e as Error).message, keyId === undefined ? [] : [keyId])}`);
    return 1;
  }

  const arming = decideArming({ ...armingRequest, clockSkewMs });
  if (!arming.ok) {
    await feed.close();
    await closeExchange();
    io.err(`error: ${arming.message}`);
    return 2;
  }
  const mode = arming.mode;
  io.out(
    mode === "live"
      ? `LIVE MODE ARMED (key ${maskSecret(keyId!)}): ${LIVE_NOT_IMPLEMENTED}`
      : "DRY-RUN: orders are simulated against the replay venue; nothing is sent",
  );
  if (synthetic) io.out(`SYNTHETIC DATA: ${tapePath} (generated from seed ${seed})`);
  io.out(`feed: ${feedName}; stopping after ${minutes} minute(s) (Ctrl-C stops early)`);

  const stop = new AbortController();
  const onSig = () => stop.abort(new Error("interrupted"));
  try {
    Deno.addSignalListener("SIGINT", onSig);
  } catch { /* no signals on this platform */ }
  let parts: LaneParts | undefined;
  const progress = v.quiet ? undefined : setInterval(() => {
    if (parts === undefined) return;
    const c = parts.broker.counts;
    io.err(
      `live: ${parts.source.delivered} events, ${c.sent} orders sent, ${c.blocked} blocked, ${c.fills} fills, tape time ${
        Number.isNaN(parts.source.lastTs) ? "-" : new Date(parts.source.lastTs).toISOString()
      }`,
    );
  }, 5000);
  try {
    const outcome = await runLane({
      strategy: entry.create(params),
      feed,
      feedName,
      mode,
      outDir,
      replay,
      clock: systemClock,
      fs: denoFs,
      codeVersion: await codeVersion(),
      killSwitchPath: v["kill-switch"],
      heartbeatPath: v.heartbeat,
      stateDir: v.state,
      durationMs: minutes * 60_000,
      signal: stop.signal,
      staleness,
      windows,
      tier: v.tier,
      timeScale: speed,
      secrets: keyId === undefined ? [] : [keyId],
      reports: v.report,
      synthetic,
      onStart: (p) => (parts = p),
    });
    const c = outcome.counts;
    const rails = Object.entries(c.blockedByRail).map(([k, n]) => `${k} ${n}`).join(", ");
    io.out(
      [
        `session ${outcome.session} (${mode}) ended: ${outcome.stopReason}`,
        `run ${outcome.run.runId}: strategy ${entry.create(params).name}, seed ${seed}, digest ${
          outcome.run.digest.slice(0, 16)
        }`,
        `events: ${outcome.eventsReceived} received, ${outcome.eventsRecorded} recorded`,
        `orders: ${c.intents} intents, ${c.sent} sent, ${c.blocked} blocked${
          rails === "" ? "" : ` (${rails})`
        }; ${c.fills} fills; cancels ${c.cancelsSent} sent, ${c.cancelsDropped} dropped`,
        `heartbeat: ${outcome.heartbeatWrites} writes, ${outcome.heartbeatFailures} failures`,
        `recorded tape: ${outcome.tapePath}`,
        `audit log:     ${outcome.auditPath}`,
        `heartbeat:     ${outcome.heartbeatPath}`,
        `state:         ${outcome.stateDir}`,
        `results:       ${outcome.dbPath} (run ${outcome.run.runId})`,
        `replay it as a backtest (same orders and fills when no rail blocked one):`,
        `  deno task backtest --tape ${outcome.tapePath} --strategy ${v.strategy} --seed ${seed} --latency-ms ${
          v["latency-ms"]
        }${(v.param ?? []).map((p) => ` --param ${p}`).join("")}${
          v.risk !== undefined ? ` --risk ${v.risk}` : ""
        } --lenient --out ${join(outDir, "replay")}`,
      ].join("\n"),
    );
    return 0;
  } catch (e) {
    io.err(`error: live session failed: ${redact((e as Error).message, keyId ? [keyId] : [])}`);
    return 1;
  } finally {
    if (progress !== undefined) clearInterval(progress);
    try {
      Deno.removeSignalListener("SIGINT", onSig);
    } catch { /* as above */ }
    await closeExchange();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
