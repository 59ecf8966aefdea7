// kg review: the report text with every proposal highlighted, the list beside it, keyboard
// decisions. Every request carries the per-run secret from the page's <meta> tag; all text is
// inserted with textContent (never innerHTML).
"use strict";

const SECRET = document.querySelector('meta[name="kg-secret"]').content;
const GROUPS = ["entities", "relations", "figures"];
let state = null;
let order = [];      // proposal ids in list order
let focusId = null;
let panelFor = null; // the proposal the open edit/merge panel is about

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

async function api(path, body) {
  const options = { headers: { "X-KG-Secret": SECRET }, credentials: "same-origin" };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data;
  try { data = await response.json(); } catch (e) { data = { error: await response.text() }; }
  if (!response.ok) throw data;
  return data;
}

function say(text, kind) {
  const box = document.getElementById("message");
  box.textContent = text;
  box.className = kind || "";
}

function byId(id) { return state.proposals.find((p) => p.id === id); }

function computeOrder() {
  order = [];
  for (const group of GROUPS) {
    const items = state.proposals.filter((p) => p.group === group);
    items.sort((a, b) => (b.score || 0) - (a.score || 0) || a.id.localeCompare(b.id));
    order.push(...items.map((p) => p.id));
  }
}

function statusText(p) {
  if (p.status === "pending") return "pending";
  if (p.status === "merge") return "merged into " + p.into;
  if (p.status === "edit") return "accepted with edits";
  if (p.status === "accept") return "accepted";
  return "rejected";
}

function renderProgress() {
  document.getElementById("progress").textContent =
    `${state.reviewed} of ${state.total} reviewed`;
}

function renderList() {
  for (const group of GROUPS) {
    const list = document.querySelector(`#list section[data-group="${group}"] ol`);
    list.replaceChildren();
    for (const id of order) {
      const p = byId(id);
      if (p.group !== group) continue;
      const meta = `${(p.score ?? 0).toFixed(2)} · ${p.section || "-"} · ${p.source || ""}`;
      const item = el("li", { class: `${p.status}${id === focusId ? " focus" : ""}`,
                              dataset: { id }, id: `p-${id}` },
        el("span", { class: "summary" }, p.summary), " ",
        el("span", { class: "status" }, statusText(p)), el("br"),
        el("span", { class: "meta" }, meta));
      if (p.link && p.link.id && p.status === "pending") {
        item.append(el("br"), el("span", { class: "meta" },
          `may be ${p.link.id}${p.link.note ? " (" + p.link.note + ")" : ""}`));
      }
      if (p.status === "pending") {
        const buttons = el("span", { class: "buttons" });
        for (const [label, action] of [["accept", "a"], ["reject", "r"], ["edit", "e"]]) {
          buttons.append(el("button", { type: "button", dataset: { action } }, label), " ");
        }
        if (p.kind === "entity") {
          buttons.append(el("button", { type: "button", dataset: { action: "m" } }, "merge"));
        }
        item.append(el("br"), buttons);
      }
      list.append(item);
    }
  }
}

function renderText() {
  const text = state.text;
  const spans = state.proposals.filter((p) => p.span && p.span.end > p.span.start);
  const focused = focusId ? byId(focusId) : null;
  const evidence = focused && focused.evidence ? focused.evidence : null;
  const points = new Set([0, text.length]);
  for (const p of spans) { points.add(p.span.start); points.add(p.span.end); }
  if (evidence) { points.add(evidence.start); points.add(evidence.end); }
  const cuts = [...points].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const box = document.getElementById("text");
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = text.slice(a, b);
    const covering = spans.filter((p) => p.span.start <= a && p.span.end >= b);
    const inEvidence = evidence && evidence.start <= a && evidence.end >= b;
    if (!covering.length && !inEvidence) { fragment.append(piece); continue; }
    if (!covering.length) { fragment.append(el("span", { class: "evidence" }, piece)); continue; }
    covering.sort((x, y) => (x.id === focusId ? -1 : y.id === focusId ? 1 :
      (x.span.end - x.span.start) - (y.span.end - y.span.start)));
    const top = covering[0];
    const classes = ["p", top.status];
    if (covering.some((p) => p.id === focusId)) classes.push("focus");
    if (inEvidence) classes.push("evidence");
    fragment.append(el("mark", { class: classes.join(" "), dataset: { id: top.id },
                                 title: covering.map((p) => p.summary).join("\n") }, piece));
  }
  box.replaceChildren(fragment);
}

