/**
 * Calibration jobs by family name: what `deno task calibrate` runs. A job knows
 * its history files (paths relative to the data folder, ../shared/data by
 * default), reads them through an injected `read` (so this module does no I/O),
 * fits the family's parameters on the window before `untilTs` and scores them in
 * and out of sample walk-forward against a uniform PMF over realistic ladders
 * ({@link calibrateWalkForward}, whose module docs state the method).
 *
 * Binary history files (the index family's Parquet minute bars) come through
 * an injected `readBytes` ({@link JobOptions}); a job whose files are binary
 * says so (`binary`) and fails with a clear error when no byte reader is given.
 * A job may add `notes` to its result: lines on what its scores mean (how little
 * data there is, a stronger baseline, a placement that favours the model), which
 * the run also sends to `progress`.
 *
 * To add a family: write `strategies/<family>/calibration.ts` with a history
 * reader and a `ForecastTask`, and add an entry to {@link CALIBRATION_JOBS} made
 * by {@link defineJob}.
 *
 * @example
 * ```ts
 * import { calibrationJob } from "./calibration_jobs.ts";
 * const job = calibrationJob("cpi");
 * const result = job.run((file) => Deno.readTextFileSync(`../shared/data/${file}`));
 * console.log(result.summary, result.oos.logLoss, result.oos.uniformLogLoss);
 * ```
 *
 * @module
 */

import type { Timed, WalkCalibration } from "./walk_forward.ts";
import {
  calibrateWalkForward,
  DEFAULT_OOS_FRACTION,
  type ForecastTask,
  type WalkScore,
} from "./walk_forward.ts";
import {
  CPI_HISTORY_FILE,
  cpiForecastTask,
  cpiHistoryFromCsv,
  cpiParamsSummary,
} from "./cpi/calibration.ts";
import {
  CLAIMS_HISTORY_FILE,
  claimsForecastTask,
  claimsHistoryFromCsv,
  claimsParamsSummary,
} from "./claims/calibration.ts";
import {
  TNOTE_HISTORY_FILE,
  tnoteForecastTask,
  tnoteHistoryFromCsv,
  tnoteParamsSummary,
} from "./tnote/calibration.ts";
import {
  GAS_HISTORY_FILE,
  gasAaaHistoryFromCsv,
  gasForecastTask,
  gasParamsSummary,
} from "./gas/calibration.ts";
import {
  BTC_HISTORY_FILE,
  btcForecastTask,
  btcHistoryFromCsv,
  btcParamsSummary,
} from "./btc/calibration.ts";
import {
  WEATHER_HISTORY_FILE,
  weatherForecastTask,
  weatherHistoryFromCsv,
  weatherNotes,
  weatherParamsSummary,
} from "./weather/calibration.ts";
import {
  INDEX_HISTORY_FILES,
  indexForecastTask,
  indexNotes,
  indexParamsSummary,
  indexTargetsFromBars,
  parquetIndexBars,
} from "./index/calibration.ts";

/** Reads a data file by its path relative to the data folder; throws when it cannot. */
export type ReadDataFile = (file: string) => string;

/** Reads a binary data file (Parquet) by its path relative to the data folder; throws when it cannot. */
export type ReadDataBytes = (file: string) => Uint8Array;

/** Options of {@link CalibrationJob.run}. */
export interface JobOptions {
  /** Use data published before this time only (default: all). */
  readonly untilTs?: number;
  /** Fraction of the window scored out of sample (default 0.2). */
  readonly oosFraction?: number;
  /** Progress lines (for stderr). */
  readonly progress?: (message: string) => void;
  /** Bytes of a binary data file; needed by the jobs whose files are `binary`. */
  readonly readBytes?: ReadDataBytes;
}

/** What a job produced: fitted parameters, their window and fit statistics. */
export interface CalibrationResult {
  readonly family: string;
  /** The fitted parameters (plain data; numbers may be Infinity, e.g. a normal's df). */
  readonly params: unknown;
  /** Compact text of the parameters, for tables. */
  readonly summary: string;
  /** ts of the first observation of the fit window (ms). */
  readonly windowFrom: number;
  /** ts of the last observation of the fit window + 1 (ms, exclusive). */
  readonly windowTo: number;
  /** `untilTs` as asked, or null for all data. */
  readonly untilTs: number | null;
  /** Observations in the fit window. */
  readonly n: number;
  /** Fitted parameters scored on every target of the window. */
  readonly inSample: WalkScore;
  /** Walk-forward score over the last `oosFraction` of the window. */
  readonly oos: WalkScore;
  /** Start of the out-of-sample span (ms). */
  readonly oosFrom: number;
  readonly oosFraction: number;
  /** Data files read, relative to the data folder. */
  readonly dataFiles: readonly string[];
  /** How targets, decisions and ladders are set up (one paragraph). */
  readonly method: string;
  /** What the scores mean for this run (data size, stronger baselines, caveats); may be empty. */
  readonly notes: readonly string[];
}

