/**
 * Options of the bench's child scripts (write_tape.ts, run_path.ts): --help,
 * and a usage message for an option they do not know.
 *
 * @module
 */

/**
 * The values `parse` returns (parseArgs' `values`), or the exit code when there
 * is nothing to run: 0 after printing `usage` for --help, 2 after printing the
 * parse error and `usage` to stderr.
 *
 * @example
 * ```ts
 * const v = parsedOrExitCode(() => parseArgs({ args, options }).values, USAGE);
 * if (typeof v === "number") return v;
 * ```
 */
export function parsedOrExitCode<T extends { help?: boolean }>(
  parse: () => T,
  usage: string,
): T | number {
  let values: T;
  try {
    values = parse();
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return values;
}
