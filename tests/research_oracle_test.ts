/**
 * Oracle test of lib/research against statsmodels and pandas, run through the
 * system Python (Debian python3-statsmodels 0.13.5, python3-pandas 1.5.3):
 *
 * - `proportionsZTest` against `proportions_ztest` (pooled variance, all three
 *   alternatives), statistic and p-value within 1e-12;
 * - `holmAdjust` / `bhAdjust` against `multipletests(method="holm" / "fdr_bh")`,
 *   ties, p = 0 and p = 1 included, within 1e-12;
 * - `bucketAnalysis` against `pd.cut(right=False)` + `groupby` (counts,
 *   positives, mean and median CLV), `np.quantile` (quantile cuts),
 *   `proportion_confint(method="wilson")` (the rows' intervals),
 *   `proportions_ztest` and `multipletests` (the rows' tests);
 * - `trailingThresholds` against `Series.rolling(window, closed="left",
 *   min_periods).quantile(q)`.
 *
 * Inputs come from the seeded PRNG (lib/random/prng.ts). The test FAILS (never
 * skips) when /usr/bin/python3 or a module is missing.
 *
 * Run: deno test --allow-read --allow-write --allow-run tests/research_oracle_test.ts
 */

import assert from "node:assert/strict";
import { runPythonOracle } from "./python_oracle.ts";
import { Prng } from "../lib/random/prng.ts";
import { bucketAnalysis, type BucketSpec } from "../lib/research/buckets.ts";
import { bhAdjust, holmAdjust } from "../lib/research/multiple_testing.ts";
import { type Alternative, proportionsZTest } from "../lib/research/proportion_ztest.ts";
import type { Signal } from "../lib/research/signal.ts";
import { trailingThresholds } from "../lib/research/trailing_threshold.ts";

const INSTALL_HINT =
  "install the Debian packages: sudo apt-get install python3 python3-statsmodels python3-pandas";
const TOL = 1e-12;
const ALTS: Alternative[] = ["two-sided", "larger", "smaller"];

type ZCase = [number, number, number, number, Alternative];

interface BucketCase {
  clv: number[];
  f: number[];
  spec: BucketSpec;
  baseline: number | null;
  alternative: Alternative;
  adjustment: "holm" | "bh";
  alpha: number;
}

interface TrailingCase {
  ts: number[];
  f: number[];
  windowMs: number;
  quantile: number;
  minObs: number;
}

interface Case {
  z: ZCase[];
  pvals: number[][];
  buckets: BucketCase[];
  trailing: TrailingCase[];
}

