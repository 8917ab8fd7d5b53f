import assert from "node:assert/strict";
import { join } from "node:path";
import { denoFs, systemClock } from "./io.ts";

Deno.test("denoFs: writeAtomic replaces the whole file and leaves no temporary file", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "state.json");
  denoFs.writeAtomic(p, "first, longer content");
  denoFs.writeAtomic(p, "second");
  assert.equal(Deno.readTextFileSync(p), "second");
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["state.json"]);
});

Deno.test("denoFs: readText and exists tell a missing file apart", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "x");
  assert.equal(denoFs.exists(p), false);
  assert.equal(denoFs.readText(p), undefined);
  Deno.writeTextFileSync(p, "hi");
  assert.equal(denoFs.exists(p), true);
  assert.equal(denoFs.readText(p), "hi");
});

Deno.test("denoFs: openAppend appends, truncate empties first, a closed sink refuses", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "log");
  Deno.writeTextFileSync(p, "old\n");
  const a = denoFs.openAppend(p);
  a.write("a\n");
  a.close();
  assert.equal(Deno.readTextFileSync(p), "old\na\n");
  const t = denoFs.openAppend(p, { truncate: true });
  t.write("new\n");
  t.write("more\n");
  t.close();
  assert.equal(Deno.readTextFileSync(p), "new\nmore\n");
  assert.throws(() => t.write("x"), /Cannot append to .*closed/);
  t.close(); // twice is fine
});

Deno.test("denoFs: writeAtomic into a missing folder throws and mkdirp fixes it", () => {
  const dir = Deno.makeTempDirSync();
  const p = join(dir, "a", "b", "f.json");
  assert.throws(() => denoFs.writeAtomic(p, "{}"));
  denoFs.mkdirp(join(dir, "a", "b"));
  denoFs.writeAtomic(p, "{}");
  assert.equal(Deno.readTextFileSync(p), "{}");
});

Deno.test("systemClock: sleeps, aborts and refuses a bad duration", async () => {
  const t0 = systemClock.now();
  await systemClock.sleep(5);
  assert.ok(systemClock.now() >= t0 + 4);
  const ac = new AbortController();
  const p = systemClock.sleep(10_000, ac.signal);
  ac.abort(new Error("stop"));
  await assert.rejects(p, /stop/);
  assert.throws(() => systemClock.sleep(-1), /Cannot sleep: .* current value is -1/);
  assert.throws(() => systemClock.sleep(Number.NaN), /current value is NaN/);
});
