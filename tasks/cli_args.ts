/**
 * Options of a command: --help, and a usage message for an option it does not
 * know. Shared by the tasks (backtest, calibrate) and the bench's child
 * scripts (write_tape.ts, run_path.ts).
 *
 * @module
 */

/** Where a command prints (a test can capture it). */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const CONSOLE: CliOutput = {
  stdout: (t) => console.log(t),
  stderr: (t) => console.error(t),
};

/**
 * The values `parse` returns (parseArgs' `values`), or the exit code when there
 * is nothing to run: 0 after printing `help` for --help, 2 after printing the
 * parse error and `help` to stderr.
 *
 * @example
 * ```ts
 * const v = parsedOrExitCode(() => parseArgs({ args, options }).values, HELP);
 * if (typeof v === "number") return v;
 * ```
 */
export function parsedOrExitCode<T extends { help?: boolean }>(
  parse: () => T,
  help: string,
  out: CliOutput = CONSOLE,
): T | number {
  let values: T;
  try {
    values = parse();
  } catch (e) {
    out.stderr(`error: ${(e as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    out.stdout(help);
    return 0;
  }
  return values;
}
