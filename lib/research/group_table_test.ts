import assert from "node:assert/strict";
import { clvStats } from "./clv_stats.ts";
import { groupTable } from "./group_table.ts";
import { bhAdjust, holmAdjust } from "./multiple_testing.ts";
import { proportionsZTest } from "./proportion_ztest.ts";
import { group, sig } from "./test_support.ts";

Deno.test("groupTable: against a baseline group", () => {
  const groups = [
    { label: "low", signals: group(10, 40) },
    { label: "mid", signals: group(20, 40) },
    { label: "high", signals: group(30, 40) },
  ];
  const t = groupTable(groups, { baseline: "low" });
  assert.equal(t.against, "low");
  assert.equal(t.groupsTried, 3);
  assert.equal(t.testsTried, 2);
  assert.equal(t.adjustment, "holm");
  assert.equal(t.alternative, "two-sided");
  assert.deepEqual(t.rows.map((r) => r.role), ["baseline", "tested", "tested"]);
  assert.equal(t.rows[0].test, null);
  const mid = proportionsZTest(20, 40, 10, 40);
  const high = proportionsZTest(30, 40, 10, 40);
  const adj = holmAdjust([mid.pValue, high.pValue]);
  assert.equal(t.rows[1].test!.z, mid.z);
  assert.equal(t.rows[1].test!.pAdjusted, adj[0]);
  assert.equal(t.rows[2].test!.pValue, high.pValue);
  assert.equal(t.rows[2].test!.pAdjusted, adj[1]);
  assert.equal(t.rows[2].test!.against, "low");
  const { label: _l, role: _r, test: _t, ...stats } = t.rows[2];
  assert.deepEqual(stats, clvStats(groups[2].signals));
});

Deno.test("groupTable: each group against the rest, BH, one-sided", () => {
  const groups = [
    { label: "a", signals: group(5, 20) },
    { label: "b", signals: group(12, 20) },
    { label: "c", signals: group(15, 25) },
  ];
  const t = groupTable(groups, { adjustment: "bh", alternative: "larger" });
  assert.equal(t.against, "rest");
  assert.equal(t.testsTried, 3);
  const ra = proportionsZTest(5, 20, 27, 45, "larger");
  const rb = proportionsZTest(12, 20, 20, 45, "larger");
  const rc = proportionsZTest(15, 25, 17, 40, "larger");
  const adj = bhAdjust([ra.pValue, rb.pValue, rc.pValue]);
  assert.deepEqual(t.rows.map((r) => r.test!.pValue), [ra.pValue, rb.pValue, rc.pValue]);
  assert.deepEqual(t.rows.map((r) => r.test!.pAdjusted), adj);
  assert.deepEqual(t.rows.map((r) => r.test!.against), ["rest", "rest", "rest"]);
});

Deno.test("groupTable: empty groups are untested and not counted", () => {
  const t = groupTable([
    { label: "a", signals: group(5, 20) },
    { label: "empty", signals: [] },
    { label: "c", signals: group(15, 25) },
  ], { baseline: "a" });
  assert.deepEqual(t.rows.map((r) => r.role), ["baseline", "untested", "tested"]);
  assert.equal(t.testsTried, 1);
  assert.equal(t.rows[1].n, 0);
  assert.ok(Number.isNaN(t.rows[1].rate));
  // With one test the adjusted p-value is the raw one.
  assert.equal(t.rows[2].test!.pAdjusted, t.rows[2].test!.pValue);
  // An empty baseline leaves everything untested.
  const e = groupTable([{ label: "a", signals: [] }, { label: "b", signals: group(1, 2) }], {
    baseline: "a",
  });
  assert.equal(e.testsTried, 0);
  assert.deepEqual(e.rows.map((r) => r.role), ["baseline", "untested"]);
  // A single group has no rest.
  const one = groupTable([{ label: "only", signals: group(1, 2) }]);
  assert.equal(one.testsTried, 0);
  assert.equal(one.rows[0].role, "untested");
  assert.deepEqual(groupTable([]).rows, []);
});

Deno.test("groupTable: validation", () => {
  assert.throws(
    () => groupTable([{ label: "a", signals: [] }, { label: "a", signals: [] }]),
    /Cannot compute bucket table: group labels must be unique strings, current value is "a"/,
  );
  assert.throws(
    () => groupTable([{ label: "a", signals: [] }], { baseline: "b" }),
    {
      message:
        'Cannot compute bucket table: baseline must be one of the group labels ["a"], current value is "b"',
    },
  );
  assert.throws(
    () => groupTable([{ label: "a", signals: [sig(NaN)] }]),
    /signals\[0\]\.clv must be a finite number of ticks, current value is NaN/,
  );
  assert.throws(() => groupTable([], { alpha: 2 }), /alpha must be in \(0, 1\)/);
});
