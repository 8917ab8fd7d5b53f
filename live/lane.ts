/**
 * The live lane: a strategy on a live feed, through the backtest's own run loop
 * and venue (lib/venue/run.ts), with the rails around it.
 *
 * ```
 * LiveFeed ─► LiveSource ─(validated, recorded)─► runBacktest(replay venue)
 *                                                    │ strategy callbacks
 *                                  GuardedStrategy ◄─┘ ─► DryBroker (rails, audit, state) ─► venue
 * ```
 *
 * Files (defaults under `outDir`): `audit.jsonl` (append-only, every session),
 * `heartbeat.json`, `state/` (client ids sent, outstanding orders), `KILL` (the
 * kill switch: create it to stop orders), `tapes/live-<session>.ndjson` (the
 * recorded tape of this session) and `results.sqlite` (the run, its orders and
 * fills, as any backtest). A backtest of the recorded tape with the same
 * strategy and seed reproduces the session's orders and fills when no rail
 * intervened (docs/LIVE.md, tests/live_parity_test.ts).
 *
 * Orders still outstanding from an earlier session (a restart) are recovered
 * from the state folder, audited, and closed as orphaned: the venue of the new
 * session starts empty.
 *
 * @module
 */

import { join } from "node:path";
import type { Strategy } from "../lib/engine/strategy.ts";
import { runBacktest, type RunOutcome } from "../lib/venue/run.ts";
import type { ReplayConfig } from "../lib/venue/replay.ts";
import { AuditLog } from "./audit_log.ts";
import { type BrokerCounts, type CancelQueueSettings, DryBroker } from "./dry_broker.ts";
import type { LiveFeed } from "./feed_port.ts";
import { GuardedStrategy } from "./guarded_strategy.ts";
import type { LiveClock, LiveFs } from "./io.ts";
import { LiveSource, type StopReason } from "./live_source.ts";
import { TapeRecorder } from "./recorder.ts";
import { Heartbeat } from "./rails/heartbeat.ts";
import { KillSwitch } from "./rails/kill_switch.ts";
import { OrderStateStore } from "./rails/order_state.ts";
import {
  DEFAULT_STALENESS,
  type StalenessLimits,
  validateStalenessLimits,
} from "./rails/staleness.ts";
import type { TradingWindows } from "./rails/trading_windows.ts";
import { WriteLimiter } from "./rails/write_limiter.ts";
import type { StrategyContext } from "../lib/engine/strategy.ts";

/** What the lane needs. */
export interface LaneOptions {
  readonly strategy: Strategy;
  readonly feed: LiveFeed;
  /** What the feed is, for the audit log ("mock exchange at ...", "memory: <tape>"). */
  readonly feedName: string;
  readonly mode: "dry" | "live";
  /** Folder of the lane's files (see the module docs). */
  readonly outDir: string;
  readonly replay: ReplayConfig;
  readonly clock: LiveClock;
  readonly fs: LiveFs;
  readonly codeVersion: string;
  /** Session id (default: the start time and a random suffix). */
  readonly session?: string;
  readonly tapePath?: string;
  readonly auditPath?: string;
  readonly heartbeatPath?: string;
  readonly killSwitchPath?: string;
  readonly stateDir?: string;
  readonly dbPath?: string;
  /** Stop after this much wall time (ms). */
  readonly durationMs?: number;
  /** Stop when it aborts. */
  readonly signal?: AbortSignal;
  readonly staleness?: StalenessLimits;
  readonly windows?: TradingWindows;
  /** Account tier of the write limiter (default "basic"). */
  readonly tier?: string;
  /**
   * Exchange ms per wall ms (a mock exchange replaying faster than real time);
   * the write budget scales with it (default 1).
   */
  readonly timeScale?: number;
  readonly cancelQueue?: CancelQueueSettings;
  /** Heartbeat period, wall ms (default 2000). */
  readonly heartbeatMs?: number;
  /** Recorder flush thresholds (default 1024 events / 1000 ms). */
  readonly recorderFlushEvents?: number;
  readonly recorderFlushMs?: number;
  /** Idle wake-up of the source, wall ms (default 500). */
  readonly idleTickMs?: number;
  /** Kill-switch look-up period between orders, wall ms (default 250). */
  readonly killSwitchPollMs?: number;
  /** Values masked wherever they would be written (credential key id). */
  readonly secrets?: readonly string[];
  /** Write the Markdown and HTML reports (default false). */
  readonly reports?: boolean;
  /** Whether the data the feed plays is synthetic (the reports say so). */
  readonly synthetic?: boolean;
  /** Test hook: how a cancel is sent (default ctx.cancel). */
  readonly sendCancel?: (venueId: number, ctx: StrategyContext) => boolean;
  /** Test hook: called with the lane's parts once they exist. */
  readonly onStart?: (parts: LaneParts) => void;
}

