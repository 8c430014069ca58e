// armsdash: draws every chart of a page with ECharts. Each chart is an
// element with data-chart, whose options are the JSON of the element
// "<id>-options"; a world map (data-map) first loads its country shapes.
// Without ECharts (not installed, blocked) the chart shows its
// server-drawn SVG instead, as it does without JavaScript.
(function () {
  "use strict";

  // dark reports whether a chart of this theme is drawn dark: "dark", or
  // "auto" when the reader's system prefers a dark scheme.
  function dark(theme) {
    return theme === "dark" || (theme === "auto" && !!window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  // fallback puts the server-drawn SVG in the chart's place: the
  // <picture> of its <template id="<id>-fallback">, the same as its
  // <noscript> shows without JavaScript.
  function fallback(el) {
    var t = document.getElementById(el.id + "-fallback");
    el.style.height = "auto"; // the image sets its own height
    if (t) el.appendChild(t.content.cloneNode(true));
  }

  // fitLegend makes room above the plot for the legend, which wraps onto
  // as many lines as the width needs, and for the value axis' name.
  function fitLegend(chart) {
    var legend = chart.getModel().getComponent("legend");
    var view = legend && chart.getViewOfComponentModel(legend);
    if (!view) return;
    var h = Math.ceil(view.group.getBoundingRect().height);
    var grid = {top: h + 36};
    var x = chart.getOption().xAxis[0] || {};
    var slanted = x.axisLabel && x.axisLabel.rotate; // long labels that need the left margin
    if (chart.getWidth() < 560 && !slanted) { // a phone: the axis labels need no margin of their own
      grid.left = 8;
      grid.right = 12;
    }
    chart.setOption({grid: grid});
  }

  function draw(el) {
    var data = document.getElementById(el.id + "-options");
    if (!window.echarts || !data) {
      fallback(el);
      return;
    }
    if (el.dataset.map && !window.echarts.getMap("world")) {
      // A world map: its country shapes first (static, from this site).
      fetch(el.dataset.map).then(function (r) { return r.json(); }).then(function (g) {
        window.echarts.registerMap("world", g);
        draw(el);
      }, function () { fallback(el); });
      return;
    }
    var options = JSON.parse(data.textContent);
    var isDark = dark(el.dataset.theme);
    if (isDark) options.backgroundColor = "transparent";
    var chart = window.echarts.init(el, isDark ? "dark" : null);
    chart.setOption(options);
    fitLegend(chart);
    chart.on("click", function (p) { // items may link to a page of this site
      var l = p.data && p.data.link;
      if (typeof l === "string" && l.charAt(0) === "/" && l.charAt(1) !== "/") location.href = l;
    });
    var resize = function () { chart.resize(); fitLegend(chart); };
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
