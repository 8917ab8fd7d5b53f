/**
 * A bad or missing import option (a usage error: the CLI exits with status 2),
 * as opposed to bad data ({@link ImportError}, status 1).
 *
 * @example
 * ```ts
 * import { ImportOptionError } from "./option_error.ts";
 *
 * const e = new ImportOptionError("tz", "Cannot read timestamps: option missing, current value is none");
 * e.message; // 'option "tz": Cannot read timestamps: option missing, current value is none'
 * ```
 *
 * @module
 */

/** A bad or missing option; names the option. */
export class ImportOptionError extends Error {
  readonly option: string;
  readonly detail: string;

  constructor(option: string, detail: string) {
    super(`option "${option}": ${detail}`);
    this.name = "ImportOptionError";
    this.option = option;
    this.detail = detail;
  }
}