/** A family's calibration job. */
export interface CalibrationJob {
  readonly family: string;
  /** One line on the data and the model. */
  readonly description: string;
  /** Data files, relative to the data folder. */
  readonly files: readonly string[];
  /** Decisions, ladders and re-fit cadence (one paragraph, for --help and the database). */
  readonly method: string;
  /** Whether the files are binary: read through `readBytes`, not `read`. */
  readonly binary: boolean;
  /**
   * The history (time-ordered, ts = publication time) read from the files.
   * Binary jobs need `readBytes` (and throw without it); the others use `read`.
   */
  loadHistory(read: ReadDataFile, readBytes?: ReadDataBytes): readonly Timed[];
  /** Read the files, fit and score. Throws on unreadable data or a failed fit. */
  run(read: ReadDataFile, options?: JobOptions): CalibrationResult;
}

/** The parts of a job: how to read its history and build its walk-forward task. */
export interface JobDefinition<P, H extends Timed> {
  readonly family: string;
  readonly description: string;
  readonly files: readonly string[];
  readonly method: string;
  /** The history from the files' texts (in the order of `files`). Give this or `loadBytes`. */
  load?(texts: readonly { file: string; text: string }[]): readonly H[];
  /** The history from binary files' bytes (in the order of `files`), instead of `load`. */
  loadBytes?(files: readonly { file: string; bytes: Uint8Array }[]): readonly H[];
  task(history: readonly H[]): ForecastTask<P, H>;
  summary(params: P): string;
  /** Lines on what the result means (see {@link CalibrationResult.notes}). */
  notes?(history: readonly H[], result: WalkCalibration<P>, oosFraction: number): string[];
}

/**
 * A job from its parts (see {@link JobDefinition}).
 *
 * @throws {RangeError} unless exactly one of `load` and `loadBytes` is given.
 */
export function defineJob<P, H extends Timed>(def: JobDefinition<P, H>): CalibrationJob {
  const { load, loadBytes } = def;
  if ((load === undefined) === (loadBytes === undefined)) {
    throw new RangeError(
      `Cannot define the calibration job ${def.family}: give exactly one of load and loadBytes, current value is ${
        load === undefined ? "neither" : "both"
      }`,
    );
  }
  const loadHistory = (read: ReadDataFile, readBytes?: ReadDataBytes): readonly H[] => {
    if (load !== undefined) return load(def.files.map((file) => ({ file, text: read(file) })));
    if (readBytes === undefined) {
      throw new Error(
        `Cannot read the data of ${def.family}: its files are binary (${def.files[0]}, ...) and ` +
          `no byte reader was given (JobOptions.readBytes), current value is undefined`,
      );
    }
    return loadBytes!(def.files.map((file) => ({ file, bytes: readBytes(file) })));
  };
  return {
    family: def.family,
    description: def.description,
    files: def.files,
    method: def.method,
    binary: loadBytes !== undefined,
    loadHistory,
    run(read: ReadDataFile, options: JobOptions = {}): CalibrationResult {
      const say = options.progress ?? (() => {});
      const history = loadHistory(read, options.readBytes);
      say(`read ${history.length} observations from ${filesText(def.files)}`);
      if (history.length === 0) {
        throw new RangeError(
          `Cannot calibrate ${def.family}: no observations in ${
            def.files.join(", ")
          }, current value is 0`,
        );
      }
      const oosFraction = options.oosFraction ?? DEFAULT_OOS_FRACTION;
      const r = calibrateWalkForward(def.task(history), {
        ...(options.untilTs !== undefined ? { untilTs: options.untilTs } : {}),
        oosFraction,
        progress: say,
      });
      const notes = def.notes?.(history, r, oosFraction) ?? [];
      for (const line of notes) say(`note: ${line}`);
      return {
        family: def.family,
        params: r.params,
        summary: def.summary(r.params),
        windowFrom: r.windowFrom,
        windowTo: r.windowTo,
        untilTs: options.untilTs ?? null,
        n: r.n,
        inSample: r.inSample,
        oos: r.oos,
        oosFrom: r.oosFrom,
        oosFraction,
        dataFiles: def.files,
        method: def.method,
        notes,
      };
    },
  };
}

/** The files for a progress line: their names, or with more than 3 a count and their folders. */
function filesText(files: readonly string[]): string {
  if (files.length <= 3) return files.join(", ");
  const dirs = [...new Set(files.map((f) => f.slice(0, Math.max(0, f.lastIndexOf("/")))))];
  return `${files.length} files in ${dirs.join(", ")}`;
}

