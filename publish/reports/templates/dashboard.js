/* The dashboard's filters, offline: the aggregated figures are in #dashboard-data (JSON, see
   dashboard.dashboard_data); choosing a period, tier, district or agency redraws the cards,
   the trends, the rankings, the ranking table and the 766 sections from them. Names from the data reach the
   page only as text (textContent, new Option) or, in plotly's traces, through plotText. */
(function () {
  "use strict";
  var dataElement = document.getElementById("dashboard-data");
  if (!dataElement) { return; }
  var D = JSON.parse(dataElement.textContent);
  if (!D.periods.length || !document.getElementById("f-period")) { return; }
  var SEP = D.sep;
  /* Stored as [numerator, denominator, meets_target, value?]: the value only where it is not
     numerator / denominator (the same IEEE division the marts made); expanded here to
     [numerator, denominator, value, meets_target]. */
  Object.keys(D.values).forEach(function (periodKey) {
    Object.keys(D.values[periodKey]).forEach(function (level) {
      D.values[periodKey][level].forEach(function (row) {
        if (!row) { return; }
        row.forEach(function (t, i) {
          if (!t) { return; }
          var value = t.length > 3 ? t[3] : (t[1] ? t[0] / t[1] : null);
          var meets = t[2] === null ? null : t[2] === 1;
          row[i] = [t[0], t[1], value, meets];
        });
      });
    });
  });
  var CONFIG = { displaylogo: false, responsive: true };
  var KPI_INDEX = {};
  D.kpis.forEach(function (k, i) { KPI_INDEX[k.code] = i; });
  var PERIODS = {};
  D.periods.forEach(function (p) { PERIODS[p.key] = p; });

  /* --- numbers, as Babel formats them for vi_VN (symbols from labels.py) --- */
  function fixed(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) { return "–"; }
    var s = Math.abs(x).toFixed(digits);
    var parts = s.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, SEP.group);
    var sign = x < 0 && Number(s) !== 0 ? "-" : "";
    return sign + whole + (parts.length > 1 ? SEP.decimal + parts[1] : "");
  }
  function fmtInt(x) { return x === null || x === undefined ? "–" : fixed(Math.round(x), 0); }
  function fmtPct(x) { return x === null || x === undefined ? "–" : fixed(x * 100, 2) + "%"; }
  function fmtKpi(code, x) {
    var unit = D.kpis[KPI_INDEX[code]].unit;
    if (unit === "count") { return fmtInt(x); }
    if (unit === "working_days") { return fixed(x, 2); }
    return fmtPct(x);
  }
  /* plotly renders a subset of HTML in its text: escape what it decodes (safe_text.plot_text) */
  function plotText(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  /* --- the figures of one unit --- */
  function tuple(periodKey, level, index) {
    var byPeriod = D.values[periodKey];
    var rows = byPeriod && byPeriod[level];
    return rows ? rows[index] || null : null;
  }
  function kpi(row, code) { return row ? row[KPI_INDEX[code]] || null : null; }
  function hasData(periodKey, level, index) { return tuple(periodKey, level, index) !== null; }

  var state = { period: D.default, tier: "", district: "", agency: "", search: "" };
  var el = {
    period: document.getElementById("f-period"),
    tier: document.getElementById("f-tier"),
    district: document.getElementById("f-district"),
    agency: document.getElementById("f-agency"),
    reset: document.getElementById("f-reset"),
    search: document.getElementById("ranking-search")
  };
  function unitIndex(level, code) {
    var units = D.units[level];
    for (var i = 0; i < units.length; i++) { if (units[i][0] === code) { return i; } }
    return -1;
  }

  /* The unit the cards and the trends show: the agency, else the district, else the tier,
     else the province (the one with figures in the period). */
  function scope() {
    if (state.agency) { return { level: "agency", index: unitIndex("agency", state.agency) }; }
    if (state.district) { return { level: "district", index: unitIndex("district", state.district) }; }
    if (state.tier) { return { level: "tier", index: unitIndex("tier", state.tier) }; }
    var provinces = D.units.province;
    for (var i = 0; i < provinces.length; i++) {
      if (hasData(state.period, "province", i)) { return { level: "province", index: i }; }
    }
    return { level: "province", index: 0 };
  }
  function scopeName(s) {
    var unit = D.units[s.level][s.index];
    if (!unit) { return "toàn tỉnh"; }
    if (s.level === "province") { return "toàn tỉnh"; }
    return unit[1];
  }

  /* Agencies with figures in the period, within the tier and district chosen. */
  function agencies() {
    var found = [];
    D.units.agency.forEach(function (unit, i) {
      if (!hasData(state.period, "agency", i)) { return; }
      if (state.tier && unit[2] !== state.tier && D.hasTiers) { return; }
      if (state.district && unit[3] !== state.district) { return; }
      found.push({ index: i, code: unit[0], name: unit[1], tier: unit[2], district: unit[3] });
    });
    return found;
  }

  /* --- filters --- */
  function option(select, value, text) { select.add(new Option(text, value)); }
  function fillPeriods() {
    var groups = {};
    D.periods.forEach(function (p) {
      if (!groups[p.type]) {
        groups[p.type] = document.createElement("optgroup");
        groups[p.type].label = D.periodTypes[p.type] || p.type;
        el.period.appendChild(groups[p.type]);
      }
      var o = new Option(p.label, p.key);
      groups[p.type].appendChild(o);
    });
    el.period.value = state.period;
  }
  function fillTiers() {
    el.tier.innerHTML = "";
    option(el.tier, "", "Tất cả các cấp");
    D.units.tier.forEach(function (unit, i) {
      if (hasData(state.period, "tier", i)) { option(el.tier, unit[0], unit[1]); }
    });
    el.tier.value = state.tier;
    if (el.tier.value !== state.tier) { state.tier = ""; el.tier.value = ""; }
  }
  function fillDistricts() {
    el.district.innerHTML = "";
    var any = false;
    D.units.district.forEach(function (unit, i) {
      if (hasData(state.period, "district", i)) {
        if (!any) { option(el.district, "", "Tất cả các huyện"); any = true; }
        option(el.district, unit[0], unit[1]);
      }
    });
    if (!any) { option(el.district, "", "Không có cấp huyện trong kỳ"); }
    el.district.disabled = !any;
    el.district.value = state.district;
    if (el.district.value !== state.district) { state.district = ""; el.district.value = ""; }
  }
  function fillAgencies() {
    el.agency.innerHTML = "";
    option(el.agency, "", "Tất cả các cơ quan");
    agencies().sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); })
      .forEach(function (a) { option(el.agency, a.code, a.name + " (" + a.code + ")"); });
    el.agency.value = state.agency;
    if (el.agency.value !== state.agency) { state.agency = ""; el.agency.value = ""; }
  }

  /* --- cards --- */
  function target(code, periodKey) {
    var p = PERIODS[periodKey];
    var byYear = D.targets[code];
    if (!p || !byYear) { return null; }
    var value = byYear[p.year];
    return value === undefined ? null : value;
  }
  function setValue(node, text, value) {
    node.textContent = text;
    node.setAttribute("data-value", value === null || value === undefined ? "" : String(value));
  }
  function drawCards(s) {
    var row = tuple(state.period, s.level, s.index);
    D.kpis.forEach(function (k) {
      var card = document.querySelector('[data-card="' + k.code + '"]');
      if (!card) { return; }
      var t = kpi(row, k.code);
      setValue(card.querySelector("[data-kpi]"), fmtKpi(k.code, t ? t[2] : null), t ? t[2] : null);
      card.querySelector(".detail").textContent = t
        ? fmtInt(t[0]) + " / " + fmtInt(t[1]) + " hồ sơ" : "không có hồ sơ trong kỳ";
      var goal = target(k.code, state.period);
      var targetNode = card.querySelector("[data-target]");
      if (targetNode) { setValue(targetNode, fmtKpi(k.code, goal), goal); }
      var verdict = card.querySelector(".verdict");
      if (verdict) {
        verdict.textContent = "";
        if (t && t[3] !== null && t[3] !== undefined) {
          var span = document.createElement("span");
          span.className = t[3] ? "ok" : "bad";
          span.textContent = t[3] ? "Đạt" : "Chưa đạt";
          verdict.appendChild(span);
        }
      }
    });
    var notice = D.notice && state.period === D.default && s.level === "province";
    document.querySelectorAll(".notice-line").forEach(function (n) { n.hidden = !notice; });
    var name = s.level === "province" ? "toàn tỉnh" : scopeName(s);
    document.getElementById("scope-label").textContent = name;
    document.querySelectorAll(".scope-name").forEach(function (n) { n.textContent = name; });
    var p = PERIODS[state.period];
    var periodNode = document.getElementById("period");
    periodNode.textContent = p.label;
    periodNode.setAttribute("data-period", p.code);
    document.querySelectorAll(".period-name").forEach(function (n) { n.textContent = p.label; });
  }

  /* --- charts --- */
  function layout(title, extra) {
    var base = {
      title: { text: title, font: { size: 15 } },
      font: { family: D.font, size: 12 },
      separators: SEP.decimal + SEP.group,
      margin: { l: 10, r: 10, t: 60, b: 10 },
      legend: { orientation: "h", y: -0.15 },
      paper_bgcolor: "#fff", plot_bgcolor: "#fff",
      xaxis: { automargin: true, gridcolor: "#e5e9f0" },
      yaxis: { automargin: true, gridcolor: "#e5e9f0" },
      height: 420
    };
    Object.keys(extra || {}).forEach(function (key) {
      if (typeof extra[key] === "object" && !Array.isArray(extra[key]) && base[key]) {
        Object.keys(extra[key]).forEach(function (k) { base[key][k] = extra[key][k]; });
      } else { base[key] = extra[key]; }
    });
    return base;
  }
  /* A chart with no trace is taken off the page (its box shows a note) rather than left empty. */
  function draw(id, traces, lay, quiet) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var box = node.parentNode;
    var empty = box.querySelector(".empty-note");
    if (!traces.length) {
      Plotly.purge(node);
      box.classList.remove("chart");
      if (quiet) { return; }
      if (!empty) {
        empty = document.createElement("p");
        empty.className = "note empty-note";
        box.appendChild(empty);
      }
      empty.textContent = "Không có số liệu cho lựa chọn này.";
      return;
    }
    if (empty) { empty.remove(); }
    box.classList.add("chart");
    Plotly.react(node, traces, lay, CONFIG);
  }
  var PALETTE = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"];
  function drawRates(id, keys, title, s) {
    var traces = [];
    var labels = keys.map(function (key) { return PERIODS[key].short; });
    D.kpis.forEach(function (k, i) {
      var ys = keys.map(function (key) { var t = kpi(tuple(key, s.level, s.index), k.code); return t ? t[2] : null; });
      if (!ys.some(function (y) { return y !== null; })) { return; }
      traces.push({
        type: "scatter", mode: "lines+markers", x: labels, y: ys, name: plotText(k.label),
        line: { color: PALETTE[i % PALETTE.length] },
        customdata: ys.map(function (y) { return fmtKpi(k.code, y); }),
        hovertemplate: "%{x}: %{customdata}<extra>" + plotText(k.label) + "</extra>"
      });
      var goals = keys.map(function (key) { return target(k.code, key); });
      if (goals.some(function (g) { return g !== null; })) {
        traces.push({
          type: "scatter", mode: "lines", x: labels, y: goals, name: plotText("Mục tiêu – " + k.label),
          line: { color: PALETTE[i % PALETTE.length], dash: "dash", width: 1 },
          customdata: goals.map(function (g) { return fmtKpi(k.code, g); }),
          hovertemplate: "%{x}: %{customdata}<extra>Mục tiêu</extra>"
        });
      }
    });
    draw(id, traces, layout(title, { xaxis: { type: "category" }, yaxis: { tickformat: ".0%" } }));
  }
  function drawVolumes(s) {
    var series = (D.volumes[s.level] || [])[s.index] || null;
    var labels = D.months.map(function (key) { return PERIODS[key].short; });
    var traces = [];
    if (series) {
      D.volumeLabels.forEach(function (label, c) {
        var ys = series.map(function (m) { return m ? m[c] : null; });
        traces.push({
          type: "bar", x: labels, y: ys, name: plotText(label),
          customdata: ys.map(fmtInt), hovertemplate: "%{x}: %{customdata} hồ sơ<extra>" + plotText(label) + "</extra>"
        });
      });
    }
    draw("chart-monthly-volume", traces,
      layout("Số hồ sơ theo tháng (Biểu 06) — " + plotText(scopeName(s)), { xaxis: { type: "category" } }));
  }

  /* Worst RANKED_SHOWN and best RANKED_SHOWN of the agencies; all of them when they are fewer
     than twice that. Equal rates: the agency with more dossiers first, in both lists. */
  function ranking(code, list) {
    var rows = [];
    list.forEach(function (a) {
      var t = kpi(tuple(state.period, "agency", a.index), code);
      if (t && t[1] > 0 && t[2] !== null) { rows.push({ a: a, t: t }); }
    });
    var worst = rows.slice().sort(function (x, y) { return x.t[2] - y.t[2] || y.t[1] - x.t[1]; });
    var best = rows.slice().sort(function (x, y) { return y.t[2] - x.t[2] || y.t[1] - x.t[1]; });
    return { all: rows, worst: worst, best: best };
  }
  function drawRankings(list) {
    var selected = state.agency;
    D.ranked.forEach(function (code) {
      var k = D.kpis[KPI_INDEX[code]];
      var r = ranking(code, list);
      var n = r.all.length;
      var groups;
      if (n <= 2 * D.shown) {
        groups = [{ rows: r.best.slice().reverse(), name: "Cơ quan", color: "#1f77b4" }];
      } else {
        var worst = r.worst.slice(0, D.shown);
        var taken = {};
        worst.forEach(function (x) { taken[x.a.code] = true; });
        var best = r.best.filter(function (x) { return !taken[x.a.code]; }).slice(0, D.shown).reverse();
        groups = [
          { rows: worst, name: D.shown + " cơ quan thấp nhất", color: "#d62728" },
          { rows: best, name: D.shown + " cơ quan cao nhất", color: "#2ca02c" }
        ];
      }
      var names = {};
      r.all.forEach(function (x) { names[x.a.name] = (names[x.a.name] || 0) + 1; });
      var traces = groups.map(function (g) {
        return {
          type: "bar", orientation: "h", name: plotText(g.name),
          x: g.rows.map(function (x) { return x.t[2]; }),
          y: g.rows.map(function (x) { return plotText(names[x.a.name] > 1 ? x.a.name + " (" + x.a.code + ")" : x.a.name); }),
          text: g.rows.map(function (x) { return fmtPct(x.t[2]); }),
          /* a short bar (0%, 5%) carries its figure after it, a long one inside */
          textposition: g.rows.map(function (x) { return x.t[2] < 0.2 ? "outside" : "inside"; }),
          cliponaxis: false,
          customdata: g.rows.map(function (x) { return [fmtPct(x.t[2]), fmtInt(x.t[0]), fmtInt(x.t[1])]; }),
          hovertemplate: "%{y}: %{customdata[0]} (%{customdata[1]}/%{customdata[2]})<extra></extra>",
          marker: { color: g.rows.map(function (x) { return x.a.code === selected ? "#f59e0b" : g.color; }) }
        };
      }).filter(function (t) { return t.x.length; });
      var shownCount = groups.reduce(function (s, g) { return s + g.rows.length; }, 0);
      var full = r.all.filter(function (x) { return x.t[2] >= 1; }).length;
      var title = "Cơ quan xếp theo " + k.label.toLowerCase() +
        (n > shownCount ? " — " + D.shown + " thấp nhất và " + D.shown + " cao nhất trong " + fmtInt(n) + " cơ quan" : "");
      var goal = target(code, state.period);
      var shapes = [], annotations = [];
      if (goal !== null) {
        shapes.push({ type: "line", xref: "x", yref: "paper", x0: goal, x1: goal, y0: 0, y1: 1,
          line: { color: "#d62728", dash: "dash", width: 1 } });
        annotations.push({ xref: "x", yref: "paper", x: goal, y: 1, yanchor: "bottom", showarrow: false,
          text: "Mục tiêu " + fmtPct(goal), font: { color: "#d62728", size: 11 } });
      }
      draw("chart-agency-" + code, traces, layout(plotText(title), {
        height: Math.max(320, 24 * shownCount + 140), xaxis: { tickformat: ".0%", range: [0, 1.08] },
        yaxis: { type: "category" }, shapes: shapes, annotations: annotations, bargap: 0.25,
        showlegend: groups.length > 1,
        legend: { orientation: "h", x: 0, y: 1, xanchor: "left", yanchor: "bottom" },
        margin: { t: 80 }
      }));
      var note = document.getElementById("rank-note-" + code);
      var text = fmtInt(full) + "/" + fmtInt(n) + " cơ quan đạt 100%.";
      if (selected) {
        var position = -1;
        r.best.forEach(function (x, i) { if (x.a.code === selected) { position = i; } });
        var mine = position >= 0 ? r.best[position] : null;
        text += mine
          ? " Cơ quan đã chọn: hạng " + fmtInt(position + 1) + "/" + fmtInt(n) + ", " + fmtPct(mine.t[2]) +
            " (" + fmtInt(mine.t[0]) + "/" + fmtInt(mine.t[1]) + " hồ sơ)."
          : " Cơ quan đã chọn không có hồ sơ cho chỉ tiêu này trong kỳ.";
      }
      note.textContent = text;
    });
  }
  function drawDistricts() {
    var districts = [];
    D.units.district.forEach(function (unit, i) {
      if (hasData(state.period, "district", i)) { districts.push({ index: i, name: unit[1], code: unit[0] }); }
    });
    var first = D.ranked[0];
    districts.sort(function (a, b) {
      var x = kpi(tuple(state.period, "district", a.index), first), y = kpi(tuple(state.period, "district", b.index), first);
      return (y ? y[2] : -1) - (x ? x[2] : -1);
    });
    var traces = D.ranked.map(function (code) {
      var k = D.kpis[KPI_INDEX[code]];
      var ts = districts.map(function (d) { return kpi(tuple(state.period, "district", d.index), code); });
      return {
        type: "bar", name: plotText(k.label), x: districts.map(function (d) { return plotText(d.name); }),
        y: ts.map(function (t) { return t ? t[2] : null; }),
        text: ts.map(function (t) { return t ? fmtPct(t[2]) : ""; }), textposition: "auto",
        customdata: ts.map(function (t) { return t ? [fmtPct(t[2]), fmtInt(t[0]), fmtInt(t[1])] : ["–", "–", "–"]; }),
        hovertemplate: "%{x}: %{customdata[0]} (%{customdata[1]}/%{customdata[2]})<extra>" + plotText(k.label) + "</extra>"
      };
    });
    document.getElementById("district-note").hidden = districts.length > 0;
    draw("chart-district-rates", districts.length ? traces : [],
      layout("Huyện, thị xã, thành phố: ba tỷ lệ chính", { yaxis: { tickformat: ".0%" }, xaxis: { type: "category" } }), true);
  }

  /* --- the ranking table --- */
  function drawTable(list) {
    var body = document.querySelector("#ranking-table tbody");
    if (!body) { return; }
    body.textContent = "";
    var districtNames = {};
    D.units.district.forEach(function (u) { districtNames[u[0]] = u[1]; });
    list.slice().sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); }).forEach(function (a) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-unit", a.code);
      tr.setAttribute("data-search", fold(a.name + " " + a.code));
      if (a.code === state.agency) { tr.className = "selected"; }
      var row = tuple(state.period, "agency", a.index);
      var cells = [[a.code, false, null, null, "code"], [a.name, false, null, null, "name"],
        [D.tiers[a.tier] || "–", false, null, null, "code"], [districtNames[a.district] || "–", false, null, null, "place"]];
      D.ranked.forEach(function (code) {
        var t = kpi(row, code);
        cells.push([t ? fmtPct(t[2]) : "–", true, code, t ? t[2] : null]);
        cells.push([t ? fmtInt(t[0]) + " / " + fmtInt(t[1]) : "–", true]);
      });
      cells.forEach(function (c) {
        var td = document.createElement("td");
        td.textContent = c[0];
        if (c[1]) { td.className = "num"; }
        if (c[4]) { td.className = c[4]; }
        if (c[2]) {
          td.setAttribute("data-kpi-cell", c[2]);
          td.setAttribute("data-value", c[3] === null ? "" : String(c[3]));
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    applySearch("ranking-table", state.search, document.getElementById("ranking-count"));
  }
  function applySearch(tableId, query, counter) {
    var rows = document.querySelectorAll("#" + tableId + " tbody tr");
    var wanted = fold(query).trim();
    var shown = 0;
    rows.forEach(function (tr) {
      var text = tr.getAttribute("data-search") || fold(tr.textContent);
      var match = !wanted || text.indexOf(wanted) >= 0;
      tr.hidden = !match;
      if (match) { shown += 1; }
    });
    if (counter) { counter.textContent = "Hiển thị " + fmtInt(shown) + "/" + fmtInt(rows.length) + " cơ quan"; }
  }

  /* --- the 766 sections: the period the filter shows, or the portal period standing for it
     (D.p766.view: dashboard.portal_766_choice says which and why) --- */
  function fmtDecimal(x) { return fixed(x, 2); }
  function ratioValue(t) { return !t ? null : t.length > 2 ? t[2] : (t[1] ? t[0] / t[1] : null); }
  function attrValue(x) { return x === null || x === undefined ? "" : String(x); }
  /* cells: [text, numeric, {data attribute: value}, css class] */
  function fillRows(tbody, rows) {
    tbody.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      Object.keys(row.attrs || {}).forEach(function (name) { tr.setAttribute(name, row.attrs[name]); });
      row.cells.forEach(function (c) {
        var td = document.createElement("td");
        td.textContent = c[0];
        if (c[1]) { td.className = "num"; } else if (c[3]) { td.className = c[3]; }
        Object.keys(c[2] || {}).forEach(function (name) { td.setAttribute(name, c[2][name]); });
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }
  function showIf(id, shown, text) {
    var node = document.getElementById(id);
    if (!node) { return; }
    if (text !== undefined) { node.textContent = text || ""; }
    node.hidden = !shown;
  }
  function draw766() {
    var P = D.p766;
    var section = document.getElementById("portal-766");
    if (!P || !section) { return; }
    var view = P.view[state.period] || [null, null, null];
    var entry = view[0] ? P.data[view[0]] : null;
    var groupsEntry = view[1] ? P.data[view[1]] : null;
    var chosen = PERIODS[state.period];
    section.setAttribute("data-period766", entry ? view[0].split("|")[1] : "");
    document.getElementById("p766-period").textContent = entry ? entry.label : chosen.label;
    showIf("p766-choice", !!view[2], view[2]);
    showIf("p766-none", !entry && !view[2], "Chưa có số liệu chỉ số 766 cho " + chosen.label + ".");
    document.getElementById("p766-body").hidden = !entry;
    if (!entry) { draw("chart-766-groups", [], {}, true); return; }

    /* the province's groups: recomputed against the portal's, of one month */
    var groups = groupsEntry && groupsEntry.groups ? groupsEntry.groups : [];
    var groupLabel = function (code) { return P.groupLabels[code] || code; };
    document.getElementById("p766-groups-period").textContent = groupsEntry ? ", " + groupsEntry.short : "";
    document.getElementById("p766-groups-month").textContent = groupsEntry ? groupsEntry.short : "";
    showIf("p766-groups-intro", groups.length > 0);
    showIf("p766-no-groups", groups.length === 0);
    var noPortal = groups.length > 0 && groups.every(function (g) { return g[3] === null; });
    showIf("p766-no-portal", noPortal, groupsEntry
      ? "Báo cáo 766 của Cổng cho " + groupsEntry.short + " không có điểm toàn tỉnh (dòng Tổng cộng): chưa đối chiếu được; cột «Tỉnh tính lại» là điểm dự kiến."
      : "");
    document.getElementById("portal-766-groups").hidden = groups.length === 0;
    fillRows(document.querySelector("#portal-766-groups tbody"), groups.map(function (g) {
      return { cells: [
        [groupLabel(g[0]), false, { "data-group": g[0] }],
        [fmtDecimal(g[1]), true],
        [fmtDecimal(g[2]), true, { "data-recomputed": attrValue(g[2]) }],
        [fmtDecimal(g[3]), true, { "data-portal": attrValue(g[3]) }],
        [fmtDecimal(g[4]), true, { "data-diff": attrValue(g[4]) }],
        [P.statusLabels[g[5]] || g[5] || "–", false]
      ] };
    }));
    var shown = groups.filter(function (g) { return g[0] !== "total"; });
    var xs = shown.map(function (g) { return plotText(groupLabel(g[0])); });
    var traces = [];
    if (shown.length) {
      [[2, "Tỉnh tính lại theo quy tắc Cổng", "#0b4f8a"], [3, "Cổng DVCQG công bố", "#f59e0b"]].forEach(function (s) {
        var ys = shown.map(function (g) { return g[s[0]]; });
        traces.push({
          type: "bar", x: xs, y: ys, name: s[1], marker: { color: s[2] },
          text: ys.map(fmtDecimal), textposition: "auto", customdata: ys.map(fmtDecimal),
          hovertemplate: "%{x}: %{customdata} điểm<extra>" + s[1] + "</extra>"
        });
      });
      traces.push({
        type: "scatter", x: xs, y: shown.map(function (g) { return g[1]; }), mode: "markers", name: "Điểm tối đa",
        marker: { symbol: "line-ew-open", size: 30, color: "#5a6270" }, hoverinfo: "skip"
      });
    }
    draw("chart-766-groups", traces,
      layout("Điểm 766 toàn tỉnh theo nhóm, " + (groupsEntry ? groupsEntry.short : ""), { xaxis: { type: "category" } }), true);

    /* the province's indicators, by points lost */
    showIf("p766-no-indicators", entry.indicators.length === 0);
    document.getElementById("portal-766-indicators").hidden = entry.indicators.length === 0;
    fillRows(document.querySelector("#portal-766-indicators tbody"), entry.indicators.map(function (r) {
      var label = P.indicatorLabels[r[0]] || r[0];
      return { cells: [
        [label === r[0] ? r[0] : r[0] + " " + label, false, { "data-indicator": r[0] }],
        [groupLabel(r[1]), false],
        [fmtPct(r[4]), true, { "data-rate": attrValue(r[4]) }],
        [fmtInt(r[2]) + " / " + fmtInt(r[3]), true],
        [fmtDecimal(r[5]), true, { "data-points": attrValue(r[5]) }],
        [fmtDecimal(r[6]), true],
        [fmtDecimal(r[7]), true, { "data-points-lost": attrValue(r[7]) }]
      ] };
    }));

    /* each agency's 2.1: its own against the portal rule's; portal points and reasons monthly */
    section.querySelectorAll(".p766-monthly").forEach(function (n) { n.hidden = !entry.monthly; });
    showIf("p766-monthly-only", !entry.monthly);
    fillRows(document.querySelector("#portal-766-agencies tbody"), entry.agencies.map(function (r) {
      var unit = P.agencies[r[0]];
      var own = ratioValue(r[1]), rule = ratioValue(r[2]);
      /* different denominators: the portal also counts here the dossiers of agencies that
         ended before the period's end (dashboard.portal_766_data); no difference then */
      var sameDossiers = !(r[1] && r[2]) || r[1][1] === r[2][1];
      var diff = sameDossiers && own !== null && rule !== null ? own - rule : null;
      var cells = [
        [unit[0], false, null, "code"], [unit[1], false, null, "name"],
        [fmtPct(own), true, { "data-own": attrValue(own) }],
        [fmtPct(rule), true, { "data-portal-rule": attrValue(rule) }],
        [diff !== null ? (diff > 0 ? "+" : "") + fixed(diff * 100, 2) + " điểm %" : sameDossiers ? "–" : "khác tập hồ sơ*",
         true, { "data-diff": attrValue(diff), "data-same-dossiers": String(sameDossiers) }]
      ];
      if (entry.monthly) {
        cells.push([fmtDecimal(r[3]), true, { "data-portal-points": attrValue(r[3]) }]);
        (r[4] || []).forEach(function (count, i) { cells.push([fmtInt(count), true, { "data-reason": P.reasons[i] }]); });
      }
      return { attrs: { "data-agency": unit[0] }, cells: cells };
    }));
    showIf("p766-other-dossiers", entry.agencies.some(function (r) {
      return r[1] && r[2] && r[1][1] !== r[2][1];
    }));
    var search = document.getElementById("progress-search");
    if (search) { applySearch("portal-766-agencies", search.value, null); }
  }

  function summary() {
    var p = PERIODS[state.period];
    var parts = ["Kỳ: " + p.label];
    if (state.tier) { parts.push("Cấp: " + el.tier.options[el.tier.selectedIndex].text); }
    if (state.district) { parts.push("Huyện: " + el.district.options[el.district.selectedIndex].text); }
    if (state.agency) { parts.push("Cơ quan: " + el.agency.options[el.agency.selectedIndex].text); }
    var text = "Bộ lọc — " + parts.join(" · ");
    var printed = document.getElementById("print-filters");
    if (printed) { printed.textContent = text; }
    if (state.tier && !D.hasTiers) {
      text += ". Bản công bố chưa có bảng dim_units: xếp hạng chưa lọc được cơ quan theo cấp.";
    }
    document.getElementById("f-summary").textContent = state.tier && !D.hasTiers ? text : "";
  }

  function redraw() {
    var s = scope();
    drawCards(s);
    var list = agencies();
    drawRates("chart-monthly-rates", D.months, "Tỷ lệ theo tháng — " + plotText(scopeName(s)) + " (nét đứt: mục tiêu)", s);
    drawVolumes(s);
    if (D.weeks.length) {
      drawRates("chart-weekly-rates", D.weeks, "Tỷ lệ theo tuần — " + plotText(scopeName(s)) + " (" + D.weeks.length + " tuần gần nhất)", s);
    }
    drawRankings(list);
    drawDistricts();
    drawTable(list);
    draw766();
    document.querySelectorAll("#portal-766-agencies tr[data-agency]").forEach(function (tr) {
      tr.classList.toggle("selected", tr.getAttribute("data-agency") === state.agency);
    });
    summary();
  }

  D.hasTiers = D.units.agency.some(function (u) { return !!u[2]; });
  fillPeriods();
  fillTiers();
  fillDistricts();
  fillAgencies();
  el.period.addEventListener("change", function () {
    state.period = el.period.value; fillTiers(); fillDistricts(); fillAgencies(); redraw();
  });
  el.tier.addEventListener("change", function () { state.tier = el.tier.value; fillAgencies(); redraw(); });
  el.district.addEventListener("change", function () { state.district = el.district.value; fillAgencies(); redraw(); });
  el.agency.addEventListener("change", function () { state.agency = el.agency.value; redraw(); });
  el.reset.addEventListener("click", function () {
    state = { period: D.default, tier: "", district: "", agency: "", search: "" };
    el.period.value = state.period; if (el.search) { el.search.value = ""; }
    fillTiers(); fillDistricts(); fillAgencies(); redraw();
  });
  if (el.search) {
    el.search.addEventListener("input", function () {
      state.search = el.search.value;
      applySearch("ranking-table", state.search, document.getElementById("ranking-count"));
    });
  }
  document.querySelectorAll("input[data-search-table]").forEach(function (input) {
    input.addEventListener("input", function () { applySearch(input.getAttribute("data-search-table"), input.value, null); });
  });
  redraw();

  /* Printing: every collapsed list open, every chart at the paper's width. */
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
    document.querySelectorAll(".js-plotly-plot").forEach(function (p) { Plotly.Plots.resize(p); });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    document.querySelectorAll(".js-plotly-plot").forEach(function (p) { Plotly.Plots.resize(p); });
  });
})();
