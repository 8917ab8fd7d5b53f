import assert from "node:assert/strict";
import { indexSynthSessions, syntheticSigmaTod } from "../../lib/synth/index_tape.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import { SESSION_MINUTES, sessionOpenTs } from "./session.ts";
import { cumulativeVariance, fitSigmaTod, varianceToMinute } from "./sigma_tod.ts";

function levelsOf(seed: number, days: number, extra: object = {}): Observation[] {
  return indexSynthSessions({ seed, historyDays: days, eventDays: 0, ...extra })
    .flatMap((s) => s.levels.map((value, i) => ({ ts: s.ts[i], value })));
}

function block(v: readonly number[], a: number, b: number): number {
  let s = 0;
  for (let m = a; m < b; m++) s += v[m];
  return s;
}

Deno.test("fitSigmaTod recovers the U-shaped synthetic curve", () => {
  // 120 sessions; tolerance: each hourly block within 10% and the whole session within
  // 5% of the truth (the sampling sd of a block's estimate is about 1/sqrt(120 * 60 / 2) ~ 2%).
  const truth = syntheticSigmaTod({});
  const fit = fitSigmaTod(levelsOf(1, 120), {});
  assert.equal(fit.days, 120);
  assert.equal(fit.returns, 120 * SESSION_MINUTES);
  assert.equal(fit.varPerMinute.length, SESSION_MINUTES);
  const marks = [0, 30, 90, 150, 210, 270, 330, 390];
  for (let k = 1; k < marks.length; k++) {
    const r = block(fit.varPerMinute, marks[k - 1], marks[k]) /
      block(truth, marks[k - 1], marks[k]);
    assert.ok(Math.abs(r - 1) < 0.1, `block ${marks[k - 1]}-${marks[k]}: ratio ${r}`);
  }
  const total = block(fit.varPerMinute, 0, 390) / block(truth, 0, 390);
  assert.ok(Math.abs(total - 1) < 0.05, `session ratio ${total}`);
  // The U shape: open and close above midday.
  assert.ok(fit.varPerMinute[2] > 3 * fit.varPerMinute[200]);
  assert.ok(fit.varPerMinute[387] > 1.5 * fit.varPerMinute[200]);
  // Gap variance: truth 0.004^2 = 1.6e-5 (119 gaps: within 30%).
  assert.equal(fit.gaps, 119);
  assert.ok(Math.abs(fit.gapVariance! / 1.6e-5 - 1) < 0.3, `gap ${fit.gapVariance}`);
});

/** Three flat sessions of 1-minute levels with a return of `r` every minute. */
function flatDays(r: number, days = 3): Observation[] {
  const out: Observation[] = [];
  let d = dayNumber(2025, 11, 3); // a Monday
  for (let k = 0; k < days; k++, d++) {
    const open = sessionOpenTs(d);
    let v = 6000;
    for (let m = 0; m <= SESSION_MINUTES; m++) {
      out.push({ ts: open + m * 60_000, value: v });
      v *= Math.exp(m % 2 === 0 ? r : -r);
    }
  }
  return out;
}

Deno.test("fitSigmaTod: raw mean of squared one-minute returns; residual clamp bounds a crash", () => {
  const raw = fitSigmaTod(flatDays(0.001), { smoothMinutes: 0 });
  for (const v of raw.varPerMinute) assert.ok(Math.abs(v / 1e-6 - 1) < 1e-9);
  const smooth = fitSigmaTod(flatDays(0.001), {});
  for (const v of smooth.varPerMinute) assert.ok(Math.abs(v / 1e-6 - 1) < 1e-9, "flat stays flat");
  // A 10% crash in minute 100 of one day.
  const crash = flatDays(0.001);
  for (let i = 101; i <= SESSION_MINUTES; i++) {
    crash[i] = { ts: crash[i].ts, value: crash[i].value * 0.9 };
  }
  const clamped = fitSigmaTod(crash, { smoothMinutes: 0 });
  assert.equal(clamped.clamped, 1);
  // Clamped at 6 robust sds (1.4826 * 0.001): (6 * 1.4826e-3)^2 / 3 days + 2/3 * 1e-6.
  const expect = (6 * 1.4826e-3) ** 2 / 3 + (2 / 3) * 1e-6;
  assert.ok(
    Math.abs(clamped.varPerMinute[100] / expect - 1) < 1e-6,
    `${clamped.varPerMinute[100]}`,
  );
  const loose = fitSigmaTod(crash, { smoothMinutes: 0, clampSd: 1e9 });
  assert.ok(loose.varPerMinute[100] > 30 * clamped.varPerMinute[100], "unclamped blows up");
  assert.equal(loose.clamped, 0);
});

