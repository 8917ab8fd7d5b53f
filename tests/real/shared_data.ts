/**
 * Where the real recorded data lives (../shared/data beside the repo) and the rule
 * for tests that need it: they run under `deno task test:real`; when the folder is
 * missing they FAIL under CI=true and are ignored (with a printed reason) elsewhere.
 * The data is never copied into the repo (its licences do not allow it).
 *
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of ../shared/data relative to the repo root. */
export const SHARED_DATA: string = join(
  fileURLToPath(new URL("../../", import.meta.url)),
  "..",
  "shared",
  "data",
);

/** Whether we run under CI (CI=true or CI=1). */
export function underCi(): boolean {
  const v = Deno.env.get("CI");
  return v === "true" || v === "1";
}

/** Path of a file or folder under ../shared/data. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/**
 * Options for Deno.test of a real-data test: ignored outside CI when the data is
 * missing; under CI a missing folder is a failure (the test runs and its first
 * read throws, naming the missing path).
 */
export function realDataTest(...parts: string[]): { ignore: boolean } {
  const path = sharedPath(...parts);
  const present = existsSync(path);
  if (!present && !underCi()) {
    console.warn(`real-data test ignored: ${path} is missing (it fails instead under CI=true)`);
  }
  return { ignore: !present && !underCi() };
}

/** Throws a clear error when a required real-data path is missing. */
export function requireShared(...parts: string[]): string {
  const path = sharedPath(...parts);
  if (!existsSync(path)) {
    throw new Error(
      `Cannot read real data: missing, current value is ${path} (see tests/real/shared_data.ts)`,
    );
  }
  return path;
}
