// Draws the dashboard's and the what-if page's charts from their JSON endpoints; the tables beside them carry the same
// numbers for readers without the chart. No inline script: the CSP forbids it.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.echarts) { return; }
  var label = function (name) { return root.getAttribute("data-label-" + name) || name; };

  function bar(names, values, seriesName) {
    return {
      tooltip: {}, grid: { left: 48, right: 12, top: 24, bottom: 64 },
      xAxis: { type: "category", data: names, axisLabel: { rotate: 30 } },
      yAxis: { type: "value" },
      series: [{ name: seriesName, type: "bar", data: values }]
    };
  }

  // Two series over a few long names (a figure, a contract's title): bars lie flat so each
  // name gets a line of its own, wrapped, with the legend above, on a 360 px phone too.
  function pairedBars(names, first, second) {
    return {
      rows: names.length,
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      yAxis: { type: "category", data: names, inverse: true,
               axisLabel: { width: 120, overflow: "break", lineHeight: 14 } },
      xAxis: { type: "value" },
      series: [{ name: first.name, type: "bar", data: first.values },
               { name: second.name, type: "bar", data: second.values }]
    };
  }

  var builders = {
    streets: function (d) {
      return bar(d.streets.map(function (r) { return r.name; }),
                 d.streets.map(function (r) { return r.verified_hours; }), label("hours"));
    },
    organizations: function (d) {
      var byForm = {};
      d.organizations.forEach(function (r) { byForm[r.legal_form] = (byForm[r.legal_form] || 0) + r.count; });
      return { tooltip: {}, series: [{ type: "pie", radius: "60%", name: label("orgs"),
        data: Object.keys(byForm).map(function (k) { return { name: k, value: byForm[k] }; }) }] };
    },
    hours: function (d) {
      var months = [], domains = [], cells = {};
      d.hours.forEach(function (r) {
        if (months.indexOf(r.month) < 0) { months.push(r.month); }
        if (domains.indexOf(r.domain) < 0) { domains.push(r.domain); }
        cells[r.month + "|" + r.domain] = r.hours;
      });
      return { tooltip: { trigger: "axis" }, legend: { type: "scroll" },
        grid: { left: 48, right: 12, top: 40, bottom: 40 },
        xAxis: { type: "category", data: months }, yAxis: { type: "value" },
        series: domains.map(function (dom) {
          return { name: dom, type: "bar", stack: "hours",
                   data: months.map(function (m) { return cells[m + "|" + dom] || 0; }) };
        }) };
    },
    coverage: function (d) {
      return bar(d.coverage.map(function (r) { return r.community; }),
                 d.coverage.map(function (r) { return r.value; }), label("coverage"));
    },
    open_requests: function (d) {
      return bar(d.open_requests.map(function (r) { return r.grid; }),
                 d.open_requests.map(function (r) { return r.open; }), label("open"));
    },
    whatif: function (d) {
      return pairedBars(d.coverage.map(function (r) { return r.figure; }),
        { name: label("today"), values: d.coverage.map(function (r) { return r.today; }) },
        { name: label("changed"), values: d.coverage.map(function (r) { return r.changed; }) });
    },
    recruitment: function (d) {
      return bar(d.recruitment.map(function (r) { return r.street; }),
                 d.recruitment.map(function (r) { return r.recruits; }), label("recruits"));
    },
    budget: function (d) {
      return pairedBars(d.budget.map(function (r) { return r.title; }),
        { name: label("spent"), values: d.budget.map(function (r) { return r.spent_pct; }) },
        { name: label("kpi"), values: d.budget.map(function (r) { return r.kpi_pct; }) });
    }
  };

  fetch(root.getAttribute("data-source"), { credentials: "same-origin",
                                            headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      document.querySelectorAll("[data-chart]").forEach(function (node) {
        var build = builders[node.getAttribute("data-chart")];
        if (!build) { return; }
        var option = build(data);
        if (option.rows) {  // flat bars: room for two wrapped lines a name, whatever the count
          node.style.height = Math.max(node.clientHeight, 40 + 44 * option.rows) + "px";
          delete option.rows;
        }
        var chart = window.echarts.init(node, null, { renderer: "svg" });
        chart.setOption(option);
        node.setAttribute("data-rendered", "1");
        window.addEventListener("resize", function () { chart.resize(); });
      });
    });
}());
