/**
 * Calibration jobs by family name: what `deno task calibrate` runs. A job knows
 * its history files (paths relative to the data folder, ../shared/data by
 * default), reads them through an injected `read` (so this module does no I/O),
 * fits the family's parameters on the window before `untilTs` and scores them in
 * and out of sample walk-forward against a uniform PMF over realistic ladders
 * ({@link calibrateWalkForward}, whose module docs state the method).
 *
 * To add a family (weather, index): write `strategies/<family>/calibration.ts`
 * with a history reader and a `ForecastTask`, and add an entry to
 * {@link CALIBRATION_JOBS} made by {@link defineJob}.
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

import type { Timed } from "./walk_forward.ts";
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

/** Reads a data file by its path relative to the data folder; throws when it cannot. */
export type ReadDataFile = (file: string) => string;

/** Options of {@link CalibrationJob.run}. */
export interface JobOptions {
  /** Use data published before this time only (default: all). */
  readonly untilTs?: number;
  /** Fraction of the window scored out of sample (default 0.2). */
  readonly oosFraction?: number;
  /** Progress lines (for stderr). */
  readonly progress?: (message: string) => void;
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
  /** The history (time-ordered, ts = publication time) read from the files. */
  loadHistory(read: ReadDataFile): readonly Timed[];
  /** Read the files, fit and score. Throws on unreadable data or a failed fit. */
  run(read: ReadDataFile, options?: JobOptions): CalibrationResult;
}

/** The parts of a job: how to read its history and build its walk-forward task. */
export interface JobDefinition<P, H extends Timed> {
  readonly family: string;
  readonly description: string;
  readonly files: readonly string[];
  readonly method: string;
  /** The history from the files' texts (in the order of `files`). */
  load(texts: readonly { file: string; text: string }[]): readonly H[];
  task(history: readonly H[]): ForecastTask<P, H>;
  summary(params: P): string;
}

/** A job from its parts (see {@link JobDefinition}). */
export function defineJob<P, H extends Timed>(def: JobDefinition<P, H>): CalibrationJob {
  const loadHistory = (read: ReadDataFile) =>
    def.load(def.files.map((file) => ({ file, text: read(file) })));
  return {
    family: def.family,
    description: def.description,
    files: def.files,
    method: def.method,
    loadHistory,
    run(read: ReadDataFile, options: JobOptions = {}): CalibrationResult {
      const say = options.progress ?? (() => {});
      const history = loadHistory(read);
      say(`read ${history.length} observations from ${def.files.join(", ")}`);
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
      };
    },
  };
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
