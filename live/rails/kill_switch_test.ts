import assert from "node:assert/strict";
import { join } from "node:path";
import { denoFs } from "../io.ts";
import { KillSwitch } from "./kill_switch.ts";

Deno.test("KillSwitch: reports the file's appearance and removal once each", () => {
  const p = join(Deno.makeTempDirSync(), "KILL");
  const ks = new KillSwitch(p, denoFs);
  assert.equal(ks.poll(), null);
  assert.equal(ks.engaged, false);
  Deno.writeTextFileSync(p, "");
  assert.equal(ks.poll(), "engaged");
  assert.equal(ks.engaged, true);
  assert.equal(ks.poll(), null, "no change while it stays");
  Deno.removeSync(p);
  assert.equal(ks.poll(), "released");
  assert.equal(ks.engaged, false);
  assert.equal(ks.checks, 4);
});

Deno.test("KillSwitch: a folder at the path counts as present (anything there stops orders)", () => {
  const p = join(Deno.makeTempDirSync(), "KILL");
  Deno.mkdirSync(p);
  const ks = new KillSwitch(p, denoFs);
  assert.equal(ks.poll(), "engaged");
});

Deno.test("KillSwitch: an empty path is refused", () => {
  assert.throws(() => new KillSwitch("", denoFs), /Cannot create kill switch.*""/);
});
