import assert from "node:assert/strict";
import { join } from "node:path";
import type { TapeEvent } from "../lib/tape/events.ts";
import { readNdjsonFile } from "../lib/tape/ndjson_reader.ts";
import { denoFs } from "./io.ts";
import { FakeClock } from "./fake_clock.ts";
import { TapeRecorder } from "./recorder.ts";

const ev = (ts: number): TapeEvent => ({
  kind: "underlying",
  ts,
  symbol: "BTC",
  value: 97000 + ts,
});
const lines = (p: string) => Deno.readTextFileSync(p).split("\n").filter((l) => l !== "").length;

Deno.test("TapeRecorder: writes every N events, on flush and on close; the file reads back as a tape", async () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "t.ndjson");
  const clock = new FakeClock(0);
  const rec = new TapeRecorder(p, { fs: denoFs, clock, flushEvents: 3, flushMs: 1e9 });
  rec.append(ev(1));
  rec.append(ev(2));
  assert.equal(lines(p), 0, "buffered");
  rec.append(ev(3));
  assert.equal(lines(p), 3, "N reached");
  rec.append(ev(4));
  rec.flush();
  assert.equal(lines(p), 4, "explicit flush (before an order)");
  rec.append(ev(5));
  assert.equal(rec.recorded, 5);
  assert.equal(rec.written, 4);
  rec.close();
  assert.equal(lines(p), 5, "close flushes");
  const back: TapeEvent[] = [];
  for await (const e of readNdjsonFile(p)) back.push(e);
  assert.deepEqual(back, [ev(1), ev(2), ev(3), ev(4), ev(5)]);
  assert.throws(() => rec.append(ev(6)), /Cannot record event: .*closed/);
});

Deno.test("TapeRecorder: maybeFlush writes once the oldest buffered event waited flushMs", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "t.ndjson");
  const clock = new FakeClock(0);
  const rec = new TapeRecorder(p, { fs: denoFs, clock, flushEvents: 1000, flushMs: 500 });
  rec.append(ev(1));
  clock.advance(499);
  rec.maybeFlush();
  assert.equal(lines(p), 0);
  clock.advance(1);
  rec.maybeFlush();
  assert.equal(lines(p), 1);
  assert.equal(rec.flushes, 1);
  rec.close();
});

Deno.test("TapeRecorder: an event that cannot be a tape line is refused and not recorded", () => {
  const dir = Deno.makeTempDirSync();
  const rec = new TapeRecorder(join(dir, "t.ndjson"), { fs: denoFs, clock: new FakeClock() });
  assert.throws(
    () => rec.append({ kind: "underlying", ts: 1, symbol: "BTC", value: Number.NaN }),
    /Cannot write field "value"/,
  );
  assert.equal(rec.recorded, 0);
  rec.close();
});

Deno.test("TapeRecorder: bad options are refused", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "t.ndjson");
  const clock = new FakeClock();
  assert.throws(() => new TapeRecorder(p, { fs: denoFs, clock, flushEvents: 0 }), /flushEvents.*0/);
  assert.throws(() => new TapeRecorder(p, { fs: denoFs, clock, flushMs: -1 }), /flushMs.*-1/);
});

Deno.test("TapeRecorder: truncates an existing file at start (one tape per session)", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "t.ndjson");
  Deno.writeTextFileSync(p, "garbage\n");
  const rec = new TapeRecorder(p, { fs: denoFs, clock: new FakeClock() });
  rec.close();
  assert.equal(Deno.readTextFileSync(p), "");
});
