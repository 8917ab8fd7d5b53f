/**
 * Runs a Python oracle script under Debian's interpreter (the one that sees
 * python3-pandas, python3-sklearn and python3-statsmodels) on a JSON input
 * file and parses its JSON output. A missing interpreter or module fails the
 * test with the packages to install; it is never skipped.
 *
 * @module
 */

/** Debian's python3 (the `python3` on PATH may be another interpreter). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

/** How the oracle is named in errors and what to install when it is missing. */
export interface OracleSpec {
  /** e.g. "sklearn oracle"; errors say "<name> test: ...". */
  readonly name: string;
  /** The Python source; reads the JSON file named by argv[1], prints JSON. */
  readonly script: string;
  /** The apt-get command that installs what the script imports. */
  readonly installHint: string;
}

/**
 * Writes `input` to a temporary JSON file, runs the oracle on it and returns
 * its parsed output. The script signals an import failure by writing
 * "MISSING_MODULE" to stderr.
 */
export async function runPythonOracle<T>(spec: OracleSpec, input: unknown): Promise<T> {
  const label = `${spec.name} test`;
  const prefix = `${spec.name.replaceAll(" ", "_")}_`;
  const file = await Deno.makeTempFile({ prefix, suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(input));
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(DEBIAN_PYTHON, {
        args: ["-c", spec.script, file],
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(`${label}: ${DEBIAN_PYTHON} not found; ${spec.installHint}`);
      }
      throw e;
    }
    const stderr = new TextDecoder().decode(out.stderr);
    if (!out.success) {
      if (stderr.includes("MISSING_MODULE")) {
        throw new Error(
          `${label}: ${DEBIAN_PYTHON} lacks a module (${stderr.trim()}); ${spec.installHint}`,
        );
      }
      throw new Error(`${label}: ${DEBIAN_PYTHON} failed (exit ${out.code}):\n${stderr}`);
    }
    return JSON.parse(new TextDecoder().decode(out.stdout)) as T;
  } finally {
    await Deno.remove(file);
  }
}
