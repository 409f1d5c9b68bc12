// Draws a dflow application report from the JSON in #dflow-data (or, in the live view, from
// data.json fetched again every few seconds). Plain DOM and SVG, no library, no network beyond
// the live view's own server.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
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

  function svg(tag, attrs, children) {
    var e = document.createElementNS(SVG, tag);
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

  // Stages in columns by their depth (a stage sits right of every stage it reads), edges parent -> child.
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
    var width = 20 + columns.length * (W + GX) - GX;
    var height = 20 + rows * (H + GY) - GY;
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, id: "dag-svg" });
    root.appendChild(svg("defs", null, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#6b7280" }))));
    nodes.forEach(function (n) {
      n.parents.forEach(function (p) {
        if (!pos[p]) return;
        var a = pos[p], b = pos[n.stage];
        var x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
        root.appendChild(svg("path", { "class": "dag-edge", "data-from": p, "data-to": n.stage,
          d: "M" + x1 + "," + y1 + " C" + mx + "," + y1 + " " + mx + "," + y2 + " " + x2 + "," + y2,
          "marker-end": "url(#arrow)" }));
      });
    });
    nodes.forEach(function (n) {
      var p = pos[n.stage];
      var label = n.label.replace(/^stage \d+ \(/, "").replace(/\)$/, "");
      if (label.length > 38) label = label.substring(0, 37) + "…";
      root.appendChild(svg("g", { "class": "dag-node status-" + n.status, "data-stage": n.stage,
        transform: "translate(" + p.x + "," + p.y + ")" }, [
        svg("rect", { width: W, height: H, rx: 6 }),
        svg("rect", { "class": "stripe", width: 6, height: H, style: "fill:" + stageColor(n.stage) }),
        svg("text", { x: 14, y: 17, "font-weight": 600 }, "stage " + n.stage + " · job " + n.job + " · " + n.status),
        svg("text", { x: 14, y: 34 }, label),
        svg("title", null, n.label)
      ]));
    });
    return section("Stages DAG", "dag", [el("div", { "class": "scroll" }, root)]);
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

  // One row per executor slot (lane), one bar per task attempt, x = time since the application started.
  function timeline(r) {
    var tasks = r.tasks;
    if (!tasks.length) return section("Task timeline", "timeline", [el("p", { "class": "none" }, "No tasks ran.")]);
    var span = 1;
    tasks.forEach(function (t) { span = Math.max(span, t.startMillis + t.runMillis); });
    span = Math.max(span, r.endMillis - r.startMillis);
    var LABEL = 150, PLOT = 1100, LANE = 16, TOP = 24;
    var lanes = [];
    r.executors.forEach(function (x) {
      for (var l = 0; l < x.lanes; l++) lanes.push({ executor: x.id, lane: l, host: x.host });
    });
    var row = {};
    lanes.forEach(function (ln, i) { row[ln.executor + "/" + ln.lane] = i; });
    var height = TOP + lanes.length * LANE + 8;
    var root = svg("svg", { width: LABEL + PLOT + 20, height: height, viewBox: "0 0 " + (LABEL + PLOT + 20) + " " + height,
      id: "timeline-svg" });
    var scale = PLOT / span;
    var axis = svg("g", { "class": "axis" });
    var step = niceStep(span / 10);
    for (var t = 0; t <= span; t += step) {
      var x = LABEL + t * scale;
      axis.appendChild(svg("line", { x1: x, x2: x, y1: TOP - 4, y2: height - 4 }));
      axis.appendChild(svg("text", { x: x + 2, y: TOP - 8 }, millis(t)));
    }
    root.appendChild(axis);
    lanes.forEach(function (ln, i) {
      root.appendChild(svg("text", { "class": "lane-label", x: 4, y: TOP + i * LANE + 12 },
        "executor " + ln.executor + " · slot " + ln.lane));
    });
    tasks.forEach(function (t) {
      var i = row[t.executor + "/" + t.lane];
      if (i === undefined) return;
      var failed = t.reason !== "Success";
      root.appendChild(svg("rect", { "class": "task-bar" + (failed ? " failed" : ""), "data-stage": t.stage,
        "data-stage-attempt": t.stageAttempt, "data-partition": t.partition, "data-attempt": t.attempt,
        "data-task": t.task, "data-executor": t.executor, "data-reason": t.reason,
        x: (LABEL + t.startMillis * scale).toFixed(2), y: TOP + i * LANE + 2,
        width: Math.max(1, t.runMillis * scale).toFixed(2), height: LANE - 4, fill: stageColor(t.stage) },
        svg("title", null, "stage " + t.stage + "." + t.stageAttempt + " partition " + t.partition + " attempt "
          + t.attempt + ": " + t.reason + (t.message ? " (" + t.message + ")" : "") + ", " + millis(t.runMillis)
          + (t.gcMillis ? ", GC " + millis(t.gcMillis) : "") + ", " + t.locality.toLowerCase() + ", read "
          + bytes(t.inputBytes + t.shuffleBytesRead))));
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
      el("div", { "class": "scroll" }, root)]);
  }

  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    var m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
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
    var main = document.getElementById("report");
    while (main.firstChild) main.removeChild(main.firstChild);
    document.title = "dflow report: " + (r.name || r.app);
    [header(r), warnings(r), dag(r), jobs(r), stages(r), timeline(r), executors(r),
      keyValues("Counters", "counters", r.counters, "counters"),
      keyValues("Configuration", "configuration", r.conf, "conf")].forEach(function (s) { main.appendChild(s); });
    document.body.setAttribute("data-rendered", "ok");
  }

  function fail(message) {
    document.body.setAttribute("data-rendered", "error");
    var main = document.getElementById("report");
    main.appendChild(el("p", { "class": "banner error", id: "report-error" }, "The report could not be drawn: " + message));
  }

  window.addEventListener("error", function (e) { fail(e.message); });
  try {
    render(JSON.parse(document.getElementById("dflow-data").textContent));
  } catch (e) {
    fail(e && e.stack ? e.stack : String(e));
  }

  if (LIVE) {
    setInterval(function () {
      fetch(LIVE, { cache: "no-store" }).then(function (res) { return res.json(); }).then(function (r) {
        var y = window.scrollY;
        render(r);
        window.scrollTo(0, y);
      }).catch(function () { /* the application ended and its server with it: keep the last page */ });
    }, REFRESH_MILLIS);
  }
})();