Deno.test("fitSigmaTod: only one-minute pairs on the session grid count", () => {
  const lv = flatDays(0.001);
  const d = dayNumber(2025, 11, 8); // a Saturday: ignored
  const weekend = [{ ts: sessionOpenTs(d), value: 1 }, { ts: sessionOpenTs(d) + 60_000, value: 2 }];
  const extra = [...lv, ...weekend];
  const f = fitSigmaTod(extra, { smoothMinutes: 0 });
  assert.equal(f.returns, 3 * SESSION_MINUTES);
  // Drop every other level of the first day: its returns are two minutes apart and skipped.
  const thinned = lv.filter((_, i) => i > SESSION_MINUTES || i % 2 === 0);
  const g = fitSigmaTod(thinned, { smoothMinutes: 0, minDays: 2 });
  assert.equal(g.returns, 2 * SESSION_MINUTES);
  assert.equal(g.days, 2);
  // Off-grid timestamps (30 s after the minute) are not minute returns either.
  const shifted = lv.map((o) => ({ ts: o.ts + 30_000, value: o.value }));
  assert.throws(() => fitSigmaTod(shifted, {}), /at least 3 session days/);
});

Deno.test("fitSigmaTod rejects bad input", () => {
  const lv = flatDays(0.001);
  const cases: [Observation[], object, RegExp][] = [
    [
      lv.slice(0, 400),
      {},
      /at least 3 session days with 30 one-minute returns are needed, current value is 1/,
    ],
    [lv, { smoothMinutes: -1 }, /smoothMinutes must be finite and >= 0/],
    [lv, { clampSd: 0 }, /clampSd must be > 0/],
    [lv, { minDays: 0 }, /minDays must be an integer >= 1/],
    [[lv[1], lv[0]], {}, /levels must be in time order/],
    [[{ ts: 1, value: 0 }], {}, /level 0 must be finite and > 0, current value is 0/],
    [[{ ts: 1.5, value: 1 }], {}, /level 0 ts must be an integer ms/],
  ];
  for (const [levels, o, re] of cases) {
    assert.throws(() => fitSigmaTod(levels, o), (e: Error) => {
      assert.match(e.message, /^Cannot fit sigma_tod: /);
      assert.match(e.message, re);
      return true;
    });
  }
});

Deno.test("cumulativeVariance and varianceToMinute", () => {
  const v: number[] = Array.from({ length: SESSION_MINUTES }, (_, m) => (m < 10 ? 2 : 1));
  const c = cumulativeVariance(v);
  assert.equal(c.length, 391);
  assert.equal(c[0], 0);
  assert.equal(c[10], 20);
  assert.equal(c[390], 20 + 380);
  assert.equal(cumulativeVariance(v), c, "cached");
  assert.equal(varianceToMinute(c, -5), 0);
  assert.equal(varianceToMinute(c, 2.5), 5);
  assert.equal(varianceToMinute(c, 10.5), 20.5);
  assert.equal(varianceToMinute(c, 500), 400);
  assert.throws(
    () => cumulativeVariance([1, 2]),
    /the curve must have 390 entries, current value is 2/,
  );
  const bad = [...v];
  bad[7] = -1;
  assert.throws(() => cumulativeVariance(bad), /minute 7 variance must be finite and >= 0/);
});
