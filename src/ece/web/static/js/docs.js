// The interactive API docs: Swagger UI, served from our own origin (static/vendor/swagger-ui,
// vendored by scripts/vendor_assets.py), so the pages' Content-Security-Policy applies unchanged.
window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  // Tags start folded: drawing every operation of the whole API at once is slow and Swagger UI
  // then draws only the first few tags. Opening a tag draws its operations.
  docExpansion: "none",
});
