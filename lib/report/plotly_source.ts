/**
 * Reads the minified Plotly bundle that the HTML report inlines. This module does
 * I/O (a file read) and is kept apart from the pure renderers for that reason;
 * it needs `--allow-read`.
 *
 * The bundle comes from the npm package `plotly.js-dist-min`, pinned in
 * `deno.json`. With `"nodeModulesDir": "auto"` it sits at
 * `<project root>/node_modules/plotly.js-dist-min/plotly.min.js` after
 * `deno install`; the path is resolved relative to this module.
 *
 * @example
 * ```ts
 * import { loadPlotlySource } from "./plotly_source.ts";
 * const js = await loadPlotlySource();
 * console.log(js.length > 1_000_000); // true: several MB of JavaScript
 * ```
 *
 * @module
 */

/** Where the bundle is expected, relative to this module (lib/report/ -> project root). */
export const PLOTLY_BUNDLE_URL: URL = new URL(
  "../../node_modules/plotly.js-dist-min/plotly.min.js",
  import.meta.url,
);

/**
 * Returns the text of the minified Plotly bundle. Throws an Error telling the
 * user to run `deno install` when it is missing.
 */
export async function loadPlotlySource(): Promise<string> {
  if (PLOTLY_BUNDLE_URL.protocol !== "file:") {
    throw new Error(
      `Cannot load Plotly: this module is not on the local file system, current location is ${import.meta.url}`,
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(PLOTLY_BUNDLE_URL);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot load Plotly: ${PLOTLY_BUNDLE_URL.pathname} is missing; ` +
          "run `deno install` in the project root to fetch npm:plotly.js-dist-min",
        { cause: e },
      );
    }
    throw e;
  }
  if (!text.includes("plotly.js v")) {
    throw new Error(
      `Cannot load Plotly: ${PLOTLY_BUNDLE_URL.pathname} does not look like the Plotly bundle, ` +
        `current first bytes are ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return text;
}
