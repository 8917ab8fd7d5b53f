/**
 * Calibration of the index family (S&P 500 KXINX, Nasdaq-100 KXNASDAQ100) on
 * history: the real minute bars, the KXINX-style range ladder each target is
 * scored on, and the walk-forward task (strategies/walk_forward.ts) that
 * `deno task calibrate` and tests/real/ share.
 *
 * - History: the Polygon one-minute bars of ../shared/data/kalshi_sys_mb, Parquet
 *   files written by Polars (ZSTD pages), read with `nodejs-polars`
 *   ({@link parquetIndexBars}; a native addon: the process needs --allow-ffi and
 *   --allow-sys). This is very little data: 2 full sessions per index
 *   (2025-10-31, 2025-11-04: `spx_ndx_minute_days`) and, on 10 days of 2024, two
 *   windows per index of 16-21 bars each, 11:45-12:05 and 15:45-16:05 ET
 *   (`spx_ndx_minute_windows`). 12 session days in all, 48 targets.
 * - Levels: a bar stamped t (the minute's start) gives the level `close` at
 *   t + 1 min (sigma_tod's convention: a level's ts is the end of the minute it
 *   closes), and the first bar of each file also gives `open` at t.
 * - Targets: per index and day, the level at 12:00 ET and at 16:00 ET (the close
 *   of the bar stamped 11:59 / 15:59: on 2025-10-31 the 15:59 bar closes at
 *   6840.23 against the official S&P 500 close of 6840.20, while the 16:00 bar
 *   opens at 6839.87), reported to 2 decimals like Kalshi's index ladders.
 * - Decision: 11:45 / 15:45 ET, from the last level known then (the open of a
 *   window's first bar, stamped 11:45 / 15:45; in a full session the close of the
 *   11:44 / 15:44 bar). A 15-minute horizon.
 * - Ladder (KXINX style, mutually exclusive, 11 bins): 9 ranges of 25 points
 *   (S&P 500) or 100 points (Nasdaq-100) on multiples of the width, the central
 *   one holding the decision level, [k, k + w - 0.01], plus the two tails
 *   (Kalshi's ranges close at 4 decimals; 2 decimals hold the same cents, see
 *   strategies/index/README.md).
 * - Blocks: each history entry is one block of a file's levels (a window file
 *   is one block; a full session is split into the levels up to 12:00 and the
 *   rest), published at its last level's ts. A target's own block is never
 *   known at its decision: the decision level is carried by the target.
 * - Fit: sigma_tod (strategies/index/sigma_tod.ts) per index on every level of
 *   the blocks published before the cutoff, with `minDays` 2 (a window day gives
 *   35 one-minute returns, a full session 390); refitted at every decision out
 *   of sample (walk-forward by decision time). Targets with fewer than 8 blocks
 *   known (2 days of both indices) are skipped. Only the minutes near 12:00 and
 *   16:00 are observed on window days, and those are the minutes the 15-minute
 *   horizons use.
 *
 * @example
 * ```ts
 * import { indexForecastTask, indexTargetsFromBars, parquetIndexBars } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const dir = "../shared/data/kalshi_sys_mb/spx_ndx_minute_windows";
 * const files = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".parquet"))
 *   .map((e) => `${dir}/${e.name}`);
 * const targets = indexTargetsFromBars(
 *   files.map((file) => ({ file, bars: parquetIndexBars(file, Deno.readFileSync(file)) })),
 * );
 * const r = calibrateWalkForward(indexForecastTask(targets));
 * ```
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import type pl from "nodejs-polars";
import type { Ladder } from "../../lib/market/ladder.ts";
import { easternDayNumber, easternDayTime, parseIsoDay } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import { ladderFromStrikes, type StrikeSpec } from "../research_ladders.ts";
import { type ForecastTask, scoreWalkForward, type WalkCalibration } from "../walk_forward.ts";
import { DEFAULT_INDEX_PARAMS, INDEX_STEP, indexModel, type IndexParams } from "./model.ts";

const MINUTE = 60_000;

/** The days of the two-window files (2024) and of the full sessions (2025). */
export const INDEX_WINDOW_DAYS: readonly string[] = [
  "2024-04-19",
  "2024-06-03",
  "2024-08-05",
  "2024-08-20",
  "2024-09-11",
  "2024-09-18",
  "2024-10-21",
  "2024-10-22",
  "2024-10-23",
  "2024-11-04",
];
export const INDEX_SESSION_DAYS: readonly string[] = ["2025-10-31", "2025-11-04"];