function render() {
  renderProgress();
  renderList();
  renderText();
}

function focus(id, scroll = true) {
  focusId = id;
  renderList();
  renderText();
  if (!scroll || !id) return;
  const item = document.getElementById(`p-${id}`);
  if (item) item.scrollIntoView({ block: "nearest" });
  const mark = document.querySelector(`#text mark.focus`);
  if (mark) mark.scrollIntoView({ block: "center" });
}

function move(step) {
  if (!order.length) return;
  const at = order.indexOf(focusId);
  const next = at < 0 ? 0 : Math.min(order.length - 1, Math.max(0, at + step));
  focus(order[next]);
}

function nextPending(after) {
  const start = order.indexOf(after);
  for (let i = 1; i <= order.length; i++) {
    const id = order[(start + i) % order.length];
    if (byId(id).status === "pending") return id;
  }
  return after;
}

function apply(result) {
  state = result.state;
  computeOrder();
  say(result.message, "ok");
}

async function decide(decision, extra) {
  const p = focusId && byId(focusId);
  if (!p) return;
  if (p.status !== "pending") { say(`${p.id} is already decided; press u to undo`, "error"); return; }
  try {
    const result = await api("/api/decide", { proposal: p.id, decision, ...(extra || {}) });
    apply(result);
    closePanel();
    focusId = nextPending(p.id);
    render();
    focus(focusId);
  } catch (error) {
    say([error.error || "refused", ...(error.problems || [])].join("\n"), "error");
  }
}

async function undo() {
  try {
    const last = state.last;
    apply(await api("/api/undo", {}));
    if (last) focusId = last;
    render();
    focus(focusId);
  } catch (error) {
    say([error.error || "refused", ...(error.problems || [])].join("\n"), "error");
  }
}

// -- the edit and merge panels ---------------------------------------------------------
function closePanel() {
  const panel = document.getElementById("panel");
  if (panel.contains(document.activeElement)) document.activeElement.blur();  // keys work again
  panel.hidden = true;
  document.getElementById("edit-form").hidden = true;
  document.getElementById("merge-form").hidden = true;
  panelFor = null;
}

function field(label, name, value, choices) {
  let input;
  if (choices) {
    input = el("select", { name });
    for (const choice of choices) {
      const option = el("option", { value: choice }, choice);
      if (choice === value) option.selected = true;
      input.append(option);
    }
  } else {
    input = el("input", { name, autocomplete: "off" });
    input.value = value ?? "";
  }
  input.dataset.original = value ?? "";
  return el("label", {}, label + " ", input);
}

function openEdit() {
  const p = focusId && byId(focusId);
  if (!p || p.status !== "pending") return;
  panelFor = p.id;
  const b = p.body || {};
  const form = document.getElementById("edit-form");
  form.querySelector(".pid").textContent = `${p.id} (${p.summary})`;
  const fields = form.querySelector(".fields");
  fields.replaceChildren();
  const v = state.vocabulary;
  if (p.kind === "entity") {
    const label = b.label || {};
    fields.append(field("type", "type", b.type, v.types), field("id", "id", b.id),
                  field("label en", "label.en", label.en),
                  field("label zh-Hant", "label.zh-Hant", label["zh-Hant"]));
  } else if (p.kind === "relation") {
    const role = b.role || {};
    const predicates = v.predicates.includes(b.predicate) ? v.predicates : [b.predicate, ...v.predicates];
    fields.append(field("predicate", "predicate", b.predicate, predicates),
                  field("role zh-Hant", "role.zh-Hant", role["zh-Hant"]),
                  field("role en", "role.en", role.en));
  } else {
    fields.append(field("value", "value", b.value === undefined ? "" : String(b.value)),
                  field("unit", "unit", b.unit),
                  field("property", "property", b.property,
                        v.properties.includes(b.property) ? v.properties : [b.property, ...v.properties]));
  }
  document.getElementById("merge-form").hidden = true;
  form.hidden = false;
  document.getElementById("panel").hidden = false;
  fields.querySelector("input, select").focus();
}

