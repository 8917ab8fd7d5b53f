/**
 * Runs the KX-REPLAY Python peers (`pandas_peer.py`, `sklearn_peer.py`) with
 * Debian's `/usr/bin/python3` and parses their one-line JSON answers; compares
 * fill lists.
 *
 * @example
 * ```ts
 * const peer = await runPandasPeer("out/kx.ndjson");
 * const cmp = compareFills(ourFills, peer.fills!);
 * if (!cmp.identical) console.log(cmp.firstDifference);
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The interpreter the peers run on (Debian's, with pandas, scipy and scikit-learn). */
export const PYTHON = "/usr/bin/python3";

const PANDAS_PEER = fileURLToPath(new URL("./pandas_peer.py", import.meta.url));
const SKLEARN_PEER = fileURLToPath(new URL("./sklearn_peer.py", import.meta.url));

/** One fill as both sides report it: [ts, market, side, price ticks, count centi, fee ticks]. */
export type FillTuple = [number, string, string, number, number, number];

/** A fill as the engine records it (`FillRow` has these fields and more). */
export interface FillLike {
  readonly ts: number;
  readonly market: string;
  readonly side: string;
  readonly price: number;
  readonly count: number;
  readonly feeTicks: number;
}

/** What `pandas_peer.py` prints. */
export interface PandasPeerResult {
  /** Lines read. */
  readonly events: number;
  /** Lines by type. */
  readonly counts: Record<string, number>;
  /** Quotes that had a fair value (a prior underlying tick of their event). */
  readonly quotes_priced: number;
  /** Quotes with enough edge, before the gross cap. */
  readonly candidates: number;
  readonly fills_count: number;
  /** SHA-256 of one "ts,market,side,price,count,fee\n" line per fill. */
  readonly fills_digest: string;
  /** The fills in order (absent with `withFills: false`). */
  readonly fills?: FillTuple[];
  readonly fees_total: number;
  readonly pnl_total: number;
  /** PnL per declared market (ticks; 0 for markets never traded). */
  readonly pnl_by_market: Record<string, number>;
  readonly timings: { read_s: number; compute_s: number; total_s: number };
  readonly peak_rss_mb: number;
  readonly reader: string;
  readonly versions: Record<string, string>;
}

/** What `sklearn_peer.py` prints. */
export interface SklearnPeerResult {
  readonly n: number;
  readonly brier: number;
  readonly log_loss: number;
  /** Median of 3 timings (s). */
  readonly brier_s: number;
  readonly log_loss_s: number;
  readonly read_s: number;
  readonly sklearn: string;
}

/** Options of {@link runPandasPeer}. */
export interface PandasPeerOptions {
  /** Include the fill list (default true; the digest is always there). */
  readonly withFills?: boolean;
  /** Lines per chunk (default: the peer's, 100,000). */
  readonly chunksize?: number;
  /** Chunk parser: "json" (stdlib json.loads, default) or "read_json" (pd.read_json). */
  readonly reader?: "json" | "read_json";
}

async function runPython<T>(args: string[], what: string): Promise<T> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(PYTHON, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new Error(
      `Cannot run the ${what}: ${PYTHON} failed to start (${
        e instanceof Error ? e.message : String(e)
      }); install python3-pandas python3-scipy python3-sklearn`,
    );
  }
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(`Cannot run the ${what}: exit code ${out.code}\n${stderr.slice(-4000)}`);
  }
  const text = new TextDecoder().decode(out.stdout).trim();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(
      `Cannot parse the ${what}'s output: not one JSON object, current value is ${
        JSON.stringify(text.slice(0, 200))
      }`,
    );
  }
}

/** Run the pandas peer on an NDJSON tape. */
export function runPandasPeer(
  ndjsonPath: string,
  options: PandasPeerOptions = {},
): Promise<PandasPeerResult> {
  const args = [PANDAS_PEER, ndjsonPath];
  if (options.withFills === false) args.push("--no-fills");
  if (options.chunksize !== undefined) args.push("--chunksize", String(options.chunksize));
  if (options.reader !== undefined) args.push("--reader", options.reader);
  return runPython<PandasPeerResult>(args, "pandas peer");
}

/** Run the scikit-learn peer on raw float64 probabilities and uint8 outcomes. */
export function runSklearnPeer(pPath: string, yPath: string): Promise<SklearnPeerResult> {
  return runPython<SklearnPeerResult>([SKLEARN_PEER, pPath, yPath], "scikit-learn peer");
}

/** A fill as a tuple (engine rows are converted; tuples pass through). */
export function fillTuple(f: FillLike | readonly unknown[]): FillTuple {
  if (Array.isArray(f)) return f as FillTuple;
  const r = f as FillLike;
  return [r.ts, r.market, r.side, r.price, r.count, r.feeTicks];
}

const FIELDS = ["ts", "market", "side", "price", "count", "fee"];

/**
 * Whether two fill lists are identical (same fills, same order, every field
 * equal); otherwise the first difference, described.
 */
export function compareFills(
  ours: readonly (FillLike | FillTuple)[],
  theirs: readonly (FillLike | FillTuple)[],
): { identical: boolean; firstDifference?: string } {
  const n = Math.min(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = fillTuple(ours[i]);
    const b = fillTuple(theirs[i]);
    for (let j = 0; j < FIELDS.length; j++) {
      if (a[j] !== b[j]) {
        return {
          identical: false,
          firstDifference: `fill ${i}: ${FIELDS[j]} differs: ours ${JSON.stringify(a)}, theirs ${
            JSON.stringify(b)
          }`,
        };
      }
    }
  }
  if (ours.length !== theirs.length) {
    const longer = ours.length > theirs.length ? "ours" : "theirs";
    const extra = fillTuple((ours.length > theirs.length ? ours : theirs)[n]);
    return {
      identical: false,
      firstDifference:
        `fill count differs: ours ${ours.length}, theirs ${theirs.length}; first extra fill (${longer}) ${
          JSON.stringify(extra)
        }`,
    };
  }
  return { identical: true };
}
