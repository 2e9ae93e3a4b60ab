// Starts the vendored Swagger UI on this app's own OpenAPI document (a file, not inline, so the
// Content-Security-Policy can forbid inline scripts everywhere).
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
