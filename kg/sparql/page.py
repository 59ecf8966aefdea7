"""The offline query page of ``kg serve``: one HTML file, inline CSS and JS, no CDN.

The query library is embedded as JSON (``</`` escaped) and offered in a drop-down.

>>> b"who-leads" in query_page({})                                 # doctest: +SKIP
False
"""

from __future__ import annotations

import json

__all__ = ["query_page"]


def query_page(library: dict) -> bytes:
    """The query UI: one HTML page, inline CSS and JS, the library embedded as JSON."""
    queries = [{"name": q.name, "title": q.title, "question": q.question_en,
                "zh": q.question_zh, "text": q.text} for q in library.values()]
    data = json.dumps(queries, ensure_ascii=False).replace("</", "<\\/")
    return (_PAGE.replace("__QUERIES__", data)).encode("utf-8")


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kg SPARQL</title>
<style>
body{font-family:system-ui,"Noto Sans CJK TC",sans-serif;margin:1.5rem;max-width:80rem}
textarea{width:100%;height:16rem;font-family:ui-monospace,monospace;font-size:.9rem}
select,button{font-size:1rem;margin:.3rem .3rem .3rem 0}
#question{color:#444;margin:.3rem 0}
table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
#status{margin-top:.5rem;color:#555}
.error{color:#a00;white-space:pre;font-family:ui-monospace,monospace}
</style></head>
<body>
<h1>SPARQL</h1>
<p>Endpoint: <code id="endpoint"></code> · <a href="/html/">HTML views</a> ·
<a href="/query/">library queries with parameter forms</a> · <a href="/.well-known/void">dataset</a></p>
<label>Library: <select id="library"><option value="">— pick a query —</option></select></label>
<p id="question"></p>
<textarea id="query" spellcheck="false">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>
<div><button id="run">Run</button>
<label>as <select id="accept">
<option value="application/sparql-results+json">table</option>
<option value="text/csv">CSV</option><option value="text/tab-separated-values">TSV</option>
<option value="application/sparql-results+xml">XML</option>
<option value="text/turtle">Turtle (CONSTRUCT)</option>
</select></label></div>
<div id="status"></div>
<div id="results"></div>
<script id="queries" type="application/json">__QUERIES__</script>
<script>
"use strict";
const queries = JSON.parse(document.getElementById("queries").textContent);
const pick = document.getElementById("library");
const area = document.getElementById("query");
const endpoint = new URL("/sparql", window.location.href).href;
document.getElementById("endpoint").textContent = endpoint;
for (const q of queries) {
  const option = document.createElement("option");
  option.value = q.name; option.textContent = q.name + " — " + q.title;
  pick.appendChild(option);
}
pick.addEventListener("change", () => {
  const q = queries.find(x => x.name === pick.value);
  if (!q) return;
  area.value = q.text;
  document.getElementById("question").textContent = q.question + (q.zh ? " / " + q.zh : "");
});
function cell(term) {
  if (!term) return "";
  if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
  return term.value;
}
function showTable(data) {
  const out = document.getElementById("results");
  out.textContent = "";
  if ("boolean" in data) { out.textContent = "answer: " + data.boolean; return 1; }
  const table = document.createElement("table");
  const head = table.insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  }
  for (const row of data.results.bindings) {
    const tr = table.insertRow();
    for (const v of data.head.vars) tr.insertCell().textContent = cell(row[v]);
  }
  out.appendChild(table);
  return data.results.bindings.length;
}
async function run() {
  const status = document.getElementById("status");
  const out = document.getElementById("results");
  const accept = document.getElementById("accept").value;
  status.textContent = "running…"; out.textContent = "";
  const started = performance.now();
  try {
    const response = await fetch(endpoint, {method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": accept + ", */*;q=0.1"},
      body: area.value});
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = "HTTP " + response.status;
      const pre = document.createElement("div"); pre.className = "error";
      pre.textContent = text; out.appendChild(pre); return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      const n = showTable(JSON.parse(text));
      status.textContent = n + " result(s) in " + ms + " ms";
    } else {
      const pre = document.createElement("pre"); pre.textContent = text;
      out.appendChild(pre); status.textContent = type.split(";")[0] + " in " + ms + " ms";
    }
  } catch (err) { status.textContent = "failed: " + err; }
}
document.getElementById("run").addEventListener("click", run);
area.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
</script>
</body></html>
"""
