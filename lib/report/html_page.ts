/**
 * The page frame both HTML reports (run report, factor report) share: escaping,
 * the Content-Security-Policy, the head with its synthetic-data banner and run
 * metadata table, plain tables, and the closing scripts. Each report supplies
 * its own style, body and render script.
 *
 * @module
 */

import { SYNTHETIC_WARNING } from "./markdown.ts";

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON safe to place inside a `<script type="application/json">` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** JavaScript source safe to inline in a `<script>` element. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}

/** Reports run only their own inline scripts and load nothing from anywhere. */
export const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; " +
  "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'";

/**
 * A table of escaped cells; `num[i]` right-aligns column i. No rows gives a
 * "none" paragraph instead of an empty table.
 */
export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  num: readonly boolean[] = [],
  cls = "",
): string {
  if (rows.length === 0) return `<p class="none">none</p>`;
  const th = head.map((h, i) => `<th${num[i] ? ' class="num"' : ""}>${esc(h)}</th>`).join("");
  const body = rows.map((r) =>
    `<tr>${r.map((v, i) => `<td${num[i] ? ' class="num"' : ""}>${esc(v)}</td>`).join("")}</tr>`
  ).join("\n");
  return `<table${
    cls ? ` class="${cls}"` : ""
  }>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n` +
    `</tbody>\n</table>`;
}

/** What the top of a report page shows. */
export interface PageHead {
  readonly title: string;
  readonly style: string;
  readonly synthetic: boolean;
  /** Run metadata rows, [label, value]. */
  readonly meta: readonly (readonly [string, string])[];
  /** Labels whose values are set in a monospace font. */
  readonly mono: ReadonlySet<string>;
}

/** The page's lines from the doctype to the metadata table, inside `<main>`. */
export function pageHead(h: PageHead): string[] {
  const metaRows = h.meta.map(([k, v]) =>
    `<tr><th scope="row">${esc(k)}</th><td${h.mono.has(k) ? ' class="mono"' : ""}>${
      esc(v)
    }</td></tr>`
  ).join("\n");
  const parts = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(h.title)}</title>`,
    `<style>${h.style}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${esc(h.title)}</h1>`,
  ];
  if (h.synthetic) {
    parts.push(
      `<div class="synthetic" role="alert"><strong>SYNTHETIC DATA</strong>${
        esc(SYNTHETIC_WARNING)
      }</div>`,
    );
  }
  parts.push(`<table class="meta">\n<tbody>\n${metaRows}\n</tbody>\n</table>`);
  return parts;
}

/**
 * The page's closing lines: end of `<main>`, the JSON data elements
 * (`[id, value]`), the inlined Plotly bundle and the report's render script.
 */
export function pageEnd(
  data: readonly (readonly [string, unknown])[],
  plotlyJs: string,
  renderScript: string,
): string[] {
  return [
    "</main>",
    ...data.map(([id, value]) =>
      `<script type="application/json" id="${id}">${jsonForScript(value)}</script>`
    ),
    `<script>${inlineScript(plotlyJs)}</script>`,
    `<script>${renderScript}</script>`,
    "</body>",
    "</html>",
    "",
  ];
}
