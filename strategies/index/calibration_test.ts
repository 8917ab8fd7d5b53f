import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type pl from "nodejs-polars";
import { binOfValue } from "../../lib/market/ladder.ts";
import { Prng } from "../../lib/random/prng.ts";
import { dayDate, easternWallToUtc, formatIsoDay, parseIsoDay } from "../../lib/time/eastern.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import {
  DEFAULT_INDEX_PAIR,
  importPolars,
  INDEX_HISTORY_FILES,
  type IndexBar,
  indexFileInfo,
  indexForecastTask,
  indexLadder,
  indexNotes,
  indexParamsSummary,
  type IndexTarget,
  indexTargetsFromBars,
  parquetIndexBars,
} from "./calibration.ts";

const MIN = 60_000;

function at(day: number, h: number, m: number): number {
  const { year, month, day: d } = dayDate(day);
  return easternWallToUtc(year, month, d, h, m);
}

/** Bars from `from` (ET h:m) for `count` minutes: a random walk with per-minute log sd `sd`. */
function bars(
  rng: Prng,
  day: number,
  h: number,
  m: number,
  count: number,
  start: number,
  sd: number,
): IndexBar[] {
  const out: IndexBar[] = [];
  let level = start;
  for (let i = 0; i < count; i++) {
    const open = level;
    level *= Math.exp(sd * rng.normal());
    out.push({ ts: at(day, h, m) + i * MIN, open, close: level });
  }
  return out;
}

/** Window files for `days` days from 2024-03-04 (weekdays only), both indices. */
function windowFiles(
  days: number,
  seed: number,
  sd = 0.0004,
): { file: string; bars: IndexBar[] }[] {
  const rng = new Prng(seed);
  const out: { file: string; bars: IndexBar[] }[] = [];
  let day = parseIsoDay("2024-03-04");
  for (let k = 0; k < days; day++) {
    const w = new Date(day * 86_400_000).getUTCDay();
    if (w === 0 || w === 6) continue;
    k++;
    for (const [s, base] of [["SPX", 5000], ["NDX", 18000]] as const) {
      const iso = formatIsoDay(day);
      out.push({
        file: `w/I_${s}_${iso}_noon.parquet`,
        bars: bars(rng, day, 11, 45, 21, base, sd),
      });
      out.push({
        file: `w/I_${s}_${iso}_close.parquet`,
        bars: bars(rng, day, 15, 45, 17, base, sd),
      });
    }
  }
  return out;
}

Deno.test("INDEX_HISTORY_FILES and indexFileInfo: 4 sessions and 40 windows, names parsed", () => {
  assert.equal(INDEX_HISTORY_FILES.length, 44);
  assert.equal(
    INDEX_HISTORY_FILES[0],
    "kalshi_sys_mb/spx_ndx_minute_days/I_SPX_2025-10-31.parquet",
  );
  assert.deepEqual(indexFileInfo(INDEX_HISTORY_FILES[43]), {
    symbol: "NDX",
    day: parseIsoDay("2024-11-04"),
    part: "close",
  });
  assert.equal(indexFileInfo("I_SPX_2025-10-31.parquet").part, "session");
  for (const bad of ["I_DJI_2025-10-31.parquet", "I_SPX_2025-13-31.parquet", "SPX.csv"]) {
    assert.throws(
      () => indexFileInfo(bad),
      new RegExp(`Cannot read index bars: the file name must be .*current value is "${bad}"`),
    );
  }
});

Deno.test("indexTargetsFromBars: levels, decision level, outcome; a session splits at 12:00", () => {
  const day = parseIsoDay("2025-10-31");
  const rng = new Prng(2);
  const session = bars(rng, day, 9, 30, 391, 6800, 0.0003);
  const window = bars(rng, parseIsoDay("2024-04-19"), 11, 45, 21, 5000, 0.0003);
  const t = indexTargetsFromBars([
    { file: "d/I_SPX_2025-10-31.parquet", bars: session },
    { file: "w/I_SPX_2024-04-19_noon.parquet", bars: window },
  ]);
  assert.equal(t.length, 3);
  const [w, noon, close] = t; // time order
  // Window: the decision level is the first bar's open at 11:45; the outcome the 11:59 bar's close.
  assert.equal(w.decisionTs, window[0].ts);
  assert.deepEqual(w.decisionLevel, { ts: window[0].ts, value: window[0].open });
  assert.equal(w.value, Math.round(window[14].close * 100) / 100);
  assert.equal(w.targetTs, window[14].ts + MIN);
  assert.equal(w.ts, window[20].ts + MIN);
  assert.equal(w.levels.length, 22);
  // Session: the noon block ends at 12:00 and its decision level is the 11:44 bar's close.
  assert.equal(noon.window, "noon");
  assert.equal(noon.ts, at(day, 12, 0));
  assert.deepEqual(noon.decisionLevel, { ts: at(day, 11, 45), value: session[134].close });
  assert.equal(close.window, "close");
  assert.equal(close.value, Math.round(session[389].close * 100) / 100);
  assert.equal(noon.levels.length + close.levels.length, 392);
  assert.ok(noon.decisionTs < noon.ts && close.decisionTs < close.ts);
});