function makeCase(): Case {
  const rng = new Prng(20260707);
  const z: ZCase[] = [];
  const ns = [1, 2, 3, 5, 10, 30, 100, 1000, 123457, 1_000_000];
  for (const n1 of ns) {
    for (const n2 of ns) {
      const c1 = [0, n1, Math.floor(n1 / 3)][rng.int(3)];
      const c2 = [0, n2, Math.floor(n2 / 2), rng.int(n2 + 1)][rng.int(4)];
      z.push([c1, n1, c2, n2, ALTS[z.length % 3]]);
    }
  }
  // Identical proportions, far tails (|z| up to ~40), and random cases.
  z.push([1, 3, 2, 6, "two-sided"], [50, 100, 500, 1000, "larger"], [3, 7, 3, 7, "smaller"]);
  z.push([900, 1000, 100, 1000, "two-sided"], [9000, 10000, 1000, 10000, "smaller"]);
  z.push([400, 1000, 100, 1000, "larger"], [100, 1000, 400, 1000, "smaller"]);
  while (z.length < 600) {
    const n1 = 1 + rng.int(rng.next() < 0.5 ? 50 : 100_000);
    const n2 = 1 + rng.int(rng.next() < 0.5 ? 50 : 100_000);
    z.push([rng.int(n1 + 1), n1, rng.int(n2 + 1), n2, ALTS[rng.int(3)]]);
  }

  const pvals: number[][] = [[0], [1], [0.5], [0, 0, 1, 1], [1e-300, 1, 0.05]];
  while (pvals.length < 150) {
    const m = 1 + rng.int(rng.next() < 0.5 ? 10 : 300);
    const pool = [0, 1, 1e-10, 0.001, 0.01, 0.04, 0.05, 0.2, 0.5, 0.99];
    const p: number[] = [];
    for (let i = 0; i < m; i++) {
      const u = rng.next();
      if (u < 0.3) p.push(pool[rng.int(pool.length)]); // ties
      else if (u < 0.4) p.push(10 ** (-20 * rng.next()));
      else p.push(rng.next());
    }
    pvals.push(p);
  }

  const buckets: BucketCase[] = [];
  const specs: BucketSpec[] = [
    { cuts: [-0.5, 0, 0.5] },
    { quantiles: 4 },
    { quantiles: 5 },
    { quantiles: 10 },
    { cuts: [0.25] },
    { cuts: [-3, 3, 3.5, 8] }, // empty buckets
    { quantiles: 3 },
  ];
  for (let k = 0; k < 21; k++) {
    const n = [5000, 400, 25][k % 3];
    const clv: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < n; i++) {
      // Factor: mostly normal, some on a coarse grid (ties, values on the cuts).
      const fi = rng.next() < 0.25 ? (rng.int(9) - 4) / 4 : rng.normal();
      // CLV in ticks: whole ticks, zeros, half ticks, a drift with the factor.
      const u = rng.next();
      const ci = u < 0.15 ? 0 : u < 0.2 ? Math.round(rng.normal() * 400) / 2 : Math.round(
        rng.normal() * 300 + 60 * fi,
      );
      f.push(fi);
      clv.push(ci);
    }
    const spec = specs[k % specs.length];
    const nb = "cuts" in spec ? spec.cuts.length + 1 : 2; // quantile buckets have >= 2 here
    buckets.push({
      clv,
      f,
      spec,
      baseline: k % 2 === 0 ? null : rng.int(nb),
      alternative: ALTS[k % 3],
      adjustment: k % 4 < 2 ? "holm" : "bh",
      alpha: [0.05, 0.1, 0.01, 0.3][k % 4],
    });
  }

  const trailing: TrailingCase[] = [];
  const day = 86_400_000;
  for (
    const [n, gap, windowMs, quantile, minObs] of [
      [2000, day / 4, 7 * day, 0.75, 10],
      [2000, day, 30 * day, 0.25, 1],
      [1000, 3600_000, 24 * 3600_000, 0.5, 5],
      [500, day, 14 * day, 0.9, 3],
      [500, 1000, 1, 1, 1],
    ]
  ) {
    const ts: number[] = [];
    const f: number[] = [];
    let t = 1_760_000_000_000;
    for (let i = 0; i < n; i++) {
      t += 1 + rng.int(2 * gap); // distinct, increasing (pandas orders ties by row)
      ts.push(t);
      f.push(rng.next() < 0.2 ? rng.int(5) : rng.normal() * 10);
    }
    trailing.push({ ts, f, windowMs, quantile, minObs });
  }
  return { z, pvals, buckets, trailing };
}