/** The lane's parts, for tests and the CLI's progress line. */
export interface LaneParts {
  readonly source: LiveSource;
  readonly broker: DryBroker;
  readonly heartbeat: Heartbeat;
  readonly recorder: TapeRecorder;
  readonly audit: AuditLog;
  readonly state: OrderStateStore;
}

/** What a session produced. */
export interface LaneOutcome {
  readonly session: string;
  readonly mode: "dry" | "live";
  readonly run: RunOutcome;
  readonly tapePath: string;
  readonly auditPath: string;
  readonly heartbeatPath: string;
  readonly stateDir: string;
  readonly killSwitchPath: string;
  readonly dbPath: string;
  readonly stopReason: StopReason | null;
  readonly eventsReceived: number;
  readonly eventsRecorded: number;
  readonly counts: BrokerCounts;
  readonly heartbeatWrites: number;
  readonly heartbeatFailures: number;
  readonly positions: { market: string; position: number }[];
}

/** Default file locations inside `outDir`. */
export function lanePaths(outDir: string, session: string) {
  return {
    tapePath: join(outDir, "tapes", `live-${session}.ndjson`),
    auditPath: join(outDir, "audit.jsonl"),
    heartbeatPath: join(outDir, "heartbeat.json"),
    killSwitchPath: join(outDir, "KILL"),
    stateDir: join(outDir, "state"),
    dbPath: join(outDir, "results.sqlite"),
  };
}

