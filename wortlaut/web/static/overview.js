// Draws the overview charts with the vendored Vega-Lite. The specs come as data in a JSON block
// (<script type="application/json" id="overview-charts">), never as script; Vega runs with its expression
// interpreter, so the page's Content-Security-Policy needs no 'unsafe-eval'.
(function () {
  "use strict";
  const block = document.getElementById("overview-charts");
  if (!block || typeof vegaEmbed !== "function") return;
  const specs = JSON.parse(block.textContent);
  for (const [name, spec] of Object.entries(specs)) {
    const target = document.getElementById("chart-" + name);
    if (!target) continue;
    vegaEmbed(target, spec, {
      ast: true,
      expr: vega.expressionInterpreter,
      renderer: "svg",
      downloadFileName: name,
      actions: { export: { png: true, svg: true }, source: false, compiled: false, editor: false },
    }).then(function () {
      target.dataset.drawn = "true";
    }).catch(function (error) {
      target.textContent = "The chart could not be drawn: " + error.message;
    });
  }
})();