// NaN is written as null (JSON has no NaN); floats with repr (full precision).
const SCRIPT = `
import json, math, sys
try:
    import numpy as np
    import pandas as pd
    import statsmodels
    from statsmodels.stats.proportion import proportions_ztest, proportion_confint
    from statsmodels.stats.multitest import multipletests
except ImportError as e:
    sys.stderr.write("MISSING_MODULE: %s\\n" % e)
    sys.exit(3)
import warnings
warnings.simplefilter("ignore")

def clean(x):
    x = float(x)
    return None if math.isnan(x) else x

with open(sys.argv[1]) as fh:
    case = json.load(fh)

z = []
for c1, n1, c2, n2, alt in case["z"]:
    s, p = proportions_ztest([c1, c2], [n1, n2], alternative=alt)
    z.append([clean(s), clean(p)])

adj = []
for p in case["pvals"]:
    adj.append([multipletests(p, method="holm")[1].tolist(),
                multipletests(p, method="fdr_bh")[1].tolist()])

buckets = []
for b in case["buckets"]:
    f = np.asarray(b["f"], dtype=np.float64)
    clv = np.asarray(b["clv"], dtype=np.float64)
    spec = b["spec"]
    if "cuts" in spec:
        cuts = list(spec["cuts"])
        raw = None
    else:
        k = spec["quantiles"]
        raw = np.quantile(f, [j / k for j in range(1, k)]).tolist()
        cuts = []
        for c in raw:
            if c > f.min() and (not cuts or c > cuts[-1]):
                cuts.append(c)
    nb = len(cuts) + 1
    codes = pd.cut(pd.Series(f), [-np.inf] + cuts + [np.inf], right=False, labels=False)
    df = pd.DataFrame({"code": codes, "clv": clv, "pos": (clv > 0).astype(np.int64)})
    g = df.groupby("code").agg(n=("clv", "size"), pos=("pos", "sum"),
                               mean=("clv", "mean"), median=("clv", "median"))
    g = g.reindex(range(nb))
    n = [0 if math.isnan(x) else int(x) for x in g["n"]]
    pos = [0 if math.isnan(x) else int(x) for x in g["pos"]]
    wilson = []
    for j in range(nb):
        if n[j] == 0:
            wilson.append(None)
        else:
            lo, hi = proportion_confint(pos[j], n[j], b["alpha"], method="wilson")
            wilson.append([float(lo), float(hi)])
    tests = []
    raw_p = []
    for j in range(nb):
        if b["baseline"] is not None:
            if j == b["baseline"]:
                tests.append(None)
                continue
            on, op = n[b["baseline"]], pos[b["baseline"]]
        else:
            on, op = sum(n) - n[j], sum(pos) - pos[j]
        if n[j] == 0 or on == 0:
            tests.append(None)
            continue
        s, p = proportions_ztest([pos[j], op], [n[j], on], alternative=b["alternative"])
        tests.append([clean(s), clean(p)])
        # statsmodels gives NaN when the pooled proportion is 0 or 1; the workbench's
        # documented value there is p = 1 (two-sided) or 0.5 (one-sided).
        raw_p.append((1.0 if b["alternative"] == "two-sided" else 0.5) if math.isnan(p) else float(p))
    method = "holm" if b["adjustment"] == "holm" else "fdr_bh"
    padj = multipletests(raw_p, method=method)[1].tolist() if raw_p else []
    buckets.append({"quantiles": raw, "cuts": cuts, "n": n, "pos": pos,
                    "mean": [clean(x) for x in g["mean"]],
                    "median": [clean(x) for x in g["median"]],
                    "wilson": wilson, "tests": tests, "padj": padj})

trailing = []
for t in case["trailing"]:
    s = pd.Series(np.asarray(t["f"], dtype=np.float64),
                  index=pd.to_datetime(np.asarray(t["ts"], dtype=np.int64), unit="ms"))
    r = s.rolling("%dms" % t["windowMs"], closed="left", min_periods=t["minObs"])
    trailing.append([clean(x) for x in r.quantile(t["quantile"]).values])

print(json.dumps({"versions": [statsmodels.__version__, pd.__version__, np.__version__],
                  "z": z, "adj": adj, "buckets": buckets, "trailing": trailing}))
`;

interface OracleBucket {
  quantiles: number[] | null;
  cuts: number[];
  n: number[];
  pos: number[];
  mean: (number | null)[];
  median: (number | null)[];
  wilson: ([number, number] | null)[];
  tests: ([number | null, number | null] | null)[];
  padj: number[];
}

interface OracleResult {
  versions: [string, string, string];
  z: [number | null, number | null][];
  adj: [number[], number[]][];
  buckets: OracleBucket[];
  trailing: (number | null)[][];
}

function runOracle(c: Case): Promise<OracleResult> {
  return runPythonOracle<OracleResult>(
    { name: "research oracle", script: SCRIPT, installHint: INSTALL_HINT },
    c,
  );
}

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * |ours - ref| <= TOL * max(scale, |ref|); returns the relative error. Below the
 * smallest normal double both sides only need to be there: SciPy's ndtr returns 0
 * once z exceeds about 37.5, where ours still returns a subnormal tail value.
 */