function defaultSession(now: number): string {
  const iso = new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${iso}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Run one session of the live lane; see the module docs. */
export async function runLane(o: LaneOptions): Promise<LaneOutcome> {
  const { clock, fs } = o;
  const startWall = clock.now();
  const session = o.session ?? defaultSession(startWall);
  const d = lanePaths(o.outDir, session);
  const tapePath = o.tapePath ?? d.tapePath;
  const auditPath = o.auditPath ?? d.auditPath;
  const heartbeatPath = o.heartbeatPath ?? d.heartbeatPath;
  const killSwitchPath = o.killSwitchPath ?? d.killSwitchPath;
  const stateDir = o.stateDir ?? d.stateDir;
  const dbPath = o.dbPath ?? d.dbPath;
  const staleness = validateStalenessLimits(o.staleness ?? DEFAULT_STALENESS);
  for (const p of [o.outDir, join(tapePath, ".."), join(auditPath, ".."), join(dbPath, "..")]) {
    fs.mkdirp(p);
  }
  fs.mkdirp(join(heartbeatPath, ".."));

  const audit = new AuditLog(auditPath, { fs, clock, session, secrets: o.secrets });
  let state: OrderStateStore | undefined;
  let recorder: TapeRecorder | undefined;
  let heartbeat: Heartbeat | undefined;
  let source: LiveSource | undefined;
  let broker: DryBroker | undefined;
  let laneState = "starting";
  try {
    state = OrderStateStore.open(stateDir, fs);
    audit.write("session_start", {
      mode: o.mode,
      strategy: o.strategy.name,
      params: o.strategy.params,
      seed: o.replay.seed,
      feed: o.feedName,
      tape: tapePath,
      stateDir,
      killSwitch: killSwitchPath,
      heartbeat: heartbeatPath,
      tier: o.tier ?? "basic",
      timeScale: o.timeScale ?? 1,
      staleness,
      codeVersion: o.codeVersion,
      liveSubmission: "not implemented: orders are simulated against the replay venue",
    });
    if (state.recoveredSentIds > 0 || state.recovered.length > 0) {
      audit.write("recovered", {
        sentIds: state.recoveredSentIds,
        outstanding: state.recovered.map((x) => x.clientId),
      });
      const orphaned = state.clearOutstanding();
      if (orphaned.length > 0) {
        audit.write("orphaned", {
          orders: orphaned,
          detail: "outstanding before the restart; the new session's venue starts empty",
        });
      }
    }
    recorder = new TapeRecorder(tapePath, {
      fs,
      clock,
      flushEvents: o.recorderFlushEvents,
      flushMs: o.recorderFlushMs,
    });
    const killSwitch = new KillSwitch(killSwitchPath, fs);
    const limiter = WriteLimiter.forTier(o.tier ?? "basic", () => clock.now(), o.timeScale ?? 1);
    const rec = recorder;
    const st = state;
    // The heartbeat reports on the source and the broker, made after it.
    const late: { source?: LiveSource; broker?: DryBroker } = {};
    const hb = heartbeat = new Heartbeat(heartbeatPath, {
      fs,
      clock,
      intervalMs: o.heartbeatMs,
      status: () => ({
        mode: o.mode,
        state: laneState,
        session,
        strategy: o.strategy.name,
        feed: o.feed.health(),
        killSwitch: late.broker?.killSwitchEngaged ?? false,
        outstandingOrders: st.outstanding(),
        queuedCancels: late.broker?.queuedCancels ?? 0,
        counts: late.broker?.counts ?? {},
        events: { received: late.source?.received ?? 0, recorded: rec.recorded },
        tapeTs: late.source?.lastTs ?? null,
      }),
    });
    const src = late.source = source = new LiveSource(o.feed, {
      name: tapePath,
      clock,
      recorder,
      strict: false,
      idleTickMs: o.idleTickMs,
      signal: o.signal,
      deadline: o.durationMs === undefined ? undefined : startWall + o.durationMs,
      onTick: () => {
        hb.tick();
        rec.maybeFlush();
        late.broker?.drain();
      },
    });
    late.broker = broker = new DryBroker({
      strategyName: o.strategy.name,
      mode: o.mode,
      clock,
      audit,
      state,
      killSwitch,
      heartbeatAgeMs: () => hb.ageMs(),
      staleness,
      windows: o.windows,
      limiter,
      feedHealth: () => o.feed.health(),
      bookReceivedAt: (m) => src.bookReceivedAt(m),
      recorder,
      cancelQueue: o.cancelQueue,
      killSwitchPollMs: o.killSwitchPollMs,
      sendCancel: o.sendCancel,
    });
    const guarded = new GuardedStrategy(o.strategy, broker, { onEvent: () => hb.tick() });
    o.onStart?.({ source, broker, heartbeat, recorder, audit, state });
    laneState = "running";
    heartbeat.writeNow();
    const iso = () => new Date(clock.now()).toISOString();
    const run = await runBacktest({
      strategy: guarded,
      streams: [source],
      tapeNames: [tapePath],
      synthetic: o.synthetic ?? false,
      replay: o.replay,
      dbPath,
      outDir: o.outDir,
      codeVersion: o.codeVersion,
      startedAt: new Date(startWall).toISOString(),
      now: iso,
      reports: o.reports ?? false,
    });
    laneState = "stopped";
    recorder.close();
    const positions = run.result.unsettledPositions;
    audit.write("positions", {
      open: positions,
      settled: run.result.settlements.map((s) => ({
        market: s.market,
        position: s.position,
        pnlTicks: s.pnlTicks,
      })),
    });
    audit.write("session_end", {
      runId: run.runId,
      digest: run.digest,
      stopReason: source.stopReason,
      eventsReceived: source.received,
      eventsRecorded: recorder.recorded,
      orders: run.result.orders.length,
      fills: run.result.fills.length,
      counts: broker.counts,
      cancelQueue: broker.cancelQueueCounts,
      heartbeat: { writes: heartbeat.writes, failures: heartbeat.failures },
    });
    heartbeat.writeNow();
    return {
      session,
      mode: o.mode,
      run,
      tapePath,
      auditPath,
      heartbeatPath,
      stateDir,
      killSwitchPath,
      dbPath,
      stopReason: source.stopReason,
      eventsReceived: source.received,
      eventsRecorded: recorder.recorded,
      counts: broker.counts,
      heartbeatWrites: heartbeat.writes,
      heartbeatFailures: heartbeat.failures,
      positions,
    };
  } catch (e) {
    laneState = "failed";
    try {
      recorder?.close();
    } catch { /* keep the first error */ }
    audit.write("session_end", {
      error: e instanceof Error ? e.message : String(e),
      stopReason: source?.stopReason ?? null,
      eventsReceived: source?.received ?? 0,
      eventsRecorded: recorder?.recorded ?? 0,
      counts: broker?.counts ?? null,
    });
    heartbeat?.writeNow();
    throw e;
  } finally {
    await o.feed.close().catch(() => {});
    state?.close();
    audit.close();
  }
}