/** The indices, by the symbol in the file names. */
export type IndexSymbol = "SPX" | "NDX";
const SYMBOLS: readonly IndexSymbol[] = ["SPX", "NDX"];

/** The history files, relative to the data folder (../shared/data): 4 sessions, 40 windows. */
export const INDEX_HISTORY_FILES: readonly string[] = [
  ...SYMBOLS.flatMap((s) =>
    INDEX_SESSION_DAYS.map((d) => `kalshi_sys_mb/spx_ndx_minute_days/I_${s}_${d}.parquet`)
  ),
  ...SYMBOLS.flatMap((s) =>
    INDEX_WINDOW_DAYS.flatMap((d) =>
      ["noon", "close"].map((w) => `kalshi_sys_mb/spx_ndx_minute_windows/I_${s}_${d}_${w}.parquet`)
    )
  ),
];

/** One one-minute bar: its start (ms, UTC), open and close. */
export interface IndexBar {
  readonly ts: number;
  readonly open: number;
  readonly close: number;
}

/** What a file name says: index, Eastern day, full session or one window. */
export interface IndexFileInfo {
  readonly symbol: IndexSymbol;
  readonly day: number;
  readonly part: "session" | "noon" | "close";
}

const FILE_NAME = /(?:^|\/)I_(SPX|NDX)_(\d{4}-\d{2}-\d{2})(?:_(noon|close))?\.parquet$/;

/**
 * The index, day and part of a file named `I_<SPX|NDX>_<YYYY-MM-DD>[_noon|_close].parquet`.
 *
 * @throws {RangeError} for any other name.
 */
export function indexFileInfo(file: string): IndexFileInfo {
  const m = FILE_NAME.exec(file);
  let day = NaN;
  try {
    if (m !== null) day = parseIsoDay(m[2]);
  } catch { /* reported below */ }
  if (m === null || !Number.isInteger(day)) {
    throw new RangeError(
      `Cannot read index bars: the file name must be I_<SPX|NDX>_<YYYY-MM-DD>[_noon|_close].parquet, current value is "${file}"`,
    );
  }
  return { symbol: m[1] as IndexSymbol, day, part: (m[3] ?? "session") as IndexFileInfo["part"] };
}

let polars: typeof pl | undefined;

/**
 * nodejs-polars, imported asynchronously. Besides being the async way in, this
 * dynamic import names the package to Deno's module graph, so a run of any
 * module importing this one sets up `node_modules/nodejs-polars`, which the
 * synchronous loader of {@link parquetIndexBars} requires (a fresh checkout has
 * no node_modules yet). Needs the same permissions.
 */
export async function importPolars(): Promise<typeof pl> {
  return (await import("nodejs-polars")).default;
}

/** The permissions nodejs-polars needs (a native addon that asks the OS about itself). */
const POLARS_SYS = ["cpus", "networkInterfaces", "hostname"] as const;

function loadPolars(file: string): typeof pl {
  if (polars !== undefined) return polars;
  const missing: string[] = [];
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") missing.push("--allow-ffi");
  if (
    POLARS_SYS.some((kind) => Deno.permissions.querySync({ name: "sys", kind }).state !== "granted")
  ) {
    missing.push(`--allow-sys (at least ${POLARS_SYS.join(",")})`);
  }
  if (missing.length > 0) {
    throw new Error(
      `Cannot read ${file}: Parquet is read by nodejs-polars, a native addon, which needs ${
        missing.join(" and ")
      }, current value is not granted`,
    );
  }
  // Loaded on first use (a synchronous require): the other families never need the addon.
  polars = createRequire(import.meta.url)("nodejs-polars") as typeof pl;
  return polars;
}

/**
 * The bars of a Parquet file (columns `timestamp` as a datetime, `open`,
 * `close`; others ignored) read with nodejs-polars. Needs --allow-ffi and
 * --allow-sys.
 *
 * @throws {Error} without those permissions, or when polars cannot read the
 * bytes; {@link RangeError} on a missing column, a null or non-finite value, or
 * a timestamp off the minute grid, naming the file and row.
 */
