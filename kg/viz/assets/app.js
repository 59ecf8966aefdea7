/* kg graph view: reads the JSON block, draws it with vis-network at the precomputed positions.
   Every piece of data is inserted as text (textContent / DOM nodes), never as markup. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var params = new URLSearchParams(window.location.search);
  var embed = D.meta.embed || params.get("embed") === "1";
  if (embed) { document.body.classList.add("embed"); }
  // ?keep=title,legend (or kg viz --keep): embed mode that keeps the title and/or the legend.
  var keep = (params.get("keep") || (D.meta.keep || []).join(",")).split(",");
  if (embed && keep.indexOf("title") >= 0) { document.body.classList.add("keep-title"); }
  if (embed && keep.indexOf("legend") >= 0) { document.body.classList.add("keep-legend"); }
  // ?theme=dark|light; by default the reader's prefers-color-scheme.
  var themeParam = params.get("theme") || D.meta.theme || "auto";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    return themeParam === "dark" || (themeParam !== "light" && !!(darkQuery && darkQuery.matches));
  }
  function applyThemeClass() {
    document.body.classList.toggle("dark", isDark());
    document.body.classList.toggle("light", !isDark());
  }
  applyThemeClass();
  var lang = (params.get("lang") === "en" || params.get("lang") === "zh") ? params.get("lang")
    : D.meta.lang;

  var I18N = {
    en: { edgeLabels: "edge labels", physics: "physics", nodes: "nodes", edges: "edges",
      allCommunities: "all communities", community: "community", facts: "Facts",
      description: "Description", also: "Also called", noMatch: "no match", implied: "implied",
      uncertain: "uncertain", passage: "passage", switchTo: "中文", via: "via",
      search: "Search (English or 中文)", classes: "Classes", former: "former",
      evidence: "In the report", section: "Section", sectionOf: "section of the report",
      figureOf: "figure or table of the report", context: "context", contextNote:
      "drawn at the edge: linked to most of the report", since: "from", until: "until" },
    zh: { edgeLabels: "關係標籤", physics: "物理模擬", nodes: "節點", edges: "連結",
      allCommunities: "所有社群", community: "社群", facts: "事實", description: "說明",
      also: "又稱", noMatch: "查無結果", implied: "推論", uncertain: "不確定",
      passage: "原文", switchTo: "English", via: "經由", search: "搜尋（中文或英文）",
      classes: "類別", former: "過去", evidence: "報告原文", section: "章節",
      sectionOf: "報告章節", figureOf: "報告圖表", context: "背景", contextNote:
      "置於邊緣：與報告多數內容相關", since: "自", until: "至" }
  };
  function t(key) { return I18N[lang][key] || key; }
  function pick(en, zh) { return (lang === "zh" ? (zh || en) : (en || zh)) || ""; }
  function nodeLabel(n) { return pick(n.en, n.zh) || n.id; }
  /* A long name on lines of at most ~22 columns (a Chinese character counts two), broken
     between words or between Chinese characters: nothing is cut. */
  function cols(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) { n += text.charCodeAt(i) >= 0x2E80 ? 2 : 1; }
    return n;
  }
  function wrapLabel(text, width) {
    width = width || 22;
    if (cols(text) <= width) { return text; }
    var tokens = text.match(/[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+\s*|\s+|[\s\S]/g) || [];
    var lines = [], line = "";
    tokens.forEach(function (tok) {
      if (cols((line + tok).replace(/\s+$/, "")) > width && line.trim()) {
        lines.push(line.replace(/\s+$/, ""));
        line = tok.replace(/^\s+/, "");
      } else { line += tok; }
    });
    lines.push(line.replace(/\s+$/, ""));
    return lines.filter(Boolean).join("\n");
  }
  function unitLabel(f) { return lang === "zh" ? (f.uzh || f.u) : (f.uen || f.u); }
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
  var FACE = "Noto Sans CJK TC, Noto Sans TC, PingFang TC, Microsoft JhengHei, sans-serif";
  function themeColors() {
    return isDark() ? { fg: "#eeeeee", stroke: "#111418", edge: "#6b7580", focus: "#ffffff" }
      : { fg: "#1a1a1a", stroke: "#ffffff", edge: "#9aa3ad", focus: "#000000" };
  }
  function fontFor(size) {
    var tc = themeColors();
    return { size: size, color: tc.fg, strokeColor: tc.stroke, strokeWidth: 3, face: FACE };
  }
  function visNode(n) {
    var cls = D.classes[n.c];
    var tc = themeColors();
    var node = { id: n.id, label: "", x: n.x, y: n.y, value: n.s, title: nodeTip(n),
      shape: cls.shape || "dot",
      color: { background: cls.color, border: cls.border,
        highlight: { background: cls.color, border: tc.focus },
        hover: { background: cls.color, border: tc.focus } },
      font: fontFor(14), hidden: false };
    if (n.ctx) { node.opacity = 0.6; node.shapeProperties = { borderDashes: [4, 3] }; }
    if (n.focus) { node.borderWidth = 5; node.color.border = tc.focus; }
    return node;
  }
  var nodes = new vis.DataSet(D.nodes.map(visNode));
  var context = new Set(D.nodes.filter(function (n) { return n.ctx; }).map(function (n) {
    return n.id; }));
  function visEdge(e, i) {
    var faint = context.has(e.f) || context.has(e.t);
    var edge = { id: i, from: e.f, to: e.t, title: many ? undefined : edgeTip(e),
      dashes: !!(e.imp || e.unc || e.fmr) };
    if (faint || e.fmr) { edge.color = { opacity: faint ? 0.25 : 0.5 }; }
    return edge;
  }
  var edges = new vis.DataSet(D.edges.map(visEdge));

  var container = document.getElementById("kg-graph");
  var options = {
    autoResize: true, height: "100%", width: "100%",
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: false,
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 } },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !many, tooltipDelay: 150, hideEdgesOnDrag: many,
      hideEdgesOnZoom: many, keyboard: false },
    nodes: { shape: "dot", font: { size: 14, face: FACE },
      scaling: { min: 6, max: 30, label: { enabled: false } } },
    edges: { smooth: false, width: 1, color: { color: themeColors().edge, highlight: "#d55e00",
      hover: "#888" }, arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      font: { size: 11, align: "middle", strokeWidth: 3 } }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  var view = {
    nodes: D.nodes, edges: D.edges, meta: D.meta, network: network, data: { nodes: nodes,
      edges: edges }, firstDrawMs: null, selected: null, fitted: 0, labelled: [], labelPasses: 0,
    select: select, search: search, setLang: setLang, lang: function () { return lang; },
    fit: fitView, relabel: relabel, setTheme: setTheme
  };
  window.kgView = view;
  network.once("afterDrawing", function () {
    view.firstDrawMs = performance.now();
    document.body.setAttribute("data-drawn", "1");
  });

  /* ---- fitting: whenever the view becomes visible or changes size (0×0 at load too) ---- */
  var lastSize = "";
  var userZoomed = false;
  /* The layout is square-ish; a 16:9 frame gets it widened (or a tall one heightened) so the
     picture fills the frame. Positions are rescaled from the precomputed ones. */
  var spanX = 1, spanY = 1, stretch = 1;
  (function () {
    if (!D.nodes.length) { return; }
    var xs = D.nodes.map(function (n) { return n.x; }), ys = D.nodes.map(function (n) {
      return n.y; });
    spanX = (Math.max.apply(null, xs) - Math.min.apply(null, xs)) || 1;
    spanY = (Math.max.apply(null, ys) - Math.min.apply(null, ys)) || 1;
  })();
  function stretchTo(aspect) {
    if (D.nodes.length < 3 || D.meta.physics) { return; }
    var k = Math.max(0.6, Math.min(2.2, aspect / (spanX / spanY)));
    if (Math.abs(k - stretch) < 0.05) { return; }
    stretch = k;
    var sx = Math.sqrt(k), sy = 1 / Math.sqrt(k);
    D.nodes.forEach(function (n) { network.moveNode(n.id, n.x * sx, n.y * sy); });
  }
  var fitting = false;
  function fitView(force) {
    var w = container.clientWidth, h = container.clientHeight;
    if (!w || !h || fitting) { return false; }
    var size = w + "x" + h;
    if (!force && size === lastSize && view.fitted) { return false; }
    lastSize = size;
    fitting = true;
    try {
      stretchTo(w / h);
      network.setSize(w + "px", h + "px");
      network.redraw();
      // Zoom to fill the frame (vis-network stops at 1 by default), room for node sizes.
      network.fit({ animation: false, maxZoomLevel: 6 });
      network.moveTo({ scale: network.getScale() * 0.92, animation: false });
    } finally {
      fitting = false;
    }
    userZoomed = false;
    view.fitted += 1;
    scheduleLabels();
    return true;
  }
  if (window.ResizeObserver) {
    new ResizeObserver(function () { fitView(false); }).observe(container);
  }
  if (window.IntersectionObserver) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { fitView(false); }
    }).observe(container);
  }
  window.addEventListener("resize", function () { fitView(false); });
  document.addEventListener("visibilitychange", function () { fitView(false); });
  if (window.matchMedia) {
    var printQuery = window.matchMedia("print");
    var onPrint = function () { fitView(true); };
    if (printQuery.addEventListener) { printQuery.addEventListener("change", onPrint); }
  }
  window.addEventListener("beforeprint", function () { fitView(true); });
  window.addEventListener("afterprint", function () { fitView(true); });

  /* ---- labels by importance, level of detail by zoom: no two labels overlap ---- */
  var order = D.nodes.map(function (n, i) { return i; }).sort(function (a, b) {
    var na = D.nodes[a], nb = D.nodes[b];
    return (nb.focus ? 1 : 0) - (na.focus ? 1 : 0) || nb.s - na.s ||
      (na.id < nb.id ? -1 : na.id > nb.id ? 1 : 0);
  });
  var measure = document.createElement("canvas").getContext("2d");
  function labelPx(n) { return n.focus ? 16 : Math.round(12 + 3 * Math.min(1, n.s)); }
  function screenBox(el) {
    if (!el || el.offsetParent === null || getComputedStyle(el).display === "none") {
      return null;
    }
    var r = el.getBoundingClientRect(), c = container.getBoundingClientRect();
    return [r.left - c.left, r.top - c.top, r.right - c.left, r.bottom - c.top];
  }
  function hit(a, b, gap) {
    return !(a[2] + gap <= b[0] || b[2] + gap <= a[0] || a[3] + gap <= b[1] ||
      b[3] + gap <= a[1]);
  }
  var labelTimer = null;
  var labelPass = 0;
  function scheduleLabels() {
    if (labelTimer) { clearTimeout(labelTimer); }
    labelTimer = setTimeout(relabel, 60);
  }
  function relabel() {
    labelTimer = null;
    var w = container.clientWidth, h = container.clientHeight, scale = network.getScale();
    if (!w || !h || !(scale > 0) || !isFinite(scale)) { return []; }
    var positions = network.getPositions();
    var blocked = [screenBox(document.getElementById("kg-legend")),
      screenBox(document.getElementById("kg-bar")),
      screenBox(document.getElementById("kg-panel"))].filter(Boolean);
    var placed = [], chosen = [], changes = [];
    order.forEach(function (i) {
      var n = D.nodes[i], text = wrapLabel(nodeLabel(n)), px = labelPx(n);
      var current = nodes.get(n.id);
      var want = false;
      if (!current.hidden && positions[n.id] && placed.length < 400) {
        var p = network.canvasToDOM(positions[n.id]);
        var body = network.body.nodes[n.id];
        var r = ((body && body.shape && (body.shape.radius || body.shape.height / 2)) || 8) *
          scale;
        measure.font = px + "px " + FACE;
        var lines = text.split("\n");
        var tw = Math.max.apply(null, lines.map(function (l) {
          return measure.measureText(l).width; })) + 4;
        var top = p.y + r + 3 * scale;
        var box = [p.x - tw / 2, top, p.x + tw / 2, top + px * 1.3 * lines.length];
        want = box[0] >= 0 && box[1] >= 0 && box[2] <= w && box[3] <= h &&
          !placed.some(function (b) { return hit(b, box, 2); }) &&
          !blocked.some(function (b) { return hit(b, box, 6); });
        if (want) { placed.push(box); chosen.push(n.id); }
      }
      var label = want ? text : "";
      var size = px / scale;
      if (current.label !== label || (want && Math.abs((current.font || {}).size - size) > 0.01)) {
        changes.push({ id: n.id, label: label, font: fontFor(size) });
      }
    });
    view.labelled = chosen;
    view.labelPasses += 1;
    if (changes.length) { nodes.update(changes); }
    return chosen;
  }
  network.on("zoom", function () { userZoomed = true; scheduleLabels(); });
  network.on("dragEnd", scheduleLabels);
  network.on("animationFinished", scheduleLabels);
  network.on("afterDrawing", function () {
    if (!view.fitted && container.clientWidth && container.clientHeight) { fitView(true); }
  });

  /* ---- embed mode: the slide keys go on to the deck around the view ---- */
  // Sent to the parent window as {type: "kg-view:key", key, code, shiftKey, altKey, ctrlKey,
  // metaKey}; the view does not act on these keys itself (vis-network keyboard is off).
  var SLIDE_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown",
    " ", "Home", "End", "Escape"];
  if (embed && window.parent && window.parent !== window) {
    window.addEventListener("keydown", function (ev) {
      var tag = (ev.target && ev.target.tagName) || "";
      if (SLIDE_KEYS.indexOf(ev.key) < 0 || tag === "INPUT" || tag === "SELECT" ||
        tag === "TEXTAREA") { return; }
      window.parent.postMessage({ type: "kg-view:key", key: ev.key, code: ev.code,
        shiftKey: ev.shiftKey, altKey: ev.altKey, ctrlKey: ev.ctrlKey, metaKey: ev.metaKey },
        "*");
    });
  }

  /* ---- theme ---- */
  function setTheme(next) {
    themeParam = next || "auto";
    applyThemeClass();
    var tc = themeColors();
    network.setOptions({ edges: { color: { color: tc.edge } } });
    nodes.update(D.nodes.map(function (n) {
      var v = visNode(n);
      var size = (nodes.get(n.id).font || {}).size || 14;
      return { id: n.id, color: v.color, font: fontFor(size) };
    }));
  }
  if (darkQuery && darkQuery.addEventListener) {
    darkQuery.addEventListener("change", function () { setTheme(themeParam); });
  }
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
    var shapeGlyph = { dot: "●", square: "■", diamond: "◆", triangle: "▲",
      triangleDown: "▼", star: "★", hexagon: "⬢" };
    (D.families || []).forEach(function (fam) {
      var row = el("div", "kg-fam");
      var head = el("label", "kg-fam-head");
      var box = el("input");
      box.type = "checkbox";
      box.checked = fam.classes.some(function (i) { return classOn[i]; });
      box.setAttribute("data-family", fam.name);
      box.addEventListener("change", function () {
        fam.classes.forEach(function (i) { classOn[i] = box.checked; });
        renderLegend();
        applyFilters();
      });
      var swatch = el("span", "kg-swatch");
      swatch.style.background = fam.color;
      head.appendChild(box);
      head.appendChild(swatch);
      head.appendChild(el("span", null, pick(fam.en, fam.zh) + " " + fam.count));
      row.appendChild(head);
      if (fam.classes.length > 1) {
        var subs = el("span", "kg-subs");
        fam.classes.forEach(function (i) {
          var cls = D.classes[i];
          var chip = el("button", "kg-chip" + (classOn[i] ? "" : " off"));
          chip.type = "button";
          chip.setAttribute("data-class", cls.name);
          chip.setAttribute("aria-pressed", classOn[i] ? "true" : "false");
          var glyph = el("span", "kg-glyph", shapeGlyph[cls.shape] || "●");
          glyph.style.color = cls.color;
          chip.appendChild(glyph);
          chip.appendChild(document.createTextNode(pick(cls.en, cls.zh) + " " + cls.count));
          chip.addEventListener("click", function () {
            classOn[i] = !classOn[i];
            renderLegend();
            applyFilters();
          });
          subs.appendChild(chip);
        });
        row.appendChild(subs);
      } else {
        head.title = pick(D.classes[fam.classes[0]].en, D.classes[fam.classes[0]].zh);
      }
      legend.appendChild(row);
    });
    if (context.size) {
      legend.appendChild(el("div", "kg-legend-note", "◌ " + t("context") + ": " +
        t("contextNote")));
    }
  }
  function applyFilters() {
    var community = communitySelect.value === "" ? null : Number(communitySelect.value);
    var changes = [];
    D.nodes.forEach(function (n) {
      var hidden = !(classOn[n.c] && (community === null || n.m === community));
      if (nodes.get(n.id).hidden !== hidden) { changes.push({ id: n.id, hidden: hidden }); }
    });
    if (changes.length) { nodes.update(changes); }
    scheduleLabels();
  }
  communitySelect.addEventListener("change", applyFilters);

  /* ---- language, edge labels, physics ---- */
  function setLang(next) {
    lang = next === "en" ? "en" : "zh";
    nodes.update(D.nodes.map(function (n) { return { id: n.id, title: nodeTip(n) }; }));
    relabel();
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
    // Explained in the reader's language: what the badge is, and the section's title.
    var what = s && s.kind === "figure" ? t("figureOf") : t("sectionOf");
    var title = s ? pick(s.ten, s.tzh) : "";
    badge.title = what + " " + (s ? s.n : fallback) + (title ? " — " + title : "");
    badge.setAttribute("aria-label", badge.title);
    wrap.appendChild(badge);
    return wrap;
  }
  function passageBlock(key) {
    var s = D.sections[key];
    if (!s || !s.passage) { return null; }
    var details = el("details");
    details.appendChild(el("summary", null, t("section") + " " + s.n + " " + pick(s.ten, s.tzh)));
    details.appendChild(el("div", "kg-passage", s.passage));
    return details;
  }
  /* The evidence sentence with every name of both ends marked (as DOM text, never markup). */
  function evidenceBlock(sentence, names) {
    var box = el("blockquote", "kg-evidence");
    box.setAttribute("lang", "zh-Hant");
    var spans = [];
    names.forEach(function (name) {
      if (!name || name.length < 2) { return; }
      var from = 0, at;
      while ((at = sentence.indexOf(name, from)) >= 0) {
        spans.push([at, at + name.length]);
        from = at + name.length;
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    spans.forEach(function (sp) {
      if (sp[0] < pos) { return; }
      if (sp[0] > pos) { box.appendChild(document.createTextNode(sentence.slice(pos, sp[0]))); }
      box.appendChild(el("mark", null, sentence.slice(sp[0], sp[1])));
      pos = sp[1];
    });
    if (pos < sentence.length) { box.appendChild(document.createTextNode(sentence.slice(pos))); }
    return box;
  }
  function flags(item, li) {
    if (item.imp) { li.appendChild(el("span", "kg-flag", t("implied"))); }
    if (item.unc) { li.appendChild(el("span", "kg-flag", t("uncertain"))); }
    if (item.fmr) {
      li.classList.add("kg-former");
      li.appendChild(el("span", "kg-flag kg-flag-former", t("former")));
    }
    if (item.vf || item.vu) {
      li.appendChild(el("span", "kg-flag kg-flag-dates", item.vf && item.vu ?
        item.vf + "–" + item.vu : item.vf ? t("since") + " " + item.vf : t("until") + " " +
        item.vu));
    }
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
        var unit = unitLabel(f);
        var text = predLabel(f.p) + ": " + f.v + (unit ? " " + unit : "") +
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
        if (r.ev) {
          li.appendChild(evidenceBlock(r.ev, [n.en, n.zh].concat(n.alt || [], r.on || [])));
        }
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
