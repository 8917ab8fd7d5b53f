import assert from "node:assert/strict";
import { bucketAnalysis } from "./buckets.ts";
import type { Signal } from "./signal.ts";
import { MS_PER_DAY, stability } from "./stability.ts";
import { sig } from "./test_support.ts";

const END = Date.UTC(2026, 5, 30);

/** `hiPos` of `hiN` high-skew and `loPos` of `loN` low-skew signals, `daysAgo` before END. */
function day(daysAgo: number, hiPos: number, hiN: number, loPos: number, loN: number): Signal[] {
  const ts = END - daysAgo * MS_PER_DAY;
  const out: Signal[] = [];
  for (let i = 0; i < hiN; i++) out.push(sig(i < hiPos ? 1 : -1, { skew: 0.9 }, ts));
  for (let i = 0; i < loN; i++) out.push(sig(i < loPos ? 1 : -1, { skew: 0.1 }, ts));
  return out;
}

Deno.test("stability: an effect that holds in every window", () => {
  const xs = [day(25, 7, 10, 3, 10), day(10, 7, 10, 3, 10), day(3, 7, 10, 3, 10)].flat();
  const r = stability(xs, "skew", { cuts: [0.5] });
  assert.equal(r.reference.effect, 0.7 - 0.3);
  const last = END - 3 * MS_PER_DAY; // the latest signal: the default end
  assert.equal(r.reference.end, last);
  assert.equal(r.effectBucket, "[0.5, inf)");
  assert.equal(r.against, "rest");
  assert.deepEqual(r.windows.map((w) => w.days), [7, 14, 30]);
  assert.deepEqual(r.windows.map((w) => w.analysis.rows[1].n), [10, 20, 30]);
  assert.deepEqual(r.windows.map((w) => w.status), ["holds", "holds", "holds"]);
  assert.equal(r.collapsed, false);
  assert.equal(r.windows[0].start, last - 7 * MS_PER_DAY);
  assert.equal(r.windows[0].end, last);
});

Deno.test("stability: a flip and a collapse in the short windows are flagged", () => {
  // Strong early, reversed in the last week, flat in days 8-14.
  const xs = [day(25, 18, 20, 2, 20), day(10, 5, 10, 5, 10), day(2, 2, 10, 6, 10)].flat();
  const r = stability(xs, "skew", { cuts: [0.5] }, { baseline: 0 });
  assert.ok(r.reference.effect > 0);
  assert.equal(r.against, "[-inf, 0.5)");
  assert.equal(r.windows[0].effect, 0.2 - 0.6);
  assert.equal(r.windows[0].status, "flipped");
  assert.ok(Math.abs(r.windows[1].effect - (7 / 20 - 11 / 20)) < 1e-15);
  assert.equal(r.windows[1].status, "flipped");
  assert.equal(r.windows[2].status, "holds");
  assert.equal(r.collapsed, true);
  // Same data, 7 days: only the flat middle week is in a window ending 5 days earlier.
  const mid = stability(xs, "skew", { cuts: [0.5] }, {
    end: END - 5 * MS_PER_DAY,
    windowsDays: [7],
  });
  assert.equal(mid.windows[0].effect, 0);
  assert.equal(mid.windows[0].status, "collapsed");
  // The last week's signals are after `end`: not in the whole sample either.
  assert.equal(mid.reference.analysis.rows[0].n + mid.reference.analysis.rows[1].n, 60);
});

Deno.test("stability: collapseFraction decides collapsed vs holds", () => {
  // Whole sample effect 0.4 (0.7 vs 0.3); last week 0.6 vs 0.4 = 0.2 (half of it, about).
  const xs = [day(20, 16, 20, 4, 20), day(1, 6, 10, 4, 10)].flat();
  const r = stability(xs, "skew", { cuts: [0.5] }, { windowsDays: [7] });
  const ratio = r.windows[0].effect / r.reference.effect;
  assert.ok(ratio > 0.3 && ratio < 0.5, `ratio ${ratio}`);
  assert.equal(r.windows[0].status, "collapsed");
  const loose = stability(xs, "skew", { cuts: [0.5] }, { windowsDays: [7], collapseFraction: 0.3 });
  assert.equal(loose.windows[0].status, "holds");
  assert.equal(loose.collapsed, false);
  const never = stability(xs, "skew", { cuts: [0.5] }, { windowsDays: [7], collapseFraction: 0 });
  assert.equal(never.windows[0].status, "holds");
});