function check(ours: number, ref: number, what: string, scale = 0): number {
  if (ours === ref) return 0;
  if (scale === 0 && Math.abs(ref) < MIN_NORMAL) {
    assert.ok(Math.abs(ours) < MIN_NORMAL, `${what}: ours ${ours} vs oracle ${ref}`);
    return 0;
  }
  const err = Math.abs(ours - ref) / Math.max(scale, Math.abs(ref));
  assert.ok(err <= TOL, `${what}: ours ${ours} vs oracle ${ref} (relative ${err})`);
  return err;
}

const CASE = makeCase();
let oracle: Promise<OracleResult> | undefined;
const getOracle = () => oracle ??= runOracle(CASE);

Deno.test("research oracle: proportionsZTest matches statsmodels proportions_ztest", async () => {
  const ref = await getOracle();
  let maxZ = 0, maxP = 0, degenerate = 0, farTail = 0;
  CASE.z.forEach(([c1, n1, c2, n2, alt], k) => {
    const ours = proportionsZTest(c1, n1, c2, n2, alt);
    const [rz, rp] = ref.z[k];
    const what = `proportionsZTest(${c1}, ${n1}, ${c2}, ${n2}, ${alt})`;
    if (rz === null || rp === null) {
      // Pooled proportion 0 or 1: statsmodels NaN, ours the documented z = 0.
      const pooled = (c1 + c2) / (n1 + n2);
      assert.ok(pooled === 0 || pooled === 1, `${what}: unexpected NaN from statsmodels`);
      assert.equal(ours.z, 0, what);
      assert.equal(ours.pValue, alt === "two-sided" ? 1 : 0.5, what);
      degenerate++;
      return;
    }
    maxZ = Math.max(maxZ, check(ours.z, rz, `${what} z`));
    maxP = Math.max(maxP, check(ours.pValue, rp, `${what} p`));
    if (rp < 1e-50) farTail++;
  });
  assert.ok(degenerate >= 10, `only ${degenerate} degenerate cases`);
  assert.ok(farTail >= 3, `only ${farTail} far-tail cases`);
  console.log(
    `statsmodels ${ref.versions[0]}: ${CASE.z.length} z-tests (${degenerate} with pooled 0/1, ` +
      `${farTail} with p < 1e-50), max relative diff z ${maxZ}, p ${maxP}`,
  );
});

Deno.test("research oracle: holmAdjust / bhAdjust match statsmodels multipletests", async () => {
  const ref = await getOracle();
  let maxH = 0, maxB = 0, ties = 0;
  CASE.pvals.forEach((p, k) => {
    const h = holmAdjust(p);
    const b = bhAdjust(p);
    if (new Set(p).size < p.length) ties++;
    p.forEach((_, i) => {
      maxH = Math.max(maxH, check(h[i], ref.adj[k][0][i], `holm family ${k} [${i}]`));
      maxB = Math.max(maxB, check(b[i], ref.adj[k][1][i], `fdr_bh family ${k} [${i}]`));
    });
  });
  assert.ok(ties > 50, `only ${ties} families with ties`);
  console.log(
    `multipletests: ${CASE.pvals.length} families (${ties} with ties), max relative diff ` +
      `holm ${maxH}, fdr_bh ${maxB}`,
  );
});

