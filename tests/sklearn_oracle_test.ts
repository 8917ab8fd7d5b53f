/**
 * Oracle test: our Brier score, log loss and Wilson interval against the
 * reference implementations in scikit-learn (`brier_score_loss`, `log_loss`)
 * and statsmodels (`proportion_confint(method="wilson")`), run through the
 * system Python (Debian python3-sklearn 1.2.1, python3-statsmodels 0.13.5).
 *
 * The test FAILS (never skips) when /usr/bin/python3 or a module is missing.
 *
 * Run: deno test --allow-read --allow-write --allow-run tests/sklearn_oracle_test.ts
 */

import assert from "node:assert/strict";
import { runPythonOracle } from "./python_oracle.ts";
import { brierScore, LOG_LOSS_FLOOR, logLoss } from "../lib/scoring/binary.ts";
import { wilsonInterval } from "../lib/scoring/reliability.ts";

const INSTALL_HINT =
  "install the Debian packages: sudo apt-get install python3 python3-sklearn python3-statsmodels";
const N = 100_000;
const REL_TOL = 1e-12;
const ABS_TOL = 1e-12;

/** mulberry32: a tiny seeded 32-bit PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EPS = Number.EPSILON;
const NEAR_ZERO = [
  Number.MIN_VALUE,
  1e-300,
  1e-20,
  EPS / 4,
  EPS / 2,
  EPS * 0.999,
  EPS,
  EPS * 1.001,
  2 * EPS,
  1e-15,
  1e-12,
  1e-9,
  1e-6,
];
const NEAR_ONE = [
  1 - EPS / 2, // largest double below 1
  1 - EPS,
  1 - 1.5 * EPS,
  1 - 2 * EPS,
  1 - 4 * EPS,
  1 - 1e-15,
  1 - 1e-12,
  1 - 1e-9,
  1 - 1e-6,
];

interface Case {
  p: number[];
  y: number[];
  slices: [number, number][];
  wilson: [number, number, number][];
}

function makeCase(): Case {
  const rnd = mulberry32(20260611);
  const p: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < N; i++) {
    const u = rnd();
    let pi: number;
    if (u < 0.02) pi = 0;
    else if (u < 0.04) pi = 1;
    else if (u < 0.06) pi = NEAR_ZERO[Math.floor(rnd() * NEAR_ZERO.length)];
    else if (u < 0.08) pi = NEAR_ONE[Math.floor(rnd() * NEAR_ONE.length)];
    else if (u < 0.09) pi = 10 ** (-17 * rnd());
    else if (u < 0.10) pi = 1 - 10 ** (-16 * rnd());
    else pi = rnd();
    // Mostly outcomes drawn from the forecast; 10% coin flips so confident
    // forecasts are sometimes wrong (exercising the clip).
    const yi = rnd() < 0.9 ? (rnd() < pi ? 1 : 0) : (rnd() < 0.5 ? 1 : 0);
    p.push(pi);
    y.push(yi);
  }
  const slices: [number, number][] = [[0, N], [0, 1], [N - 1, N]];
  for (let k = 0; k < 30; k++) {
    const len = 1 + Math.floor(rnd() * (k < 15 ? 50 : 5000));
    const start = Math.floor(rnd() * (N - len));
    slices.push([start, start + len]);
  }
  const ns = [1, 2, 3, 4, 5, 7, 10, 13, 20, 30, 50, 100, 250, 1000, 5000, 12345, 100000, 1000000];
  const alphas = [0.5, 0.32, 0.2, 0.1, 0.05, 0.01, 0.001, 1e-4, 1e-6, 0.9, 0.99];
  const wilson: [number, number, number][] = [];
  for (const n of ns) {
    for (const c of new Set([0, 1, Math.floor(n / 2), n - 1, n])) {
      if (c < 0) continue;
      wilson.push([c, n, alphas[wilson.length % alphas.length]]);
    }
  }
  while (wilson.length < 200) {
    const n = 1 + Math.floor(10 ** (6 * rnd()));
    const c = Math.floor(rnd() * (n + 1));
    const alpha = rnd() < 0.5 ? alphas[Math.floor(rnd() * alphas.length)] : 1e-6 + rnd() * 0.99;
    wilson.push([c, n, alpha]);
  }
  return { p, y, slices, wilson };
}

// json.dumps writes floats with float.__repr__ (shortest round-trip, full precision).
const SCRIPT = `
import json, sys
try:
    import numpy as np
    from sklearn.metrics import brier_score_loss, log_loss
    from statsmodels.stats.proportion import proportion_confint
    import sklearn, statsmodels
except ImportError as e:
    sys.stderr.write("MISSING_MODULE: %s\\n" % e)
    sys.exit(3)
with open(sys.argv[1]) as f:
    case = json.load(f)
p = np.asarray(case["p"], dtype=np.float64)
y = np.asarray(case["y"], dtype=np.int64)
brier, logloss = [], []
for a, b in case["slices"]:
    brier.append(float(brier_score_loss(y[a:b], p[a:b])))
    logloss.append(float(log_loss(y[a:b], p[a:b], labels=[0, 1])))
wilson = []
for c, n, alpha in case["wilson"]:
    lo, hi = proportion_confint(c, n, alpha, method="wilson")
    wilson.append([float(lo), float(hi)])
print(json.dumps({"versions": [sklearn.__version__, statsmodels.__version__],
                  "brier": brier, "logloss": logloss, "wilson": wilson}))
`;

interface OracleResult {
  versions: [string, string];
  brier: number[];
  logloss: number[];
  wilson: [number, number][];
}

function runOracle(c: Case): Promise<OracleResult> {
  return runPythonOracle<OracleResult>(
    { name: "sklearn oracle", script: SCRIPT, installHint: INSTALL_HINT },
    c,
  );
}

function relDiff(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}

Deno.test("Brier score, log loss and Wilson interval match sklearn / statsmodels", async () => {
  const c = makeCase();
  // The generated set really does contain the edge cases.
  assert.ok(c.p.filter((x) => x === 0).length > 1000);
  assert.ok(c.p.filter((x) => x === 1).length > 1000);
  assert.ok(c.p.some((x, i) => x === 0 && c.y[i] === 1));
  assert.ok(c.p.some((x, i) => x === 1 && c.y[i] === 0));
  assert.ok(c.p.some((x) => x > 0 && x < LOG_LOSS_FLOOR));
  assert.ok(c.p.some((x) => x < 1 && x > 1 - LOG_LOSS_FLOOR));

  const ref = await runOracle(c);
  assert.equal(ref.brier.length, c.slices.length);

  let maxBrier = 0;
  let maxLog = 0;
  for (let k = 0; k < c.slices.length; k++) {
    const [a, b] = c.slices[k];
    const p = c.p.slice(a, b);
    const y = c.y.slice(a, b);
    const db = relDiff(brierScore(p, y), ref.brier[k]);
    const dl = relDiff(logLoss(p, y), ref.logloss[k]);
    maxBrier = Math.max(maxBrier, db);
    maxLog = Math.max(maxLog, dl);
    assert.ok(
      db <= REL_TOL,
      `Brier score of slice [${a}, ${b}): ours ${brierScore(p, y)} vs sklearn ${
        ref.brier[k]
      } (relative ${db})`,
    );
    assert.ok(
      dl <= REL_TOL,
      `log loss of slice [${a}, ${b}): ours ${logLoss(p, y)} vs sklearn ${
        ref.logloss[k]
      } (relative ${dl})`,
    );
  }

  let maxWAbs = 0;
  let maxWRel = 0;
  for (let k = 0; k < c.wilson.length; k++) {
    const [count, n, alpha] = c.wilson[k];
    const ours = wilsonInterval(count, n, alpha);
    const [rlo, rhi] = ref.wilson[k];
    const what = `wilsonInterval(${count}, ${n}, ${alpha}) = [${ours.lo}, ${ours.hi}] vs ` +
      `statsmodels [${rlo}, ${rhi}]`;
    // At successes = 0 (lo) and successes = n (hi) the exact bound is 0 / 1;
    // statsmodels computes center -/+ dist there and returns rounding noise
    // (such as -1.4e-17), ours is exact, so only the absolute check applies.
    const ends: [number, number, number | undefined][] = [
      [ours.lo, rlo, count === 0 ? 0 : undefined],
      [ours.hi, rhi, count === n ? 1 : undefined],
    ];
    for (const [o, r, exact] of ends) {
      const abs = Math.abs(o - r);
      maxWAbs = Math.max(maxWAbs, abs);
      assert.ok(abs <= ABS_TOL, `${what}: absolute ${abs}`);
      if (exact !== undefined) {
        assert.equal(o, exact, what);
        continue;
      }
      const rel = relDiff(o, r);
      maxWRel = Math.max(maxWRel, rel);
      assert.ok(rel <= REL_TOL, `${what}: relative ${rel}`);
    }
  }
  console.log(
    `sklearn ${ref.versions[0]}, statsmodels ${ref.versions[1]}: ${c.slices.length} slices ` +
      `(N = ${N}), max relative diff Brier ${maxBrier}, log loss ${maxLog}; ` +
      `${c.wilson.length} Wilson cases, max absolute diff ${maxWAbs}, max relative ${maxWRel}`,
  );
});
