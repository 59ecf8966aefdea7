/* kg graph view: reads the JSON block, draws it with vis-network at the precomputed positions.
   Every piece of data is inserted as text (textContent / DOM nodes), never as markup. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var params = new URLSearchParams(window.location.search);
  var embed = D.meta.embed || params.get("embed") === "1";
  if (embed) { document.body.classList.add("embed"); }
  var lang = (params.get("lang") === "en" || params.get("lang") === "zh") ? params.get("lang")
    : D.meta.lang;

  var I18N = {
    en: { edgeLabels: "edge labels", physics: "physics", nodes: "nodes", edges: "edges",
      allCommunities: "all communities", community: "community", facts: "Facts",
      description: "Description", also: "Also called", noMatch: "no match", implied: "implied",
      uncertain: "uncertain", passage: "passage", switchTo: "中文", via: "via",
      search: "Search (English or 中文)", classes: "Classes" },
    zh: { edgeLabels: "關係標籤", physics: "物理模擬", nodes: "節點", edges: "連結",
      allCommunities: "所有社群", community: "社群", facts: "事實", description: "說明",
      also: "又稱", noMatch: "查無結果", implied: "推論", uncertain: "不確定",
      passage: "原文", switchTo: "English", via: "經由", search: "搜尋（中文或英文）",
      classes: "類別" }
  };
  function t(key) { return I18N[lang][key] || key; }
  function pick(en, zh) { return (lang === "zh" ? (zh || en) : (en || zh)) || ""; }
  function nodeLabel(n) { return pick(n.en, n.zh) || n.id; }
  function predLabel(curie, incoming) {
    var p = D.predicates[curie] || { en: curie, zh: curie };
    return (incoming ? "← " : "") + pick(p.en, p.zh);
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  var byId = new Map();
  D.nodes.forEach(function (n, i) { byId.set(n.id, i); });
  var many = D.nodes.length > 1500;

  function nodeTip(n) {
    var box = el("div", "kg-tip");
    box.appendChild(el("strong", null, nodeLabel(n)));
    var other = lang === "zh" ? n.en : n.zh;
    if (other && other !== nodeLabel(n)) { box.appendChild(el("small", null, other)); }
    box.appendChild(el("small", null, pick(D.classes[n.c].en, D.classes[n.c].zh)));
    return box;
  }
  function edgeTip(e) {
    var box = el("div", "kg-tip");
    box.appendChild(el("strong", null, predLabel(e.p)));
    if (e.sec) { box.appendChild(el("small", null, e.sec)); }
    return box;
  }
  function visNode(n) {
    var cls = D.classes[n.c];
    return { id: n.id, label: nodeLabel(n), x: n.x, y: n.y, value: n.s, title: nodeTip(n),
      color: { background: cls.color, border: cls.border,
        highlight: { background: cls.color, border: "#111" } },
      hidden: false };
  }
  var nodes = new vis.DataSet(D.nodes.map(visNode));
  var edges = new vis.DataSet(D.edges.map(function (e, i) {
    return { id: i, from: e.f, to: e.t, title: many ? undefined : edgeTip(e),
      dashes: !!(e.imp || e.unc) };
  }));

  var container = document.getElementById("kg-graph");
  var options = {
    autoResize: true, height: "100%", width: "100%",
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: false,
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 } },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !many, tooltipDelay: 150, hideEdgesOnDrag: many,
      hideEdgesOnZoom: many },
    nodes: { shape: "dot", font: { size: 14, face: "Noto Sans CJK TC, Noto Sans TC, sans-serif" },
      scaling: { min: 6, max: 36, label: { enabled: true, min: 11, max: 24,
        drawThreshold: 7 } } },
    edges: { smooth: false, width: 1, color: { color: "#9aa3ad", highlight: "#222",
      hover: "#444" }, arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      font: { size: 11, align: "middle", strokeWidth: 3 } }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  var view = {
    nodes: D.nodes, edges: D.edges, meta: D.meta, network: network, data: { nodes: nodes,
      edges: edges }, firstDrawMs: null, selected: null,
    select: select, search: search, setLang: setLang, lang: function () { return lang; }
  };
  window.kgView = view;
  network.once("afterDrawing", function () {
    view.firstDrawMs = performance.now();
    document.body.setAttribute("data-drawn", "1");
  });
  if (D.meta.physics) { setPhysics(true); }

  /* ---- header: title, counts, language, toggles, communities ---- */
  var titleEl = document.getElementById("kg-title");
  var countsEl = document.getElementById("kg-counts");
  var langButton = document.getElementById("kg-lang");
  var edgeLabelBox = document.getElementById("kg-edge-labels");
  var physicsBox = document.getElementById("kg-physics");
  var communitySelect = document.getElementById("kg-community");
  physicsBox.checked = !!D.meta.physics;

  function renderHeader() {
    document.documentElement.lang = lang === "zh" ? "zh-Hant" : "en";
    var title = pick(D.meta.title_en, D.meta.title_zh);
    titleEl.textContent = title;
    document.title = title;
    countsEl.textContent = D.nodes.length + " " + t("nodes") + " · " + D.edges.length + " " +
      t("edges");
    langButton.textContent = t("switchTo");
    document.getElementById("kg-search").placeholder = t("search");
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (e) {
      e.textContent = t(e.getAttribute("data-i18n"));
    });
    var current = communitySelect.value;
    communitySelect.textContent = "";
    var all = el("option", null, t("allCommunities"));
    all.value = "";
    communitySelect.appendChild(all);
    D.communities.forEach(function (pair) {
      var o = el("option", null, t("community") + " " + pair[0] + " (" + pair[1] + ")");
      o.value = String(pair[0]);
      communitySelect.appendChild(o);
    });
    communitySelect.value = current;
    communitySelect.hidden = D.communities.length < 2;
  }

  /* ---- legend and filters ---- */
  var legend = document.getElementById("kg-legend");
  var classOn = D.classes.map(function () { return true; });
  function renderLegend() {
    legend.textContent = "";
    legend.appendChild(el("strong", null, t("classes")));
    D.classes.forEach(function (cls, i) {
      var row = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = classOn[i];
      box.setAttribute("data-class", cls.name);
      box.addEventListener("change", function () { classOn[i] = box.checked; applyFilters(); });
      var swatch = el("span", "kg-swatch");
      swatch.style.background = cls.color;
      row.appendChild(box);
      row.appendChild(swatch);
      row.appendChild(el("span", null, pick(cls.en, cls.zh) + " (" + cls.count + ")"));
      legend.appendChild(row);
    });
  }
  function applyFilters() {
    var community = communitySelect.value === "" ? null : Number(communitySelect.value);
    var changes = [];
    D.nodes.forEach(function (n) {
      var hidden = !(classOn[n.c] && (community === null || n.m === community));
      if (nodes.get(n.id).hidden !== hidden) { changes.push({ id: n.id, hidden: hidden }); }
    });
    if (changes.length) { nodes.update(changes); }
  }
  communitySelect.addEventListener("change", applyFilters);

  /* ---- language, edge labels, physics ---- */
  function setLang(next) {
    lang = next === "en" ? "en" : "zh";
    nodes.update(D.nodes.map(function (n) {
      return { id: n.id, label: nodeLabel(n), title: nodeTip(n) };
    }));
    if (!many) {
      edges.update(D.edges.map(function (e, i) { return { id: i, title: edgeTip(e) }; }));
    }
    if (edgeLabelBox.checked) { setEdgeLabels(true); }
    renderHeader();
    renderLegend();
    if (view.selected !== null) { showPanel(view.selected); }
  }
  langButton.addEventListener("click", function () { setLang(lang === "zh" ? "en" : "zh"); });
  function setEdgeLabels(on) {
    edges.update(D.edges.map(function (e, i) {
      return { id: i, label: on ? predLabel(e.p) : null };
    }));
  }
  edgeLabelBox.addEventListener("change", function () { setEdgeLabels(edgeLabelBox.checked); });
  function setPhysics(on) {
    network.setOptions({ physics: { enabled: !!on } });
  }
  physicsBox.addEventListener("change", function () { setPhysics(physicsBox.checked); });

  /* ---- search (English, Traditional or Simplified Chinese) ---- */
  function normalize(text) {
    var s = String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
    var out = "";
    for (var i = 0; i < s.length; i++) { out += D.s2t[s[i]] || s[i]; }
    return out;
  }
  var searchKeys = D.nodes.map(function (n) {
    return [n.id, n.en, n.zh].concat(n.alt || []).map(normalize);
  });
  function search(query) {
    var q = normalize(query);
    if (!q) { return []; }
    var hits = [];
    searchKeys.forEach(function (keys, i) {
      var rank = 9;
      keys.forEach(function (k) {
        if (k === q) { rank = Math.min(rank, 0); }
        else if (k.indexOf(q) === 0) { rank = Math.min(rank, 1); }
        else if (k.indexOf(q) > 0) { rank = Math.min(rank, 2); }
      });
      if (rank < 9) { hits.push([rank, nodeLabel(D.nodes[i]).length, i]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits.map(function (h) { return D.nodes[h[2]].id; });
  }
  var searchInput = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  function showResults(ids) {
    results.textContent = "";
    if (!searchInput.value.trim()) { results.hidden = true; return; }
    if (!ids.length) { results.appendChild(el("div", null, t("noMatch"))); }
    ids.slice(0, 30).forEach(function (id) {
      var n = D.nodes[byId.get(id)];
      var b = el("button", null, nodeLabel(n) + " · " + (lang === "zh" ? n.en : n.zh));
      b.type = "button";
      b.addEventListener("click", function () { select(id); results.hidden = true; });
      results.appendChild(b);
    });
    results.hidden = false;
  }
  searchInput.addEventListener("input", function () { showResults(search(searchInput.value)); });
  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var ids = search(searchInput.value);
    if (ids.length) { select(ids[0]); results.hidden = true; } else { showResults(ids); }
  });

  /* ---- selection and the detail panel ---- */
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  document.getElementById("kg-close").addEventListener("click", function () {
    panel.hidden = true; view.selected = null; network.unselectAll();
  });
  function select(id) {
    if (!byId.has(id)) { return false; }
    if (nodes.get(id).hidden) { nodes.update({ id: id, hidden: false }); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8),
      animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showPanel(id);
    return true;
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showPanel(p.nodes[0]); }
    else if (!p.edges.length) { panel.hidden = true; view.selected = null; }
  });

  function sectionBadge(key, fallback) {
    var s = D.sections[key];
    var wrap = el("span");
    var badge = el("span", "kg-sec", s ? s.n + (s.kind === "figure" ? " · " + s.id : "")
      : fallback);
    if (s) { badge.title = pick(s.ten, s.tzh); }
    wrap.appendChild(badge);
    return wrap;
  }
  function passageBlock(key) {
    var s = D.sections[key];
    if (!s || !s.passage) { return null; }
    var details = el("details");
    details.appendChild(el("summary", null, t("passage") + " " + s.n + " " + pick(s.ten, s.tzh)));
    details.appendChild(el("div", "kg-passage", s.passage));
    return details;
  }
  function flags(item, li) {
    if (item.imp) { li.appendChild(el("span", "kg-flag", t("implied"))); }
    if (item.unc) { li.appendChild(el("span", "kg-flag", t("uncertain"))); }
  }
  function showPanel(id) {
    var n = D.nodes[byId.get(id)];
    var d = D.details[id] || {};
    view.selected = id;
    panelBody.textContent = "";
    panelBody.appendChild(el("h2", null, nodeLabel(n)));
    var other = lang === "zh" ? n.en : n.zh;
    panelBody.appendChild(el("p", "kg-sub", [other !== nodeLabel(n) ? other : "",
      pick(D.classes[n.c].en, D.classes[n.c].zh), n.id].filter(Boolean).join(" · ")));
    var desc = pick(d.den, d.dzh);
    if (desc) { panelBody.appendChild(el("p", "kg-desc", desc)); }
    if (n.alt && n.alt.length) {
      panelBody.appendChild(el("p", "kg-sub", t("also") + ": " + n.alt.join(" · ")));
    }
    if (d.facts && d.facts.length) {
      panelBody.appendChild(el("h3", null, t("facts")));
      var ul = el("ul");
      d.facts.forEach(function (f) {
        var li = el("li");
        var text = predLabel(f.p) + ": " + f.v + (f.u ? " " + f.u : "") +
          (f.d ? " (" + f.d + ")" : "") + (pick(f.pen, f.pzh) ? " (" + pick(f.pen, f.pzh) + ")" : "");
        li.appendChild(el("span", null, text));
        li.appendChild(sectionBadge(f.si, f.sec));
        flags(f, li);
        var block = passageBlock(f.si);
        if (block) { li.appendChild(block); }
        ul.appendChild(li);
      });
      panelBody.appendChild(ul);
    }
    var groups = new Map();
    (d.rel || []).forEach(function (r) {
      var key = (r.out ? "→" : "←") + r.p;
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push(r);
    });
    Array.from(groups.keys()).sort().forEach(function (key) {
      var list = groups.get(key);
      var h = el("h3", "kg-pred", predLabel(list[0].p, !list[0].out));
      h.setAttribute("data-predicate", list[0].p);
      panelBody.appendChild(h);
      var ul = el("ul");
      list.forEach(function (r) {
        var li = el("li");
        var name = pick(r.oen, r.ozh) || r.o;
        if (byId.has(r.o)) {
          var b = el("button", "kg-link", name);
          b.type = "button";
          b.addEventListener("click", function () { select(r.o); });
          li.appendChild(b);
        } else {
          li.appendChild(el("span", null, name));
        }
        var role = pick(r.ren, r.rzh);
        if (role) { li.appendChild(el("span", null, " (" + role + ")")); }
        if (r.via) { li.appendChild(el("span", "kg-sub", " " + t("via") + " " + r.via)); }
        if (r.sec || r.si) { li.appendChild(sectionBadge(r.si, r.sec)); }
        flags(r, li);
        var block = passageBlock(r.si);
        if (block) { li.appendChild(block); }
        ul.appendChild(li);
      });
      panelBody.appendChild(ul);
    });
    panel.hidden = false;
  }

  renderHeader();
  renderLegend();
})();
