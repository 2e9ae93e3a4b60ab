// Draws the overview charts with the vendored Vega-Lite. The specs come as data in a JSON block
// (<script type="application/json" id="overview-charts">), never as script; Vega runs with its expression
// interpreter, so the page's Content-Security-Policy needs no 'unsafe-eval'. The words of the actions menu,
// the number format and the error message come in the reader's language (id="overview-options").
(function () {
  "use strict";
  const block = document.getElementById("overview-charts");
  const words = document.getElementById("overview-options");
  if (!block || !words || typeof vegaEmbed !== "function") return;
  const specs = JSON.parse(block.textContent);
  const options = JSON.parse(words.textContent);
  for (const [name, spec] of Object.entries(specs)) {
    const target = document.getElementById("chart-" + name);
    if (!target) continue;
    vegaEmbed(target, spec, {
      ast: true,
      expr: vega.expressionInterpreter,
      renderer: "svg",
      downloadFileName: name,
      i18n: options.i18n,
      formatLocale: options.formatLocale || undefined,
      actions: { export: { png: true, svg: true }, source: false, compiled: false, editor: false },
    }).then(function () {
      target.dataset.drawn = "true";
    }).catch(function (error) {
      target.textContent = options.error + error.message;
    });
  }
})();