Deno.test("indexTargetsFromBars: bad bars are refused naming the file", () => {
  const day = parseIsoDay("2024-04-19");
  const good = () => bars(new Prng(3), day, 11, 45, 21, 5000, 0.0003);
  const f = "w/I_SPX_2024-04-19_noon.parquet";
  const cases: [IndexBar[], RegExp][] = [
    [[], /no bars, current value is 0/],
    [good().reverse(), /bar 1 must come after bar 0/],
    [
      good().map((b, i) => i === 3 ? { ...b, ts: b.ts + 1 } : b),
      /bar 3 must start on a whole minute/,
    ],
    [good().map((b, i) => i === 5 ? { ...b, close: -1 } : b), /bar 5 close must be finite and > 0/],
    [good().map((b, i) => i === 2 ? { ...b, open: NaN } : b), /bar 2 open must be finite and > 0/],
    [good().slice(1), /a level at most a minute before the 11:45 ET decision is needed/],
    [good().slice(0, 10), /no bar closes at 12:00 ET \(the target\)/],
    [bars(new Prng(3), day + 1, 11, 45, 21, 5000, 0), /bar 0 must be on the file's Eastern day/],
  ];
  for (const [b, re] of cases) {
    assert.throws(
      () => indexTargetsFromBars([{ file: f, bars: b }]),
      (e) => e instanceof RangeError && e.message.includes(f) && re.test(e.message),
      String(re),
    );
  }
  assert.throws(
    () => indexTargetsFromBars([{ file: f, bars: good() }, { file: f, bars: good() }]),
    /the same index, day and part twice/,
  );
});

Deno.test("indexLadder: 9 ranges on multiples of the width around the level, 2 tails", () => {
  const l = indexLadder("SPX", 6851.3);
  assert.equal(l.bins.length, 11);
  assert.equal(l.series, "KXINX");
  assert.equal(l.outcomeStep, 0.01);
  assert.equal(binOfValue(l, 6851.3), 5); // [6850, 6874.99], the central range
  assert.equal(binOfValue(l, 6849.99), 4);
  assert.equal(binOfValue(l, 6874.99), 5);
  assert.equal(binOfValue(l, 6875), 6);
  assert.equal(binOfValue(l, 6749.99), 0); // below 6750: the low tail
  assert.equal(binOfValue(l, 6750), 1);
  assert.equal(binOfValue(l, 6974.99), 9);
  assert.equal(binOfValue(l, 6975), 10);
  const n = indexLadder("NDX", 25_950);
  assert.equal(n.series, "KXNASDAQ100");
  assert.equal(binOfValue(n, 25_900), 5);
  assert.equal(binOfValue(n, 25_999.99), 5);
  for (const bad of [0, -5, NaN, Infinity]) {
    assert.throws(
      () => indexLadder("SPX", bad),
      /Cannot build an index ladder: the level must be finite and > 0/,
    );
  }
});

Deno.test("indexForecastTask: walk-forward on synthetic windows recovers the sd, beats uniform", () => {
  const sd = 0.0004; // per minute: 15 minutes -> 0.155%
  const targets = indexTargetsFromBars(windowFiles(24, 5, sd));
  assert.equal(targets.length, 96);
  const task = indexForecastTask(targets);
  const r = calibrateWalkForward(task);
  assert.ok(r.oos.n >= 16 && r.oos.refits === r.oos.n, `${r.oos.n} ${r.oos.refits}`);
  assert.ok(r.oos.logLoss < r.oos.uniformLogLoss, `${r.oos.logLoss}`);
  // 15-minute sd near 11:45-12:00, both indices, within 15% of the truth (24 days x 15 returns).
  const want = sd * Math.sqrt(15);
  for (const p of [r.params.spx, r.params.ndx]) {
    let v = 0;
    for (let m = 135; m < 150; m++) v += p.varPerMinute[m];
    assert.ok(Math.abs(Math.sqrt(v) / want - 1) < 0.15, `${Math.sqrt(v)} vs ${want}`);
  }
  assert.match(
    indexParamsSummary(r.params),
    /^15-min sd 11:45-12:00 \/ 15:45-16:00: SPX 0\.1\d\d% \/ 0\.\d{3}%, NDX 0\.1\d\d% \/ 0\.\d{3}%; \d+ \+ \d+ returns$/,
  );
  // The fixed baseline ignores the data.
  const flat = indexForecastTask(targets, { fixed: DEFAULT_INDEX_PAIR });
  assert.equal(flat.fit([], 0), DEFAULT_INDEX_PAIR);
  const notes = indexNotes(targets, r, 0.2);
  assert.equal(notes.length, 3);
  assert.match(notes[0], /^data: 24 session days \(0 full sessions;.*96 targets/);
  assert.match(notes[1], /walk-forward over every target with 2 earlier days known: n 88,/);
  assert.match(notes[2], /default flat curve/);
});

Deno.test("indexForecastTask: a fit at cutoff t ignores blocks published at or after t", () => {
  const base = indexTargetsFromBars(windowFiles(12, 9));
  const cut = base[30].ts;
  const altered: IndexTarget[] = base.map((t) =>
    t.ts < cut
      ? t
      : { ...t, levels: t.levels.map((o, i) => ({ ...o, value: o.value * (1 + 0.01 * (i % 2)) })) }
  );
  const a = calibrateWalkForward(indexForecastTask(base), { untilTs: cut });
  const b = calibrateWalkForward(indexForecastTask(altered), { untilTs: cut });
  assert.deepEqual(a, b);
  // ... and the check can fail: with the cutoff after the change, the fit moves.
  const c = calibrateWalkForward(indexForecastTask(base), { untilTs: cut + 1 });
  const d = calibrateWalkForward(indexForecastTask(altered), { untilTs: cut + 1 });
  assert.notDeepEqual(c.params, d.params);
  // Too little data before the cutoff: the fit says how many days it has.
  assert.throws(
    () => indexForecastTask(base).fit(base.slice(0, 2), base[2].ts),
    /Cannot fit sigma_tod: at least 2 session days with 30 one-minute returns are needed, current value is 0/,
  );
});

const polarsGranted = Deno.permissions.querySync({ name: "ffi" }).state === "granted" &&
  ["cpus", "networkInterfaces", "hostname"].every((kind) =>
    Deno.permissions.querySync({ name: "sys", kind: kind as Deno.SysPermissionDescriptor["kind"] })
      .state === "granted"
  );

Deno.test({
  name: "parquetIndexBars: without --allow-ffi / --allow-sys it says which permission is missing",
  ignore: polarsGranted,
  fn() {
    assert.throws(
      () => parquetIndexBars("x/I_SPX_2024-04-19_noon.parquet", new Uint8Array(8)),
      /Cannot read x\/I_SPX_2024-04-19_noon\.parquet: Parquet is read by nodejs-polars, a native addon, which needs --allow-ffi/,
    );
  },
});

if (!polarsGranted) {
  console.warn(
    "parquetIndexBars round trip skipped: run with --allow-ffi --allow-sys to read Parquet",
  );
}

Deno.test({
  name: "parquetIndexBars: reads a Polars Parquet file; refuses junk and missing columns",
  ignore: !polarsGranted,
  async fn() {
    const p = createRequire(import.meta.url)("nodejs-polars") as typeof pl;
    assert.equal(await importPolars(), p, "the async import is the same module");
    const t0 = Date.UTC(2024, 3, 19, 15, 45);
    const bytes = p.DataFrame({
      timestamp: [new Date(t0), new Date(t0 + MIN)],
      open: [5000.5, 5001],
      close: [5001, 5002.25],
      volume: [0, 0],
    }).writeParquet();
    assert.deepEqual(parquetIndexBars("a.parquet", bytes), [
      { ts: t0, open: 5000.5, close: 5001 },
      { ts: t0 + MIN, open: 5001, close: 5002.25 },
    ]);
    const noClose = p.DataFrame({ timestamp: [new Date(t0)], open: [1] }).writeParquet();
    assert.throws(
      () => parquetIndexBars("b.parquet", noClose),
      /Cannot read b\.parquet: column "close" is missing, current value is \[timestamp, open\]/,
    );
    const offGrid = p.DataFrame({ timestamp: [new Date(t0 + 1500)], open: [1], close: [1] })
      .writeParquet();
    assert.throws(
      () => parquetIndexBars("c.parquet", offGrid),
      /Cannot read c\.parquet: row 0 timestamp must be a datetime on the minute/,
    );
    assert.throws(
      () => parquetIndexBars("d.parquet", new TextEncoder().encode("not parquet")),
      /Cannot read d\.parquet: not a readable Parquet file/,
    );
  },
});
