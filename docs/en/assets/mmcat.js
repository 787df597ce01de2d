/* mmcat: the home table's filters, sort and compare picks, and the compare page.
 *
 * Plain JavaScript, no dependency, no outside request. The table is a plain HTML table rendered by
 * mmcat (complete without JavaScript); each row's model link carries its values as data-* attributes.
 * The view (filters and sort) lives in the page address, so it can be shared or bookmarked.
 */
(function () {
  "use strict";

  var TIER_RANK = { mismatch: -1, unavailable: 0, declared: 0, config: 1, runtime: 2, weights: 3 };
  var UNITS = [["T", 1e12], ["B", 1e9], ["M", 1e6], ["K", 1e3]];

  function norm(text) {
    return String(text || "").normalize("NFKC").toLowerCase();
  }

  /** "100M" -> 1e8, "1.5B" -> 1.5e9, "22056576" -> 22056576; NaN when unreadable. */
  function parseCount(text) {
    var m = /^\s*([0-9.]+(?:e[0-9]+)?)\s*([kmbt]?)\s*$/i.exec(text || "");
    if (!m) return NaN;
    var scale = { "": 1, k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[m[2].toLowerCase()];
    return parseFloat(m[1]) * scale;
  }

  /** 22056576 -> "22M", 1.5e9 -> "1.5B". */
  function humanCount(n) {
    for (var i = 0; i < UNITS.length; i++) {
      if (n >= UNITS[i][1]) return +(n / UNITS[i][1]).toPrecision(2) + UNITS[i][0];
    }
    return String(Math.round(n));
  }

  function humanBytes(n) {
    var units = [["TiB", 1099511627776], ["GiB", 1073741824], ["MiB", 1048576], ["KiB", 1024]];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][1]) return +(n / units[i][1]).toPrecision(3) + " " + units[i][0];
    }
    return n + " B";
  }

  function setUrl(params) {
    var query = params.toString().replace(/%2C/g, ",").replace(/%2F/g, "/");
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    try {
      history.replaceState(null, "", url);
    } catch (e) {
      /* some browsers refuse history changes for file:// pages; the view still works */
    }
    keepViewAcrossLanguages(query ? "?" + query : "");
  }

  /** The language switcher's links carry the page's view (its query), so switching keeps it. */
  function keepViewAcrossLanguages(search) {
    document.querySelectorAll("a.md-select__link[hreflang]").forEach(function (a) {
      if (a.dataset.mmcatHref === undefined) a.dataset.mmcatHref = a.getAttribute("href").split("?")[0];
      a.setAttribute("href", a.dataset.mmcatHref + search);
    });
  }

  /* ---------------------------------------------------------------- home table
   *
   * The table's rows are read once into an array of plain values (from each row's data-*
   * attributes and its text); a keystroke filters and sorts that array, not the DOM. Only the
   * first FIRST matching rows are put in the table, more as the reader scrolls towards its end
   * (STEP at a time) or all at once with the button under it: a keystroke's work does not grow
   * with the catalogue. Before this script runs, the style sheet shows the same first FIRST rows
   * (assets/mmcat.css, only where scripting is enabled); without JavaScript every row is shown.
   */

  var FIRST = 40; /* keep equal to the nth-child(n+41) rule in assets/mmcat.css */
  var STEP = 100;

  function followingTable(form) {
    var tables = document.querySelectorAll("article table");
    for (var i = 0; i < tables.length; i++) {
      if (form.compareDocumentPosition(tables[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return tables[i];
    }
    return null;
  }

  function readRows(table) {
    var rows = [];
    var trs = table.tBodies[0].rows;
    for (var i = 0; i < trs.length; i++) {
      var tr = trs[i];
      var link = tr.cells[0].querySelector("a[data-id]");
      if (!link) continue;
      var d = link.dataset;
      rows.push({
        tr: tr,
        order: i,
        id: d.id,
        mods: d.mods.split(" "),
        cat: d.cat,
        series: d.series,
        lic: d.lic,
        tier: d.tier,
        hub: d.hub === "1",
        dims: d.dims ? d.dims.split(" ").map(Number) : [],
        dim: d.dim ? Number(d.dim) : null,
        params: d.params ? Number(d.params) : null,
        date: d.date || null,
        langs: d.langs ? d.langs.split(" ") : [],
        cells: null /* column texts and scores: read when a filter or a sort first needs them */,
        scores: null,
        box: null,
        text: norm(tr.textContent + " " + d.id + " " + d.series + " " + d.cat + " " + (d.langnames || "")),
      });
    }
    return rows;
  }

  /** The row's text per column and its headline scores (read from its cells once). */
  function readCells(row, columns) {
    if (row.cells) return row;
    var cells = {};
    var scores = {};
    var tds = row.tr.cells;
    for (var c = 0; c < columns.length; c++) {
      cells[columns[c]] = tds[c].textContent.trim();
      if (columns[c].indexOf("s:") === 0) {
        var fig = tds[c].querySelector("[data-score]");
        scores[columns[c]] = fig ? Number(fig.dataset.score) : null; /* "no figure" is not 0 */
      }
    }
    row.cells = cells;
    row.scores = scores;
    return row;
  }

  function sortKey(row, column, columns) {
    if (column === "dim") return row.dim;
    if (column === "params") return row.params;
    if (column === "date") return row.date;
    if (column === "tier") return TIER_RANK[row.tier];
    readCells(row, columns);
    if (column.indexOf("s:") === 0) return row.scores[column];
    var text = row.cells[column];
    return text && text !== "—" ? norm(text) : null;
  }

  /** The rows sorted by ``column``: missing values last in both directions, ties in page order. */
  function sortRows(rows, column, dir, columns) {
    var keyed = rows.map(function (row) {
      return { row: row, key: sortKey(row, column, columns) };
    });
    keyed.sort(function (a, b) {
      var x = a.key;
      var y = b.key;
      if (x === null && y === null) return a.row.order - b.row.order;
      if (x === null) return 1;
      if (y === null) return -1;
      var c = typeof x === "number" ? x - y : x < y ? -1 : x > y ? 1 : 0;
      return c !== 0 ? (dir === "desc" ? -c : c) : a.row.order - b.row.order;
    });
    return keyed.map(function (k) {
      return k.row;
    });
  }

  function stateFromUrl() {
    var p = new URLSearchParams(location.search);
    var list = function (key) {
      return (p.get(key) || "").split(",").filter(Boolean);
    };
    return {
      q: p.get("text") || "" /* not "q": the site search opens on that one */,
      mod: list("mod"),
      mm: p.get("mm") === "all" ? "all" : "any",
      lic: list("lic"),
      cat: p.get("cat") || "",
      series: p.get("series") || "",
      org: p.get("org") || "",
      tier: p.get("tier") || "",
      lang: p.get("lang") || "",
      hub: p.get("hub") || "",
      dmin: p.get("dmin") || "",
      dmax: p.get("dmax") || "",
      pmin: p.get("pmin") || "",
      pmax: p.get("pmax") || "",
      sort: p.get("sort") || "",
      dir: p.get("dir") === "desc" ? "desc" : "asc",
      ranges: rangesFrom(p),
    };
  }

  /* score ranges of the headline benchmarks: lo.<benchmark>=70&hi.<benchmark>=80 */
  function rangesFrom(p) {
    var ranges = {};
    p.forEach(function (value, key) {
      if (/^(lo|hi)\./.test(key) && value) ranges[key] = value;
    });
    return ranges;
  }

  function stateToUrl(state) {
    var p = new URLSearchParams();
    var keys = ["q", "mod", "mm", "lic", "cat", "series", "org", "tier", "lang", "hub", "dmin", "dmax", "pmin", "pmax"];
    keys.forEach(function (key) {
      var value = state[key];
      if (Array.isArray(value)) value = value.join(",");
      if (key === "mm" && (value === "any" || !state.mod.length)) return;
      if (value) p.set(key === "q" ? "text" : key, value);
    });
    Object.keys(state.ranges || {}).forEach(function (key) {
      if (state.ranges[key]) p.set(key, state.ranges[key]);
    });
    if (state.sort) {
      p.set("sort", state.sort);
      if (state.dir === "desc") p.set("dir", "desc");
    }
    setUrl(p);
  }

  /** A test of one row against the filters of ``s``, with the filters parsed once. */
  function matcher(s, columns) {
    var terms = norm(s.q).split(/\s+/).filter(Boolean);
    var dmin = parseInt(s.dmin, 10);
    var dmax = parseInt(s.dmax, 10);
    var pmin = parseCount(s.pmin);
    var pmax = parseCount(s.pmax);
    var tier = s.tier ? TIER_RANK[s.tier] : null;
    var hub = s.hub ? s.hub === "yes" : null;
    var bounds = [];
    Object.keys(s.ranges || {}).forEach(function (key) {
      var bound = parseFloat(s.ranges[key]);
      if (!isNaN(bound)) bounds.push({ column: "s:" + key.slice(3), lo: key.indexOf("lo.") === 0, bound: bound });
    });
    var has = function (row) {
      return function (m) {
        return row.mods.indexOf(m) >= 0;
      };
    };
    return function (row) {
      for (var i = 0; i < terms.length; i++) if (row.text.indexOf(terms[i]) < 0) return false;
      if (s.mod.length && (s.mm === "all" ? !s.mod.every(has(row)) : !s.mod.some(has(row)))) return false;
      if (s.lic.length && s.lic.indexOf(row.lic) < 0) return false;
      if (s.cat && row.cat !== s.cat) return false;
      if (s.series && row.series !== s.series) return false;
      if (s.org && readCells(row, columns).cells.org !== s.org) return false;
      if (hub !== null && row.hub !== hub) return false;
      if (tier !== null && !(TIER_RANK[row.tier] >= tier)) return false;
      if (s.lang && row.langs.indexOf(s.lang) < 0) return false;
      if (!isNaN(dmin) || !isNaN(dmax)) {
        var inRange = row.dims.some(function (d) {
          return (isNaN(dmin) || d >= dmin) && (isNaN(dmax) || d <= dmax);
        });
        if (!inRange) return false;
      }
      if (!isNaN(pmin) || !isNaN(pmax)) {
        if (row.params === null) return false;
        if (!isNaN(pmin) && row.params < pmin) return false;
        if (!isNaN(pmax) && row.params > pmax) return false;
      }
      for (var b = 0; b < bounds.length; b++) {
        var score = readCells(row, columns).scores[bounds[b].column];
        if (score === null || score === undefined) return false; /* no figure: hidden while a range is set */
        if (bounds[b].lo ? score < bounds[b].bound : score > bounds[b].bound) return false;
      }
      return true;
    };
  }

  function sameRows(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function initTable(form) {
    var table = followingTable(form);
    if (!table || !table.tBodies.length) return;
    var columns = form.dataset.columns.split(" ");
    var rows = readRows(table);
    var tbody = table.tBodies[0];
    var plog = form.dataset.plog.split(" ").map(Number);
    var els = form.elements;
    var state = stateFromUrl();
    var picks = [];
    var compareLink = form.querySelector(".mmcat-compare-link");
    var compareCount = form.querySelector(".mmcat-compare-count");
    var countEl = form.querySelector(".mmcat-count");
    var pickNote = form.querySelector(".mmcat-pick-note");
    var emptyEl = form.querySelector(".mmcat-empty");
    var pickLabel = compareLink.textContent;
    var labels = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.trim();
    });
    var heads = table.tHead.rows[0].cells;
    var sorted = { key: "", rows: rows };
    var matched = null; /* the matching rows in the table's order */
    var rendered = 0; /* how many of them are in the table */

    /* "show all" sits by the count above the table, so rows added below never move it; an empty
       last row under the table is the mark that loads more rows when the reader scrolls near it */
    var moreButton = form.querySelector(".mmcat-more");
    var foot = table.createTFoot();
    var moreRow = foot.insertRow();
    moreRow.className = "mmcat-end";
    moreRow.setAttribute("aria-hidden", "true");
    moreRow.insertCell().colSpan = columns.length;
    var nearEnd = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
      if (entries[entries.length - 1].isIntersecting && rendered < matched.length) {
        renderUpTo(rendered + STEP);
        watchEnd();
      }
    }, { rootMargin: "0px 0px 1200px 0px" }) : null;

    /* (re)start watching the end of the table: the observer reports the current state again */
    function watchEnd() {
      if (!nearEnd) return;
      nearEnd.unobserve(moreRow);
      if (rendered < matched.length) nearEnd.observe(moreRow);
    }

    function sliderToCount(value, end) {
      var v = Number(value);
      return v === end ? "" : humanCount(Math.pow(10, v));
    }

    function writeForm() {
      els.q.value = state.q;
      els.mm.value = state.mm;
      ["cat", "series", "org", "tier", "lang", "hub", "dmin", "dmax"].forEach(function (key) {
        els[key].value = state[key];
      });
      form.querySelectorAll("input[name=mod]").forEach(function (box) {
        box.checked = state.mod.indexOf(box.value) >= 0;
      });
      form.querySelectorAll("input[name=lic]").forEach(function (box) {
        box.checked = state.lic.indexOf(box.value) >= 0;
      });
      var pmin = parseCount(state.pmin);
      var pmax = parseCount(state.pmax);
      els.pmin.value = isNaN(pmin) ? plog[0] : Math.log10(pmin);
      els.pmax.value = isNaN(pmax) ? plog[1] : Math.log10(pmax);
      form.querySelectorAll("input[data-range]").forEach(function (input) {
        input.value = state.ranges[input.name] || "";
      });
    }

    function readForm() {
      var checked = function (name) {
        return Array.prototype.filter
          .call(form.querySelectorAll("input[name=" + name + "]"), function (box) {
            return box.checked;
          })
          .map(function (box) {
            return box.value;
          });
      };
      var lo = Math.min(Number(els.pmin.value), Number(els.pmax.value));
      var hi = Math.max(Number(els.pmin.value), Number(els.pmax.value));
      state.q = els.q.value;
      state.mod = checked("mod");
      state.mm = els.mm.value;
      state.lic = checked("lic");
      ["cat", "series", "org", "tier", "lang", "hub", "dmin", "dmax"].forEach(function (key) {
        state[key] = els[key].value.trim();
      });
      state.pmin = sliderToCount(lo, plog[0]);
      state.pmax = sliderToCount(hi, plog[1]);
      state.ranges = {};
      form.querySelectorAll("input[data-range]").forEach(function (input) {
        if (input.value.trim()) state.ranges[input.name] = input.value.trim();
      });
    }

    function showParams() {
      var lo = state.pmin || humanCount(Math.pow(10, plog[0]));
      var hi = state.pmax || humanCount(Math.pow(10, plog[1]));
      els.prange.value = (state.pmin ? "≥ " : "") + lo + " – " + (state.pmax ? "≤ " : "") + hi;
    }

    /* a row the first time it is shown: its compare tick, and each cell names its column
       (on a phone the rows are cards, assets/mmcat.css) */
    function prepare(row) {
      if (row.box) return;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "mmcat-pick";
      box.value = row.id;
      box.checked = picks.indexOf(row.id) >= 0;
      box.setAttribute("aria-label", pickLabel + ": " + readCells(row, columns).cells.model);
      row.box = box;
      var tds = row.tr.cells;
      for (var c = 0; c < tds.length; c++) {
        tds[c].setAttribute("data-label", labels[c] || "");
        tds[c].setAttribute("data-column", columns[c] || "");
      }
      tds[0].insertBefore(box, tds[0].firstChild);
    }

    function renderUpTo(n) {
      var end = Math.min(n, matched.length);
      var frag = document.createDocumentFragment();
      for (var i = rendered; i < end; i++) {
        prepare(matched[i]);
        frag.appendChild(matched[i].tr);
      }
      tbody.appendChild(frag);
      rendered = end;
      var rest = matched.length - rendered;
      moreButton.hidden = rest <= 0;
      if (rest > 0) moreButton.textContent = form.dataset.more.replace("{n}", matched.length);
    }

    function apply() {
      var key = state.sort && columns.indexOf(state.sort) >= 0 ? state.sort + " " + state.dir : "";
      if (sorted.key !== key) {
        sorted = { key: key, rows: key ? sortRows(rows, state.sort, state.dir, columns) : rows };
        for (var h = 0; h < heads.length; h++) {
          var on = columns[h] === state.sort;
          heads[h].setAttribute("aria-sort", on ? (state.dir === "desc" ? "descending" : "ascending") : "none");
        }
      }
      var next = sorted.rows.filter(matcher(state, columns));
      if (matched === null || !sameRows(next, matched)) {
        matched = next;
        rendered = 0;
        tbody.textContent = "";
        renderUpTo(FIRST);
        watchEnd();
      }
      countEl.textContent = countEl.dataset.of.replace("{n}", matched.length).replace("{total}", rows.length);
      emptyEl.hidden = matched.length > 0;
      showParams();
    }

    function updatePicks() {
      compareCount.textContent = picks.length;
      var href = form.dataset.compare + (picks.length ? "?ids=" + picks.join(",") : "");
      compareLink.setAttribute("href", href);
      compareLink.setAttribute("aria-disabled", picks.length < 2 ? "true" : "false");
    }

    /* header buttons: sort by any column */
    Array.prototype.forEach.call(heads, function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mmcat-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.dataset.column = columns[i];
      button.addEventListener("click", function () {
        if (state.sort === columns[i]) state.dir = state.dir === "asc" ? "desc" : "asc";
        else {
          state.sort = columns[i];
          state.dir = "asc";
        }
        stateToUrl(state);
        apply();
      });
    });

    /* the ticks that pick models for the compare page (at most four), one listener for all */
    tbody.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.classList || !box.classList.contains("mmcat-pick")) return;
      var i = picks.indexOf(box.value);
      if (box.checked && i < 0) {
        if (picks.length >= 4) {
          box.checked = false;
          pickNote.textContent = pickNote.dataset.text; /* say why nothing happened */
          return;
        }
        picks.push(box.value);
      } else if (!box.checked && i >= 0) picks.splice(i, 1);
      pickNote.textContent = "";
      updatePicks();
    });
    moreButton.addEventListener("click", function () {
      renderUpTo(matched.length);
      watchEnd();
    });

    form.addEventListener("input", function () {
      readForm();
      stateToUrl(state);
      apply();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      var sort = state.sort;
      var dir = state.dir;
      state = stateFromUrl();
      Object.keys(state).forEach(function (key) {
        state[key] = Array.isArray(state[key]) ? [] : "";
      });
      state.mm = "any";
      state.ranges = {};
      state.sort = sort;
      state.dir = dir;
      writeForm();
      stateToUrl(state);
      apply();
    });
    compareLink.addEventListener("click", function (event) {
      if (picks.length < 2) event.preventDefault();
    });

    writeForm();
    apply();
    form.hidden = false;
    table.setAttribute("data-mmcat", "models"); /* no class: Material styles only table:not([class]) */
    updatePicks();
  }

  /* ---------------------------------------------------------------- compare page */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function lines(items) {
    var out = [];
    items.forEach(function (item, i) {
      if (i) out.push(el("br"));
      out.push(item);
    });
    return out;
  }

  function initCompare(box) {
    var api = window.MMCAT_API;
    var L = JSON.parse(box.dataset.labels);
    var lang = box.dataset.lang;
    var root = box.dataset.root;
    var zh = lang === "zh";
    /* Chinese text takes full-width punctuation with no space around it */
    var paren = function (text) {
      return zh ? "（" + text + "）" : " (" + text + ")";
    };
    var colon = zh ? "：" : ": ";
    if (!api || api.version !== 1) return;
    var byId = {};
    api.models.forEach(function (m) {
      byId[m.entry.id.toLowerCase()] = m;
    });
    var named = function (list) {
      var map = {};
      list.forEach(function (x) {
        map[x.id] = x;
      });
      return map;
    };
    var series = named(api.series);
    var categories = named(api.categories);
    var papers = named(api.papers);
    var sorted = api.models.slice().sort(function (a, b) {
      return a.entry.name.localeCompare(b.entry.name);
    });

    var picker = el("form", { class: "mmcat-compare-picker" });
    var selects = [];
    for (var i = 0; i < 4; i++) {
      var select = el("select", { name: "model" + (i + 1), "aria-label": L["compare.pick"].replace("{n}", i + 1) }, [
        el("option", { value: "" }, [L["compare.choose"]]),
      ]);
      sorted.forEach(function (m) {
        select.appendChild(el("option", { value: m.entry.id }, [m.entry.name + " (" + m.entry.id + ")"]));
      });
      selects.push(select);
      picker.appendChild(el("label", {}, [L["compare.pick"].replace("{n}", i + 1) + " ", select]));
    }
    var message = el("p", { class: "mmcat-compare-message", role: "status" });
    var out = el("div", { class: "mmcat-compare-out" });
    box.appendChild(picker);
    box.appendChild(message);
    box.appendChild(out);

    function idsFromUrl() {
      var raw = new URLSearchParams(location.search).get("ids") || "";
      return raw.split(",").map(function (s) {
        return s.trim();
      }).filter(Boolean);
    }

    function badge(tier) {
      var label = L["tier." + tier] || L["status.no-public-weights"];
      var cls = tier === "unavailable" ? "unavailable" : tier;
      return el("span", { class: "mmcat-badge mmcat-" + cls }, [label]);
    }

    function inputText(e) {
      if (!e.input || (!e.input.image_size && !e.input.text_tokens)) return L.input_default;
      var parts = [];
      if (e.input.image_size) parts.push(e.input.image_size + " " + L.image_px);
      if (e.input.text_tokens) parts.push(e.input.text_tokens + " " + L.text_tokens);
      return parts.join(", ");
    }

    function measured(m) {
      var runtime = m.checks && m.checks.tiers && m.checks.tiers.runtime;
      if (!runtime) return [L["compare.measured_none"]];
      var runs = runtime.runs || { "": runtime };
      return lines(Object.keys(runs).sort().map(function (key) {
        var r = runs[key];
        var lat = Object.keys(r.latency_ms || {}).sort().map(function (k) {
          return k + " " + r.latency_ms[k] + " ms";
        });
        return [r.device_name || r.device, r.dtype, L.batch + " " + r.batch].join(" · ") + colon +
          L.peak_memory + " " + r.peak_memory_mb + " MiB" + (lat.length ? (zh ? "；" : "; ") + lat.join(", ") : "");
      }));
    }

    var FIELDS = [
      ["organization", function (m) { return [m.entry.organization]; }],
      ["series", function (m) { var s = series[m.entry.series]; return [s ? s.name[lang] : m.entry.series]; }],
      ["category", function (m) { var c = categories[m.entry.category]; return [c ? c.name[lang] : m.entry.category]; }],
      ["modalities", function (m) { return [m.entry.modalities.map(function (x) { return L["mod." + x] || x; }).join(zh ? "、" : ", ")]; }],
      ["outputs", function (m) {
        return lines(m.entry.embeddings.map(function (e) {
          var size = e.multi_vector ? L["compare.tokens"] + " × " + e.dim : e.shape ? e.shape.join("×") : String(e.dim);
          return el("span", {}, [el("code", {}, [e.name]), " " + size + " · " + e.recipe + " ", badge(m.derived.output_tiers[e.name])]);
        }));
      }],
      ["input", function (m) {
        return lines(m.entry.embeddings.map(function (e) { return e.name + colon + inputText(e); }));
      }],
      ["parameters", function (m) {
        var d = m.derived;
        if (!d.parameters) return [L.none];
        return [d.parameters.toLocaleString("en") + paren(L["params_source." + d.parameters_source])];
      }],
      ["weights_estimate", function (m) {
        var w = m.derived.weight_bytes;
        if (!w) return [L.none];
        return lines(["float32", "bfloat16", "int8"].map(function (k) { return k + colon + humanBytes(w[k]); }));
      }],
      ["measured", measured],
      ["license", function (m) {
        var name = m.entry.license === "other" ? m.entry.license_name || L.license_other : m.entry.license;
        return [name + paren(L["lic." + m.derived.license_class])];
      }],
      ["release_date", function (m) { return [m.entry.release_date || L.none]; }],
      ["papers", function (m) {
        if (!m.entry.papers.length) return [L.none];
        return lines(m.entry.papers.map(function (id) {
          var p = papers[id];
          return el("a", { href: root + "papers.html#" + id }, [p ? p.title + paren(p.year) : id]);
        }));
      }],
      ["verification", function (m) { return [badge(m.derived.tier)]; }],
      ["hub_id", function (m) {
        if (!m.entry.source.hub_id) return [L.none];
        var sha = (m.hub && m.hub.sha) || m.entry.source.revision;
        return [m.entry.source.hub_id + (sha ? " @ " + sha.slice(0, 12) : "")];
      }],
    ];

    var benchmarks = named(api.benchmarks || []);
    var protocols = named(api.protocols || []);

    /* one row per benchmark and protocol that at least two of the models have a figure for:
       figures of different protocols are never put side by side */
    function resultRows(models) {
      var keys = {};
      var order = [];
      models.forEach(function (m, col) {
        (m.results || []).forEach(function (f) {
          var key = f.benchmark + "@" + f.protocol;
          if (!keys[key]) {
            keys[key] = {};
            order.push(key);
          }
          if (keys[key][col] === undefined) keys[key][col] = f.value;
        });
      });
      var rows = [];
      order.forEach(function (key) {
        var values = keys[key];
        if (Object.keys(values).length < 2) return;
        var parts = key.split("@");
        var b = benchmarks[parts[0]];
        var p = protocols[parts[1]];
        var nums = Object.keys(values).map(function (c) { return values[c]; });
        var best = b.direction === "lower" ? Math.min.apply(null, nums) : Math.max.apply(null, nums);
        var label = b.name[lang] + paren(p.name[lang]);
        rows.push(el("tr", { "data-field": "result", "data-benchmark": parts[0], "data-protocol": parts[1] },
          [el("th", { scope: "row" }, [el("a", { href: root + "leaderboards/" + parts[0] + ".html" }, [label])])].concat(
            models.map(function (m, col) {
              var v = values[col];
              if (v === undefined) return el("td", { class: "mmcat-nofig" }, [L.no_figure]);
              var text = String(+v.toFixed(b.unit === "fraction" ? 3 : 2));
              return el("td", { "data-score": String(v) }, [v === best ? el("strong", {}, [text]) : text]);
            })
          )));
      });
      if (rows.length) {
        rows.unshift(el("tr", { "data-field": "results-head" }, [el("th", { colspan: String(models.length + 1) }, [L.reported_results])]));
      }
      return rows;
    }

    function render() {
      var ids = idsFromUrl();
      var unknown = ids.filter(function (id) { return !byId[id.toLowerCase()]; });
      var models = ids.map(function (id) { return byId[id.toLowerCase()]; }).filter(Boolean).slice(0, 4);
      selects.forEach(function (s, i) { s.value = models[i] ? models[i].entry.id : ""; });
      message.textContent = unknown.map(function (id) { return L["compare.unknown"].replace("{id}", id); }).join(" ");
      out.textContent = "";
      if (!models.length) return;
      var head = el("tr", {}, [el("th", {}, [L.model])].concat(models.map(function (m) {
        return el("th", {}, [el("a", { href: root + m.derived.page }, [m.entry.name])]);
      })));
      var body = FIELDS.map(function (f) {
        return el("tr", { "data-field": f[0] }, [el("th", { scope: "row" }, [L[f[0]]])].concat(models.map(function (m) {
          return el("td", {}, f[1](m));
        })));
      });
      body = body.concat(resultRows(models));
      var table = el("table", { class: "mmcat-compare-table" }, [el("thead", {}, [head]), el("tbody", {}, body)]);
      out.appendChild(el("div", { class: "mmcat-compare-scroll" }, [table]));
    }

    picker.addEventListener("change", function () {
      var ids = selects.map(function (s) { return s.value; }).filter(Boolean);
      var p = new URLSearchParams(location.search);
      if (ids.length) p.set("ids", ids.join(","));
      else p.delete("ids");
      setUrl(p);
      render();
    });
    render();
  }

  function init() {
    if (location.search) keepViewAcrossLanguages(location.search);
    var form = document.getElementById("mmcat-filters");
    if (form) initTable(form);
    var box = document.getElementById("mmcat-compare");
    if (box) initCompare(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