export function parquetIndexBars(file: string, bytes: Uint8Array): IndexBar[] {
  const p = loadPolars(file);
  let df: pl.DataFrame;
  try {
    df = p.readParquet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(
      `Cannot read ${file}: not a readable Parquet file (${
        (e as Error).message
      }), current value is ${bytes.length} bytes`,
    );
  }
  for (const c of ["timestamp", "open", "close"]) {
    if (!df.columns.includes(c)) {
      throw new RangeError(
        `Cannot read ${file}: column "${c}" is missing, current value is [${
          df.columns.join(", ")
        }]`,
      );
    }
  }
  const ts = df.getColumn("timestamp").toArray() as unknown[];
  const open = df.getColumn("open").toArray() as unknown[];
  const close = df.getColumn("close").toArray() as unknown[];
  const bars: IndexBar[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] instanceof Date ? (ts[i] as Date).getTime() : NaN;
    if (!Number.isSafeInteger(t) || t % MINUTE !== 0) {
      throw new RangeError(
        `Cannot read ${file}: row ${i} timestamp must be a datetime on the minute, current value is ${
          String(ts[i])
        }`,
      );
    }
    bars.push({ ts: t, open: open[i] as number, close: close[i] as number });
  }
  return bars;
}

/** One target: a block of levels and the forecast it is scored on. */
export interface IndexTarget {
  /** Publication time of the block: its last level's ts (ms). */
  readonly ts: number;
  readonly file: string;
  readonly symbol: IndexSymbol;
  readonly day: number;
  readonly window: "noon" | "close";
  /** 11:45 / 15:45 ET. */
  readonly decisionTs: number;
  /** 12:00 / 16:00 ET. */
  readonly targetTs: number;
  /** The last level known at the decision time, and its ts. */
  readonly decisionLevel: Observation;
  /** The level at targetTs, to 2 decimals. */
  readonly value: number;
  /** The block's levels (ts = when known), in time order. */
  readonly levels: readonly Observation[];
}

function fileFail(file: string, detail: string, value: unknown): never {
  throw new RangeError(`Cannot read index bars of ${file}: ${detail}, current value is ${value}`);
}

/** Levels of a file's bars (module docs), after checking them. */
function levelsOf(file: string, info: IndexFileInfo, bars: readonly IndexBar[]): Observation[] {
  if (bars.length === 0) fileFail(file, "no bars", 0);
  const out: Observation[] = [];
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i];
    if (!Number.isSafeInteger(b.ts) || b.ts % MINUTE !== 0) {
      fileFail(file, `bar ${i} must start on a whole minute (ms)`, b.ts);
    }
    if (i > 0 && b.ts <= bars[i - 1].ts) {
      fileFail(file, `bar ${i} must come after bar ${i - 1}`, b.ts);
    }
    if (easternDayNumber(b.ts) !== info.day) {
      fileFail(file, `bar ${i} must be on the file's Eastern day`, new Date(b.ts).toISOString());
    }
    for (const [k, v] of [["open", b.open], ["close", b.close]] as const) {
      if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
        fileFail(file, `bar ${i} ${k} must be finite and > 0`, v);
      }
    }
    if (i === 0) out.push({ ts: b.ts, value: b.open });
    out.push({ ts: b.ts + MINUTE, value: b.close });
  }
  return out;
}

function target(
  file: string,
  info: IndexFileInfo,
  window: "noon" | "close",
  levels: readonly Observation[],
): IndexTarget {
  const hour = window === "noon" ? 12 : 16;
  const decisionTs = easternDayTime(info.day, hour - 1, 45);
  const targetTs = easternDayTime(info.day, hour, 0);
  let decisionLevel: Observation | undefined;
  let value: number | undefined;
  for (const o of levels) {
    if (o.ts <= decisionTs) decisionLevel = o;
    if (o.ts === targetTs) value = o.value;
  }
  if (decisionLevel === undefined || decisionTs - decisionLevel.ts > MINUTE) {
    fileFail(
      file,
      `a level at most a minute before the ${hour - 1}:45 ET decision is needed`,
      decisionLevel === undefined ? "none" : new Date(decisionLevel.ts).toISOString(),
    );
  }
  if (value === undefined) fileFail(file, `no bar closes at ${hour}:00 ET (the target)`, "none");
  return {
    ts: levels[levels.length - 1].ts,
    file,
    symbol: info.symbol,
    day: info.day,
    window,
    decisionTs,
    targetTs,
    decisionLevel,
    value: Math.round(value / INDEX_STEP) / Math.round(1 / INDEX_STEP),
    levels,
  };
}