function submitEdit(event) {
  event.preventDefault();
  const edits = {};
  for (const input of document.querySelectorAll("#edit-form [name]")) {
    if (input.value !== input.dataset.original) edits[input.name] = input.value;
  }
  if (!Object.keys(edits).length) { say("nothing changed; press Esc to close", "error"); return; }
  decide("edit", { edits });
}

let searchTimer = null;
let searchSeq = 0;
// Search the existing entities for the merge panel; returns the best match's id. A newer
// search supersedes an older one, so the list always shows the box's current text.
async function runSearch() {
  const seq = ++searchSeq;
  const form = document.getElementById("merge-form");
  const query = form.querySelector("input[name=q]").value;
  const results = form.querySelector(".results");
  if (!query.trim()) { results.replaceChildren(); return null; }
  try {
    const data = await api(`/api/search?q=${encodeURIComponent(query)}`);
    if (seq !== searchSeq) return null;
    results.replaceChildren();
    data.results.forEach((m, index) => {
      const names = [m.label_en, m.label_zh].filter(Boolean).join(" / ");
      results.append(el("li", { class: index === 0 ? "focus" : "", dataset: { id: m.id } },
                        `${m.id} — ${names} (${m.cls})`));
    });
    return data.results.length ? data.results[0].id : null;
  } catch (error) {
    say(error.error || "search failed", "error");
    return null;
  }
}

function openMerge() {
  const p = focusId && byId(focusId);
  if (!p || p.status !== "pending" || p.kind !== "entity") return;
  panelFor = p.id;
  const form = document.getElementById("merge-form");
  form.querySelector(".pid").textContent = `${p.id} (${p.summary})`;
  const input = form.querySelector("input[name=q]");
  const label = (p.body && p.body.label) || {};
  input.value = (p.link && p.link.id) || label["zh-Hant"] || label.en || "";
  document.getElementById("edit-form").hidden = true;
  form.hidden = false;
  document.getElementById("panel").hidden = false;
  input.focus();
  input.select();
  runSearch();
}

function mergeInto(id) { if (id) decide("merge", { into: id }); }

// -- events --------------------------------------------------------------------------------
document.addEventListener("keydown", (event) => {
  const typing = event.target.matches("input, select, textarea");
  if (event.key === "Escape") { closePanel(); return; }
  if (typing) {
    if (event.key === "Enter" && event.target.matches("#edit-form select")) {
      submitEdit(event);   // Enter saves from a drop-down too
      return;
    }
    if (event.target.name === "q" && event.key === "Enter") {
      event.preventDefault();
      clearTimeout(searchTimer);
      runSearch().then(mergeInto);   // the best match for what the box says now
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const keys = { a: () => decide("accept"), r: () => decide("reject"), e: openEdit,
                 m: openMerge, u: undo, j: () => move(1), ArrowDown: () => move(1),
                 k: () => move(-1), ArrowUp: () => move(-1) };
  if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
});

document.getElementById("list").addEventListener("click", (event) => {
  const item = event.target.closest("li[data-id]");
  if (!item) return;
  focus(item.dataset.id, false);
  const action = event.target.dataset.action;
  if (action === "a") decide("accept");
  else if (action === "r") decide("reject");
  else if (action === "e") openEdit();
  else if (action === "m") openMerge();
});

document.getElementById("text").addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-id]");
  if (mark) focus(mark.dataset.id);
});

document.getElementById("undo").addEventListener("click", undo);
document.getElementById("edit-form").addEventListener("submit", submitEdit);
document.getElementById("merge-form").addEventListener("submit", (e) => e.preventDefault());
for (const button of document.querySelectorAll("#panel .cancel")) {
  button.addEventListener("click", closePanel);
}
document.querySelector("#merge-form input[name=q]").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 150);
});
document.querySelector("#merge-form .results").addEventListener("click", (event) => {
  const item = event.target.closest("li[data-id]");
  if (item) mergeInto(item.dataset.id);
});

(async function start() {
  try {
    state = await api("/api/state");
  } catch (error) {
    say(error.error || "cannot load the proposals", "error");
    return;
  }
  computeOrder();
  focusId = order.find((id) => byId(id).status === "pending") || order[0] || null;
  render();
  focus(focusId);
  document.body.dataset.ready = "1";
})();