Deno.test("stability: insufficient windows and no reference effect never flag", () => {
  const xs = [day(20, 7, 10, 3, 10), day(1, 1, 1, 0, 0)].flat(); // last week: no low signals
  const r = stability(xs, "skew", { cuts: [0.5] }, { windowsDays: [7, 30] });
  assert.ok(Number.isNaN(r.windows[0].effect));
  assert.equal(r.windows[0].status, "insufficient");
  assert.equal(r.windows[1].status, "holds");
  assert.equal(r.collapsed, false);
  // Both sides present in the last week but with one signal each: minCount 2 says insufficient.
  const thin = [day(20, 7, 10, 3, 10), day(1, 1, 1, 0, 1)].flat();
  const loose = stability(thin, "skew", { cuts: [0.5] }, { windowsDays: [7] });
  assert.equal(loose.windows[0].effect, 1);
  assert.equal(loose.windows[0].status, "holds");
  const strict = stability(thin, "skew", { cuts: [0.5] }, { windowsDays: [7], minCount: 2 });
  assert.equal(strict.windows[0].effect, 1);
  assert.equal(strict.windows[0].status, "insufficient");
  assert.equal(strict.reference.status, "holds");
  // Too few in the whole sample: no reference, every window "no-reference".
  const tiny = stability(thin, "skew", { cuts: [0.5] }, { windowsDays: [7], minCount: 12 });
  assert.equal(tiny.reference.status, "no-reference"); // 11 high signals < 12
  assert.equal(tiny.windows[0].status, "no-reference");
  // No effect in the whole sample: nothing to collapse.
  const flat = [day(20, 4, 10, 6, 10), day(1, 3, 4, 1, 4)].flat(); // 7/14 vs 7/14
  const f = stability(flat, "skew", { cuts: [0.5] }, { windowsDays: [7] });
  assert.equal(f.reference.status, "no-reference");
  assert.equal(f.windows[0].effect, 0.5); // an effect in the window, but nothing to compare with
  assert.equal(f.windows[0].status, "no-reference");
  assert.equal(f.collapsed, false);
});

Deno.test("stability: quantile cuts come from the whole sample and are shared", () => {
  const xs: Signal[] = [];
  for (let d = 0; d < 30; d++) {
    for (let k = 0; k < 4; k++) {
      xs.push(sig(k >= 2 ? 1 : -1, { skew: d + k / 4 }, END - d * MS_PER_DAY));
    }
  }
  const r = stability(xs, "skew", { quantiles: 4 });
  const whole = bucketAnalysis(xs, "skew", { quantiles: 4 });
  assert.deepEqual(r.cuts, whole.cuts);
  for (const w of r.windows) assert.deepEqual(w.analysis.cuts, whole.cuts);
  // The last 7 days hold only the lowest skew values (d = 0..6).
  assert.deepEqual(r.windows[0].analysis.rows.map((b) => b.n), [28, 0, 0, 0]);
  assert.equal(r.windows[0].status, "insufficient");
});

Deno.test("stability: validation", () => {
  const xs = day(1, 1, 2, 1, 2);
  assert.throws(
    () => stability([], "skew", { cuts: [0.5] }),
    /Cannot check stability: need at least one signal, current value is 0 signals/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { windowsDays: [7, 0] }),
    /windowsDays\[1\] must be a whole number of days >= 1, current value is 0/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { windowsDays: [1.5] }),
    /current value is 1.5/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { collapseFraction: 1.5 }),
    /collapseFraction must be in \[0, 1\], current value is 1.5/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { minCount: 0 }),
    /minCount must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { effectBucket: 2 }),
    /effectBucket must be a bucket index in \[0, 1\], current value is 2/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { baseline: 1 }),
    /baseline must differ from effectBucket, current value is 1/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { end: END - 30 * MS_PER_DAY }),
    /no signal at or before end/,
  );
  assert.throws(
    () => stability(xs, "skew", { cuts: [0.5] }, { end: 1.5 }),
    /end must be an integer/,
  );
  assert.throws(
    () => stability([...xs, sig(1, { skew: NaN }, END)], "skew", { cuts: [0.5] }),
    /signals\[4\]\.factors\.skew must be a finite number, current value is NaN/,
  );
});
