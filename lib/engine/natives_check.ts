/**
 * Test helper: runs a JavaScript module that uses V8 natives (`%HaveSameMap`
 * and the like) in a child Deno process started with
 * `--allow-natives-syntax`, and returns the JSON value it printed last. Only
 * V8's natives can see object layouts; the tests that check layouts
 * (object_slots_test.ts, field_layout_test.ts) share this.
 *
 * @module
 */

import assert from "node:assert/strict";

/**
 * Runs `script` (JavaScript; it may import project modules by absolute URL)
 * with V8 natives allowed, and parses its last line of output as JSON.
 *
 * @throws AssertionError when the child exits non-zero (with its stderr).
 */
export async function runWithNatives(script: string): Promise<unknown> {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/check.js`;
    await Deno.writeTextFile(file, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--v8-flags=--allow-natives-syntax", file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    return JSON.parse(lines[lines.length - 1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
