"""The endpoint's query page at /: a query box that starts with the project's prefixes, the
ready queries of queries/ to load into it, and the answer as a table. It needs nothing
from the network (the page of Oxigraph's own server fetched YASGUI)."""
from __future__ import annotations

import html
import json

EXAMPLE = """SELECT ?country (COUNT(*) AS ?visitors) WHERE { ?p nkg:visits ?country }
GROUP BY ?country ORDER BY DESC(?visitors) ?country LIMIT 10
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>newskg SPARQL endpoint</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 76em;
       padding: 0 1em; color: #222; }
h1 { font-size: 1.3em; margin-bottom: .2em; }
textarea { width: 100%; height: 26em; box-sizing: border-box;
           font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.bar { display: flex; gap: 1.2em; align-items: center; flex-wrap: wrap; margin: .6em 0; }
.note { color: #555; }
.error { color: #a00; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 13px; margin-top: .5em; }
th, td { border: 1px solid #ccc; padding: 2px 7px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; position: sticky; top: 0; }
td small { color: #777; }
pre { background: #f7f7f7; padding: .6em; overflow: auto; }
#out { overflow-x: auto; }
td.iri { white-space: nowrap; }
button { font-size: 14px; padding: .2em 1.2em; }
</style>
</head>
<body>
<h1>newskg SPARQL endpoint</h1>
<p class="note">__ABOUT__</p>
<div class="bar">
  <label>Ready query <select id="ready"><option value="">(your own)</option>__READY__</select></label>
  <label>Answer as <select id="accept">
    <option value="application/sparql-results+json, text/turtle;q=0.9">a table</option>
    <option value="text/csv, text/turtle;q=0.9">CSV</option>
    <option value="text/tab-separated-values, text/turtle;q=0.9">TSV</option>
    <option value="application/sparql-results+xml, application/rdf+xml;q=0.9">XML</option>
    <option value="application/sparql-results+json, text/turtle;q=0.9" data-raw="1">JSON</option>
  </select></label>
  <button id="run">Run</button><span class="note">Ctrl-Enter runs the query</span>
</div>
<textarea id="query" spellcheck="false">__QUERY__</textarea>
<p id="status" class="note"></p>
<div id="out"></div>
<script>
const READY = __READY_JSON__;
const PREFIXES = __PREFIXES_JSON__;
const box = document.getElementById("query");
const out = document.getElementById("out");
const status = document.getElementById("status");
document.getElementById("ready").addEventListener("change", (event) => {
  if (event.target.value) box.value = READY[event.target.value];
});
function short(iri) {
  for (const [name, base] of PREFIXES) {
    if (iri.startsWith(base) && /^[\\w-]*$/.test(iri.slice(base.length))) return name + ":" + iri.slice(base.length);
  }
  return "<" + iri + ">";
}
function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") { td.textContent = short(term.value); td.title = term.value; td.className = "iri"; }
  else {
    td.textContent = term.value;
    const tag = term["xml:lang"] ? "@" + term["xml:lang"] : "";
    if (tag) { const small = document.createElement("small"); small.textContent = " " + tag; td.append(small); }
  }
  return td;
}
function table(data) {
  if ("boolean" in data) { out.textContent = String(data.boolean); return; }
  const t = document.createElement("table");
  const head = t.insertRow();
  for (const name of data.head.vars) { const th = document.createElement("th"); th.textContent = name; head.append(th); }
  for (const row of data.results.bindings) {
    const tr = t.insertRow();
    for (const name of data.head.vars) tr.append(cell(row[name]));
  }
  out.replaceChildren(t);
  return data.results.bindings.length;
}
async function run() {
  const choice = document.getElementById("accept").selectedOptions[0];
  status.textContent = "running…"; out.replaceChildren();
  const started = performance.now();
  let response;
  try {
    response = await fetch("query", { method: "POST", headers: { "Accept": choice.value,
      "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ query: box.value }) });
  } catch (error) { status.textContent = ""; out.innerHTML = '<p class="error"></p>'; out.firstChild.textContent = String(error); return; }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const text = await response.text();
  if (!response.ok) {
    status.textContent = response.status + " " + response.statusText + " after " + seconds + " s";
    const p = document.createElement("p"); p.className = "error"; p.textContent = text; out.replaceChildren(p); return;
  }
  const kind = response.headers.get("Content-Type") || "";
  let rows = null;
  if (kind.includes("json") && !choice.dataset.raw) rows = table(JSON.parse(text));
  else { const pre = document.createElement("pre"); pre.textContent = text; out.replaceChildren(pre); }
  const cut = response.headers.get("Newskg-Truncated");
  status.textContent = (rows === null || rows === undefined ? "" : rows + " row" + (rows === 1 ? "" : "s") + ", ")
    + seconds + " s" + (cut ? " — truncated: " + cut : "");
}
document.getElementById("run").addEventListener("click", run);
box.addEventListener("keydown", (event) => { if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(); });
</script>
</body>
</html>
"""


def _script_json(value) -> str:
    """JSON that cannot close the <script> it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def page(about: str, prefixes: dict[str, str], ready: dict[str, str]) -> bytes:
    """The page's HTML. `about` says what is served and the limits; `ready` maps the name
    of each ready query to its text."""
    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(prefixes.items()))
    options = "".join(f'<option value="{html.escape(name)}">{html.escape(name)}</option>'
                      for name in sorted(ready))
    longest_first = sorted(prefixes.items(), key=lambda p: -len(p[1]))
    text = (TEMPLATE.replace("__ABOUT__", html.escape(about))
            .replace("__READY__", options)
            .replace("__QUERY__", html.escape(declared + "\n" + EXAMPLE))
            .replace("__READY_JSON__", _script_json(ready))
            .replace("__PREFIXES_JSON__", _script_json(longest_first)))
    return text.encode("utf-8")
