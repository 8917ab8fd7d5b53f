import assert from "node:assert/strict";
import { join } from "node:path";
import { AuditLog, parseAuditLog } from "./audit_log.ts";
import { FakeClock } from "./fake_clock.ts";
import { denoFs } from "./io.ts";

Deno.test("AuditLog: one JSON line per record, appended across sessions, read back in order", () => {
  const p = join(Deno.makeTempDirSync(), "audit.jsonl");
  const clock = new FakeClock(Date.UTC(2026, 0, 5));
  const a = new AuditLog(p, { fs: denoFs, clock, session: "s1" });
  a.write("intent", { clientId: "kx-1" });
  a.write("sent", { clientId: "kx-1", venueId: 1 });
  a.close();
  const b = new AuditLog(p, { fs: denoFs, clock, session: "s2" });
  b.write("intent", { clientId: "kx-2" });
  assert.deepEqual(b.counts(), { intent: 1 });
  b.close();
  const recs = parseAuditLog(Deno.readTextFileSync(p));
  assert.deepEqual(recs.map((r) => [r.session, r.seq, r.type]), [
    ["s1", 1, "intent"],
    ["s1", 2, "sent"],
    ["s2", 1, "intent"],
  ]);
  assert.equal(recs[0].at, "2026-01-05T00:00:00.000Z");
  assert.throws(() => b.write("x"), /Cannot write audit record: .*closed/);
});

Deno.test("AuditLog: secrets and PEM blocks are masked before they reach the file", () => {
  const p = join(Deno.makeTempDirSync(), "audit.jsonl");
  const keyId = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
  const a = new AuditLog(p, {
    fs: denoFs,
    clock: new FakeClock(0),
    session: "s",
    secrets: [keyId],
  });
  a.write("error", {
    detail: `key ${keyId} refused`,
    pem: "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecret\n-----END RSA PRIVATE KEY-----",
  });
  a.close();
  const text = Deno.readTextFileSync(p);
  assert.ok(!text.includes(keyId));
  assert.ok(!text.includes("MIIEsecret"));
  assert.match(text, /…9abc/);
});

Deno.test("parseAuditLog: a bad line is an error naming it", () => {
  assert.throws(() => parseAuditLog('{"type":"a"}\nnot json\n'), /line 2 is not JSON/);
  assert.throws(() => parseAuditLog('{"x":1}\n'), /line 1 is not an audit record/);
});
