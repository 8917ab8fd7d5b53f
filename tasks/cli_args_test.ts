import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { parsedOrExitCode } from "./cli_args.ts";

const OPTIONS = {
  file: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Runs parsedOrExitCode on `args` with console output captured. */
function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (s: string) => out.push(s);
  console.error = (s: string) => err.push(s);
  try {
    const r = parsedOrExitCode(() => parseArgs({ args, options: OPTIONS }).values, "USAGE TEXT");
    return { r, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("parsedOrExitCode: values when there is something to run", () => {
  const { r, out, err } = run(["--file", "t.kxc"]);
  assert.equal(typeof r, "object");
  assert.equal((r as { file?: string }).file, "t.kxc");
  assert.deepEqual([out, err], [[], []]);
});

Deno.test("parsedOrExitCode: --help and -h print the usage and give exit code 0", () => {
  for (const flag of ["--help", "-h"]) {
    const { r, out, err } = run([flag]);
    assert.equal(r, 0);
    assert.deepEqual(out, ["USAGE TEXT"]);
    assert.deepEqual(err, []);
  }
});

Deno.test("parsedOrExitCode: an unknown option gives exit code 2, the parse error and the usage on stderr", () => {
  const { r, out, err } = run(["--bogus"]);
  assert.equal(r, 2);
  assert.deepEqual(out, []);
  assert.equal(err.length, 1);
  assert.match(err[0], /^error: .*'--bogus'/);
  assert.match(err[0], /USAGE TEXT$/);
});
