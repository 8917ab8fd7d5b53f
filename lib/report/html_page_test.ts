import assert from "node:assert/strict";
import { esc, htmlTable, inlineScript, pageEnd, pageHead } from "./html_page.ts";

Deno.test("esc and inlineScript keep text and scripts from closing or opening markup", () => {
  assert.equal(esc(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  assert.equal(inlineScript('s = "</SCRIPT>"'), 's = "<\\/SCRIPT>"');
});

Deno.test("htmlTable right-aligns numeric columns, escapes cells, says none when empty", () => {
  assert.equal(
    htmlTable(["a", "n"], [["<x>", "1"]], [false, true], "wide"),
    '<table class="wide">\n<thead><tr><th>a</th><th class="num">n</th></tr></thead>\n' +
      '<tbody>\n<tr><td>&lt;x&gt;</td><td class="num">1</td></tr>\n</tbody>\n</table>',
  );
  assert.equal(htmlTable(["a"], []), '<p class="none">none</p>');
});

Deno.test("pageHead shows the banner only for synthetic data and marks mono values", () => {
  const head = (synthetic: boolean) =>
    pageHead({
      title: "T & U",
      style: "p{}",
      synthetic,
      meta: [["Digest", "ab"], ["Seed", "1"]],
      mono: new Set(["Digest"]),
    }).join("\n");
  assert.match(head(true), /<div class="synthetic" role="alert">/);
  assert.doesNotMatch(head(false), /class="synthetic"/);
  assert.match(head(false), /<title>T &amp; U<\/title>/);
  assert.match(head(false), /<th scope="row">Digest<\/th><td class="mono">ab<\/td>/);
  assert.match(head(false), /<th scope="row">Seed<\/th><td>1<\/td>/);
  assert.match(head(false), /Content-Security-Policy" content="default-src &#39;none&#39;;/);
});

Deno.test("pageEnd writes each data element as escaped JSON, then the scripts", () => {
  const end = pageEnd([["d1", { a: "</script>" }], ["d2", [1]]], "P</script>", "R");
  assert.deepEqual(end, [
    "</main>",
    '<script type="application/json" id="d1">{"a":"\\u003c/script\\u003e"}</script>',
    '<script type="application/json" id="d2">[1]</script>',
    "<script>P<\\/script></script>",
    "<script>R</script>",
    "</body>",
    "</html>",
    "",
  ]);
});