Deno.test("research oracle: bucketAnalysis matches pandas cut/groupby, Wilson, z-tests", async () => {
  const ref = await getOracle();
  let emptyBuckets = 0, tests = 0, maxMean = 0, maxWilson = 0, maxP = 0;
  CASE.buckets.forEach((b, k) => {
    const signals: Signal[] = b.clv.map((clv, i) => ({
      ts: i,
      market: "KX-TEST",
      side: i % 2 === 0 ? "yes" : "no",
      clv,
      factors: { f: b.f[i] },
    }));
    const a = bucketAnalysis(signals, "f", b.spec, {
      baseline: b.baseline ?? undefined,
      alternative: b.alternative,
      adjustment: b.adjustment,
      alpha: b.alpha,
    });
    const r = ref.buckets[k];
    const where = `bucket case ${k} (${JSON.stringify(b.spec)}, n = ${b.clv.length})`;
    assert.deepEqual(a.cuts, r.cuts, `${where}: cuts`);
    assert.deepEqual(a.rows.map((x) => x.n), r.n, `${where}: counts`);
    assert.deepEqual(a.rows.map((x) => x.positives), r.pos, `${where}: positives`);
    assert.equal(a.testsTried, r.padj.length, `${where}: tests tried`);
    let t = 0;
    a.rows.forEach((row, j) => {
      const at = `${where}, bucket ${row.label}`;
      if (row.n === 0) {
        emptyBuckets++;
        assert.equal(r.mean[j], null, at);
        assert.ok(Number.isNaN(row.meanClv) && Number.isNaN(row.medianClv), at);
        assert.equal(r.wilson[j], null, at);
      } else {
        let scale = 0;
        for (let i = 0; i < b.clv.length; i++) scale = Math.max(scale, Math.abs(b.clv[i]));
        maxMean = Math.max(maxMean, check(row.meanClv, r.mean[j]!, `${at} mean`, scale));
        check(row.medianClv, r.median[j]!, `${at} median`);
        const [lo, hi] = r.wilson[j]!;
        // Exact 0 / 1 at the ends (statsmodels returns rounding noise there).
        if (row.positives === 0) assert.equal(row.wilsonLo, 0, at);
        else maxWilson = Math.max(maxWilson, check(row.wilsonLo, lo, `${at} Wilson lo`));
        if (row.positives === row.n) assert.equal(row.wilsonHi, 1, at);
        else maxWilson = Math.max(maxWilson, check(row.wilsonHi, hi, `${at} Wilson hi`));
      }
      const rt = r.tests[j];
      if (rt === null) {
        assert.equal(row.test, null, `${at}: statsmodels side ran no test`);
        return;
      }
      assert.ok(row.test !== null, `${at}: a test was expected`);
      tests++;
      if (rt[0] === null) {
        assert.equal(row.test.z, 0, at);
      } else {
        check(row.test.z, rt[0], `${at} z`);
        maxP = Math.max(maxP, check(row.test.pValue, rt[1]!, `${at} p`));
      }
      maxP = Math.max(maxP, check(row.test.pAdjusted, r.padj[t], `${at} adjusted p`));
      t++;
    });
  });
  assert.ok(emptyBuckets >= 5, `only ${emptyBuckets} empty buckets`);
  console.log(
    `pandas ${ref.versions[1]}: ${CASE.buckets.length} bucket tables, ${tests} tests, ` +
      `${emptyBuckets} empty buckets; max relative diff mean ${maxMean}, Wilson ${maxWilson}, ` +
      `p / adjusted p ${maxP}`,
  );
});

Deno.test("research oracle: trailingThresholds matches pandas rolling(closed='left').quantile", async () => {
  const ref = await getOracle();
  let maxErr = 0, warm = 0, compared = 0;
  CASE.trailing.forEach((c, k) => {
    const signals: Signal[] = c.ts.map((ts, i) => ({
      ts,
      market: "KX-TEST",
      side: "yes",
      clv: 0,
      factors: { f: c.f[i] },
    }));
    const got = trailingThresholds(signals, "f", {
      windowMs: c.windowMs,
      quantile: c.quantile,
      minObs: c.minObs,
    });
    got.forEach((g, i) => {
      const r = ref.trailing[k][i];
      const at = `trailing case ${k} signal ${i}`;
      if (r === null) {
        assert.equal(g.threshold, undefined, at);
        assert.equal(g.status, "warm-up", at);
        warm++;
        return;
      }
      assert.ok(g.threshold !== undefined, `${at}: ours warm-up, pandas ${r}`);
      // pandas interpolates as lo + (hi - lo) g, NumPy (ours) as hi - (hi - lo)(1 - g)
      // for g >= 0.5: a few ulps of the values apart.
      maxErr = Math.max(maxErr, check(g.threshold, r, at, 10));
      compared++;
    });
  });
  assert.ok(warm > 10 && compared > 5000, `warm-up ${warm}, compared ${compared}`);
  console.log(
    `pandas rolling quantile: ${compared} thresholds and ${warm} warm-ups, max relative diff ${maxErr}`,
  );
});