/**
 * The targets (history blocks, see the module docs) of the bars of each file,
 * in time order (ties by file name).
 *
 * @throws {RangeError} naming the file: a bad name, bars out of order or off
 * the minute grid, on another day, a non-finite or non-positive price, no level
 * a minute before a decision, no bar closing at a target, a file given twice.
 */
export function indexTargetsFromBars(
  files: readonly { file: string; bars: readonly IndexBar[] }[],
): IndexTarget[] {
  const out: IndexTarget[] = [];
  const seen = new Set<string>();
  for (const { file, bars } of files) {
    const info = indexFileInfo(file);
    const key = `${info.symbol} ${info.day} ${info.part}`;
    if (seen.has(key)) fileFail(file, "the same index, day and part twice", key);
    seen.add(key);
    const levels = levelsOf(file, info, bars);
    if (info.part !== "session") {
      out.push(target(file, info, info.part, levels));
      continue;
    }
    const noon = easternDayTime(info.day, 12, 0);
    const cut = levels.findIndex((o) => o.ts > noon);
    if (cut <= 0) fileFail(file, "a full session must have levels before and after 12:00 ET", cut);
    out.push(target(file, info, "noon", levels.slice(0, cut)));
    out.push(target(file, info, "close", levels.slice(cut)));
  }
  return out.sort((a, b) => a.ts - b.ts || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Range width and series of each index's research ladder. */
export const INDEX_LADDER_SPEC: Readonly<Record<IndexSymbol, { width: number; series: string }>> = {
  SPX: { width: 25, series: "KXINX" },
  NDX: { width: 100, series: "KXNASDAQ100" },
};

/** Ranges on each side of the central one. */
export const INDEX_RANGES_PER_SIDE = 4;

/**
 * The KXINX-style ladder of `symbol` around `level` (module docs): 9 ranges of
 * the index's width on its multiples, the central one holding the level, and
 * two tails; 11 bins, outcome step 0.01.
 *
 * @throws {RangeError} when the level is not finite and > 0.
 */
export function indexLadder(symbol: IndexSymbol, level: number): Ladder {
  if (!(level > 0) || !Number.isFinite(level)) {
    throw new RangeError(
      `Cannot build an index ladder: the level must be finite and > 0, current value is ${level}`,
    );
  }
  const { width: w, series } = INDEX_LADDER_SPEC[symbol];
  const lo = Math.floor(level / w) * w - INDEX_RANGES_PER_SIDE * w;
  const hi = lo + (2 * INDEX_RANGES_PER_SIDE + 1) * w;
  const cents = (x: number) => Math.round(x * 100) / 100;
  const specs: StrikeSpec[] = [{ suffix: `T${lo}`, type: "less", cap: lo }];
  for (let k = lo; k < hi; k += w) {
    specs.push({ suffix: `B${k + w / 2}`, type: "between", floor: k, cap: cents(k + w - 0.01) });
  }
  specs.push({ suffix: `T${cents(hi - 0.01)}`, type: "greater", floor: cents(hi - 0.01) });
  return ladderFromStrikes(`${series}-X`, INDEX_STEP, true, specs);
}

/** Fitted parameters of both indices. */
export interface IndexPairParams {
  readonly spx: IndexParams;
  readonly ndx: IndexParams;
}

/** The strategy's documented fallback (a flat curve, 1% a day) for both indices. */
export const DEFAULT_INDEX_PAIR: IndexPairParams = Object.freeze({
  spx: DEFAULT_INDEX_PARAMS,
  ndx: DEFAULT_INDEX_PARAMS,
});

/** Options of {@link indexForecastTask}. */
export interface IndexTaskOptions {
  /** Fewest session days with 30 one-minute returns per fit (default 2). */
  readonly minDays?: number;
  /** Use these parameters instead of fitting (a baseline, such as DEFAULT_INDEX_PAIR). */
  readonly fixed?: IndexPairParams;
}

/** The walk-forward task of the index family on `targets` (see the module docs). */
export function indexForecastTask(
  targets: readonly IndexTarget[],
  options: IndexTaskOptions = {},
): ForecastTask<IndexPairParams, IndexTarget> {
  const minDays = options.minDays ?? 2;
  const fixed = options.fixed;
  const fitOne = (known: readonly IndexTarget[], symbol: IndexSymbol, cutoffTs: number) =>
    indexModel.calibrate(
      known.filter((t) => t.symbol === symbol).flatMap((t) => t.levels),
      { cutoffTs, minDays },
    );
  return {
    family: "index",
    history: targets,
    value: (t) => t.value,
    decisionTs: (t) => t.decisionTs,
    fit: (known, cutoffTs) =>
      fixed ?? { spx: fitOne(known, "SPX", cutoffTs), ndx: fitOne(known, "NDX", cutoffTs) },
    forecast(params, _known, t, now) {
      const ladder = indexLadder(t.symbol, t.decisionLevel.value);
      const p = t.symbol === "SPX" ? params.spx : params.ndx;
      const pmf = indexModel.pmf(
        { now, closeTs: t.targetTs, levels: [t.decisionLevel] },
        p,
        ladder,
      );
      return { ladder, pmf };
    },
    refitEvery: 1,
    minKnown: 8,
  };
}

/** sd of the log return over session minutes [a, b) of a curve. */
function horizonSd(p: IndexParams, a: number, b: number): number {
  let v = 0;
  for (let m = a; m < b; m++) v += p.varPerMinute[m];
  return Math.sqrt(v);
}

/** Compact text of fitted index parameters: the 15-minute sds the targets use. */
export function indexParamsSummary(p: IndexPairParams): string {
  const pct = (x: number) => `${(100 * x).toFixed(3)}%`;
  const both = (q: IndexParams) =>
    `${pct(horizonSd(q, 135, 150))} / ${pct(horizonSd(q, 375, 390))}`;
  return `15-min sd 11:45-12:00 / 15:45-16:00: SPX ${both(p.spx)}, NDX ${both(p.ndx)}; ${
    p.spx.fit?.n ?? 0
  } + ${p.ndx.fit?.n ?? 0} returns`;
}

/**
 * Lines stating how little data the index calibration has and what the
 * out-of-sample score means there, with two more honest comparisons: the
 * walk-forward over every target with 2 earlier days known, and the strategy's
 * default flat curve (1% a day) on the same targets.
 */
export function indexNotes(
  targets: readonly IndexTarget[],
  r: WalkCalibration<IndexPairParams>,
  oosFraction: number,
): string[] {
  const inWindow = targets.filter((t) => t.ts >= r.windowFrom && t.ts < r.windowTo);
  const days = new Set(inWindow.map((t) => t.day)).size;
  const sessions = new Set(
    inWindow.filter((t) => t.file.includes("minute_days")).map((t) => t.day),
  ).size;
  const fmt = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(4));
  const task = indexForecastTask(targets);
  const flat = indexForecastTask(targets, { fixed: DEFAULT_INDEX_PAIR });
  const every = scoreWalkForward(task, r.windowFrom, r.windowTo);
  const everyFlat = scoreWalkForward(flat, r.windowFrom, r.windowTo);
  const oosFlat = scoreWalkForward(flat, r.oosFrom, r.windowTo);
  return [
    `data: ${days} session days (${sessions} full sessions; the others only 11:45-12:05 and ` +
    `15:45-16:05 ET), ${inWindow.length} targets (2 indices x 2 windows a day). The last ` +
    `${oosFraction} of the span holds ${r.oos.n} OOS targets: ` +
    (r.oos.n < 30 ? "far too few for a meaningful out-of-sample score." : "few."),
    `walk-forward over every target with 2 earlier days known: n ${every.n}, log loss ` +
    `${fmt(every.logLoss)} vs uniform ${fmt(every.uniformLogLoss)}`,
    `the strategy's default flat curve (1%/day, not fitted): OOS ${fmt(oosFlat.logLoss)} ` +
    `(n ${oosFlat.n}); every target ${fmt(everyFlat.logLoss)} (n ${everyFlat.n})`,
  ];
}
