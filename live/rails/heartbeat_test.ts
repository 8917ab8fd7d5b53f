import assert from "node:assert/strict";
import { join } from "node:path";
import { denoFs, type LiveFs } from "../io.ts";
import { FakeClock } from "../fake_clock.ts";
import { Heartbeat } from "./heartbeat.ts";

Deno.test("Heartbeat: writes on the first tick, then once per interval of the clock", () => {
  const p = join(Deno.makeTempDirSync(), "hb.json");
  const clock = new FakeClock(Date.UTC(2026, 0, 5));
  let n = 0;
  const hb = new Heartbeat(p, {
    fs: denoFs,
    clock,
    intervalMs: 2000,
    status: () => ({ mode: "dry", state: "running", outstandingOrders: [{ clientId: `c${++n}` }] }),
  });
  assert.equal(hb.ageMs(), Number.POSITIVE_INFINITY);
  assert.equal(hb.tick(), true);
  assert.equal(hb.tick(), false);
  clock.advance(1999);
  assert.equal(hb.tick(), false);
  assert.equal(hb.ageMs(), 1999);
  clock.advance(1);
  assert.equal(hb.tick(), true);
  const body = JSON.parse(Deno.readTextFileSync(p));
  assert.equal(body.mode, "dry");
  assert.equal(body.state, "running");
  assert.deepEqual(body.outstandingOrders, [{ clientId: "c2" }]);
  assert.equal(body.wallTs, clock.now());
  assert.equal(body.writtenAt, new Date(clock.now()).toISOString());
  assert.equal(hb.writes, 2);
});

Deno.test("Heartbeat: a failed write is counted, not thrown, and the age keeps growing", () => {
  const clock = new FakeClock(0);
  let fail = false;
  const fs: LiveFs = {
    ...denoFs,
    writeAtomic: (path, text) => {
      if (fail) throw new Error("disk full");
      denoFs.writeAtomic(path, text);
    },
  };
  const hb = new Heartbeat(join(Deno.makeTempDirSync(), "hb.json"), {
    fs,
    clock,
    intervalMs: 1000,
    status: () => ({ mode: "live", state: "running" }),
  });
  hb.tick();
  fail = true;
  clock.advance(1000);
  assert.equal(hb.tick(), false);
  clock.advance(1000);
  assert.equal(hb.tick(), false);
  assert.equal(hb.failures, 2);
  assert.match(hb.lastError, /disk full/);
  assert.equal(hb.ageMs(), 2000);
  fail = false;
  clock.advance(1000);
  assert.equal(hb.tick(), true);
  assert.equal(hb.ageMs(), 0);
});

Deno.test("Heartbeat: no PEM block ever reaches the file", () => {
  const p = join(Deno.makeTempDirSync(), "hb.json");
  const hb = new Heartbeat(p, {
    fs: denoFs,
    clock: new FakeClock(0),
    status: () => ({
      mode: "dry",
      state: "-----BEGIN PRIVATE KEY-----\nMIIEabc\n-----END PRIVATE KEY-----",
    }),
  });
  hb.writeNow();
  const text = Deno.readTextFileSync(p);
  assert.ok(!text.includes("MIIEabc"));
  assert.match(text, /REDACTED PEM PRIVATE KEY/);
});

Deno.test("Heartbeat: a bad interval is refused", () => {
  const o = {
    fs: denoFs,
    clock: new FakeClock(),
    status: () => ({ mode: "dry" as const, state: "" }),
  };
  assert.throws(() => new Heartbeat("x", { ...o, intervalMs: 0 }), /intervalMs.*0/);
  assert.throws(() => new Heartbeat("x", { ...o, intervalMs: Number.NaN }), /NaN/);
});
