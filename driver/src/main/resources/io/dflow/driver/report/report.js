// Draws a dflow application report from the JSON in #dflow-data (or, in the live view, from
// data.json fetched again every few seconds): tables in plain DOM, the charts (stage DAG, task
// duration quantiles, task timeline) with Apache ECharts, which the page inlines before this
// script, in its SVG renderer. Nothing is fetched beyond the live view's own server.
(function () {
  "use strict";
  // the live view's data URL, "" for a report written to a file
  var LIVE = document.querySelector("meta[name=dflow-live]").getAttribute("content");
  var REFRESH_MILLIS = 2000;
  var PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#e15759", "#bab0ac"];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }

  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    });
  }

  function append(e, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
  }

  function bytes(n) {
    if (!n) return "0 B";
    if (n < 1024) return n + " B";
    var units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    var u = -1;
    do { n /= 1024; u++; } while (n >= 1024 && u < units.length - 1);
    return n.toFixed(1) + " " + units[u];
  }

  function millis(ms) {
    if (ms === null || ms === undefined || ms < 0) return "";
    if (ms < 1000) return ms + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
    return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
  }

  function stageColor(stage) {
    return PALETTE[stage % PALETTE.length];
  }

  function section(title, id, body) {
    return el("section", { id: id }, [el("h2", null, title)].concat(body));
  }

  function table(cls, headers, rows) {
    var head = el("tr", null, headers.map(function (h) {
      return el("th", { "class": h.num ? "num" : null }, h.title);
    }));
    return el("div", { "class": "scroll" }, el("table", { "class": cls }, [el("thead", null, head), el("tbody", null, rows)]));
  }

  function header(r) {
    var duration = r.endMillis - r.startMillis;
    var status = r.incomplete && LIVE ? "running" : r.status;
    var parts = [
      el("h1", null, r.name || r.app),
      el("div", { "class": "sub" }, [r.app + " · " + r.master + " · started " + new Date(r.startMillis).toISOString()
        .replace("T", " ").replace(/\..*/, " UTC") + " · ran " + millis(duration) + " · ",
        el("span", { "class": "status-" + status, id: "app-status" }, status)])
    ];
    if (r.incomplete && LIVE) {
      parts.push(el("p", { "class": "banner", id: "live" }, "Live: the application is running; this page draws its "
        + "events so far and refreshes itself every " + REFRESH_MILLIS / 1000 + " s."));
    } else if (r.incomplete) {
      parts.push(el("p", { "class": "banner", id: "incomplete" }, "This event log is incomplete: the application "
        + "had not ended when it was last written (it still runs, or it crashed). The report shows what it holds."));
    }
    if (r.error) parts.push(el("p", { "class": "banner error" }, r.error));
    return el("header", null, parts);
  }

  function warnings(r) {
    if (!r.warnings.length) return section("Warnings", "warnings", [el("p", { "class": "none" }, "No warnings.")]);
    return section("Warnings (" + r.warnings.length + ")", "warnings", [el("ul", { "class": "warnings" },
      r.warnings.map(function (w) {
        return el("li", { "class": "warning", "data-kind": w.kind, "data-stage": w.stage },
          [el("span", { "class": "kind" }, w.kind), w.message, el("span", { "class": "advice" }, w.advice)]);
      }))]);
  }

  // Every chart element named "kind key..." carries its name in the drawn SVG as ecmeta_name
  // (zrender's hook for server-side rendering's metadata, which also marks the SVG it draws in a
  // browser): so the DOM says which task attempt each timeline bar is, and tests count them.
  echarts.zrender.registerSSRDataGetter(function (e) {
    if (typeof e.name !== "string" || !e.name) return undefined;
    var name = e.name;
    return { each: function (f) { f(name, "name"); } };
  });

  var charts = [];
  var pending = [];

  // A box for a chart of height px, drawn by draw(chart) once the box is in the page (it needs its width).
  function chart(id, height, draw) {
    var box = el("div", { "class": "chart", id: id, style: "height:" + height + "px" });
    pending.push(function () {
      var c = echarts.init(box, null, { renderer: "svg" });
      charts.push(c);
      draw(c);
    });
    return box;
  }

  function escapeHtml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  var STATUS_FILL = { succeeded: "#eef2ff", running: "#fff7ed", waiting: "#f9fafb", skipped: "#f3f4f6",
    failed: "#fef2f2" };

  // Stages in columns by their depth (a stage sits right of every stage it reads), edges parent -> child:
  // ECharts custom series, laid out here.
  function dag(r) {
    var nodes = r.dag;
    if (!nodes.length) return section("Stages DAG", "dag", [el("p", { "class": "none" }, "No stages.")]);
    var byId = {};
    nodes.forEach(function (n) { byId[n.stage] = n; });
    var depth = {};
    function depthOf(id, seen) {
      if (depth[id] !== undefined) return depth[id];
      var n = byId[id];
      var d = 0;
      if (n && !seen[id]) {
        seen[id] = true;
        n.parents.forEach(function (p) { if (byId[p]) d = Math.max(d, depthOf(p, seen) + 1); });
      }
      depth[id] = d;
      return d;
    }
    var columns = [];
    nodes.forEach(function (n) {
      var d = depthOf(n.stage, {});
      (columns[d] = columns[d] || []).push(n);
    });
    var W = 260, H = 44, GX = 60, GY = 16;
    var pos = {};
    var rows = 0;
    columns.forEach(function (col, c) {
      col.forEach(function (n, i) { pos[n.stage] = { x: 10 + c * (W + GX), y: 10 + i * (H + GY) }; });
      rows = Math.max(rows, col.length);
    });
    var links = [];
    nodes.forEach(function (n) {
      n.parents.forEach(function (p) { if (pos[p]) links.push({ from: p, to: n.stage }); });
    });
    var width = 20 + columns.length * (W + GX) - GX;
    var height = 20 + rows * (H + GY) - GY;
    // two custom series in pixels (no axes): the edges, then the nodes over them
    var box = chart("dag-chart", height, function (c) {
      c.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) {
          if (p.seriesIndex === 0) return "stage " + links[p.dataIndex].to + " reads stage " + links[p.dataIndex].from;
          var n = nodes[p.dataIndex];
          return escapeHtml(n.label) + "<br>job " + n.job + ", " + n.status;
        } },
        series: [{ type: "custom", coordinateSystem: "none", progressive: 0, data: links.map(function (l, i) { return i; }),
          renderItem: function (params) {
            var l = links[params.dataIndex], a = pos[l.from], b = pos[l.to];
            var x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x - 1, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
            return { type: "group", children: [
              { type: "bezierCurve", name: "dag-edge " + l.from + " " + l.to,
                shape: { x1: x1, y1: y1, cpx1: mx, cpy1: y1, cpx2: mx, cpy2: y2, x2: x2 - 6, y2: y2 },
                style: { stroke: "#6b7280", fill: null, lineWidth: 1.5 } },
              { type: "polygon", shape: { points: [[x2 - 8, y2 - 4], [x2, y2], [x2 - 8, y2 + 4]] },
                style: { fill: "#6b7280" } }] };
          } },
        { type: "custom", coordinateSystem: "none", progressive: 0, data: nodes.map(function (n, i) { return i; }),
          renderItem: function (params) {
            var n = nodes[params.dataIndex], p = pos[n.stage];
            var label = n.label.replace(/^stage \d+ \(/, "").replace(/\)$/, "");
            if (label.length > 38) label = label.substring(0, 37) + "…";
            return { type: "group", x: p.x, y: p.y, children: [
              { type: "rect", name: "dag-node " + n.stage, shape: { width: W, height: H, r: 6 },
                style: { fill: STATUS_FILL[n.status] || "#eef2ff", stroke: n.status === "failed" ? "#b91c1c"
                  : n.status === "skipped" ? "#9ca3af" : "#6366f1", lineDash: n.status === "skipped" ? [4, 3] : null } },
              { type: "rect", shape: { width: 6, height: H, r: [6, 0, 0, 6] }, style: { fill: stageColor(n.stage) } },
              { type: "text", style: { x: 14, y: 11, text: "stage " + n.stage + " · job " + n.job + " · " + n.status,
                font: "600 12px system-ui, sans-serif", fill: "#1d2330", verticalAlign: "middle" } },
              { type: "text", style: { x: 14, y: 30, text: label, font: "12px system-ui, sans-serif", fill: "#1d2330",
                verticalAlign: "middle" } }] };
          } }]
      });
    });
    box.style.width = width + "px";
    box.style.minWidth = "0";
    return section("Stages DAG", "dag", [el("div", { "class": "scroll" }, box)]);
  }

  function localityShares(counts) {
    var total = 0;
    Object.keys(counts).forEach(function (k) { total += counts[k]; });
    if (!total) return "";
    return Object.keys(counts).map(function (k) {
      return k.toLowerCase().replace("_", "-") + " " + Math.round(100 * counts[k] / total) + "%";
    }).join(", ");
  }

  function stages(r) {
    var headers = ["Stage", "Attempt", "Job", "Label", "Status", "Tasks", "Failed", "Duration", "Min", "25%",
      "Median", "75%", "Max", "Records out", "Input", "Shuffle read", "Shuffle write", "Spill", "GC", "Locality"]
      .map(function (t, i) { return { title: t, num: i === 0 || i === 1 || i === 2 || i >= 5 && i < 19 }; });
    var rows = r.stages.map(function (s) {
      var q = s.taskMillis || {};
      var num = function (v) { return el("td", { "class": "num" }, v); };
      return el("tr", { "class": "stage-row", "data-stage": s.stage, "data-attempt": s.attempt, "data-status": s.status,
        "data-median": q.median }, [
        num(s.stage), num(s.attempt), num(s.job), el("td", null, s.label),
        el("td", { "class": "status-" + s.status }, s.status),
        num(s.succeeded + "/" + s.tasks), num(s.failedAttempts), num(millis(s.durationMillis)),
        num(millis(q.min)), num(millis(q.p25)), num(millis(q.median)), num(millis(q.p75)), num(millis(q.max)),
        num(s.recordsOut), num(bytes(s.inputBytes)), num(bytes(s.shuffleBytesRead)), num(bytes(s.shuffleBytesWritten)),
        num(s.spills ? bytes(s.spillBytes) + " (" + s.spills + ")" : ""), num(millis(s.gcMillis)),
        el("td", null, localityShares(s.locality))
      ]);
    });
    return section("Stages", "stages", [table("stages", headers, rows),
      el("p", { "class": "sub" }, "Task durations are of successful attempts; records, bytes and locality too. "
        + "Failed counts attempts that failed (killed attempts are not failures).")]);
  }

  // Per stage attempt, the quantiles of its successful tasks' run times as an ECharts boxplot.
  function durations(r) {
    var judged = r.stages.filter(function (s) { return s.taskMillis; });
    if (!judged.length) return section("Task durations", "durations", [el("p", { "class": "none" }, "No task ended.")]);
    var names = judged.map(function (s) { return "stage " + s.stage + "." + s.attempt; });
    var box = chart("durations-chart", 60 + judged.length * 30, function (c) {
      c.setOption({
        animation: false,
        grid: { left: 90, right: 40, top: 10, bottom: 40 },
        tooltip: { trigger: "item", formatter: function (p) {
          var s = judged[p.dataIndex], q = s.taskMillis;
          return escapeHtml(s.label) + "<br>" + s.succeeded + " tasks: min " + millis(q.min) + ", 25% " + millis(q.p25)
            + ", median " + millis(q.median) + ", 75% " + millis(q.p75) + ", max " + millis(q.max);
        } },
        xAxis: { type: "value", name: "task run time", nameLocation: "middle", nameGap: 26,
          axisLabel: { formatter: function (v) { return millis(v); } } },
        yAxis: { type: "category", inverse: true, data: names },
        series: [{ type: "boxplot", boxWidth: [6, 18], progressive: 0, emphasis: { disabled: true },
          data: judged.map(function (s) {
            var q = s.taskMillis;
            return { value: [q.min, q.p25, q.median, q.p75, q.max],
              itemStyle: { color: stageColor(s.stage) + "55", borderColor: stageColor(s.stage) } };
          }) }]
      });
    });
    return section("Task durations", "durations", [box, el("p", { "class": "sub" }, "Per stage attempt, the "
      + "successful tasks' run times: the box from the 25% to the 75% quantile with the median inside, the whiskers"
      + " to the shortest and the longest.")]);
  }

  function attemptKey(t) {
    return t.stage + "." + t.stageAttempt + "/" + t.partition + "." + t.attempt + " " + t.reason;
  }

  // One row per executor slot (lane), one bar per task attempt (an ECharts custom series), x = time since
  // the application started.
  function timeline(r) {
    var tasks = r.tasks;
    if (!tasks.length) return section("Task timeline", "timeline", [el("p", { "class": "none" }, "No tasks ran.")]);
    var span = 1;
    tasks.forEach(function (t) { span = Math.max(span, t.startMillis + t.runMillis); });
    span = Math.max(span, r.endMillis - r.startMillis);
    var lanes = [];
    r.executors.forEach(function (x) {
      for (var l = 0; l < x.lanes; l++) lanes.push("executor " + x.id + " · slot " + l);
    });
    var row = {};
    var i = 0;
    r.executors.forEach(function (x) {
      for (var l = 0; l < x.lanes; l++) row[x.id + "/" + l] = i++;
    });
    var drawn = tasks.filter(function (t) { return row[t.executor + "/" + t.lane] !== undefined; });
    var box = chart("timeline-chart", 70 + lanes.length * 18, function (c) {
      c.setOption({
        animation: false,
        grid: { left: 150, right: 30, top: 30, bottom: 30 },
        tooltip: { trigger: "item", formatter: function (p) {
          var t = drawn[p.dataIndex];
          return "stage " + t.stage + "." + t.stageAttempt + " partition " + t.partition + " attempt " + t.attempt
            + ": " + escapeHtml(t.reason) + (t.message ? " (" + escapeHtml(t.message) + ")" : "") + "<br>"
            + millis(t.runMillis) + (t.gcMillis ? ", GC " + millis(t.gcMillis) : "") + ", "
            + t.locality.toLowerCase() + ", read " + bytes(t.inputBytes + t.shuffleBytesRead);
        } },
        xAxis: { type: "value", min: 0, max: span, position: "top", splitLine: { lineStyle: { color: "#d9dde5" } },
          axisLabel: { formatter: function (v) { return millis(v); } } },
        yAxis: { type: "category", inverse: true, data: lanes, axisTick: { show: false } },
        // progressive: 0 draws every bar at once (past 3000 ECharts would draw 400 a frame)
        series: [{ type: "custom", clip: true, progressive: 0, encode: { x: [1, 2], y: 0 },
          data: drawn.map(function (t) { return [row[t.executor + "/" + t.lane], t.startMillis, t.startMillis + t.runMillis]; }),
          renderItem: function (params, api) {
            var t = drawn[params.dataIndex];
            var from = api.coord([api.value(1), api.value(0)]);
            var to = api.coord([api.value(2), api.value(0)]);
            var h = api.size([0, 1])[1] * 0.75;
            var failed = t.reason !== "Success";
            return { type: "rect", name: "task-bar " + attemptKey(t),
              shape: { x: from[0], y: from[1] - h / 2, width: Math.max(1, to[0] - from[0]), height: h },
              style: { fill: stageColor(t.stage), opacity: failed ? 0.55 : 1, stroke: failed ? "#b91c1c" : "rgba(0,0,0,.25)",
                lineWidth: failed ? 2 : 0.5 } };
          } }]
      });
    });
    var seen = {};
    var legend = el("div", { "class": "legend" });
    r.stages.forEach(function (s) {
      if (seen[s.stage]) return;
      seen[s.stage] = true;
      legend.appendChild(el("span", null, [el("i", { style: "background:" + stageColor(s.stage) }), "stage " + s.stage]));
    });
    legend.appendChild(el("span", null, [el("i", { style: "border:2px solid #b91c1c" }), "failed attempt"]));
    return section("Task timeline (" + tasks.length + " attempts)", "timeline", [legend,
      el("div", { "class": "scroll" }, box)]);
  }

  function executors(r) {
    var rows = r.executors.map(function (x) {
      return el("tr", { "class": "executor-row", "data-executor": x.id }, [el("td", null, x.id), el("td", null, x.host),
        el("td", { "class": "num" }, x.slots), el("td", { "class": "num" }, millis(x.addedMillis)),
        el("td", { "class": x.lostReason ? "error" : null }, x.lostReason ? "lost at " + millis(x.lostMillis) + ": "
          + x.lostReason : "")]);
    });
    return section("Executors", "executors", [table("executors", [{ title: "Executor" }, { title: "Host" },
      { title: "Slots", num: true }, { title: "Added", num: true }, { title: "Lost" }], rows)]);
  }

  function keyValues(title, id, map, cls) {
    var keys = Object.keys(map).sort();
    if (!keys.length) return section(title, id, [el("p", { "class": "none" }, "None.")]);
    return section(title, id, [table(cls, [{ title: "Name" }, { title: "Value" }], keys.map(function (k) {
      return el("tr", { "class": cls + "-row" }, [el("td", null, el("code", null, k)), el("td", null, String(map[k]))]);
    }))]);
  }

  function jobs(r) {
    var rows = r.jobs.map(function (j) {
      return el("tr", { "class": "job-row" }, [el("td", { "class": "num" }, j.job), el("td", null, j.description),
        el("td", { "class": "status-" + j.status }, j.status + (j.error ? ": " + j.error : "")),
        el("td", { "class": "num" }, j.tasksRun)]);
    });
    return section("Jobs", "jobs", [table("jobs", [{ title: "Job", num: true }, { title: "Action" },
      { title: "Status" }, { title: "Tasks", num: true }], rows)]);
  }

  function render(r) {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    pending = [];
    var main = document.getElementById("report");
    while (main.firstChild) main.removeChild(main.firstChild);
    document.title = "dflow report: " + (r.name || r.app);
    [header(r), warnings(r), dag(r), jobs(r), stages(r), durations(r), timeline(r), executors(r),
      keyValues("Counters", "counters", r.counters, "counters"),
      keyValues("Configuration", "configuration", r.conf, "conf")].forEach(function (s) { main.appendChild(s); });
    pending.forEach(function (draw) { draw(); });
    document.body.setAttribute("data-echarts", echarts.version);
    if (document.body.getAttribute("data-rendered") !== "error") document.body.setAttribute("data-rendered", "ok");
  }

  function fail(message) {
    document.body.setAttribute("data-rendered", "error");
    var main = document.getElementById("report");
    main.appendChild(el("p", { "class": "banner error", id: "report-error" }, "The report could not be drawn: " + message));
  }

  // Every script error on the page, the charts' own included, is recorded: data-errors counts them.
  window.onerror = function (message, source, line, column, error) {
    var n = Number(document.body.getAttribute("data-errors") || 0) + 1;
    document.body.setAttribute("data-errors", String(n));
    fail((error && error.stack) || message + " (" + source + ":" + line + ":" + column + ")");
    return false;
  };
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  try {
    render(JSON.parse(document.getElementById("dflow-data").textContent));
  } catch (e) {
    fail(e && e.stack ? e.stack : String(e));
  }

  if (LIVE) {
    setInterval(function () {
      fetch(LIVE, { cache: "no-store" }).then(function (res) { return res.json(); }).then(function (r) {
        var y = window.scrollY;
        try {
          render(r);
        } catch (e) {
          fail(e && e.stack ? e.stack : String(e));
        }
        window.scrollTo(0, y);
      }, function () { /* the application ended and its server with it: keep the last page */ });
    }, REFRESH_MILLIS);
  }
})();