/** Every calibration job by family name (the strategy registry's names). */
export const CALIBRATION_JOBS: Readonly<Record<string, CalibrationJob>> = {
  cpi: defineJob({
    family: "cpi",
    description: "CPI m/m (KXCPI): trend mean + Student-t error, FRED CPIAUCSL",
    files: [CPI_HISTORY_FILE],
    method:
      "targets: each m/m print (released the 15th of the next month, 08:30 ET); decision 1 day " +
      "before; ladder: 7 'greater' thresholds 0.1 apart around the last print (8 bins); " +
      "re-fit every 3 targets",
    load: ([f]) => cpiHistoryFromCsv(f.file, f.text),
    task: (h) => cpiForecastTask(h),
    summary: cpiParamsSummary,
  }),
  claims: defineJob({
    family: "claims",
    description: "jobless claims (KXJOBLESSCLAIMS): seasonal local level + t error, FRED ICSA",
    files: [CLAIMS_HISTORY_FILE],
    method:
      "targets: each weekly print (Thursday 08:30 ET); decision 1 day before; ladder: 7 'at " +
      "least' thresholds 5,000 apart around the last print (8 bins); re-fit every 13 targets",
    load: ([f]) => claimsHistoryFromCsv(f.file, f.text),
    task: (h) => claimsForecastTask(h),
    summary: claimsParamsSummary,
  }),
  tnote: defineJob({
    family: "tnote",
    description: "10-year yield (KXTNOTED): random walk + t error, FRED DGS10, last 2,500 days",
    files: [TNOTE_HISTORY_FILE],
    method:
      "targets: each daily yield (published 18:00 ET); decision 10:00 ET that day; ladder: six " +
      "0.05-wide bins plus tails around the last yield (8 bins); fit on the latest 2,500 " +
      "yields; re-fit every 63 targets",
    load: ([f]) => tnoteHistoryFromCsv(f.file, f.text),
    task: (h) => tnoteForecastTask(h),
    summary: tnoteParamsSummary,
  }),
  gas: defineJob({
    family: "gas",
    description: "AAA gas (KXAAAGASD): momentum log random walk + t error, last 1,500 days",
    files: [GAS_HISTORY_FILE],
    method: "targets: each AAA daily average (published 06:00 ET the day after the file's date); " +
      "decision 1 day before; ladder: 7 'greater' thresholds 1 cent apart around the last " +
      "price (8 bins); fit on the latest 1,500 values; re-fit every 91 targets",
    load: ([f]) => gasAaaHistoryFromCsv(f.file, f.text),
    task: (h) => gasForecastTask(h),
    summary: gasParamsSummary,
  }),
  btc: defineJob({
    family: "btc",
    description: "BTC (KXBTCD): GBM with EWMA variance, lambda and drift by ML on daily closes",
    files: [BTC_HISTORY_FILE],
    method: "targets: each UTC daily close; decision at the day's start (24 h ahead); ladder: 41 " +
      "'greater' strikes (K - 0.01) spaced by the 1-2-2.5-5 step nearest 0.35% of the last " +
      "close, around it (42 bins, about +/- 7%); re-fit every 30 targets",
    load: ([f]) => btcHistoryFromCsv(f.file, f.text),
    task: (h) => btcForecastTask(h),
    summary: btcParamsSummary,
  }),
  weather: defineJob({
    family: "weather",
    description: "NYC high (KXHIGHNY): climatology only, Central Park TMAX (no forecasts)",
    files: [WEATHER_HISTORY_FILE],
    method: "targets: each day's maximum (published 06:00 ET the next day); decision 10:00 ET " +
      "the day before; ladder: KXHIGHNY shape, 4 two-degree bins and 2 tails around the median " +
      "of the climatology samples known then (6 bins; this placement favours climatology: " +
      "Kalshi centres on the forecast, see the notes); re-fit every 30 targets",
    load: ([f]) => weatherHistoryFromCsv(f.file, f.text),
    task: (h) => weatherForecastTask(h),
    summary: weatherParamsSummary,
    notes: (h, r) => weatherNotes(h, r),
  }),
  index: defineJob({
    family: "index",
    description: "S&P 500 / Nasdaq-100 (KXINX): sigma_tod lognormal, minute bars (Parquet)",
    files: INDEX_HISTORY_FILES,
    method: "targets: the level at 12:00 and 16:00 ET per index and day (48: 12 days, of which " +
      "10 have only 11:45-12:05 and 15:45-16:05 bars); decision 11:45 / 15:45 ET from the last " +
      "level then; ladder: 9 ranges of 25 (S&P) / 100 (Nasdaq) points on their multiples, the " +
      "central one holding the decision level, plus 2 tails (11 bins); re-fit at every decision",
    loadBytes: (fs) =>
      indexTargetsFromBars(
        fs.map((f) => ({ file: f.file, bars: parquetIndexBars(f.file, f.bytes) })),
      ),
    task: (h) => indexForecastTask(h),
    summary: indexParamsSummary,
    notes: (h, r, oosFraction) => indexNotes(h, r, oosFraction),
  }),
};

/**
 * The job of `family`.
 *
 * @throws {RangeError} naming the known families when there is none.
 */
export function calibrationJob(family: string): CalibrationJob {
  const job = Object.hasOwn(CALIBRATION_JOBS, family) ? CALIBRATION_JOBS[family] : undefined;
  if (job === undefined) {
    throw new RangeError(
      `Cannot find a calibration job: unknown family (known: ${
        Object.keys(CALIBRATION_JOBS).join(", ")
      }), current value is "${family}"`,
    );
  }
  return job;
}
