// Starts the vendored Swagger UI on the API documentation page (no inline script: the CSP).
(function () {
  "use strict";
  var target = document.getElementById("api-docs");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-spec-url"),
    domNode: target,
    deepLinking: false,
    tryItOutEnabled: false
  });
})();
